package main

// How emit learns the stage, and its flags: --stage, the prompt, standard
// input, unknown stages, bad flags and help.

import (
	"io"
	"strings"
	"testing"
)

func TestEmitPrompt(t *testing.T) {
	srv := newEmitServer(t)
	file := writeTemp(t, "tiny.regimen", emitRegimen(srv.URL+"/good.py", md5Of(emitTestScript)))
	for _, tc := range []struct {
		name, input string
		code        int
		file        string // the parameters file written
		stderr      []string
	}{
		{"number", "2\n", 0, "TRAINING_1_images", []string{"stages of Tiny_v1.0.0:\n  1  TRAINING_0_gratings\n  2  TRAINING_1_images\n", "stage to emit (1-2 or a name): "}},
		{"name", "  TRAINING_0_gratings  \n", 0, "TRAINING_0_gratings", nil},
		{"retry", "7\nTRAINING_1_image\n\nTRAINING_1_images", 0, "TRAINING_1_images", []string{"no stage 7\n", "no stage TRAINING_1_image (did you mean TRAINING_1_images?)\n"}},
		{"end of input", "", 2, "", []string{"no stage chosen"}},
		{"end of input after a wrong answer", "bogus\n", 2, "", []string{"no stage bogus", "no stage chosen"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			et := newEmitTest(t)
			et.stdin = &fakeTerminal{Reader: strings.NewReader(tc.input)}
			et.tty = true
			dir := t.TempDir()
			r := et.run("emit", file, "--out", dir, "--params-only")
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d:\n%s", r.code, tc.code, r.stderr)
			}
			for _, s := range tc.stderr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
			files := filesIn(t, dir)
			if tc.file == "" {
				if len(files) != 0 {
					t.Errorf("wrote %v", files)
				}
				return
			}
			if len(files) != 1 || files[0] != emitStamp+tc.file+".json" {
				t.Errorf("files %v", files)
			}
		})
	}
}

func TestEmitWithoutStage(t *testing.T) {
	et := newEmitTest(t)
	file := writeTemp(t, "tiny.regimen", emitRegimen("s.py", md5Of(emitTestScript)))
	dir := t.TempDir()
	// standard input is not a terminal (a reader that is not one, or a
	// terminal-like value the environment says is not one), and holds no
	// stage name
	for _, stdin := range []io.Reader{strings.NewReader(""), &fakeTerminal{Reader: strings.NewReader("\n")}} {
		et.stdin = stdin
		r := et.run("emit", file, "--out", dir)
		want := "regc emit: no --stage given; the stages of " + file + " are:\n  1  TRAINING_0_gratings\n  2  TRAINING_1_images\n"
		if r.code != 2 || !strings.HasPrefix(r.stderr, want) {
			t.Errorf("exit %d:\n%s\nwant it to start with\n%s", r.code, r.stderr, want)
		}
	}
	if files := filesIn(t, dir); len(files) != 0 {
		t.Errorf("wrote %v", files)
	}
}

func TestEmitUnknownStage(t *testing.T) {
	et := newEmitTest(t)
	file := writeTemp(t, "tiny.regimen", emitRegimen("s.py", md5Of(emitTestScript)))
	dir := t.TempDir()
	for _, tc := range []struct{ stage, want string }{
		{"training_1_images", "has no stage training_1_images (did you mean TRAINING_1_images?)"},
		{"TRAINING_0_grating", "has no stage TRAINING_0_grating (did you mean TRAINING_0_gratings?)"},
		{"OPHYS", "has no stage OPHYS\n"},
	} {
		r := et.run("emit", file, "--stage", tc.stage, "--out", dir)
		if r.code != 1 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("--stage %s: exit %d:\n%s\nwant %q", tc.stage, r.code, r.stderr, tc.want)
		}
	}
	if files := filesIn(t, dir); len(files) != 0 {
		t.Errorf("wrote %v", files)
	}
}

