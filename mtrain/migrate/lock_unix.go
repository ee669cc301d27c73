//go:build unix

package migrate

import (
	"errors"
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock on the journal, so that two runs
// cannot apply one migration at once. The lock goes with the process, even
// when it is killed.
func lockFile(f *os.File) error {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return errors.New("another regc is applying this journal (it is locked)")
		}
		return err
	}
	return nil
}
