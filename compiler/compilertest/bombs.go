package compilertest

import (
	"fmt"
	"strings"
)

// bombTail uses the constant top as a stage's parameters.
const bombTail = `script s { url: "s.py", md5: "0123456789abcdef0123456789abcdef" }
stage A { script: s, params: { v: top } }
`

// Doubling is a regimen whose constant top is leaf repeated 2^n times:
// `let a1 = [a0, a0]` and so on ("billion laughs").
func Doubling(leaf string, n int) string {
	var b strings.Builder
	b.WriteString("regimen X version 1.0.0\nlet a0 = " + leaf + "\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "let a%d = [a%d, a%d]\n", i, i-1, i-1)
	}
	fmt.Fprintf(&b, "let top = a%d\n", n)
	return b.String() + bombTail
}

// Bombs are regimens, by name, whose stage's parameters are too large or
// too deep to build, with the words the too-large error must say.
func Bombs() map[string]struct{ Source, Want string } {
	var nested strings.Builder
	nested.WriteString("regimen X version 1.0.0\nlet a0 = { v: 1 }\n")
	for i := 1; i <= 20000; i++ {
		fmt.Fprintf(&nested, "let a%d = { v: a%d }\n", i, i-1)
	}
	nested.WriteString("let top = a20000\n" + bombTail)
	return map[string]struct{ Source, Want string }{
		"laughs.regimen": {Doubling(`"xxxxxxxxxx"`, 40), "expands to more than"},
		"string.regimen": {Doubling(`"`+strings.Repeat("x", 100_000)+`"`, 20), "expands to more than"},
		"nested.regimen": {nested.String(), "more than 1000 deep"},
		"dotted.regimen": {"regimen X version 1.0.0\nlet top = { " + strings.Repeat("k.", 20000) + "k: 1 }\n" + bombTail, "more than the 1000 deep"},
	}
}
