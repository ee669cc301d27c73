//go:build unix

package migrate

import (
	"github.com/regc/regc/internal/testtool"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A --journal that names a FIFO (or another special file) is refused at
// once: opening or reading it would wait for a writer that never comes.
func TestJournalRefusesFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		testtool.Missing(t, "this file system makes no FIFO (mkfifo: %v)", err)
	}
	for name, open := range map[string]func(string) (*Journal, error){"Open": Open, "Read": Read} {
		done := make(chan error, 1)
		go func() {
			j, err := open(path)
			if j != nil {
				j.Close()
			}
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("%s on a fifo: got %v, want a not-a-regular-file error", name, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s on a fifo did not return within 10s", name)
		}
	}
}
