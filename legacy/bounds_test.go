package legacy

import (
	"strings"
	"testing"
)

// The legacy reader's bound on aliases counts text too: a long string that
// aliases repeat is as much a bomb as many values.
func TestLegacyStringBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString(`a: &a "` + strings.Repeat("x", 100_000) + "\"\n")
	prev := "a"
	for _, name := range []string{"b", "c", "d", "e", "f"} {
		b.WriteString(name + ": &" + name + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n")
		prev = name
	}
	b.WriteString("name: Bomb_v1.0.0\nstages:\n  A:\n    script: x.py\n    parameters: {stage: A, p: *f}\ntransitions: []\n")
	res := CompileSource("bomb.yml", []byte(b.String()))
	if d := findDiag(res.Diagnostics, "out-of-range"); d == nil || !strings.Contains(d.Message, "MiB of text through its aliases") {
		t.Fatalf("got %v, want an error about the text the aliases expand to", res.Diagnostics)
	}
}
