package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const okRegimen = `regimen Tiny version 1.0.0
criterion done
schema P { reward_volume: volume(mL) }
script s: P { url: "http://example.org/s.py", md5: "0123456789abcdef0123456789abcdef" }
stage A { script: s, params: { reward_volume: 7 uL } }
final stage B { script: s, params: { reward_volume: 2 uL } }
progress A -> B when done
`

const badRegimen = `regimen Tiny version 1.0.0
schema P { reward_volume: volume(mL) }
script s: P { url: "s.py" }
stage A { script: s, params: { reward_volume: 300 ms } }
progress A -> C
`

type runResult struct {
	code           int
	stdout, stderr string
}

func runRegc(t *testing.T, args ...string) runResult {
	t.Helper()
	var out, errs bytes.Buffer
	e := quietEnv(&out)
	e.stderr = &errs
	code := run(e, args)
	return runResult{code, out.String(), errs.String()}
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExitCodes(t *testing.T) {
	good := writeTemp(t, "good.regimen", okRegimen)
	bad := writeTemp(t, "bad.regimen", badRegimen)
	lib := writeTemp(t, "lib.regimen", "criterion x\n")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string // a substring the standard error must hold
	}{
		{"no args", nil, 2, "Usage"},
		{"unknown command", []string{"bulid"}, 2, `did you mean "build"`},
		{"check ok", []string{"check", good}, 0, ""},
		{"check bad", []string{"check", bad}, 1, "unit-mismatch"},
		{"check several", []string{"check", good, bad}, 1, "undefined-stage"},
		{"check no files", []string{"check"}, 2, "no files"},
		{"check missing file", []string{"check", filepath.Join(t.TempDir(), "nope.regimen")}, 1, "cannot read"},
		{"check bad flag", []string{"check", "--frobnicate", good}, 2, "unknown flag"},
		{"check bad format", []string{"check", "--format", "xml", good}, 2, "--format"},
		{"check bad color", []string{"check", "--color", "pink", good}, 2, "--color"},
		{"build ok", []string{"build", good}, 0, ""},
		{"build bad", []string{"build", bad}, 1, "error"},
		{"build library", []string{"build", lib}, 1, "library"},
		{"build two files", []string{"build", good, bad}, 2, "exactly one"},
		{"build bad format", []string{"build", "--format", "toml", good}, 2, "--format"},
		{"version", []string{"version"}, 0, ""},
		{"version extra", []string{"version", "x"}, 2, "usage"},
		{"help", []string{"help"}, 0, ""},
		{"help build", []string{"help", "build"}, 0, ""},
		{"help unknown", []string{"help", "frob"}, 2, "unknown command"},
		{"build --help", []string{"build", "--help"}, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runRegc(t, tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tc.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.stderr) {
				t.Fatalf("stderr lacks %q:\n%s", tc.stderr, r.stderr)
			}
		})
	}
}

func TestCheckJSON(t *testing.T) {
	bad := writeTemp(t, "bad.regimen", badRegimen)
	r := runRegc(t, "check", "--format", "json", bad)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1", r.code)
	}
	var diags []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &diags); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, r.stdout)
	}
	byCode := map[string]map[string]any{}
	for _, d := range diags {
		for _, k := range []string{"code", "severity", "file", "line", "column", "end_line", "end_column", "message"} {
			if _, ok := d[k]; !ok {
				t.Errorf("diagnostic %v lacks %s", d, k)
			}
		}
		byCode[d["code"].(string)] = d
	}
	um := byCode["unit-mismatch"]
	if um == nil || um["line"].(float64) != 4 || um["column"].(float64) != 47 || um["end_column"].(float64) != 53 || um["severity"] != "error" {
		t.Errorf("unit-mismatch: got %v, want line 4, columns 47-53, error", um)
	}
	us := byCode["undefined-stage"]
	if us == nil || us["line"].(float64) != 5 || us["column"].(float64) != 15 {
		t.Errorf("undefined-stage: got %v, want line 5 column 15", us)
	}
	// a clean file prints an empty array, not null
	good := writeTemp(t, "good.regimen", okRegimen)
	if r := runRegc(t, "check", "--format", "json", good); strings.TrimSpace(r.stdout) != "[]" || r.code != 0 {
		t.Errorf("clean file: got %q (exit %d), want []", r.stdout, r.code)
	}
}

func TestBuildOutputAtomic(t *testing.T) {
	good := writeTemp(t, "good.regimen", okRegimen)
	bad := writeTemp(t, "bad.regimen", badRegimen)
	dir := t.TempDir()
	out := filepath.Join(dir, "out.json")
	if r := runRegc(t, "build", "--format", "json", "-o", out, good); r.code != 0 || r.stdout != "" {
		t.Fatalf("build -o: exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
	}
	first, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(first, []byte(`"reward_volume": 0.002`)) {
		t.Fatalf("output lacks the converted volume:\n%s", first)
	}
	// a failed build leaves the previous good output alone, and no temp files
	if r := runRegc(t, "build", "-o", out, bad); r.code != 1 {
		t.Fatalf("bad build: exit %d, want 1", r.code)
	}
	after, _ := os.ReadFile(out)
	if !bytes.Equal(first, after) {
		t.Fatal("a failed build changed the previous output")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("got %d files in the output folder, want 1 (no temporary files left)", len(entries))
	}
	// an output folder that does not exist is an error, not a panic
	if r := runRegc(t, "build", "-o", filepath.Join(dir, "no", "such", "dir", "x.yaml"), good); r.code != 1 || !strings.Contains(r.stderr, "cannot write") {
		t.Fatalf("bad -o: exit %d, stderr %s", r.code, r.stderr)
	}
}

func TestBuildDeterministic(t *testing.T) {
	good := writeTemp(t, "good.regimen", okRegimen)
	for _, format := range []string{"json", "yaml"} {
		a := runRegc(t, "build", "--format", format, good)
		b := runRegc(t, "build", "--format", format, good)
		if a.code != 0 || a.stdout != b.stdout {
			t.Fatalf("%s: two builds differ or failed (exit %d)", format, a.code)
		}
	}
}

func TestColourOnlyOnATerminal(t *testing.T) {
	bad := writeTemp(t, "bad.regimen", badRegimen)
	plain := runRegc(t, "check", bad)
	if strings.Contains(plain.stderr, "\x1b[") {
		t.Errorf("colour codes written to a non-terminal:\n%q", plain.stderr)
	}
	forced := runRegc(t, "check", "--color", "always", bad)
	if !strings.Contains(forced.stderr, "\x1b[") {
		t.Errorf("--color always wrote no colour")
	}
	var out, errs bytes.Buffer
	e := quietEnv(&out)
	e.stderr = &errs
	e.isTerminal = func(io.Writer) bool { return true }
	run(e, []string{"check", bad})
	if !strings.Contains(errs.String(), "\x1b[") {
		t.Errorf("no colour on a terminal")
	}
	e.getenv = func(k string) string {
		if k == "NO_COLOR" {
			return "1"
		}
		return ""
	}
	errs.Reset()
	run(e, []string{"check", bad})
	if strings.Contains(errs.String(), "\x1b[") {
		t.Errorf("colour despite NO_COLOR")
	}
}
