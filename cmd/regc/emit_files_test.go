package main

// Where emit writes: mouse folders, the numbered file names, --force and
// --params-only.

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEmitMouse(t *testing.T) {
	srv := newEmitServer(t)
	file := writeTemp(t, "tiny.regimen", emitRegimen(srv.URL+"/good.py", md5Of(emitTestScript)))
	mice := t.TempDir()
	os.Mkdir(filepath.Join(mice, "M123456"), 0o755)
	want := []string{"adjustment/" + emitStamp + "TRAINING_0_gratings.json", "scriptlog/" + emitStamp + "TRAINING_0_gratings.py"}
	for _, tc := range []struct {
		name string
		env  string   // REGC_MOUSE_DIR
		args []string // beyond the file, stage and mouse
	}{
		{"environment", filepath.Join(mice, "{mouse}"), nil},
		{"flag", "", []string{"--mouse-dir", filepath.Join(mice, "{mouse}")}},
		{"flag over environment", "/nowhere/{mouse}", []string{"--mouse-dir", filepath.Join(mice, "{mouse}")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			et := newEmitTest(t)
			et.vars["REGC_MOUSE_DIR"] = tc.env
			os.RemoveAll(filepath.Join(mice, "M123456", "adjustment"))
			os.RemoveAll(filepath.Join(mice, "M123456", "scriptlog"))
			r := et.run(append([]string{"emit", file, "--stage", "TRAINING_0_gratings", "--mouse", "M123456"}, tc.args...)...)
			if r.code != 0 {
				t.Fatalf("exit %d:\n%s", r.code, r.stderr)
			}
			if got := filesIn(t, filepath.Join(mice, "M123456")); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("files %v, want %v", got, want)
			}
		})
	}
	// a mouse without a folder
	et := newEmitTest(t)
	r := et.run("emit", file, "--stage", "TRAINING_0_gratings", "--mouse", "M999", "--mouse-dir", filepath.Join(mice, "{mouse}"))
	if r.code != 1 || !strings.Contains(r.stderr, "the folder of mouse M999, "+filepath.Join(mice, "M999")+", does not exist") {
		t.Errorf("exit %d:\n%s", r.code, r.stderr)
	}
	// the default template is the old tool's path
	r = et.run("emit", file, "--stage", "TRAINING_0_gratings", "--mouse", "M999")
	if r.code != 1 || !strings.Contains(r.stderr, "/allen/programs/braintv/workgroups/neuralcoding/Behavior/Data/M999") {
		t.Errorf("exit %d:\n%s", r.code, r.stderr)
	}
}

func TestEmitForce(t *testing.T) {
	et := newEmitTest(t)
	// the transition names a stage that does not exist: an error
	src := emitRegimen("s.py", md5Of(emitTestScript)) + "progress TRAINING_1_images -> TRAINING_2\n"
	file := writeTemp(t, "bad.regimen", src)
	dir := t.TempDir()
	r := et.run("emit", file, "--stage", "TRAINING_1_images", "--params-only", "--out", dir)
	if r.code != 1 || !strings.Contains(r.stderr, "[undefined-stage]") || !strings.Contains(r.stderr, "has errors, so nothing was written (--force emits anyway)") {
		t.Errorf("exit %d:\n%s", r.code, r.stderr)
	}
	if files := filesIn(t, dir); len(files) != 0 {
		t.Fatalf("a refused emit wrote %v", files)
	}
	r = et.run("emit", file, "--stage", "TRAINING_1_images", "--params-only", "--out", dir, "--force")
	// written, and exit 1 as build --force (the errors still count)
	if r.code != 1 || !strings.Contains(r.stderr, "[undefined-stage]") {
		t.Errorf("--force: exit %d:\n%s", r.code, r.stderr)
	}
	if got := readFile(t, filepath.Join(dir, emitStamp+"TRAINING_1_images.json")); got != emitParams1 {
		t.Errorf("parameters %q", got)
	}
	// a file that does not parse has nothing to force
	broken := writeTemp(t, "broken.regimen", "regimen {\n")
	if r := et.run("emit", broken, "--stage", "A", "--force", "--out", dir); r.code != 1 {
		t.Errorf("exit %d:\n%s", r.code, r.stderr)
	}
	// nor a library
	lib := writeTemp(t, "lib.regimen", "criterion x\n")
	if r := et.run("emit", lib, "--stage", "A", "--out", dir); r.code != 1 || !strings.Contains(r.stderr, "is a library") {
		t.Errorf("exit %d:\n%s", r.code, r.stderr)
	}
}

