package compiler

import (
	"os"
	"path/filepath"
	"testing"
)

// A misspelt import suggests the library beside it, as the import writes
// it, and the names that library declares are not reported undefined.
func TestMisspeltImportSuggestsLibrary(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	lib := "script s { url: \"https://example.org/s.py\", md5: \"410d697d666405eed63f72e4d3e189bb\" }\nparams base { n: 1 }\n"
	if err := os.WriteFile(filepath.Join(dir, "lib", "common.regimen"), []byte(lib), 0o644); err != nil {
		t.Fatal(err)
	}
	main := filepath.Join(dir, "main.regimen")
	src := "regimen M version 1.0.0\nimport \"lib/comon\"\nstage A { script: s, params: base }\n"
	if err := os.WriteFile(main, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res := Compile(main, nil)
	if len(res.Diagnostics) != 1 {
		t.Fatalf("%d diagnostics, want 1: %v", len(res.Diagnostics), res.Diagnostics)
	}
	d := res.Diagnostics[0]
	if d.Code != "invalid-import" || d.Suggestion != `"lib/common"` {
		t.Errorf("got %v (suggestion %q), want invalid-import suggesting \"lib/common\"", d, d.Suggestion)
	}
}
