package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// File is one file to write.
type File struct {
	Path string
	Data []byte
	// MakeDir: create the file's folder (and its parents) when missing;
	// else a missing folder is an error.
	MakeDir bool
}

// Write writes data to path (see the package documentation).
func Write(path string, data []byte) error {
	_, err := WriteAll([]File{{Path: path, Data: data}})
	return err
}

// maxLinks bounds how many symbolic links a path may go through.
const maxLinks = 40

// Target returns the file that writing to path would write: path with its
// symbolic links followed (the last may name a file that does not exist
// yet), and that file's info, nil when it does not exist. through reports
// a file that is written in place instead: a character device, a named
// pipe, or a file reached through /dev or /proc (/dev/stdout names
// whatever standard output is, through /proc/self/fd/1, and a program that
// writes to it must write to that, not replace it). It fails on a target
// that Write refuses.
func Target(path string) (target string, info fs.FileInfo, through bool, err error) {
	refuse := func(mode fs.FileMode) error {
		if mode.IsDir() {
			return fmt.Errorf("cannot write %s: it is a directory; give a file name", path)
		}
		return fmt.Errorf("cannot write %s: it is %s, not a regular file, and regc replaces only regular files", path, Describe(mode))
	}
	if st, err := os.Stat(path); err == nil {
		switch mode := st.Mode(); {
		case writeThrough(mode):
			return path, st, true, nil
		case !mode.IsRegular():
			return "", nil, false, refuse(mode)
		}
	}
	target = path
	for i := 0; ; i++ {
		st, err := os.Lstat(target)
		if errors.Is(err, fs.ErrNotExist) {
			return target, nil, false, nil
		}
		if err != nil {
			return "", nil, false, fmt.Errorf("cannot write %s: %w", path, Unwrap(err))
		}
		mode := st.Mode()
		switch {
		case special(target):
			if mode.IsRegular() || writeThrough(mode) || mode&fs.ModeSymlink != 0 {
				if st, err := os.Stat(path); err == nil && (st.Mode().IsRegular() || writeThrough(st.Mode())) {
					return path, st, true, nil
				}
			}
			return "", nil, false, fmt.Errorf("cannot write %s: it leads to %s, which is not a file regc can write", path, target)
		case mode&fs.ModeSymlink != 0:
			if i >= maxLinks {
				return "", nil, false, fmt.Errorf("cannot write %s: it goes through more than %d symbolic links", path, maxLinks)
			}
			link, err := os.Readlink(target)
			if err != nil {
				return "", nil, false, fmt.Errorf("cannot write %s: %w", path, Unwrap(err))
			}
			if !filepath.IsAbs(link) {
				dir := filepath.Dir(target)
				if real, err := filepath.EvalSymlinks(dir); err == nil {
					dir = real // so that ".." in the link goes where the system takes it
				}
				link = filepath.Join(dir, link)
			}
			target = link
		case mode.IsRegular():
			return target, st, false, nil
		case writeThrough(mode):
			return target, st, true, nil
		default:
			return "", nil, false, refuse(mode)
		}
	}
}

// special reports whether path is under /dev or /proc, whose files and
// links (/dev/stdout, /proc/self/fd/1) are written in place.
func special(path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	return strings.HasPrefix(abs, "/dev/") || strings.HasPrefix(abs, "/proc/")
}

// writeThrough reports whether a file of this mode is written in place:
// character devices and named pipes.
func writeThrough(mode fs.FileMode) bool {
	return mode&fs.ModeCharDevice != 0 || mode&fs.ModeNamedPipe != 0
}

// Describe names the kind of file that mode is, for a message saying a
// path is not a regular file: "a directory", "a FIFO", "a socket"...
func Describe(mode fs.FileMode) string {
	switch {
	case mode.IsDir():
		return "a directory"
	case mode&fs.ModeSymlink != 0:
		return "a symbolic link"
	case mode&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeCharDevice != 0:
		return "a character device"
	case mode&fs.ModeDevice != 0:
		return "a block device"
	case mode&fs.ModeIrregular != 0:
		return "an irregular file"
	}
	return "a special file"
}

// staged is a file on its way: the temporary file holding its new text,
// or, for a device or a pipe, nothing yet.
type staged struct {
	path    string // as given
	target  string // with symbolic links followed
	tmp     string // the temporary file, "" when written through
	data    []byte
	existed bool
	through bool // written in place (see Target)
}

// WriteAll writes several files all or nothing as far as the file system
// allows: it first writes every new text to a synced temporary file beside
// its target (a failure there removes them all and changes nothing), then
// renames them over their targets one by one. When a rename fails, the
// files before it have been replaced: written lists them (as given), the
// others are untouched. A missing folder of a file with MakeDir is
// created, and removed again when nothing could be written.
func WriteAll(files []File) (written []string, err error) {
	var stage []*staged
	var madeDirs []string
	cleanup := func() {
		for _, s := range stage {
			if s.tmp != "" {
				os.Remove(s.tmp)
			}
		}
		for i := len(madeDirs) - 1; i >= 0; i-- {
			os.Remove(madeDirs[i]) // only an empty folder goes
		}
	}
	for _, f := range files {
		target, st, through, err := Target(f.Path)
		if err != nil {
			cleanup()
			return nil, err
		}
		s := &staged{path: f.Path, target: target, data: f.Data, existed: st != nil, through: through}
		stage = append(stage, s)
		if through {
			continue
		}
		if f.MakeDir {
			dirs, err := mkdirs(filepath.Dir(target))
			madeDirs = append(madeDirs, dirs...)
			if err != nil {
				cleanup()
				return nil, err
			}
		}
		mode := fs.FileMode(0o644)
		if st != nil {
			mode = st.Mode().Perm()
		}
		if s.tmp, err = writeTemp(target, f.Data, mode); err != nil {
			cleanup()
			return nil, fmt.Errorf("cannot write %s: %w", f.Path, err)
		}
	}
	for i, s := range stage {
		if beforeCommit != nil {
			beforeCommit(i)
		}
		if err := s.commit(); err != nil {
			for _, rest := range stage[i:] {
				if rest.tmp != "" {
					os.Remove(rest.tmp)
				}
			}
			if len(written) == 0 {
				for j := len(madeDirs) - 1; j >= 0; j-- {
					os.Remove(madeDirs[j])
				}
			}
			return written, fmt.Errorf("cannot write %s: %w", s.path, err)
		}
		written = append(written, s.path)
	}
	return written, nil
}

