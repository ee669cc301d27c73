package compiler

import (
	"errors"
	"io/fs"
	"path/filepath"
	"syscall"

	"github.com/regc/regc/lang"
)

// MaxSourceSize is the largest source file regc reads: 64 MiB, some
// thousand times the largest real regimen.
const MaxSourceSize = 64 << 20

// Why a source cannot be read, besides what the file system says.
var (
	ErrNotRegular = errors.New("not a regular file")
	ErrTooLarge   = errors.New("larger than 64 MiB") // MaxSourceSize (TestTooLargeSaysTheLimit)
)

// ReadSource reads a source file (.regimen, or a legacy .yml): a regular
// file of at most MaxSourceSize bytes. It never blocks on a FIFO and never
// reads a device: the file is opened without waiting for a writer and
// refused, unread, when it is not a regular file. Every source regc reads
// from disk is read through it.
func ReadSource(path string) ([]byte, error) {
	return readRegular(path)
}

// SourceKey is the name a source file is known by: its absolute path with
// symbolic links resolved, so one file named two ways (x.regimen and
// ./x.regimen, or through a link to a directory) is one file. A path that
// does not resolve is known by its absolute, cleaned self.
func SourceKey(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	return abs
}

// ReadFailure is the diagnostic for a source file given to the compiler
// (not an import) that cannot be read: file-not-found when it does not
// exist, unreadable-file otherwise (a directory, a device, too large, no
// permission).
func ReadFailure(diags *lang.Diagnostics, path string, err error) {
	code, msg := lang.CodeUnreadableFile, readErrorText(err)
	if errors.Is(err, fs.ErrNotExist) {
		code, msg = lang.CodeFileNotFound, "no such file"
	}
	diags.Errorf(code, lang.Range{File: path}, "cannot read %s: %s", path, msg)
}

// readErrorText is why a file cannot be read, without the path the error
// repeats.
func readErrorText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, syscall.EISDIR) {
			return ErrNotRegular.Error()
		}
		return pe.Err.Error()
	}
	return err.Error()
}
