package main

import (
	"runtime"
	"testing"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/emit"
	"github.com/regc/regc/legacy"
	"github.com/regc/regc/legacy/yaml"
)

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestLegacyBuildAllocation holds the legacy build of issue 14 to what it
// allocates on a generated file of 1,000 stages (a regimen.yml of 336 kB):
// reading it (yaml.ReadValues; the reader once held the text as runes and
// offsets, 8 bytes a character, and every node took 416 bytes), compiling
// it (legacy.CompileSource) and writing its JSON (emit.Document, whose
// buffer grew by a quarter at a time). Each bound is some half again
// above what the path takes and under half of what it took before (read
// 22 kB a stage, compile 31 kB, JSON 12 times its length).
func TestLegacyBuildAllocation(t *testing.T) {
	src := generateLegacy(1000)
	perStage := func(b uint64) uint64 { return b / 1000 }
	var root *yaml.Node
	read := allocated(func() { root, _ = yaml.ReadValues("gen.yml", src) })
	if root == nil {
		t.Fatal("the generated file did not read")
	}
	var r *compiler.Result
	compile := allocated(func() { r = legacy.CompileSource("gen.yml", src) })
	if r.Regimen == nil || r.Diagnostics.HasErrors() {
		t.Fatalf("the generated file did not compile: %v", r.Diagnostics)
	}
	var doc []byte
	write := allocated(func() { doc, _ = emit.Document(r.Regimen, "json") })
	t.Logf("per stage: read %d B, compile %d B, json %d B for %d B written", perStage(read), perStage(compile), perStage(write), len(doc)/1000)
	if got, limit := perStage(read), uint64(8000); got > limit {
		t.Errorf("reading allocates %d bytes a stage, want at most %d", got, limit)
	}
	if got, limit := perStage(compile), uint64(14000); got > limit {
		t.Errorf("compiling allocates %d bytes a stage, want at most %d", got, limit)
	}
	if got, limit := write, 5*uint64(len(doc)); got > limit {
		t.Errorf("writing %d bytes of JSON allocates %d bytes, want at most %d", len(doc), got, limit)
	}
}
