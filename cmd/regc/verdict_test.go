package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// checkVerdict runs regc check --format json on path and returns its exit
// code and "severity code" of each diagnostic, sorted.
func checkVerdict(t *testing.T, path string) (int, []string) {
	t.Helper()
	code, stdout, stderr := invokeRegc("check", "--format", "json", path)
	var diags []jsonDiagnostic
	if err := json.Unmarshal([]byte(stdout), &diags); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, stderr)
	}
	var out []string
	for _, d := range diags {
		out = append(out, d.Severity+" "+d.Code)
	}
	sort.Strings(out)
	return code, out
}

// A defect of a regimen.yml gets one verdict whether the YAML is checked or
// its imported source is: the same code, the same severity, the same exit.
func TestOneVerdictPerDefect(t *testing.T) {
	const head = "name: Verdict_v1.0.0\nstages:\n"
	const tail = "transitions:\n- {trigger: progress, source: A, dest: B}\n"
	for _, tc := range []struct {
		name, stages, want string
	}{
		{"a key twice in a stage's parameters",
			"  A: {script: \"http://example.org/a.py\", parameters: {stage: A, x: 1, x: 2}}\n  B: {script: \"http://example.org/a.py\", parameters: {stage: B}}\n",
			"error duplicate-key"},
		{"a stage twice",
			"  A: {script: \"http://example.org/a.py\", parameters: {stage: A}}\n  B: {script: \"http://example.org/a.py\", parameters: {stage: B}}\n  A: {script: \"http://example.org/b.py\", parameters: {stage: A}}\n",
			"error duplicate-stage"},
		{`keys "1" and 1`,
			"  A: {script: \"http://example.org/a.py\", parameters: {stage: A, \"1\": x, 1: y}}\n  B: {script: \"http://example.org/a.py\", parameters: {stage: B}}\n",
			"error duplicate-key"},
		{"keys 1 and true",
			"  A: {script: \"http://example.org/a.py\", parameters: {stage: A, 1: x, true: y}}\n  B: {script: \"http://example.org/a.py\", parameters: {stage: B}}\n",
			"error duplicate-key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			yml := filepath.Join(dir, "v.yml")
			if err := os.WriteFile(yml, []byte(head+tc.stages+tail), 0o644); err != nil {
				t.Fatal(err)
			}
			src := filepath.Join(dir, "v.regimen")
			if code, _, stderr := invokeRegc("import", yml, "-o", src); code != exitOK {
				t.Fatalf("import: exit %d\n%s", code, stderr)
			}
			ycode, ydiags := checkVerdict(t, yml)
			scode, sdiags := checkVerdict(t, src)
			if ycode != exitFail || scode != exitFail {
				t.Errorf("check exits %d on the yml and %d on the source, want 1 on both", ycode, scode)
			}
			if strings.Join(ydiags, ", ") != tc.want || strings.Join(sdiags, ", ") != tc.want {
				t.Errorf("the yml gets [%s], its source [%s]; want [%s] on both", strings.Join(ydiags, ", "), strings.Join(sdiags, ", "), tc.want)
			}
		})
	}
}

// build --force and emit --force write what was asked despite errors and
// both exit 1: the errors still count.
func TestForceExitStatus(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "broken.regimen")
	if err := os.WriteFile(src, []byte(`regimen Broken version 1.0.0
script s { url: "http://example.org/a.py" }
stage A { script: s, params: { stage: "B" } }
`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := invokeRegc("build", "--force", "--format", "json", src)
	if code != exitFail || !strings.Contains(stdout, `"A"`) {
		t.Errorf("build --force: exit %d, output %q; want exit 1 and the document", code, stdout)
	}
	out := filepath.Join(dir, "out")
	code, stdout, stderr := invokeRegc("emit", "--force", "--params-only", "--stage", "A", "--out", out, src)
	files, _ := filepath.Glob(filepath.Join(out, "*_A.json"))
	if code != exitFail || len(files) != 1 {
		t.Errorf("emit --force: exit %d, files %v; want exit 1 and the parameters file\n%s%s", code, files, stdout, stderr)
	}
}

// check warns about a script url no rig can fetch, in a .yml and in source,
// and still exits 0.
func TestCheckWarnsLocalScriptURL(t *testing.T) {
	dir := t.TempDir()
	yml := filepath.Join(dir, "local.yml")
	if err := os.WriteFile(yml, []byte("name: Local_v1.0.0\nstages:\n  A: {script: scripts/a.py, parameters: {stage: A}}\n  B: {script: scripts/a.py, parameters: {stage: B}}\ntransitions:\n- {trigger: progress, source: A, dest: B}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "local.regimen")
	if code, _, stderr := invokeRegc("import", yml, "-o", src); code != exitOK {
		t.Fatalf("import: exit %d\n%s", code, stderr)
	}
	for _, f := range []string{yml, src} {
		code, diags := checkVerdict(t, f)
		if code != exitOK || strings.Join(diags, ", ") != "warning script-url-not-http" {
			t.Errorf("%s: exit %d, %v; want exit 0 and one script-url-not-http warning", f, code, diags)
		}
	}
}
