//go:build unix

package compiler

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Sources are regular files of bounded size: a device, a FIFO or a
// directory is refused without being read (a FIFO would block forever,
// /dev/zero never ends), and so is a file larger than MaxSourceSize.
func TestReadSourceRefusesNonRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.regimen")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.regimen")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(MaxSourceSize + 1) // sparse: no disk used
	f.Close()
	for _, tc := range []struct{ path, want string }{
		{"/dev/zero", "not a regular file"},
		{fifo, "not a regular file"},
		{dir, "not a regular file"},
		{big, "larger than 64 MiB"},
	} {
		done := make(chan error, 1)
		go func() { _, err := ReadSource(tc.path); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ReadSource(%s): got %v, want %q", tc.path, err, tc.want)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("ReadSource(%s) did not return in 30 s", tc.path)
		}
	}
	// through Compile: the main file, and an import that is a symlink to a
	// device
	res := Compile("/dev/zero", nil)
	if d := diagnosed(res.Diagnostics, "unreadable-file", "not a regular file"); d == nil {
		t.Errorf("compile /dev/zero: got %v", res.Diagnostics)
	}
	if err := os.Symlink("/dev/urandom", filepath.Join(dir, "rand.regimen")); err != nil {
		t.Fatal(err)
	}
	main := filepath.Join(dir, "main.regimen")
	os.WriteFile(main, []byte("import \"rand\"\nimport \"fifo\"\ncriterion x\n"), 0o644)
	done := make(chan *Result, 1)
	go func() { done <- Compile(main, nil) }()
	select {
	case res := <-done:
		for line, name := range []string{"rand", "fifo"} {
			d := diagnosed(res.Diagnostics, "invalid-import", name+".regimen: not a regular file")
			if d == nil || d.Range.Start.Line != line+1 {
				t.Errorf("import %s: got %v, want invalid-import on line %d", name, res.Diagnostics, line+1)
			}
		}
	case <-time.After(30 * time.Second):
		t.Fatal("compiling imports of a device and a FIFO did not finish in 30 s")
	}
}

// ReadSource reads a regular file exactly, whatever its size against its
// buffer, and says which file is missing in the terms package os uses.
func TestReadSourceReadsExactly(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{0, 1, 511, 512, 513, 4096, 1 << 20} {
		p := filepath.Join(dir, "f.regimen")
		want := []byte(strings.Repeat("criterion a\n", n/12+1)[:n])
		if err := os.WriteFile(p, want, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := ReadSource(p)
		if err != nil || string(got) != string(want) {
			t.Errorf("%d bytes: got %d bytes, %v", n, len(got), err)
		}
	}
	_, err := ReadSource(filepath.Join(dir, "missing.regimen"))
	if !errors.Is(err, fs.ErrNotExist) || err.Error() != "open "+filepath.Join(dir, "missing.regimen")+": no such file or directory" {
		t.Errorf("missing file: got %v", err)
	}
}

// The refusal of a large file names the limit it is refused by.
func TestTooLargeSaysTheLimit(t *testing.T) {
	if want := fmt.Sprintf("larger than %d MiB", MaxSourceSize>>20); ErrTooLarge.Error() != want {
		t.Errorf("ErrTooLarge says %q; MaxSourceSize is %d bytes, so it should say %q", ErrTooLarge, MaxSourceSize, want)
	}
}