// Two emits of one stage in the same second write two pairs of files: the
// second's names carry -2 after the time (-3 for a third, ...), and neither
// replaces the other's.
func TestEmitSameSecond(t *testing.T) {
	srv := newEmitServer(t)
	et := newEmitTest(t)
	file := writeTemp(t, "tiny.regimen", emitRegimen(srv.URL+"/good.py", md5Of(emitTestScript)))
	dir := t.TempDir()
	stamp := strings.TrimSuffix(emitStamp, "_")
	for i, suffix := range []string{"", "-2", "-3"} {
		r := et.run("emit", file, "--stage", "TRAINING_0_gratings", "--out", dir)
		if r.code != 0 {
			t.Fatalf("emit %d: exit %d:\n%s", i+1, r.code, r.stderr)
		}
		base := filepath.Join(dir, stamp+suffix+"_TRAINING_0_gratings")
		if want := "wrote " + base + ".py\nwrote " + base + ".json\n"; r.stdout != want {
			t.Errorf("emit %d: stdout %q, want %q", i+1, r.stdout, want)
		}
		if suffix != "" && !strings.Contains(r.stderr, "numbered "+suffix) {
			t.Errorf("emit %d: stderr does not say the files are numbered:\n%s", i+1, r.stderr)
		}
	}
	if files := filesIn(t, dir); len(files) != 6 {
		t.Errorf("files %v, want 3 pairs", files)
	}
	// a pair stays a pair: one file of a name taken moves both on
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, emitStamp+"TRAINING_1_images.json"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := et.run("emit", file, "--stage", "TRAINING_1_images", "--out", other)
	if r.code != 0 {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	want := []string{stamp + "-2_TRAINING_1_images.json", stamp + "-2_TRAINING_1_images.py", emitStamp + "TRAINING_1_images.json"}
	if got := filesIn(t, other); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("files %v, want %v", got, want)
	}
	if got := readFile(t, filepath.Join(other, emitStamp+"TRAINING_1_images.json")); got != "mine" {
		t.Errorf("the existing file was replaced: %q", got)
	}
}

// Emits running at once in the same second each get their own files.
func TestEmitSameSecondConcurrent(t *testing.T) {
	et := newEmitTest(t)
	file := writeTemp(t, "tiny.regimen", emitRegimen("s.py", md5Of(emitTestScript)))
	dir := t.TempDir()
	const n = 8
	results := make(chan runResult, n)
	for i := 0; i < n; i++ {
		go func() {
			var out, errs bytes.Buffer
			e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errs,
				getenv:     func(k string) string { return et.vars[k] },
				isTerminal: func(io.Writer) bool { return false }}
			code := run(e, []string{"emit", file, "--stage", "TRAINING_1_images", "--params-only", "--out", dir})
			results <- runResult{code, out.String(), errs.String()}
		}()
	}
	for i := 0; i < n; i++ {
		if r := <-results; r.code != 0 {
			t.Errorf("exit %d:\n%s", r.code, r.stderr)
		}
	}
	files := filesIn(t, dir)
	if len(files) != n {
		t.Fatalf("%d emits wrote %d files: %v", n, len(files), files)
	}
	for _, f := range files {
		if got := readFile(t, filepath.Join(dir, f)); got != emitParams1 {
			t.Errorf("%s holds %q", f, got)
		}
	}
}

func TestEmitParamsOnly(t *testing.T) {
	srv := newEmitServer(t)
	et := newEmitTest(t)
	// the script is unreachable: --params-only does not fetch it
	file := writeTemp(t, "tiny.regimen", emitRegimen(srv.URL+"/missing.py", md5Of(emitTestScript)))
	dir := filepath.Join(t.TempDir(), "new", "folder")
	r := et.run("emit", file, "--stage", "TRAINING_1_images", "--params-only", "--out", dir)
	if r.code != 0 {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	if n := srv.hits.Load(); n != 0 {
		t.Errorf("--params-only made %d requests", n)
	}
	if files := filesIn(t, dir); len(files) != 1 || files[0] != emitStamp+"TRAINING_1_images.json" {
		t.Fatalf("files %v", files)
	}
	if got := readFile(t, filepath.Join(dir, emitStamp+"TRAINING_1_images.json")); got != emitParams1 {
		t.Errorf("parameters %q", got)
	}
}
