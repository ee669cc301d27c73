package yaml

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/regc/regc/internal/corpustest"
	"github.com/regc/regc/lang"
)

// FuzzRead reads arbitrary bytes as a legacy regimen.yml: it must
// never panic, every diagnostic and node must have a well-formed range, and
// a file without errors must give a tree whose values can be read. Seeds
// come from testdata/files and, when present, the historic corpus.
func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "files", "*.yml"))
	if dir := corpustest.Seeds(f, "yaml"); dir != "" {
		corpus, _ := filepath.Glob(filepath.Join(dir, "yaml", "*.yml"))
		seeds = append(seeds, corpus...)
	}
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		root, diags := Read("fuzz.yml", src)
		for _, d := range diags {
			if d.Code == lang.CodeInternal {
				t.Fatalf("internal error: %v", d)
			}
			if d.Code == "" || d.Message == "" || d.Range.File != "fuzz.yml" {
				t.Fatalf("incomplete diagnostic: %+v", d)
			}
		}
		if root == nil && !diags.HasErrors() {
			t.Fatal("no tree and no error")
		}
		checkRanges(t, "fuzz", string(src), diags, root)
		if root == nil {
			return
		}
		root.Construct()
		var walk func(n *Node, depth int)
		walk = func(n *Node, depth int) {
			if n == nil || depth > maxDepth+1 {
				return
			}
			n.Entries()
			n.Target()
			for _, it := range n.Items() {
				walk(it, depth+1)
			}
			for _, p := range n.Pairs() {
				walk(p.Key, depth+1)
				walk(p.Value, depth+1)
			}
		}
		walk(root, 0)
	})
}
