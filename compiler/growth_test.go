package compiler

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/regc/regc/lang"
)

// growthSource is a regimen whose one stage writes n keys: plain (k0: 0),
// or dotted into one nested record of a base (x.k0: 0).
func growthSource(n int, dotted bool) string {
	var b strings.Builder
	b.WriteString("regimen G version 1.0.0\nscript task { url: \"http://example.org/t.py\", md5: \"0123456789abcdef0123456789abcdef\" }\n")
	b.WriteString("params base { x: { a: 1 }, y: 2 }\nstage S {\n    script: task\n    params: base {\n")
	for i := range n {
		if dotted {
			fmt.Fprintf(&b, "        x.k%d: %d\n", i, i)
		} else {
			fmt.Fprintf(&b, "        k%d: %d\n", i, i)
		}
	}
	b.WriteString("        x.a: 7\n        y: 3\n    }\n}\n")
	return b.String()
}

func compileText(t testing.TB, src string) *Result {
	t.Helper()
	return Compile("g.regimen", &Options{ReadFile: func(string) ([]byte, error) { return []byte(src), nil }})
}

// allocated is the bytes f allocates.
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestDottedKeysAllocateLinearly: n dotted keys into one nested record
// write that record in place after the first copy. Each key used to copy
// the nested record again (4.5 GB for 10,000 keys); four times the keys
// must now allocate about four times the bytes, not sixteen.
func TestDottedKeysAllocateLinearly(t *testing.T) {
	small, large := growthSource(500, true), growthSource(2000, true)
	var res *Result
	a := allocated(func() { res = compileText(t, small) })
	if res.Diagnostics.HasErrors() {
		t.Fatalf("%v", res.Diagnostics)
	}
	b := allocated(func() { compileText(t, large) })
	if ratio := float64(b) / float64(a); ratio > 6 {
		t.Errorf("2,000 dotted keys allocate %.1f times what 500 do (%d bytes against %d); want about 4", ratio, b, a)
	}
}

// TestWideRecordKeys: past the size where a record being written is
// indexed, a key keeps its place when overridden, a dotted key reaches the
// nested record of the base without changing the base, and the document
// is what the source says.
func TestWideRecordKeys(t *testing.T) {
	for _, dotted := range []bool{false, true} {
		res := compileText(t, growthSource(100, dotted))
		if res.Diagnostics.HasErrors() {
			t.Fatalf("dotted=%v: %v", dotted, res.Diagnostics)
		}
		p := res.Regimen.Stages[0].Params
		keys := make([]string, len(p.Map))
		for i, f := range p.Map {
			keys[i] = f.Key
		}
		if keys[0] != "stage" && keys[0] != "x" {
			t.Errorf("dotted=%v: keys start %v", dotted, keys[:3])
		}
		x, _ := p.Get("x")
		if a, _ := x.Get("a"); a.Int == nil || a.Int.Int64() != 7 {
			t.Errorf("dotted=%v: x.a = %v, want 7", dotted, a)
		}
		if y, _ := p.Get("y"); y.Int == nil || y.Int.Int64() != 3 {
			t.Errorf("dotted=%v: y = %v, want 3", dotted, y)
		}
		want := 1
		if dotted {
			want += 100
		}
		if len(x.Map) != want {
			t.Errorf("dotted=%v: x has %d keys, want %d", dotted, len(x.Map), want)
		}
		in := p
		if dotted {
			in = x
		}
		if k99 := get(in, "k99"); k99 == nil || k99.Int == nil || k99.Int.Int64() != 99 {
			t.Errorf("dotted=%v: k99 = %v, want 99", dotted, k99)
		}
	}
	// a key written twice in a wide record: an error at the second, which wins
	src := strings.Replace(growthSource(100, false), "        k50: 50\n", "        k50: 50\n        k3: 33\n", 1)
	res := compileText(t, src)
	if n := strings.Count(fmt.Sprint(res.Diagnostics), "duplicate-key"); n != 1 {
		t.Errorf("want one duplicate-key error, got %v", res.Diagnostics)
	}
}

