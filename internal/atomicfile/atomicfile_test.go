package atomicfile

import (
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWriteReplacesRegularFileKeepingMode(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.yml")
	if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Write(p, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if got := read(t, p); got != "new" {
		t.Errorf("content %q, want new", got)
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 kept", st.Mode().Perm())
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("%d entries left in the folder, want 1 (no temporary file)", len(ents))
	}
}

// A named pipe is written through: the reader gets the data and the pipe
// stays a pipe (it used to be replaced by a regular file).
func TestWriteThroughNamedPipe(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	r, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := Write(p, []byte("through the pipe")); err != nil {
		t.Fatal(err)
	}
	st, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode()&fs.ModeNamedPipe == 0 {
		t.Fatalf("%s is now %v, want it still a named pipe", p, st.Mode())
	}
	buf := make([]byte, 100)
	n, _ := r.Read(buf)
	if got := string(buf[:n]); got != "through the pipe" {
		t.Errorf("the reader got %q", got)
	}
}

func TestWriteDevNullStaysADevice(t *testing.T) {
	if err := Write(os.DevNull, []byte("discarded")); err != nil {
		t.Fatal(err)
	}
	st, err := os.Lstat(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode()&fs.ModeCharDevice == 0 {
		t.Fatalf("%s is %v after the write, want a character device", os.DevNull, st.Mode())
	}
}

func TestWriteRefusesDirectoryAndSocket(t *testing.T) {
	dir := t.TempDir()
	err := Write(dir, []byte("x"))
	if err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("writing a directory: %v, want \"is a directory\"", err)
	}
	sock := filepath.Join(dir, "s")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	err = Write(sock, []byte("x"))
	if err == nil || !strings.Contains(err.Error(), "a socket, not a regular file") {
		t.Errorf("writing a socket: %v", err)
	}
	if st, _ := os.Lstat(sock); st.Mode()&fs.ModeSocket == 0 {
		t.Errorf("the socket was replaced: %v", st.Mode())
	}
}

// A symbolic link is followed: its target gets the new text, the link
// stays a link (even a relative one, through two links).
func TestWriteFollowsSymlinks(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "real"), 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "real", "x.yml")
	os.WriteFile(target, []byte("old"), 0o644)
	mid := filepath.Join(dir, "mid")
	if err := os.Symlink("real/x.yml", mid); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink("mid", link); err != nil {
		t.Fatal(err)
	}
	if err := Write(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{link, mid} {
		if st, _ := os.Lstat(l); st.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symbolic link", l)
		}
	}
	if got := read(t, target); got != "new" {
		t.Errorf("target holds %q, want new", got)
	}
	// a dangling link: its target is created
	dangling := filepath.Join(dir, "dangling")
	os.Symlink("real/new.yml", dangling)
	if err := Write(dangling, []byte("made")); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(dir, "real", "new.yml")); got != "made" {
		t.Errorf("dangling link target holds %q", got)
	}
}

func TestWriteAllIsAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	os.WriteFile(a, []byte("a0"), 0o644)
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	// the second target is a directory: nothing is written
	written, err := WriteAll([]File{{Path: a, Data: []byte("a1")}, {Path: sub, Data: []byte("x")}})
	if err == nil || len(written) != 0 {
		t.Fatalf("written %v, err %v; want nothing written and an error", written, err)
	}
	if got := read(t, a); got != "a0" {
		t.Errorf("a holds %q, want a0 untouched", got)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Errorf("%d entries in the folder, want 2 (no temporary file left)", len(ents))
	}
}

// When a file cannot be put in place after the others were, the error
// says which were written.
func TestWriteAllReportsWrittenOnLateFailure(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	os.WriteFile(a, []byte("a0"), 0o644)
	os.WriteFile(b, []byte("b0"), 0o644)
	beforeCommit = func(i int) {
		if i == 1 { // b turns into a directory after it was checked
			os.Remove(b)
			os.Mkdir(b, 0o755)
		}
	}
	defer func() { beforeCommit = nil }()
	written, err := WriteAll([]File{{Path: a, Data: []byte("a1")}, {Path: b, Data: []byte("b1")}})
	if err == nil || len(written) != 1 || written[0] != a {
		t.Fatalf("written %v, err %v; want [a] and an error", written, err)
	}
	if !strings.Contains(err.Error(), "became a directory") {
		t.Errorf("error %q does not say what happened", err)
	}
	if got := read(t, a); got != "a1" {
		t.Errorf("a holds %q, want a1", got)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Errorf("%d entries in the folder, want 2 (no temporary file left)", len(ents))
	}
}

func TestWriteAllRemovesFoldersItMadeOnFailure(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "new", "deeper")
	_, err := WriteAll([]File{{Path: filepath.Join(out, "a"), Data: []byte("a"), MakeDir: true}, {Path: dir, Data: []byte("x")}})
	if err == nil {
		t.Fatal("no error")
	}
	if _, err := os.Stat(filepath.Join(dir, "new")); err == nil {
		t.Errorf("the folder %s was left behind", filepath.Join(dir, "new"))
	}
	// without MakeDir, a missing folder is an error
	if err := Write(filepath.Join(out, "a"), []byte("a")); err == nil {
		t.Error("Write into a missing folder: no error")
	}
}

func TestSameAs(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "x.regimen")
	os.WriteFile(in, []byte("x"), 0o644)
	link := filepath.Join(dir, "l")
	os.Symlink(in, link)
	for _, out := range []string{in, link, dir + "/./x.regimen"} {
		if got, ok := SameAs(out, []string{"other", in}); !ok || got != in {
			t.Errorf("SameAs(%s) = %q, %v; want %s", out, got, ok, in)
		}
	}
	if _, ok := SameAs(filepath.Join(dir, "missing"), []string{in}); ok {
		t.Error("a missing output is an input")
	}
}

// /dev/stdout and /proc/self/fd/N name whatever the descriptor is open on:
// a pipe (which has no path) or a file, written in place, not replaced.
func TestWriteThroughProcFD(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if err := Write(fmt.Sprintf("/proc/self/fd/%d", w.Fd()), []byte("to the pipe")); err != nil {
		t.Fatalf("writing a pipe through /proc/self/fd: %v", err)
	}
	w.Close()
	if got, _ := io.ReadAll(r); string(got) != "to the pipe" {
		t.Errorf("the pipe got %q", got)
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "stdout.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := Write(fmt.Sprintf("/proc/self/fd/%d", f.Fd()), []byte("to the file")); err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(f); string(got) != "to the file" {
		t.Errorf("reading the open file gives %q: it was replaced, not written", got)
	}
}
