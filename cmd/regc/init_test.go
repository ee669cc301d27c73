package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// regc init writes a regimen that passes check (without a warning), test
// and fmt --check, and never replaces a file.
func TestInitCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my-new_task")
	r := runRegc(t, "init", dir)
	if r.code != 0 {
		t.Fatalf("init: exit %d %s", r.code, r.stderr)
	}
	main := filepath.Join(dir, "main.regimen")
	src, err := os.ReadFile(main)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), "regimen MyNewTask version 0.1.0\n") || !strings.Contains(string(src), `import "common"`) || !strings.Contains(string(src), "\ntest \"") {
		t.Errorf("main.regimen:\n%s", src)
	}
	if r = runRegc(t, "check", main); r.code != 0 || r.stderr != "" {
		t.Errorf("check: exit %d\n%s", r.code, r.stderr)
	}
	if r = runRegc(t, "test", main); r.code != 0 || !strings.Contains(r.stdout, "1 test: 1 passed, 0 failed") {
		t.Errorf("test: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r = runRegc(t, "fmt", "--check", dir); r.code != 0 {
		t.Errorf("fmt --check: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r = runRegc(t, "build", main); r.code != 0 || !strings.HasPrefix(r.stdout, "name: MyNewTask_v0.1.0\n") {
		t.Errorf("build: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// every declaration has a comment above it
	for _, f := range []string{main, filepath.Join(dir, "common.regimen")} {
		b, _ := os.ReadFile(f)
		lines := strings.Split(string(b), "\n")
		for i, l := range lines {
			for _, kw := range []string{"regimen ", "import ", "criterion ", "schema ", "script ", "params ", "progress ", "test "} {
				if strings.HasPrefix(l, kw) && (i == 0 || !strings.HasPrefix(lines[i-1], "//")) && !(kw == "progress " && strings.HasPrefix(lines[i-1], "progress ")) {
					t.Errorf("%s:%d: %q has no comment above it", f, i+1, l)
				}
			}
		}
	}
	// again: refused, nothing replaced
	os.WriteFile(main, []byte("// mine\n"), 0o644)
	if r = runRegc(t, "init", dir); r.code != 1 || !strings.Contains(r.stderr, "is there already") {
		t.Errorf("init over an init: exit %d %q", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(main); string(b) != "// mine\n" {
		t.Error("init replaced a file")
	}
	// one of the two there: the other is not written either
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "main.regimen"), []byte("// mine\n"), 0o644)
	if r = runRegc(t, "init", other); r.code != 1 {
		t.Errorf("init beside a main.regimen: exit %d", r.code)
	}
	if _, err := os.Stat(filepath.Join(other, "common.regimen")); err == nil {
		t.Error("init wrote common.regimen beside a main.regimen it could not write")
	}
}

func TestInitNames(t *testing.T) {
	for dir, want := range map[string]string{"my-task": "MyTask", "vb_task1a": "VbTask1a", "2024": "NewRegimen", "été": "T", "--": "NewRegimen"} {
		if got := regimenNameFor(filepath.Join("/x", dir)); got != want {
			t.Errorf("%q: %q, want %q", dir, got, want)
		}
	}
	for _, bad := range []string{"1abc", "Task_v1.0.0", "stage", "a-b"} {
		if r := runRegc(t, "init", "--name", bad, t.TempDir()); r.code != 2 || !strings.Contains(r.stderr, "--name") {
			t.Errorf("--name %s: exit %d %q", bad, r.code, r.stderr)
		}
	}
	dir := t.TempDir()
	if r := runRegc(t, "init", "--name", "Pilot", dir); r.code != 0 {
		t.Fatalf("--name Pilot: exit %d %s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "main.regimen")); !strings.Contains(string(b), "regimen Pilot version 0.1.0") {
		t.Errorf("--name Pilot:\n%s", b)
	}
}
