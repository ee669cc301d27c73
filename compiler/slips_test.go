package compiler

// The slip suite: testdata/slips/NAME.txtar is a mistake a newcomer makes
// (most from YAML or Python habits), with the first diagnostic regc must
// print for it (lang.Diagnostic.String) and how many diagnostics in all.
// The count is 1 unless the case says otherwise: one slip, one message.
//
//	# what the slip is
//	want: slip.regimen:3:1: error: comments start with "//", not "#" [syntax]
//	count: 1
//	suggestion: //        (optional: the first diagnostic's Suggestion)
//	-- slip.regimen --
//	...the source...
//	-- common.regimen --
//	...an imported file, when the case needs one...
//
// SLIPS_TABLE=FILE writes a Markdown table of every case's first line and
// count (to record messages before and after a change).

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

type slipCase struct {
	name  string
	want  string
	count int
	// suggestion, when the case gives one, is the first diagnostic's
	// Suggestion
	suggestion *string
	files      map[string][]byte
	order      []string
}

func readSlip(path string) (*slipCase, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c := &slipCase{name: strings.TrimSuffix(filepath.Base(path), ".txtar"), count: -1, files: map[string][]byte{}}
	var cur string
	for _, line := range strings.SplitAfter(string(data), "\n") {
		trim := strings.TrimRight(line, "\n")
		if strings.HasPrefix(trim, "-- ") && strings.HasSuffix(trim, " --") && len(trim) > 6 {
			cur = strings.TrimSpace(trim[3 : len(trim)-3])
			c.files[cur] = []byte{}
			c.order = append(c.order, cur)
			continue
		}
		if cur != "" {
			c.files[cur] = append(c.files[cur], line...)
			continue
		}
		switch {
		case strings.HasPrefix(trim, "want: "):
			c.want = strings.TrimPrefix(trim, "want: ")
		case strings.HasPrefix(trim, "suggestion: "):
			s := strings.TrimPrefix(trim, "suggestion: ")
			c.suggestion = &s
		case strings.HasPrefix(trim, "count: "):
			n, err := strconv.Atoi(strings.TrimPrefix(trim, "count: "))
			if err != nil {
				return nil, fmt.Errorf("%s: bad count: %v", path, err)
			}
			c.count = n
		}
	}
	if c.files["slip.regimen"] == nil || c.want == "" || c.count < 1 {
		return nil, fmt.Errorf("%s: a case needs want:, count: and a slip.regimen file", path)
	}
	return c, nil
}

func (c *slipCase) compile() *Result {
	read := func(p string) ([]byte, error) {
		if b, ok := c.files[filepath.ToSlash(filepath.Clean(p))]; ok {
			return b, nil
		}
		return nil, os.ErrNotExist
	}
	return CompileSource("slip.regimen", c.files["slip.regimen"], &Options{ReadFile: read})
}

func TestSlips(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "slips", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 40 {
		t.Fatalf("the slip suite has %d cases; it must have at least 40", len(paths))
	}
	var table strings.Builder
	table.WriteString("| case | first diagnostic | count |\n|---|---|---|\n")
	for _, p := range paths {
		c, err := readSlip(p)
		if err != nil {
			t.Fatal(err)
		}
		res := c.compile()
		first := "(none)"
		if len(res.Diagnostics) > 0 {
			first = res.Diagnostics[0].String()
		}
		fmt.Fprintf(&table, "| %s | `%s` | %d |\n", c.name, first, len(res.Diagnostics))
		if first != c.want {
			t.Errorf("%s: first diagnostic\n got: %s\nwant: %s", c.name, first, c.want)
		}
		if c.suggestion != nil && len(res.Diagnostics) > 0 && res.Diagnostics[0].Suggestion != *c.suggestion {
			t.Errorf("%s: suggestion %q, want %q", c.name, res.Diagnostics[0].Suggestion, *c.suggestion)
		}
		if len(res.Diagnostics) != c.count {
			var all []string
			for _, d := range res.Diagnostics {
				all = append(all, "\t"+d.String())
			}
			t.Errorf("%s: %d diagnostics, want %d:\n%s", c.name, len(res.Diagnostics), c.count, strings.Join(all, "\n"))
		}
	}
	if out := os.Getenv("SLIPS_TABLE"); out != "" {
		if err := os.WriteFile(out, []byte(table.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