// beforeCommit, when set (by tests), runs before each file is put in place.
var beforeCommit func(i int)

// commit puts a staged file in place.
func (s *staged) commit() error {
	if s.through {
		// a regular file behind /dev/stdout is emptied first, as cp does
		flags := os.O_WRONLY
		if st, err := os.Stat(s.target); err == nil && st.Mode().IsRegular() {
			flags |= os.O_TRUNC
		}
		f, err := os.OpenFile(s.target, flags, 0)
		if err != nil {
			return Unwrap(err)
		}
		if _, err := f.Write(s.data); err != nil {
			f.Close()
			return Unwrap(err)
		}
		return Unwrap(f.Close())
	}
	// the target may have changed kind since it was checked
	if st, err := os.Lstat(s.target); err == nil && !st.Mode().IsRegular() {
		what := Describe(st.Mode())
		if st.IsDir() {
			what = "a directory"
		}
		return fmt.Errorf("%s became %s while writing", s.target, what)
	}
	if err := os.Rename(s.tmp, s.target); err != nil {
		return Unwrap(err)
	}
	s.tmp = ""
	if d, err := os.Open(filepath.Dir(s.target)); err == nil {
		d.Sync() // make the rename durable where the file system allows it
		d.Close()
	}
	return nil
}

// writeTemp writes data to a new synced temporary file beside target and
// returns its name.
func writeTemp(target string, data []byte, mode fs.FileMode) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		return "", Unwrap(err)
	}
	name := tmp.Name()
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return "", Unwrap(err)
	}
	return name, nil
}

// mkdirs creates dir and its missing parents, and returns those it
// created, outermost first.
func mkdirs(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; {
		st, err := os.Stat(d)
		if err == nil {
			if !st.IsDir() {
				return nil, fmt.Errorf("cannot create %s: %s is not a directory", dir, d)
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("cannot create %s: %w", dir, Unwrap(err))
		}
		missing = append(missing, d)
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	var made []string
	for i := len(missing) - 1; i >= 0; i-- {
		if err := os.Mkdir(missing[i], 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return made, fmt.Errorf("cannot create %s: %w", dir, Unwrap(err))
		}
		made = append(made, missing[i])
	}
	return made, nil
}

// SameAs returns the first of inputs that out names, following symbolic
// links (os.SameFile), and whether there is one. An output that does not
// exist yet is no input.
func SameAs(out string, inputs []string) (string, bool) {
	ost, err := os.Stat(out)
	if err != nil {
		return "", false
	}
	for _, in := range inputs {
		if ist, err := os.Stat(in); err == nil && os.SameFile(ost, ist) {
			return in, true
		}
	}
	return "", false
}

// Unwrap returns the system error inside a *fs.PathError or an
// *os.LinkError (whose text repeats the path), or err itself.
func Unwrap(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// WriteNew writes files that must not exist yet, all or none: every text
// goes to a synced temporary file beside its target (creating a missing
// folder of a file with MakeDir), then each is linked to its own name, which
// never replaces anything, even a file that appears meanwhile. When a name
// is taken, the files it linked and the folders it made are removed again
// and the error wraps fs.ErrExist. On a file system without hard links the
// temporary file is renamed instead, when the name was free just before.
func WriteNew(files []File) error {
	var temps, linked, madeDirs []string
	undo := func(err error) error {
		for _, p := range append(temps, linked...) {
			os.Remove(p)
		}
		for i := len(madeDirs) - 1; i >= 0; i-- {
			os.Remove(madeDirs[i]) // only an empty folder goes
		}
		return err
	}
	for _, f := range files {
		if _, err := os.Lstat(f.Path); err == nil {
			return undo(fmt.Errorf("%s is there already: %w", f.Path, fs.ErrExist))
		}
		if f.MakeDir {
			dirs, err := mkdirs(filepath.Dir(f.Path))
			madeDirs = append(madeDirs, dirs...)
			if err != nil {
				return undo(err)
			}
		}
		tmp, err := writeTemp(f.Path, f.Data, 0o644)
		if err != nil {
			return undo(fmt.Errorf("cannot write %s: %w", f.Path, err))
		}
		temps = append(temps, tmp)
	}
	for i, f := range files {
		err := os.Link(temps[i], f.Path)
		if err != nil {
			if _, statErr := os.Lstat(f.Path); statErr == nil || errors.Is(err, fs.ErrExist) {
				return undo(fmt.Errorf("%s is there already: %w", f.Path, fs.ErrExist))
			}
			// no hard links here: the name was free just now
			if err := os.Rename(temps[i], f.Path); err != nil {
				return undo(fmt.Errorf("cannot write %s: %w", f.Path, Unwrap(err)))
			}
		}
		linked = append(linked, f.Path)
	}
	for _, t := range temps {
		os.Remove(t)
	}
	return nil
}
