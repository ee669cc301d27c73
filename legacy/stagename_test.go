package legacy

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/internal/corpustest"
	"github.com/regc/regc/lang"
)

func stageNameErrors(res *compiler.Result) []string {
	var out []string
	for _, d := range res.Diagnostics {
		if d.Code == lang.CodeUnsafeStageName {
			out = append(out, d.Message)
		}
	}
	return out
}

// Stage names that cannot be file names on a rig are errors in legacy
// files as in .regimen sources (compiler.TestUnsafeStageNames).
func TestUnsafeLegacyStageNames(t *testing.T) {
	for _, name := range []string{"a:b", "CON", "LPT9.log", "\"a\\x1bb\"", "\"x\\u202ey\""} {
		src := fmt.Sprintf("name: T_v1.0.0\nstages:\n  %s:\n    script: s.py\n    script_md5: null\n    parameters: {a: 1}\ntransitions: []\n", name)
		res := CompileSource("t.yml", []byte(src))
		if errs := stageNameErrors(res); len(errs) != 1 {
			t.Errorf("stage %s in a .yml: %d %s errors, want 1 (%v)", name, len(errs), lang.CodeUnsafeStageName, res.Diagnostics)
		}
	}
}

// No historic regimen.yml has a stage name that is unsafe as a file name.
func TestCorpusStageNamesSafe(t *testing.T) {
	dir := filepath.Join(corpustest.Dir(t, "yaml"), "yaml")
	files, _ := filepath.Glob(filepath.Join(dir, "*.yml"))
	if len(files) == 0 {
		t.Fatalf("no historic regimens in %s", dir)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if errs := stageNameErrors(CompileSource(f, src)); len(errs) > 0 {
			t.Errorf("%s: %v", filepath.Base(f), errs)
		}
	}
}

// Importing a legacy file keeps an unsafe stage name as one of its
// defects (the document stays the same) instead of failing.
func TestImportKeepsUnsafeStageName(t *testing.T) {
	src := "name: T_v1.0.0\nstages:\n  \"a:b\":\n    script: s.py\n    script_md5: null\n    parameters: {stage: \"a:b\"}\ntransitions: []\n"
	out, diags, check := ImportChecked("r.yml", []byte(src))
	if out == nil || check == nil || diags.HasErrors() {
		t.Fatalf("import failed: %v", diags)
	}
	if errs := stageNameErrors(check); len(errs) != 1 {
		t.Errorf("the imported source has %d %s errors, want 1", len(errs), lang.CodeUnsafeStageName)
	}
}
