//go:build !unix

package compiler

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// readRegular reads a source through an os.File where there are no unix
// system calls (source_unix.go).
func readRegular(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: path, Err: ErrNotRegular}
	}
	if info.Size() > MaxSourceSize {
		return nil, &fs.PathError{Op: "read", Path: path, Err: ErrTooLarge}
	}
	// read into a buffer of the file's size (ReadAll's growth left as much
	// again behind); the limit holds should the file grow meanwhile
	var buf bytes.Buffer
	buf.Grow(int(max(info.Size(), 0)) + bytes.MinRead + 1)
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxSourceSize+1)); err != nil {
		return nil, err
	}
	if buf.Len() > MaxSourceSize {
		return nil, &fs.PathError{Op: "read", Path: path, Err: ErrTooLarge}
	}
	return buf.Bytes(), nil
}
