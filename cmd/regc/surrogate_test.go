package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A surrogate-pair escape in a double-quoted YAML string is the character
// it spells, as PyYAML and json.dump kept it: build, emit's parameters file
// and import + build all write "\ud83d\ude00", never "\ufffd\ufffd".
func TestLegacySurrogatePairEscape(t *testing.T) {
	dir := t.TempDir()
	yml := filepath.Join(dir, "smile.yml")
	if err := os.WriteFile(yml, []byte(`name: Smile_v1.0.0
stages:
  A:
    script: http://example.org/a.py
    parameters: {stage: A, face: "\ud83d\ude00", "\U0001F600": 1}
transitions: []
`), 0o644); err != nil {
		t.Fatal(err)
	}
	const want = `"\ud83d\ude00"`
	check := func(what, text string) {
		t.Helper()
		if strings.Count(text, want) != 2 || strings.Contains(text, `\ufffd`) {
			t.Errorf("%s: want %s as the value and the key, got\n%s", what, want, text)
		}
	}
	_, stdout, stderr := invokeRegc("build", "--format", "json", yml)
	check("build", stdout+stderr)
	out := filepath.Join(dir, "out")
	if code, _, stderr := invokeRegc("emit", "--params-only", "--stage", "A", "--out", out, yml); code != exitOK {
		t.Fatalf("emit: exit %d\n%s", code, stderr)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*_A.json"))
	if len(files) != 1 {
		t.Fatalf("emit wrote %v", files)
	}
	params, _ := os.ReadFile(files[0])
	check("emit", string(params))
	src := filepath.Join(dir, "smile.regimen")
	if code, _, stderr := invokeRegc("import", yml, "-o", src); code != exitOK {
		t.Fatalf("import: exit %d\n%s", code, stderr)
	}
	_, stdout, stderr = invokeRegc("build", "--format", "json", src)
	check("import + build", stdout+stderr)
}
