package main

// Inputs that were once quadratic (issue 14), each at a size n: a record
// with n keys, a record with n dotted keys into one nested record, a legacy
// mapping with one key written n times, a chain of n parameter sets each
// overriding the one before, and a file with n diagnostics. BenchmarkGrowth
// times `regc check` on each; a linear step shows as ~10x from 10,000 to
// 100,000. TestGrowthInputs checks that each input says what it should.

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const growthHeader = `regimen Growth version 1.0.0
script task { url: "http://example.org/task.py", md5: "0123456789abcdef0123456789abcdef" }
`

type growthInput struct {
	ext  string
	gen  func(n int) []byte
	exit int // what `regc check` exits with
}

var growthInputs = map[string]growthInput{
	// a record with n keys
	"record": {".regimen", func(n int) []byte {
		var b bytes.Buffer
		b.WriteString(growthHeader + "stage S {\n    script: task\n    params: {\n")
		for i := range n {
			fmt.Fprintf(&b, "        k%d: %d\n", i, i)
		}
		b.WriteString("    }\n}\n")
		return b.Bytes()
	}, 0},
	// n dotted keys reaching into one nested record of a base
	"dotted": {".regimen", func(n int) []byte {
		var b bytes.Buffer
		b.WriteString(growthHeader + "params base { x: { a: 1 } }\nstage S {\n    script: task\n    params: base {\n")
		for i := range n {
			fmt.Fprintf(&b, "        x.k%d: %d\n", i, i)
		}
		b.WriteString("    }\n}\n")
		return b.Bytes()
	}, 0},
	// a chain of n parameter sets, each overriding the one before
	"chain": {".regimen", func(n int) []byte {
		var b bytes.Buffer
		b.WriteString(growthHeader + "params p0 { a: 0, b: 1, c: { d: 2 } }\n")
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "params p%d = p%d { a: %d, c.d: %d }\n", i, i-1, i, i)
		}
		fmt.Fprintf(&b, "stage S { script: task, params: p%d }\n", n)
		return b.Bytes()
	}, 0},
	// a legacy mapping with one key written n times: n duplicate-key errors
	"dupkeys": {".yml", func(n int) []byte {
		var b bytes.Buffer
		b.WriteString("name: Growth_v1.0.0\ntransitions: []\nstages:\n  S:\n    script: http://example.org/task.py\n    script_md5: 0123456789abcdef0123456789abcdef\n    parameters:\n")
		for i := range n {
			fmt.Fprintf(&b, "      k: %d\n", i)
		}
		return b.Bytes()
	}, 1},
	// n errors, one a line (an unknown unit), each rendered with its line
	"diagnostics": {".regimen", func(n int) []byte {
		var b bytes.Buffer
		b.WriteString(growthHeader + "stage S {\n    script: task\n    params: {\n")
		for i := range n {
			fmt.Fprintf(&b, "        k%d: %d furlongs\n", i, i)
		}
		b.WriteString("    }\n}\n")
		return b.Bytes()
	}, 1},
}

func writeGrowth(tb testing.TB, name string, n int) string {
	tb.Helper()
	in := growthInputs[name]
	path := filepath.Join(tb.TempDir(), name+in.ext)
	if err := os.WriteFile(path, in.gen(n), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// checkGrowth runs `regc check` on path and returns its exit code and the
// diagnostics it printed.
func checkGrowth(path string) (int, string) {
	var out, errs bytes.Buffer
	e := quietEnv(&out)
	e.stderr = &errs
	code := run(e, []string{"check", "--color", "never", path})
	return code, errs.String()
}

// TestGrowthInputs checks each input at a small size: the exit code, and
// for the ones with errors, one diagnostic per defect with its line shown.
func TestGrowthInputs(t *testing.T) {
	const n = 50
	for name, in := range growthInputs {
		code, errs := checkGrowth(writeGrowth(t, name, n))
		if code != in.exit {
			t.Errorf("%s: exit %d, want %d\n%s", name, code, in.exit, errs)
			continue
		}
		switch name {
		case "dupkeys":
			if got := strings.Count(errs, "[duplicate-key]"); got != n-1 {
				t.Errorf("dupkeys: %d duplicate-key errors, want %d", got, n-1)
			}
			if !strings.Contains(errs, fmt.Sprintf("| %7s: %d", "k", n-1)) {
				t.Errorf("dupkeys: the last key's line is not shown:\n%s", lastLines(errs, 8))
			}
		case "diagnostics":
			if got := strings.Count(errs, "[unknown-unit]"); got != n {
				t.Errorf("diagnostics: %d unknown-unit errors, want %d", got, n)
			}
			if !strings.Contains(errs, fmt.Sprintf("k%d: %d furlongs", n-1, n-1)) {
				t.Errorf("diagnostics: the last line is not shown:\n%s", lastLines(errs, 8))
			}
		}
	}
}

func lastLines(s string, n int) string {
	ls := strings.Split(s, "\n")
	return strings.Join(ls[max(0, len(ls)-n):], "\n")
}

// BenchmarkGrowth times `regc check` of each input at 10,000 and 100,000
// (-bench 'Growth/record/' and the like).
func BenchmarkGrowth(b *testing.B) {
	for _, name := range []string{"record", "dotted", "chain", "dupkeys", "diagnostics"} {
		for _, n := range []int{1000, 10000, 100000} {
			b.Run(fmt.Sprintf("%s/%d", name, n), func(b *testing.B) {
				path := writeGrowth(b, name, n)
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					if code, errs := checkGrowth(path); code != growthInputs[name].exit {
						b.Fatalf("exit %d\n%s", code, lastLines(errs, 10))
					}
				}
			})
		}
	}
}
