package legacy

import (
	"strings"
	"testing"
)

// A small file whose aliases expand to a huge document is refused with a
// diagnostic, promptly, instead of being built.
func TestLegacyAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a: &a [x, x, x, x, x, x, x, x, x, x]\n")
	prev := "a"
	for _, name := range []string{"b", "c", "d", "e", "f", "g"} {
		b.WriteString(name + ": &" + name + " [")
		for i := 0; i < 10; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*" + prev)
		}
		b.WriteString("]\n")
		prev = name
	}
	b.WriteString("name: Bomb_v1.0.0\nstages:\n  A:\n    script: x.py\n    parameters: {stage: A, p: *g}\ntransitions: []\n")
	res := CompileSource("bomb.yml", []byte(b.String()))
	found := false
	for _, d := range res.Diagnostics {
		found = found || strings.Contains(d.Message, "expands to more than")
	}
	if !found || !res.Diagnostics.HasErrors() {
		t.Fatalf("got %v, want an error about the expansion", res.Diagnostics)
	}
}

func TestLegacyShapes(t *testing.T) {
	for _, tc := range []struct{ src, code string }{
		{"- a\n- b\n", "type-mismatch"},
		{"name: X\nstages: [1]\n", "type-mismatch"},
		{"name: X\nstages: {A: {script: s, parameters: {stage: A}}}\ntransitions: {a: 1}\n", "type-mismatch"},
		{"name: X\nstages: {A: {script: s, parameters: {stage: B}}}\n", "stage-param-mismatch"},
		{"name: X\nstages: {A: {script: s, parameters: {stage: A}}}\ntransitions: [{trigger: progress, source: A, dest: Z}]\n", "undefined-stage"},
		{"name: X\nstages: {A: {script: s, parameters: {stage: A}}}\ntransitions: [{trigger: progress, dest: A}]\n", "missing-field"},
		{"name: X\nstages: {A: {script: s, parameters: {stage: A, t: 2001-01-01}}}\n", "type-mismatch"},
		{"name: [\n", "syntax"},
	} {
		res := CompileSource("t.yml", []byte(tc.src))
		ok := false
		for _, d := range res.Diagnostics {
			ok = ok || d.Code == tc.code
		}
		if !ok {
			t.Errorf("%q: got %v, want %s", tc.src, res.Diagnostics, tc.code)
		}
	}
}

// A value JSON cannot hold is named as YAML names its type, not as Go does.
func TestLegacyUnsupportedTypeNames(t *testing.T) {
	for _, tc := range []struct{ value, want string }{
		{"2001-01-01", "a timestamp (2001-01-01)"},
		{"2001-01-01 10:00:00", "a timestamp"},
		{"!!binary aGVsbG8=", "binary data"},
		{"!!set {a, b}", "a set"},
		{"{2001-01-01: x}", "a mapping key that is a timestamp (2001-01-01)"},
		{"{!!binary aGk=: x}", "a mapping key that is binary data"},
	} {
		src := "name: X_v1.0.0\nstages: {A: {script: \"http://example.org/a.py\", parameters: {stage: A, t: " + tc.value + "}}}\n"
		res := CompileSource("t.yml", []byte(src))
		d := findDiag(res.Diagnostics, "type-mismatch")
		if d == nil || !strings.Contains(d.Message, tc.want) || strings.Contains(d.Message, "lang.") || strings.Contains(d.Message, "uint8") || d.Range.Start.Line != 2 {
			t.Errorf("%s: got %v, want a type-mismatch on line 2 naming %q", tc.value, res.Diagnostics, tc.want)
		}
	}
}
