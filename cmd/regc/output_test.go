package main

import (
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// A named pipe given to -o is written through, and stays a pipe (it used to
// be replaced by a regular file, as /dev/null would have been).
func TestBuildOutputNamedPipe(t *testing.T) {
	good := writeTemp(t, "good.regimen", okRegimen)
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if res := runRegc(t, "build", "--format", "json", "-o", fifo, good); res.code != 0 {
		t.Fatalf("build -o fifo: exit %d, stderr %s", res.code, res.stderr)
	}
	if st, _ := os.Lstat(fifo); st.Mode()&fs.ModeNamedPipe == 0 {
		t.Fatalf("-o replaced the named pipe with %v", st.Mode())
	}
	buf := make([]byte, 4096)
	n, _ := r.Read(buf)
	if !strings.Contains(string(buf[:n]), `"name": "Tiny_v1.0.0"`) {
		t.Errorf("the pipe's reader got %q", buf[:n])
	}
}

func TestBuildOutputDevNull(t *testing.T) {
	good := writeTemp(t, "good.regimen", okRegimen)
	if res := runRegc(t, "build", "-o", os.DevNull, good); res.code != 0 {
		t.Fatalf("build -o %s: exit %d, stderr %s", os.DevNull, res.code, res.stderr)
	}
	if st, err := os.Lstat(os.DevNull); err != nil || st.Mode()&fs.ModeCharDevice == 0 {
		t.Fatalf("%s is no longer a character device: %v %v", os.DevNull, st.Mode(), err)
	}
}

func TestBuildOutputDirectory(t *testing.T) {
	good := writeTemp(t, "good.regimen", okRegimen)
	dir := t.TempDir()
	res := runRegc(t, "build", "-o", dir, good)
	if res.code != 1 || !strings.Contains(res.stderr, "is a directory") || strings.Contains(res.stderr, "file exists") {
		t.Fatalf("build -o DIR: exit %d, stderr %q; want 1 and \"is a directory\"", res.code, res.stderr)
	}
}

// -o naming the input, or a file it imports, or either through a link, is
// refused and changes nothing.
func TestOutputIsInputRefused(t *testing.T) {
	dir := t.TempDir()
	lib := filepath.Join(dir, "lib.regimen")
	os.WriteFile(lib, []byte("criterion done\n"), 0o644)
	main := filepath.Join(dir, "main.regimen")
	mainText := "import \"lib\"\n" + strings.Replace(okRegimen, "criterion done\n", "", 1)
	os.WriteFile(main, []byte(mainText), 0o644)
	link := filepath.Join(dir, "link.regimen")
	os.Symlink("main.regimen", link)
	for _, out := range []string{main, lib, link} {
		res := runRegc(t, "build", "-o", out, main)
		if res.code != exitUsage || !strings.Contains(res.stderr, "is an input") {
			t.Errorf("build -o %s: exit %d, stderr %q; want 2 and \"is an input\"", filepath.Base(out), res.code, res.stderr)
		}
	}
	if got := readFile(t, main); got != mainText {
		t.Errorf("main.regimen was changed:\n%s", got)
	}
	if got := readFile(t, lib); got != "criterion done\n" {
		t.Errorf("lib.regimen was changed:\n%s", got)
	}
	yml := filepath.Join(dir, "r.yml")
	legacy := "name: T_v1.0.0\nstages:\n  A:\n    script: s.py\n    script_md5: null\n    parameters: {stage: A}\ntransitions: []\n"
	os.WriteFile(yml, []byte(legacy), 0o644)
	res := runRegc(t, "import", yml, "-o", yml)
	if res.code != exitUsage || !strings.Contains(res.stderr, "is an input") {
		t.Errorf("import -o its input: exit %d, stderr %q", res.code, res.stderr)
	}
	if got := readFile(t, yml); got != legacy {
		t.Errorf("r.yml was changed:\n%s", got)
	}
}

// -o through a symbolic link writes the link's target; the link stays.
func TestBuildOutputSymlink(t *testing.T) {
	good := writeTemp(t, "good.regimen", okRegimen)
	dir := t.TempDir()
	target := filepath.Join(dir, "real.yaml")
	os.WriteFile(target, []byte("old\n"), 0o644)
	link := filepath.Join(dir, "out.yaml")
	os.Symlink("real.yaml", link)
	if res := runRegc(t, "build", "-o", link, good); res.code != 0 {
		t.Fatalf("exit %d, stderr %s", res.code, res.stderr)
	}
	if st, _ := os.Lstat(link); st.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the link was replaced by %v", st.Mode())
	}
	if got := readFile(t, target); !strings.HasPrefix(got, "name: Tiny_v1.0.0") {
		t.Errorf("the link's target holds %q", got)
	}
}

