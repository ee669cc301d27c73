//go:build unix

package migrate

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

var errWouldBlock = errors.New("locked")

// lockFile takes an exclusive advisory lock on the journal, so that two runs
// cannot apply one migration at once. The lock goes with the process, even
// when it is killed.
func lockFile(f *os.File) error {
	err := lockHandle{f}.tryLock()
	if errors.Is(err, errWouldBlock) {
		return errors.New("another regc is applying this journal (it is locked)")
	}
	return err
}

// lockHandle is an open lock file.
type lockHandle struct{ f *os.File }

// openLock opens (or creates) a lock file, refusing a symbolic link or
// anything else that is not a regular file.
func openLock(path string) (lockHandle, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return lockHandle{}, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return lockHandle{}, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return lockHandle{}, fmt.Errorf("not a regular file (%s)", st.Mode().Type())
	}
	return lockHandle{f}, nil
}

func (h lockHandle) tryLock() error {
	if err := syscall.Flock(int(h.f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return errWouldBlock
		}
		return err
	}
	return nil
}

// replace writes text as the file's whole content (only the holder writes).
func (h lockHandle) replace(text []byte) error {
	if err := h.f.Truncate(0); err != nil {
		return err
	}
	_, err := h.f.WriteAt(text, 0)
	return err
}

func (h lockHandle) close() error { return h.f.Close() }
