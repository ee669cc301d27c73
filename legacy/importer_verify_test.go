package legacy

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"weak"

	"github.com/regc/regc/legacy/yaml"
)

// TestLegacyBuildIsGarbageWhileVerifying holds verify to what it is for
// in memory: once it holds the legacy document as bytes, the legacy build
// (its stages and values) is garbage, while the imported source compiles
// and is compared.
func TestLegacyBuildIsGarbageWhileVerifying(t *testing.T) {
	path := filepath.Join(importDir, "merges.yml")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text, diags := Import(path, src)
	if text == nil {
		t.Fatalf("import: %v", diags)
	}
	build := CompileSource(path, src).Regimen
	if build == nil || len(build.Stages) == 0 {
		t.Fatal("the legacy build has no stages")
	}
	regimen, stage := weak.Make(build), weak.Make(build.Stages[0])
	called := false
	verifyCompiled = func() {
		called = true
		runtime.GC()
		runtime.GC()
		if regimen.Value() != nil || stage.Value() != nil {
			t.Errorf("the legacy build is alive while the source is compared (regimen %v, a stage %v)", regimen.Value() != nil, stage.Value() != nil)
		}
	}
	defer func() { verifyCompiled = nil }()
	if _, d := verify(path, &build, text); d != nil {
		t.Fatalf("verify: %v", d)
	}
	if !called {
		t.Fatal("verify did not call verifyCompiled")
	}
}

// TestImporterIsGarbageWhileVerifying: what the importer hands verify
// (the source, the legacy build, its diagnostics) holds neither the node
// tree nor the importer's tables, so that they are garbage while the
// source compiles.
func TestImporterIsGarbageWhileVerifying(t *testing.T) {
	path := filepath.Join(importDir, "comments.yml")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	root, rd := yaml.Read(path, src)
	if root == nil || rd.HasErrors() {
		t.Fatalf("read: %v", rd)
	}
	tree := weak.Make(root.Target())
	text, build, diags := runImporter(path, src, root)
	root = nil
	if text == nil {
		t.Fatalf("import: %v", diags)
	}
	called := false
	verifyCompiled = func() {
		called = true
		runtime.GC()
		runtime.GC()
		if tree.Value() != nil {
			t.Error("the node tree is alive while the source is compared")
		}
	}
	defer func() { verifyCompiled = nil }()
	if _, d := verify(path, &build, text); d != nil {
		t.Fatalf("verify: %v", d)
	}
	if !called {
		t.Fatal("verify did not call verifyCompiled")
	}
}