func TestEmitBadFlags(t *testing.T) {
	file := writeTemp(t, "tiny.regimen", emitRegimen("s.py", md5Of(emitTestScript)))
	for _, tc := range []struct {
		name   string
		args   []string
		env    map[string]string
		stderr string
	}{
		{"no file", []string{"--stage", "A"}, nil, "give exactly one regimen file"},
		{"two files", []string{file, file}, nil, "give exactly one regimen file"},
		{"unknown flag", []string{file, "--stgae", "A"}, nil, "unknown flag: --stgae"},
		{"stage without a value", []string{file, "--stage"}, nil, "flag needs an argument"},
		{"empty stage", []string{file, "--stage="}, nil, "--stage needs a stage name"},
		{"empty out", []string{file, "--out="}, nil, "--out needs a folder"},
		{"empty mouse", []string{file, "--mouse="}, nil, "--mouse needs a mouse id"},
		{"out and mouse", []string{file, "--out", "x", "--mouse", "M1"}, nil, "give --out or --mouse, not both"},
		{"mouse-dir alone", []string{file, "--mouse-dir", "/x/{mouse}"}, nil, "--mouse-dir needs --mouse"},
		{"template without {mouse}", []string{file, "--stage", "TRAINING_0_gratings", "--mouse", "M1", "--mouse-dir", "/x"}, nil, "has no {mouse}"},
		{"mouse id with a slash", []string{file, "--stage", "TRAINING_0_gratings", "--mouse", "../M1"}, nil, "cannot be part of a folder name"},
		{"bad color", []string{file, "--color", "pink"}, nil, "--color must be auto, always or never"},
		{"bad timeout", []string{file, "--stage", "TRAINING_0_gratings", "--out", "x"}, map[string]string{"REGC_FETCH_TIMEOUT": "soon"}, "$REGC_FETCH_TIMEOUT must be a duration"},
		{"bool with a value", []string{file, "--offline=maybe"}, nil, "invalid argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			et := newEmitTest(t)
			for k, v := range tc.env {
				et.vars[k] = v
			}
			dir := t.TempDir()
			t.Chdir(dir) // a wrong run must write nothing, here either
			r := et.run(append([]string{"emit"}, tc.args...)...)
			if r.code != 2 || !strings.Contains(r.stderr, tc.stderr) || !strings.Contains(r.stderr, "usage: regc emit") {
				t.Errorf("exit %d, want 2; stderr:\n%s\nwant it to contain %q", r.code, r.stderr, tc.stderr)
			}
			if files := filesIn(t, dir); len(files) != 0 {
				t.Errorf("wrote %v", files)
			}
		})
	}
}

func TestEmitHelp(t *testing.T) {
	r := runRegc(t, "help", "emit")
	for _, want := range []string{"regc emit FILE", "--stage", "--out", "--mouse", "--mouse-dir", "--params-only", "--offline", "--force"} {
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("help emit lacks %q:\n%s", want, r.stdout)
		}
	}
}

// Without --stage, a standard input that is not a terminal gives the
// stage's name on its first line.
func TestEmitStageFromStdin(t *testing.T) {
	et := newEmitTest(t)
	file := writeTemp(t, "tiny.regimen", emitRegimen("s.py", md5Of(emitTestScript)))
	for _, tc := range []struct {
		stdin string
		code  int
		file  string // the parameters file written, or ""
		want  string // in stderr
	}{
		{"TRAINING_1_images\n", 0, "TRAINING_1_images.json", ""},
		{"  TRAINING_0_gratings \r\nTRAINING_1_images\n", 0, "TRAINING_0_gratings.json", ""},
		{"TRAINING_1_images", 0, "TRAINING_1_images.json", ""},
		{"TRAINING_1_image\n", 1, "", "has no stage TRAINING_1_image (did you mean TRAINING_1_images?)"},
		{"2\n", 1, "", "has no stage 2"},
		{"\n", 2, "", "no --stage given"},
	} {
		dir := t.TempDir()
		et.stdin = strings.NewReader(tc.stdin)
		r := et.run("emit", file, "--params-only", "--out", dir)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("stdin %q: exit %d, want %d:\n%s\nwant %q", tc.stdin, r.code, tc.code, r.stderr, tc.want)
			continue
		}
		files := filesIn(t, dir)
		if tc.file == "" && len(files) != 0 || tc.file != "" && (len(files) != 1 || files[0] != emitStamp+tc.file) {
			t.Errorf("stdin %q: files %v, want %q", tc.stdin, files, tc.file)
		}
	}
}
