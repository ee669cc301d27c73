package main

import (
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
