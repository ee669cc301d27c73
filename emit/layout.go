package emit

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
)

// The layout of a mouse's folder on a rig: where a stage's camstim pair
// goes, and how a second emit in the same second is named.

// MouseFolders returns the folders of a mouse's folder dir that a stage's
// camstim pair goes in: the script in dir/scriptlog, the parameters in
// dir/adjustment.
func MouseFolders(dir string) (scriptDir, paramsDir string) {
	return filepath.Join(dir, "scriptlog"), filepath.Join(dir, "adjustment")
}

// MaxNumbered bounds the emits of one stage into one folder in one second.
const MaxNumbered = 999

// WriteNumbered writes the files of one emit, replacing nothing: when a
// name is taken (an emit in the same second), the names get -2 after the
// time stamp (240131093007-2_STAGE.json), else -3, and so on, the script and
// the parameters always alike. It returns the files as written and the
// number (1 for the names as they were).
func WriteNumbered(files []File) ([]File, int, error) {
	stampLen := len(CamstimTimeLayout)
	for n := 1; n <= MaxNumbered; n++ {
		named := make([]File, len(files))
		for i, f := range files {
			named[i] = f
			if base := filepath.Base(f.Path); n > 1 && len(base) > stampLen {
				named[i].Path = filepath.Join(filepath.Dir(f.Path), fmt.Sprintf("%s-%d%s", base[:stampLen], n, base[stampLen:]))
			}
		}
		err := WriteNewFiles(named)
		if !errors.Is(err, fs.ErrExist) {
			return named, n, err
		}
	}
	return nil, 0, fmt.Errorf("%s and %d numbered others are there already; nothing replaces them", files[len(files)-1].Path, MaxNumbered-1)
}
