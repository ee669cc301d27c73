package lang

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateGrammar = flag.Bool("update", false, "rewrite testdata/grammar.ebnf from the parser")

// The grammar is the AST's struct tags: a mistake there panics when the
// parser is built, at package initialisation, so reaching this test at all
// says it builds. The EBNF participle derives is kept in
// testdata/grammar.ebnf, so that every change to the language shows in review;
// `go test ./lang -run Grammar -update` rewrites it.
func TestGrammar(t *testing.T) {
	var g string
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("Grammar() panicked: %v", r)
			}
		}()
		g = Grammar()
	}()
	if strings.TrimSpace(g) == "" {
		t.Fatal("Grammar() is empty")
	}
	for _, rule := range []string{"File", "Decl", "StageDecl", "TransitionDecl", "Expr", "Type"} {
		if !strings.Contains(g, rule+" = ") {
			t.Errorf("the grammar has no rule %s", rule)
		}
	}
	golden := filepath.Join("testdata", "grammar.ebnf")
	if *updateGrammar {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(g+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run `go test ./lang -run Grammar -update` to create it)", err)
	}
	if g+"\n" != string(want) {
		t.Errorf("the grammar differs from %s: if the change to the language is meant, run `go test ./lang -run Grammar -update`\n%s",
			golden, lineDiff(string(want), g+"\n"))
	}
}

// lineDiff lists the lines of want missing from got (-) and the lines of got
// not in want (+): enough to see what changed in a grammar.
func lineDiff(want, got string) string {
	count := func(s string) map[string]int {
		m := map[string]int{}
		for _, l := range strings.Split(s, "\n") {
			m[l]++
		}
		return m
	}
	w, g := count(want), count(got)
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if g[l] > 0 {
			g[l]--
			continue
		}
		b.WriteString("- " + l + "\n")
	}
	for _, l := range strings.Split(got, "\n") {
		if w[l] > 0 {
			w[l]--
			continue
		}
		b.WriteString("+ " + l + "\n")
	}
	return b.String()
}
