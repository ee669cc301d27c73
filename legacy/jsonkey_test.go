package legacy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regc/regc/emit"
)

// A float key is written as json.dumps writes it: repr when finite, and
// Infinity, -Infinity, NaN otherwise (not Python's repr, inf and nan).
func TestFloatKeysAsJSONDumps(t *testing.T) {
	path := filepath.Join(t.TempDir(), "regimen.yml")
	src := "name: T\nstages:\n  A:\n    parameters: {.inf: 1, -.inf: 2, .nan: 3, 0.5: 4, 1.0e+20: 5}\ntransitions: []\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res := Compile(path, nil)
	if res.Regimen == nil {
		t.Fatalf("no regimen: %v", res.Diagnostics)
	}
	doc, err := emit.Document(res.Regimen, "json")
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"Infinity": 1`, `"-Infinity": 2`, `"NaN": 3`, `"0.5": 4`, `"1e+20": 5`} {
		if !strings.Contains(string(doc), key) {
			t.Errorf("the document has no %s:\n%s", key, doc)
		}
	}
}
