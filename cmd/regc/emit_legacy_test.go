package main

// emit on legacy regimen.yml files, and the corpus acceptance: the
// parameters files the old tool wrote, byte for byte.

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regc/regc/internal/corpustest"
)

// Acceptance: for every stage of every loadable corpus file without defects,
// `regc emit --params-only` writes the parameters file the old tool wrote,
// byte for byte.
func TestEmitCorpusParams(t *testing.T) {
	corpus := corpustest.Dir(t, filepath.Join("expected", "params.jsonl"))
	f, err := os.Open(filepath.Join(corpus, "expected", "params.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	et := newEmitTest(t)
	type line struct{ File, Stage, JSON string }
	var lines []line
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	skip, nameless := map[string]bool{}, map[string]bool{}
	files := map[string]bool{}
	compared, failed := 0, 0
	for _, l := range lines {
		if _, ok := skip[l.File]; !ok {
			_, e1 := os.Stat(filepath.Join(corpus, "expected", l.File+".defects.json"))
			_, e2 := os.Stat(filepath.Join(corpus, "expected", l.File+".error"))
			skip[l.File] = e1 == nil || e2 == nil
			// a file without a name is an error (missing-field) the
			// corpus does not list: emitted with --force, exit 1
			nameless[l.File] = !skip[l.File] && corpusDefective(t, corpus, l.File)
		}
		if skip[l.File] {
			continue
		}
		files[l.File] = true
		dir := t.TempDir()
		args := []string{"emit", filepath.Join(corpus, "yaml", l.File+".yml"), "--stage", l.Stage, "--params-only", "--out", dir}
		wantCode := exitOK
		if nameless[l.File] {
			args, wantCode = append(args, "--force"), exitFail
		}
		r := et.run(args...)
		compared++
		got, err := os.ReadFile(filepath.Join(dir, emitStamp+l.Stage+".json"))
		if r.code != wantCode || err != nil || string(got) != l.JSON {
			failed++
			if failed <= 10 {
				t.Errorf("%s, stage %s: exit %d, %v\n%s\ngot\n%s\nwant\n%s", l.File, l.Stage, r.code, err, r.stderr, got, l.JSON)
			}
		}
	}
	t.Logf("compared %d parameters files of %d corpus files (%d differ)", compared, len(files), failed)
	if compared == 0 {
		t.Error("no stage was compared")
	}
}

func TestEmitLegacy(t *testing.T) {
	et := newEmitTest(t)
	good := md5Of(emitTestScript)
	src := `name: Legacy_v1.0.0
stages:
  A:
    script: scripts/s.py
    script_md5: ` + good + `
    parameters: {stage: A, reward_volume: 0.007}
  B:
    script: scripts/s.py
    script_md5: 0123456789abcdef0123456789abcdef
    parameters: {stage: B}
  C:
    script: scripts/s.py
    parameters: {stage: C}
transitions:
- {trigger: progress, source: A, dest: B}
- {trigger: progress, source: B, dest: C}
`
	file := writeTemp(t, "regimen.yml", src)
	os.Mkdir(filepath.Join(filepath.Dir(file), "scripts"), 0o755)
	os.WriteFile(filepath.Join(filepath.Dir(file), "scripts", "s.py"), []byte(emitTestScript), 0o644)
	dir := t.TempDir()
	r := et.run("emit", file, "--stage", "A", "--out", dir)
	if r.code != 0 {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	if got := readFile(t, filepath.Join(dir, emitStamp+"A.json")); got != "{\n    \"reward_volume\": 0.007,\n    \"stage\": \"A\"\n}" {
		t.Errorf("parameters %q", got)
	}
	if got := readFile(t, filepath.Join(dir, emitStamp+"A.py")); got != emitTestScript {
		t.Errorf("script %q", got)
	}
	dir = t.TempDir()
	r = et.run("emit", file, "--stage", "B", "--out", dir)
	if r.code != 1 || !strings.Contains(r.stderr, "the stage's script from "+filepath.Join(filepath.Dir(file), "scripts", "s.py")+" has md5 "+good+", but the regimen declares 0123456789abcdef0123456789abcdef") {
		t.Errorf("exit %d:\n%s", r.code, r.stderr)
	}
	if files := filesIn(t, dir); len(files) != 0 {
		t.Errorf("wrote %v", files)
	}
	r = et.run("emit", file, "--stage", "C", "--out", dir)
	if r.code != 0 || !strings.Contains(r.stderr, "warning: stage C gives no script_md5, so") {
		t.Errorf("exit %d:\n%s", r.code, r.stderr)
	}
	// freeze does not edit legacy files
	if r := et.run("freeze", file); r.code != 2 || !strings.Contains(r.stderr, "regc import converts a legacy file") {
		t.Errorf("freeze: exit %d:\n%s", r.code, r.stderr)
	}
}
