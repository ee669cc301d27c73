package compiler

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regc/regc/lang"
)

// FuzzCompile parses and checks arbitrary source. Whatever the input, the
// compiler must answer with diagnostics, never a panic; every diagnostic has
// a valid range in the file; and a program without errors has a model.
// Seeds: testdata/fuzz/FuzzCompile (committed), the examples, the
// regimens and the error suite.
func FuzzCompile(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{
		filepath.Join("..", "examples", "*.regimen"),
		filepath.Join("..", "examples", "*", "*.regimen"),
		filepath.Join("..", "regimens", "*", "*.regimen"),
		filepath.Join("testdata", "errors", "*.regimen"),
	} {
		files, _ := filepath.Glob(pattern)
		seeds = append(seeds, files...)
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	// imports resolve to one small in-memory library, so seeds that import
	// still reach the checker
	lib := []byte("criterion c1, c2\nschema L { x: int, ... }\nparams lp: L { x: 1 }\n")
	opts := &Options{ReadFile: func(p string) ([]byte, error) {
		if strings.Contains(p, "cycle") {
			return nil, errors.New("no such file")
		}
		return lib, nil
	}}
	f.Fuzz(func(t *testing.T, src string) {
		res := CompileSource("fuzz.regimen", []byte(src), opts)
		for _, d := range res.Diagnostics {
			if d.Code == "internal" {
				t.Fatalf("compiler panicked: %s", d.Message)
			}
			checkFuzzRange(t, d.Range, res.Sources)
			if d.Related != nil {
				checkFuzzRange(t, d.Related.Range, res.Sources)
			}
			if d.Message == "" || d.Code == "" {
				t.Fatalf("diagnostic without message or code: %+v", d)
			}
		}
		if !res.Diagnostics.HasErrors() && !res.IsLibrary && res.Regimen == nil {
			t.Fatalf("no errors and no model")
		}
	})
}

func checkFuzzRange(t *testing.T, r lang.Range, sources map[string][]byte) {
	t.Helper()
	if !r.IsValid() {
		if r.File == "" {
			t.Fatalf("diagnostic with no file and no position")
		}
		return
	}
	if r.End.Before(r.Start) {
		t.Fatalf("range %v ends before it starts (%v)", r, r.End)
	}
	src, ok := sources[r.File]
	if !ok {
		return
	}
	if r.Start.Offset > len(src) || r.End.Offset > len(src)+1 {
		t.Fatalf("range %v (offsets %d-%d) lies past the end of %s (%d bytes)", r, r.Start.Offset, r.End.Offset, r.File, len(src))
	}
	if got := lang.PosAt(src, r.Start.Offset); got != r.Start {
		t.Fatalf("range start %+v does not match its offset (which is at %+v)", r.Start, got)
	}
}