func get(v Value, key string) *Value {
	x, ok := v.Get(key)
	if !ok {
		return nil
	}
	return &x
}

// TestEqualWideRecords: records past the indexed size compare equal in any
// key order, and differ on a changed value, a missing key, or a repeated
// key whose first value differs.
func TestEqualWideRecords(t *testing.T) {
	wide := func(n int, edit func([]Field)) Value {
		fs := make([]Field, n)
		for i := range fs {
			fs[i] = Field{Key: fmt.Sprint("k", i), Value: IntValue(int64(i))}
		}
		if edit != nil {
			edit(fs)
		}
		return MapValue(fs...)
	}
	a := wide(100, nil)
	rev := wide(100, func(fs []Field) {
		for i, j := 0, len(fs)-1; i < j; i, j = i+1, j-1 {
			fs[i], fs[j] = fs[j], fs[i]
		}
	})
	if !Equal(a, rev) || !Equal(rev, a) {
		t.Errorf("a wide record differs from itself in another key order")
	}
	if Equal(a, wide(100, func(fs []Field) { fs[70].Value = IntValue(-1) })) {
		t.Errorf("a changed value compares equal")
	}
	if Equal(a, wide(100, func(fs []Field) { fs[70].Key = "other" })) {
		t.Errorf("a renamed key compares equal")
	}
	// b's first k3 is what Get finds: a's k3 (3) differs from it
	dup := wide(100, func(fs []Field) { fs[99] = Field{Key: "k3", Value: IntValue(3)}; fs[3].Value = IntValue(-3) })
	if Equal(a, dup) {
		t.Errorf("a record compares equal to one whose first k3 differs")
	}
}

// chainRegimen is a compiled model of n stages in a chain of progress
// transitions with conditions, and a manual one back from every tenth.
func chainRegimen(n int) *Regimen {
	reg := &Regimen{}
	for i := range n {
		reg.Stages = append(reg.Stages, &Stage{Name: fmt.Sprintf("S%d", i)})
	}
	for i := 0; i+1 < n; i++ {
		reg.Transitions = append(reg.Transitions, &Transition{Trigger: "progress", Source: reg.Stages[i].Name, Dest: reg.Stages[i+1].Name, When: []string{"passed", "engaged"}})
		if i%10 == 0 {
			reg.Transitions = append(reg.Transitions, &Transition{Trigger: "manual", Source: reg.Stages[i+1].Name, Dest: reg.Stages[i].Name})
		}
	}
	return reg
}

// TestGraphLintsAllocatePerStage: the graph lints index the stages once
// and work over slices, so a stage costs them about 200 bytes (the index
// and the slices, built once for each of the two calls); maps keyed by
// name (one per lint, grown one stage at a time) cost over 900.
func TestGraphLintsAllocatePerStage(t *testing.T) {
	const n = 20000
	reg := chainRegimen(n)
	var diags lang.Diagnostics
	bytes := allocated(func() {
		LintTransitions(reg, &diags)
		LintGraph(reg, &diags)
	})
	if len(diags) != 1 || diags[0].Code != lang.CodeTrapStage {
		t.Fatalf("want one trap-stage warning (the last stage), got %v", diags)
	}
	if per := bytes / n; per > 400 {
		t.Errorf("the graph lints allocate %d bytes a stage on %d stages; want at most 400", per, n)
	}
}

// stagesSource is a regimen of n stages in the generated regimens' shape:
// each takes a shared parameter set with a few overrides, and a chain of
// progress transitions joins them.
func stagesSource(n int) string {
	var b strings.Builder
	b.WriteString("regimen G version 1.0.0\ncriterion passed\nscript task { url: \"http://example.org/t.py\", md5: \"0123456789abcdef0123456789abcdef\" }\n")
	b.WriteString("params base { task_id: \"DoC\", catch_frequency: 0.25, reward_volume: 0.007, periodic_flash: [0.25, 0.5], warm_up_trials: 5 }\n")
	for i := range n {
		fmt.Fprintf(&b, "stage S%d {\n    script: task\n    params: base {\n        level: %d\n        max_task_duration_min: %d.5\n    }\n}\n", i, i, 10+i%50)
	}
	for i := 0; i+1 < n; i++ {
		fmt.Fprintf(&b, "progress S%d -> S%d when passed\n", i, i+1)
	}
	return b.String()
}

