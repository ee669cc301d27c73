package lang

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/alecthomas/participle/v2/lexer"
)

// TestKeywordsOneList holds every use of the keywords to the one list in
// grammar.go: the scanner reads each as a keyword, a declaration keyword
// (and only one) starts a new declaration after a complete one, and the
// README lists exactly these words.
func TestKeywordsOneList(t *testing.T) {
	for _, k := range Keywords {
		if !IsKeyword(k) {
			t.Errorf("IsKeyword(%q) = false", k)
		}
		sc := &scanner{src: k, limit: len(k), pos: lexer.Position{Line: 1, Column: 1}, elide: true}
		if tok, err := sc.Next(); err != nil || tok.Type != tokKeyword {
			t.Errorf("the scanner reads %q as %s, want a keyword", k, TokenName(tok.Type))
		}
		src := "let a = 1\n" + k + " x"
		chunks, _ := splitDecls(src, lexer.Position{Line: 1, Column: 1}, nil)
		if want := map[bool]int{true: 1, false: 2}[isValueKeyword(k)]; len(chunks) != want {
			t.Errorf("%q: %d declarations, want %d (a declaration keyword starts one, a value does not)", src, len(chunks), want)
		}
	}
	for _, w := range []string{"when", "unless", "inf", "stages", "x"} {
		if IsKeyword(w) {
			t.Errorf("IsKeyword(%q) = true, want false", w)
		}
	}
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("Keywords \\(`([^`]+)`\\) are reserved").FindSubmatch(b)
	if m == nil {
		t.Fatal("README.md does not list the keywords (Keywords (`...`) are reserved)")
	}
	readme := strings.Fields(string(m[1]))
	got := slices.Clone(Keywords)
	slices.Sort(readme)
	slices.Sort(got)
	if !slices.Equal(readme, got) {
		t.Errorf("the README lists the keywords %v, lang.Keywords are %v", readme, got)
	}
}
