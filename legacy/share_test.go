package legacy

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/regc/regc/compiler"
)

// TestSharedValuesBuiltOnce: a collection that merge keys and aliases
// repeat (a shared parameter set's list, a stage's aliased extra) is built
// once and its value shared by every stage, rather than copied per stage;
// and the document bound still counts each repetition.
func TestSharedValuesBuiltOnce(t *testing.T) {
	src := []byte(`_p: &p
  flash: [0.25, 0.5]
  rig: {name: a}
_x: &x [1, 2]
name: Shared_v1.0.0
transitions: []
stages:
  S1:
    script: http://example.org/a.py
    parameters: {<<: *p, stage: S1}
    extra: *x
  S2:
    script: http://example.org/a.py
    parameters: {<<: *p, stage: S2}
    extra: *x
`)
	res := CompileSource("s.yml", src)
	if res.Regimen == nil || res.Diagnostics.HasErrors() || len(res.Regimen.Stages) != 2 {
		t.Fatalf("did not compile: %v", res.Diagnostics)
	}
	s1, s2 := res.Regimen.Stages[0], res.Regimen.Stages[1]
	for _, key := range []string{"flash", "rig"} {
		a, _ := s1.Params.Get(key)
		b, _ := s2.Params.Get(key)
		if !compiler.Equal(a, b) {
			t.Fatalf("%s differs between the stages: %v and %v", key, a, b)
		}
		if !sameBacking(a, b) {
			t.Errorf("%s was built for each stage; want one value shared", key)
		}
	}
	if len(s1.Extra) != 1 || len(s2.Extra) != 1 || !sameBacking(s1.Extra[0].Value, s2.Extra[0].Value) {
		t.Errorf("the aliased extra was built for each stage; want one value shared")
	}
}

func sameBacking(a, b compiler.Value) bool {
	switch {
	case len(a.List) > 0 && len(b.List) > 0:
		return &a.List[0] == &b.List[0]
	case len(a.Map) > 0 && len(b.Map) > 0:
		return &a.Map[0] == &b.Map[0]
	}
	return false
}

// TestTaggedCollectionAliasesLinear: a collection with a tag other than
// !!seq and !!map (!!set, !!omap, !!pairs) is constructed once however
// many aliases repeat it. Each alias reports it, and counts as one value,
// so the document bound does not stop the repeats: constructing it anew
// for each made a 229 KB file take 22 s. Allocation, not time, is held:
// doubling the file must not quadruple it.
func TestTaggedCollectionAliasesLinear(t *testing.T) {
	gen := func(n int) []byte {
		var b strings.Builder
		b.WriteString("name: T_v1.0.0\ntransitions: []\nstages:\n  S:\n    script: http://example.org/a.py\n    parameters:\n      stage: S\n      x: &s !!set {")
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "k%d", i)
		}
		b.WriteString("}\n      y: [")
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*s")
		}
		b.WriteString("]\n")
		return []byte(b.String())
	}
	alloc := func(n int) uint64 {
		src := gen(n)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		res := CompileSource("t.yml", src)
		runtime.ReadMemStats(&after)
		if !res.Diagnostics.HasErrors() {
			t.Fatalf("a !!set parameter compiled without an error")
		}
		return after.TotalAlloc - before.TotalAlloc
	}
	a, b := alloc(500), alloc(1000)
	if float64(b) > 3*float64(a) {
		t.Errorf("building 1,000 aliases of a 1,000-entry !!set allocated %d bytes, %.1f times 500 of 500 (%d): the set is constructed again for each alias", b, float64(b)/float64(a), a)
	}
}
