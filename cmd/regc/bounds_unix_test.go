//go:build unix

package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Sources that are not regular files are refused promptly: a FIFO would
// block forever, /dev/zero never ends.
func TestCheckNonRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo, yml := filepath.Join(dir, "fifo.regimen"), filepath.Join(dir, "zero.yml")
	if err := errors.Join(syscall.Mkfifo(fifo, 0o644), os.Symlink("/dev/zero", yml)); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"check", "/dev/zero"},
		{"check", fifo},
		{"build", fifo},
		{"check", yml},
		{"import", yml},
	} {
		done := make(chan runResult, 1)
		go func() {
			code, stdout, stderr := invokeRegc(args...)
			done <- runResult{code, stdout, stderr}
		}()
		select {
		case r := <-done:
			if r.code != exitFail || !strings.Contains(r.stderr, "not a regular file") {
				t.Errorf("regc %v: exit %d, stderr %q; want 1 and \"not a regular file\"", args, r.code, r.stderr)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("regc %v did not return in 30 s", args)
		}
	}
}
