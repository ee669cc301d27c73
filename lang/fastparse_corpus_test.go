package lang_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/regc/regc/internal/corpustest"
	"github.com/regc/regc/lang"
	"github.com/regc/regc/legacy"
)

// The fast parser matches participle on the .regimen source that regc
// import writes for every legacy regimen of the corpus: the largest and most
// varied sources there are.
func TestFastParserMatchesParticipleOnImportedCorpus(t *testing.T) {
	dir := corpustest.Dir(t, "yaml")
	files, err := filepath.Glob(filepath.Join(dir, "yaml", "*.yml"))
	if err != nil {
		t.Fatal(err)
	}
	imported := 0
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := legacy.Import(path, src)
		if out == nil {
			continue
		}
		imported++
		lang.CheckFastParse(t, legacy.ImportedPath(filepath.Base(path)), out)
	}
	if imported < len(files)/2 {
		t.Fatalf("only %d of %d corpus files imported", imported, len(files))
	}
	t.Logf("%d imported corpus files parse alike", imported)
}
