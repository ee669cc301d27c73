package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// warned is a regimen whose only finding is a trap-stage warning on B.
const warned = `regimen Warned version 1.0.0
script s { url: "https://example.org/s.py", md5: "410d697d666405eed63f72e4d3e189bb" }
stage A { script: s, params: { n: 1 } }
stage B { script: s, params: { n: 2 } }
progress A -> B
`

// --deny-warnings makes a warning fail check and build (exit 1, nothing
// written); without it a warning passes.
func TestDenyWarnings(t *testing.T) {
	path := writeTemp(t, "w.regimen", warned)
	if code, _, stderr := invokeRegc("check", path); code != exitOK || !strings.Contains(stderr, "trap-stage") {
		t.Fatalf("check: exit %d, want 0 with a trap-stage warning\n%s", code, stderr)
	}
	if code, _, stderr := invokeRegc("check", "--deny-warnings", path); code != exitFail || !strings.Contains(stderr, "trap-stage") {
		t.Errorf("check --deny-warnings: exit %d, want 1\n%s", code, stderr)
	}
	out := filepath.Join(filepath.Dir(path), "out.yml")
	if code, _, stderr := invokeRegc("build", "--deny-warnings", path, "-o", out); code != exitFail {
		t.Errorf("build --deny-warnings: exit %d, want 1\n%s", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("build --deny-warnings wrote %s despite the warning", out)
	}
	if code, _, stderr := invokeRegc("build", path, "-o", out); code != exitOK {
		t.Errorf("build: exit %d, want 0\n%s", code, stderr)
	}
}

// check --format json gives a diagnostic's related note and suggestion as
// fields of their own.
func TestCheckJSONRelated(t *testing.T) {
	path := writeTemp(t, "r.regimen", "regimen R version 1.0.0\nscript s { url: \"https://example.org/s.py\"\n")
	code, stdout, stderr := invokeRegc("check", "--format", "json", path)
	if code != exitFail {
		t.Fatalf("exit %d, want 1\n%s", code, stderr)
	}
	var ds []struct {
		Message string `json:"message"`
		Related []struct {
			File    string `json:"file"`
			Line    int    `json:"line"`
			Column  int    `json:"column"`
			Message string `json:"message"`
		} `json:"related"`
	}
	if err := json.Unmarshal([]byte(stdout), &ds); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if len(ds) != 1 || len(ds[0].Related) != 1 {
		t.Fatalf("got %+v, want one diagnostic with one related note", ds)
	}
	r := ds[0].Related[0]
	if r.File != path || r.Line != 2 || r.Column != 10 || r.Message != `unclosed "{" opened here` {
		t.Errorf("related %+v, want the opener at %s:2:10", r, path)
	}
}

// regc explain prints a code's help, an example and the fix; an unknown
// code is a usage error with "did you mean".
func TestExplain(t *testing.T) {
	code, stdout, _ := invokeRegc("explain", "trap-stage")
	if code != exitOK || !strings.HasPrefix(stdout, "trap-stage (warning)\n") || !strings.Contains(stdout, "For example:") ||
		!strings.Contains(stdout, "Fix: Write `final stage B`") || !strings.Contains(stdout, "regc:allow trap-stage") {
		t.Errorf("explain trap-stage: exit %d\n%s", code, stdout)
	}
	code, _, stderr := invokeRegc("explain", "trap-stages")
	if code != exitUsage || !strings.Contains(stderr, `no diagnostic code "trap-stages" (did you mean trap-stage?)`) {
		t.Errorf("explain trap-stages: exit %d\n%s", code, stderr)
	}
}

// --stage with a number no stage has suggests no stage of another number:
// 2_gratings is not a typo of 0_gratings.
func TestStageNumberNotSuggested(t *testing.T) {
	path := writeTemp(t, "n.regimen", `regimen N version 1.0.0
script s { url: "https://example.org/s.py", md5: "410d697d666405eed63f72e4d3e189bb" }
stage "0_gratings" { script: s, params: { n: 1 } }
final stage "1_gratings" { script: s, params: { n: 2 } }
progress "0_gratings" -> "1_gratings"
`)
	code, _, stderr := invokeRegc("build", path, "--stage", "2_gratings")
	if code != exitFail || !strings.Contains(stderr, "has no stage 2_gratings\n") {
		t.Errorf("build --stage 2_gratings: exit %d, want 1 without a suggestion\n%s", code, stderr)
	}
	code, _, stderr = invokeRegc("build", path, "--stage", "1_gratngs")
	if code != exitFail || !strings.Contains(stderr, "(did you mean 1_gratings?)") {
		t.Errorf("build --stage 1_gratngs: exit %d, want a suggestion of 1_gratings\n%s", code, stderr)
	}
}
