package emit

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteNumberedInMouseFolders(t *testing.T) {
	scriptDir, paramsDir := MouseFolders(filepath.Join(t.TempDir(), "M1"))
	if filepath.Base(scriptDir) != "scriptlog" || filepath.Base(paramsDir) != "adjustment" {
		t.Fatalf("MouseFolders = %s, %s", scriptDir, paramsDir)
	}
	pair := []File{
		{filepath.Join(scriptDir, "240131093007_A.py"), []byte("script")},
		{filepath.Join(paramsDir, "240131093007_A.json"), []byte("{}")},
	}
	for want := 1; want <= 3; want++ {
		files, n, err := WriteNumbered(pair)
		if err != nil || n != want {
			t.Fatalf("emit %d: n = %d, %v", want, n, err)
		}
		for _, f := range files {
			if b, err := os.ReadFile(f.Path); err != nil || string(b) != string(f.Data) {
				t.Errorf("%s: %q, %v", f.Path, b, err)
			}
		}
		if want == 3 && filepath.Base(files[0].Path) != "240131093007-3_A.py" {
			t.Errorf("third emit wrote %s, want 240131093007-3_A.py", files[0].Path)
		}
	}
}
