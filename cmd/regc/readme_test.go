package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The language tour in README.md must compile: the README is what a new user
// copies from.
func TestReadmeTourCompiles(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	i := strings.Index(s, "// task.regimen")
	if i < 0 {
		t.Fatal("README.md has no tour starting with `// task.regimen`")
	}
	j := strings.Index(s[i:], "```")
	if j < 0 {
		t.Fatal("the tour's code block does not end")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "task.regimen"), []byte(s[i:i+j]), 0o644); err != nil {
		t.Fatal(err)
	}
	// the tour imports a library; an empty one stands in for it
	if err := os.WriteFile(filepath.Join(dir, "common.regimen"), []byte("// a library\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	e := quietEnv(&out)
	e.stderr = &errs
	if code := run(e, []string{"build", "--format", "json", filepath.Join(dir, "task.regimen")}); code != 0 {
		t.Fatalf("exit %d:\n%s", code, errs.String())
	}
	for _, want := range []string{`"reward_volume": 0.007`, `"name": "VisualBehavior_Task1A_v1.2.0"`, `"max_task_duration_min": 15.0`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the tour's document lacks %s", want)
		}
	}
}
