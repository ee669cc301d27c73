package main

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/regc/regc/internal/corpustest"
)

// The clock the emit tests run at, and the file names it gives.
var emitTestTime = time.Date(2024, 1, 31, 9, 3, 7, 0, time.Local)

const emitStamp = "240131090307_"

const emitTestScript = "# camstim script\nimport camstim\n"

func md5Of(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// emitServer serves scripts on 127.0.0.1: /good.py, /missing.py (404),
// /hang.py (never answers), /slow.py (/good.py after a second), /moved.py
// (a redirect to /good.py) and /big.py (one byte over the default size
// limit). It counts requests.
type emitServer struct {
	*httptest.Server
	hits atomic.Int64
}

func newEmitServer(t *testing.T) *emitServer {
	t.Helper()
	s := &emitServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		switch r.URL.Path {
		case "/good.py":
			io.WriteString(w, emitTestScript)
		case "/hang.py":
			<-r.Context().Done()
		case "/slow.py": // a slow link, or a loaded machine
			time.Sleep(time.Second)
			io.WriteString(w, emitTestScript)
		case "/moved.py":
			http.Redirect(w, r, "/good.py", http.StatusMovedPermanently)
		case "/big.py":
			w.(http.Flusher).Flush()
			w.Write(bytes.Repeat([]byte("#"), 16<<20+1))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// emitRegimen is a regimen whose script is at url with the given md5.
func emitRegimen(url, sum string) string {
	md5Line := ""
	if sum != "" {
		md5Line = fmt.Sprintf("\n    md5: %q", sum)
	}
	return fmt.Sprintf(`regimen Tiny version 1.0.0
criterion done
script s {
    url: %q%s
}
stage TRAINING_0_gratings { script: s, params: { reward_volume: 0.007, periodic_flash: [0.25, 0.5], label: "café" } }
final stage TRAINING_1_images { script: s, params: { reward_volume: 1e-05, max_task_duration_min: 60.0 } }
progress TRAINING_0_gratings -> TRAINING_1_images when done
`, url, md5Line)
}

const emitParams0 = `{
    "label": "caf\u00e9",
    "periodic_flash": [
        0.25,
        0.5
    ],
    "reward_volume": 0.007,
    "stage": "TRAINING_0_gratings"
}`

const emitParams1 = `{
    "max_task_duration_min": 60.0,
    "reward_volume": 1e-05,
    "stage": "TRAINING_1_images"
}`

// emitTest is one emit run's setting: a clock fixed at emitTestTime, a
// fresh script cache, a download time limit no loaded machine comes near
// (a test of a server that never answers sets a short one), and what the
// test adds.
type emitTest struct {
	t     *testing.T
	vars  map[string]string
	stdin io.Reader
	tty   bool // stdin is a terminal
}

func newEmitTest(t *testing.T) *emitTest {
	t.Helper()
	old := emitNow
	emitNow = func() time.Time { return emitTestTime }
	t.Cleanup(func() { emitNow = old })
	return &emitTest{t: t, vars: map[string]string{
		"REGC_CACHE_DIR":     t.TempDir(),
		"REGC_FETCH_TIMEOUT": "1m",
	}, stdin: strings.NewReader("")}
}

// fakeTerminal is a terminal the tests type into: what it reads is the
// user's input; it is a Writer so that env.isTerminal can be asked about it.
type fakeTerminal struct {
	io.Reader
	bytes.Buffer
}

func (ft *fakeTerminal) Read(p []byte) (int, error) { return ft.Reader.Read(p) }

func (et *emitTest) run(args ...string) runResult {
	et.t.Helper()
	var out, errs bytes.Buffer
	e := &env{
		stdin:  et.stdin,
		stdout: &out,
		stderr: &errs,
		getenv: func(k string) string { return et.vars[k] },
		isTerminal: func(w io.Writer) bool {
			_, ok := w.(*fakeTerminal)
			return ok && et.tty
		},
	}
	code := run(e, args)
	return runResult{code, out.String(), errs.String()}
}

// filesIn lists the files under dir, relative to it, sorted.
func filesIn(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestEmitScripts(t *testing.T) {
	srv := newEmitServer(t)
	good := md5Of(emitTestScript)
	bigSum := md5Of(strings.Repeat("#", 16<<20+1))
	for _, tc := range []struct {
		name, path, md5 string
		code            int
		stderr          string // a substring of the standard error
	}{
		{"good", "/good.py", good, 0, ""},
		{"redirect", "/moved.py", good, 0, ""},
		{"wrong md5", "/good.py", "0123456789abcdef0123456789abcdef", 1, "has md5 " + good + ", but the regimen declares 0123456789abcdef0123456789abcdef"},
		{"404", "/missing.py", good, 1, "cannot fetch " + srv.URL + "/missing.py: the server answered 404 Not Found"},
		{"hang", "/hang.py", good, 1, "cannot fetch " + srv.URL + "/hang.py: no answer within 300ms"},
		{"oversized", "/big.py", bigSum, 1, "larger than the limit of 16777216 bytes"},
		{"no md5", "/good.py", "", 0, "warning: script s declares no md5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			et := newEmitTest(t)
			if tc.path == "/hang.py" {
				et.vars["REGC_FETCH_TIMEOUT"] = "300ms"
			}
			dir := t.TempDir()
			file := writeTemp(t, "tiny.regimen", emitRegimen(srv.URL+tc.path, tc.md5))
			r := et.run("emit", file, "--stage", "TRAINING_0_gratings", "--out", dir)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.stderr) {
				t.Fatalf("exit %d, want %d; stderr:\n%s\nwant it to contain %q", r.code, tc.code, r.stderr, tc.stderr)
			}
			files := filesIn(t, dir)
			if tc.code != 0 {
				if len(files) != 0 {
					t.Errorf("a failed emit wrote %v", files)
				}
				if !strings.Contains(r.stderr, "nothing was written") {
					t.Errorf("stderr does not say nothing was written:\n%s", r.stderr)
				}
				return
			}
			want := []string{emitStamp + "TRAINING_0_gratings.json", emitStamp + "TRAINING_0_gratings.py"}
			if strings.Join(files, " ") != strings.Join(want, " ") {
				t.Fatalf("files %v, want %v", files, want)
			}
			if got := readFile(t, filepath.Join(dir, want[1])); got != emitTestScript {
				t.Errorf("script %q", got)
			}
			if got := readFile(t, filepath.Join(dir, want[0])); got != emitParams0 {
				t.Errorf("parameters\n%s\nwant\n%s", got, emitParams0)
			}
			wantOut := "wrote " + filepath.Join(dir, want[1]) + "\nwrote " + filepath.Join(dir, want[0]) + "\n"
			if r.stdout != wantOut {
				t.Errorf("stdout %q, want %q", r.stdout, wantOut)
			}
		})
	}
}

func TestEmitOffline(t *testing.T) {
	srv := newEmitServer(t)
	et := newEmitTest(t)
	file := writeTemp(t, "tiny.regimen", emitRegimen(srv.URL+"/good.py", md5Of(emitTestScript)))

	// nothing cached: refused without a request
	dir := t.TempDir()
	r := et.run("emit", file, "--stage", "TRAINING_1_images", "--out", dir, "--offline")
	if r.code != 1 || !strings.Contains(r.stderr, "is not in the cache") || !strings.Contains(r.stderr, "without --offline") {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	if n := srv.hits.Load(); n != 0 {
		t.Errorf("--offline made %d requests", n)
	}
	if files := filesIn(t, dir); len(files) != 0 {
		t.Errorf("wrote %v", files)
	}

	// one online emit caches the script ...
	if r := et.run("emit", file, "--stage", "TRAINING_1_images", "--out", dir); r.code != 0 {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	cached := filepath.Join(et.vars["REGC_CACHE_DIR"], "scripts", md5Of(emitTestScript)+".py")
	if got := readFile(t, cached); got != emitTestScript {
		t.Fatalf("cache holds %q", got)
	}
	// ... so that an offline one works with the server gone
	srv.Close()
	dir = t.TempDir()
	r = et.run("emit", file, "--stage", "TRAINING_1_images", "--out", dir, "--offline")
	if r.code != 0 {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	if got := readFile(t, filepath.Join(dir, emitStamp+"TRAINING_1_images.py")); got != emitTestScript {
		t.Errorf("script %q", got)
	}
	if got := readFile(t, filepath.Join(dir, emitStamp+"TRAINING_1_images.json")); got != emitParams1 {
		t.Errorf("parameters %q", got)
	}
}

func TestEmitLocalScript(t *testing.T) {
	et := newEmitTest(t)
	file := writeTemp(t, "tiny.regimen", emitRegimen("scripts/s.py", md5Of(emitTestScript)))
	os.Mkdir(filepath.Join(filepath.Dir(file), "scripts"), 0o755)
	os.WriteFile(filepath.Join(filepath.Dir(file), "scripts", "s.py"), []byte(emitTestScript), 0o644)
	dir := t.TempDir()
	if r := et.run("emit", file, "--stage", "TRAINING_0_gratings", "--out", dir, "--offline"); r.code != 0 {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	if got := readFile(t, filepath.Join(dir, emitStamp+"TRAINING_0_gratings.py")); got != emitTestScript {
		t.Errorf("script %q", got)
	}
}

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

func TestCheckVerifyScripts(t *testing.T) {
	srv := newEmitServer(t)
	et := newEmitTest(t)
	good := md5Of(emitTestScript)
	src := fmt.Sprintf(`regimen T version 1.0.0
script ok { url: %q, md5: %q }
script wrong { url: %q, md5: "0123456789abcdef0123456789abcdef" }
script gone { url: %q, md5: %q }
stage A { script: ok, params: {} }
stage B { script: wrong, params: {} }
final stage C { script: gone, params: {} }
progress A -> B
progress B -> C
`, srv.URL+"/good.py", good, srv.URL+"/moved.py", srv.URL+"/missing.py", good)
	file := writeTemp(t, "t.regimen", src)
	if r := et.run("check", file); r.code != 0 || srv.hits.Load() != 0 {
		t.Fatalf("check without --verify-scripts: exit %d, %d requests:\n%s", r.code, srv.hits.Load(), r.stderr)
	}
	r := et.run("check", "--verify-scripts", "--format", "json", file)
	if r.code != 1 {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	var ds []jsonDiagnostic
	if err := json.Unmarshal([]byte(r.stdout), &ds); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range ds {
		got = append(got, fmt.Sprintf("%d:%d %s %s", d.Line, d.Column, d.Severity, d.Code))
	}
	want := []string{
		fmt.Sprintf("3:%d error script-md5", strings.Index(strings.Split(src, "\n")[2], `"0123`)+1),
		fmt.Sprintf("4:%d error script-unreachable", strings.Index(strings.Split(src, "\n")[3], `"http`)+1),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), r.stdout)
	}
	if len(ds) == 2 && (!strings.Contains(ds[0].Message, good) || !strings.Contains(ds[1].Message, "404")) {
		t.Errorf("messages: %q, %q", ds[0].Message, ds[1].Message)
	}
	// text output points at the declarations
	r = et.run("check", "--verify-scripts", file)
	if r.code != 1 || !strings.Contains(r.stderr, file+":3:") || !strings.Contains(r.stderr, "2 errors") {
		t.Errorf("exit %d:\n%s", r.code, r.stderr)
	}
}

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

// A download that takes a second succeeds in the tests' setting: only the
// test of a server that never answers shortens the time limit.
func TestEmitSlowDownload(t *testing.T) {
	srv := newEmitServer(t)
	et := newEmitTest(t)
	file := writeTemp(t, "tiny.regimen", emitRegimen(srv.URL+"/slow.py", md5Of(emitTestScript)))
	dir := t.TempDir()
	r := et.run("emit", file, "--stage", "TRAINING_0_gratings", "--out", dir)
	if r.code != 0 {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	if got := readFile(t, filepath.Join(dir, emitStamp+"TRAINING_0_gratings.py")); got != emitTestScript {
		t.Errorf("script %q", got)
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