// TestStageAllocatesOnce: a stage's overrides make its record once, with
// room for every key they add and for the stage's own name, which the
// stage then writes in place, and no map is made for the keys a stage or
// a record writes. The record used to grow as the overrides added keys and
// be copied again for the name: the passes after parsing took about
// 6,800 bytes a stage, now about 4,400.
func TestStageAllocatesOnce(t *testing.T) {
	const n = 4000
	src := stagesSource(n)
	c := newChecker(&Options{ReadFile: func(string) ([]byte, error) { return []byte(src), nil }})
	c.load("g.regimen", nil, lang.Range{})
	bytes := allocated(c.run)
	res := c.result()
	if res.Diagnostics.HasErrors() || res.Regimen == nil || len(res.Regimen.Stages) != n {
		t.Fatalf("%v", res.Diagnostics)
	}
	if per := bytes / n; per > 5200 {
		t.Errorf("compiling %d parsed stages allocates %d bytes a stage; want at most 5,200", n, per)
	}
}

// TestSyntaxLetGo: the stages are built without the file's syntax tree
// held (the collector would keep and scan all of it, some twenty bytes for
// each byte of source), unless an allow directive needs it afterwards to
// find the declaration it silences.
func TestSyntaxLetGo(t *testing.T) {
	for _, tc := range []struct {
		name, directive string
		kept            bool
	}{
		{"plain", "", false},
		{"allow", "// regc:allow trap-stage\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := stagesSource(3) + tc.directive + "stage End { script: task }\nprogress S2 -> End when passed\n"
			c := newChecker(&Options{ReadFile: func(string) ([]byte, error) { return []byte(src), nil }})
			res := c.compile("g.regimen")
			traps := 0
			for _, d := range res.Diagnostics {
				if d.Code == lang.CodeTrapStage {
					traps++
				}
			}
			if res.Diagnostics.HasErrors() || traps != map[bool]int{false: 1, true: 0}[tc.kept] {
				t.Fatalf("%v", res.Diagnostics)
			}
			if kept := c.files[0].ast != nil; kept != tc.kept {
				t.Errorf("after compiling, the syntax tree is held: %v; want %v", kept, tc.kept)
			}
		})
	}
}

// TestAllowDirectivesLinear: each allow directive finds its declaration
// by a binary search, and each warning its directives by another. Each
// directive used to scan the declarations before it (boxing two positions
// for each), and each warning every directive: with a directive before
// each of 2,000 stages, compiling allocated some 10 times what it does
// without them, and took time quadratic in the stages.
func TestAllowDirectivesLinear(t *testing.T) {
	const n = 2000
	plain := stagesSource(n)
	allowed := strings.ReplaceAll(plain, "\nstage ", "\n// regc:allow unreachable-stage, trap-stage\nstage ")
	if strings.Count(allowed, "regc:allow") != n {
		t.Fatalf("the source has %d directives, want %d", strings.Count(allowed, "regc:allow"), n)
	}
	var res *Result
	a := allocated(func() { res = compileText(t, plain) })
	if warnings := len(res.Diagnostics); warnings != 1 {
		t.Fatalf("want the last stage's trap-stage warning alone, got %v", res.Diagnostics)
	}
	b := allocated(func() { res = compileText(t, allowed) })
	if len(res.Diagnostics) != 0 {
		t.Fatalf("the directives leave %v", res.Diagnostics)
	}
	if ratio := float64(b) / float64(a); ratio > 1.5 {
		t.Errorf("with a directive before each of %d stages, compiling allocates %.1f times what it does without (%d bytes against %d); want at most 1.5", n, ratio, b, a)
	}
}
