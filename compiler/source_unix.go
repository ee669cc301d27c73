//go:build unix

package compiler

import (
	"io/fs"
	"syscall"
)

// readRegular reads a source with system calls rather than an os.File:
// opening an os.File with O_NONBLOCK registers it with the runtime's
// network poller, and starting the poller (epoll, an eventfd and the
// scheduler's polling from then on) was a sixth of what `regc check`
// spent after start-up on the quickstart. A regular file never blocks, and
// anything else is refused before it is read.
func readRegular(path string) ([]byte, error) {
	fd, err := retryEINTR(func() (int, error) {
		return syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	})
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return nil, &fs.PathError{Op: "read", Path: path, Err: ErrNotRegular}
	}
	if st.Size > MaxSourceSize {
		return nil, &fs.PathError{Op: "read", Path: path, Err: ErrTooLarge}
	}
	// a buffer of the file's size and a little more, so that the read that
	// finds the end needs no growth; the limit holds should the file grow
	// meanwhile
	buf := make([]byte, 0, max(st.Size, 0)+512)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := retryEINTR(func() (int, error) { return syscall.Read(fd, buf[len(buf):cap(buf)]) })
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		if n <= 0 {
			return buf, nil
		}
		if buf = buf[:len(buf)+n]; len(buf) > MaxSourceSize {
			return nil, &fs.PathError{Op: "read", Path: path, Err: ErrTooLarge}
		}
	}
}

// retryEINTR calls f again while a signal interrupts it, as package os
// does.
func retryEINTR(f func() (int, error)) (int, error) {
	for {
		n, err := f()
		if err != syscall.EINTR {
			return n, err
		}
	}
}