// freeze of a source given through a link pins the link's target.
func TestFreezeSymlinkedSource(t *testing.T) {
	srv := newEmitServer(t)
	et := newEmitTest(t)
	dir := t.TempDir()
	real := filepath.Join(dir, "real.regimen")
	os.WriteFile(real, []byte(emitRegimen(srv.URL+"/good.py", "")), 0o644)
	link := filepath.Join(dir, "link.regimen")
	os.Symlink("real.regimen", link)
	if res := et.run("freeze", link); res.code != 0 {
		t.Fatalf("exit %d, stderr %s", res.code, res.stderr)
	}
	if st, _ := os.Lstat(link); st.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the link was replaced by %v", st.Mode())
	}
	if got := readFile(t, real); !strings.Contains(got, `md5: "`+md5Of(emitTestScript)+`"`) {
		t.Errorf("the link's target was not pinned:\n%s", got)
	}
}

// swapTransport runs swap once, before the first download is sent.
type swapTransport struct {
	once sync.Once
	swap func()
	next http.RoundTripper
}

func (s *swapTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	s.once.Do(s.swap)
	return s.next.RoundTrip(r)
}

// freeze writes every file or none: when one of them cannot be written
// (here: it turned into a folder while the scripts were fetched), the
// other is left as it was, whichever of the two it is.
func TestFreezeAllOrNothing(t *testing.T) {
	srv := newEmitServer(t)
	et := newEmitTest(t)
	dir := t.TempDir()
	lib := filepath.Join(dir, "lib.regimen")
	libText := "script t { url: \"" + srv.URL + "/good.py\" }\n"
	os.WriteFile(lib, []byte(libText), 0o644)
	main := filepath.Join(dir, "main.regimen")
	mainText := "import \"lib\"\n" + emitRegimen(srv.URL+"/good.py", "") +
		"stage C { script: t, params: {} }\nprogress TRAINING_1_images -> C when done\n"
	os.WriteFile(main, []byte(mainText), 0o644)
	for _, broken := range []string{main, lib} {
		os.WriteFile(main, []byte(mainText), 0o644)
		os.RemoveAll(lib)
		os.WriteFile(lib, []byte(libText), 0o644)
		old := fetchTransport
		fetchTransport = &swapTransport{swap: func() {
			if broken == lib {
				os.Remove(lib)
				os.Mkdir(lib, 0o755)
			}
		}, next: http.DefaultTransport}
		if broken == main {
			fetchTransport = &swapTransport{swap: func() {
				os.Rename(main, main+".bak")
				os.Mkdir(main, 0o755)
			}, next: http.DefaultTransport}
		}
		res := et.run("freeze", main)
		fetchTransport = old
		if res.code != 1 || !strings.Contains(res.stderr, "nothing was changed") {
			t.Errorf("%s broken: exit %d, stderr %q; want 1 and \"nothing was changed\"", filepath.Base(broken), res.code, res.stderr)
		}
		if broken == main {
			os.Remove(main)
			os.Rename(main+".bak", main)
			if st, err := os.Stat(lib); err == nil && !st.IsDir() {
				if got := readFile(t, lib); got != libText {
					t.Errorf("main.regimen could not be written, yet lib.regimen was:\n%s", got)
				}
			}
		} else if got := readFile(t, main); got != mainText {
			t.Errorf("lib.regimen could not be written, yet main.regimen was:\n%s", got)
		}
	}
}

// emit creates the folders it writes into only when it writes: a failed
// emit leaves none behind.
func TestEmitFailureLeavesNoFolder(t *testing.T) {
	srv := newEmitServer(t)
	et := newEmitTest(t)
	path := writeTemp(t, "tiny.regimen", emitRegimen(srv.URL+"/good.py", md5Of(emitTestScript)))
	mice := t.TempDir()
	mouse := filepath.Join(mice, "412345")
	os.Mkdir(mouse, 0o755)
	os.WriteFile(filepath.Join(mouse, "adjustment"), []byte("a file, not a folder"), 0o644)
	et.vars["REGC_MOUSE_DIR"] = filepath.Join(mice, "{mouse}")
	res := et.run("emit", path, "--stage", "TRAINING_0_gratings", "--mouse", "412345")
	if res.code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", res.code, res.stderr)
	}
	if _, err := os.Stat(filepath.Join(mouse, "scriptlog")); err == nil {
		t.Errorf("the failed emit left the folder scriptlog behind")
	}
}

// The paths emit says it wrote are escaped: a folder name cannot act on
// the terminal.
func TestEmitWroteEscaped(t *testing.T) {
	srv := newEmitServer(t)
	et := newEmitTest(t)
	path := writeTemp(t, "tiny.regimen", emitRegimen(srv.URL+"/good.py", md5Of(emitTestScript)))
	out := filepath.Join(t.TempDir(), "x\x1b]0;owned\x07\u202e")
	res := et.run("emit", path, "--stage", "TRAINING_0_gratings", "--out", out)
	if res.code != 0 {
		t.Fatalf("exit %d, stderr %s", res.code, res.stderr)
	}
	if strings.ContainsAny(res.stdout, "\x1b\x07\u202e") || !strings.Contains(res.stdout, `x\x1b]0;owned\x07\u202e`) {
		t.Errorf("stdout %q: want the folder name escaped", res.stdout)
	}
}
