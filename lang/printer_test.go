package lang

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
)

// The whole-repository and corpus round trips of the printer are in
// compiler/print_test.go (they compile both sides); these pin its layout.

func printString(t *testing.T, src string) string {
	t.Helper()
	f, diags := Parse("t.regimen", []byte(src))
	if f == nil {
		t.Fatalf("Parse: %v", diags)
	}
	out := Print(f)
	g, diags := Parse("t.regimen", out)
	if g == nil {
		t.Fatalf("the printed source does not parse: %v\n%s", diags, out)
	}
	if again := Print(g); !bytes.Equal(again, out) {
		t.Errorf("not a fixed point:\n--- once\n%s--- twice\n%s", out, again)
	}
	return string(out)
}

func TestPrintLayout(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"one-line and block records keep their form; blank lines kept, at most one",
			"params p:S{a:1,b:\"x\"}\n\n\n\nparams q = p {\n  a: 2, b.c: [1,2,]\n\n\n  \"d e\":  7   uL }\n",
			"params p: S { a: 1, b: \"x\" }\n\nparams q = p {\n    a: 2\n    b.c: [1, 2]\n\n    \"d e\": 7   uL\n}\n"},
		{"a block list: one item a line, each with a comma",
			"let x = [1,\n 2]\n", "let x = [\n    1,\n    2,\n]\n"},
		{"empty records and lists, blank lines at a block's edges dropped",
			"let x = {\n}\nlet y = [ ]\nparams p {\n\n  a: 1\n\n}\n", "let x = {}\nlet y = []\nparams p {\n    a: 1\n}\n"},
		{"one-line stages aligned on their brace, one-line transitions on their source, where the source padded a row",
			"stage A  { script: s, params: p }\nstage LONG { script: s, params: p }\n\nstage B {\n script: s\n}\nprogress A -> LONG when c\nmanual    LONG -> A when [c] unless null\n",
			"stage A    { script: s, params: p }\nstage LONG { script: s, params: p }\n\nstage B {\n    script: s\n}\nprogress A -> LONG when c\nmanual   LONG -> A when [c] unless null\n"},
		{"tables the source did not align stay unaligned, comments two spaces after their code",
			"stage A { script: s, params: p }\nstage LONG { script: s, params: p } // c\nprogress A -> LONG when c // d\nmanual LONG -> A\n",
			"stage A { script: s, params: p }\nstage LONG { script: s, params: p }  // c\nprogress A -> LONG when c  // d\nmanual LONG -> A\n"},
		{"comments at the ends of consecutive lines aligned, two spaces after the longest, where the source padded one",
			"schema S {\n  a: int // one\n  bbbbbbbbb: float\n  c?: string   // three\n\n  d: int // four\n}\n",
			"schema S {\n    a: int      // one\n    bbbbbbbbb: float\n    c?: string  // three\n\n    d: int  // four\n}\n"},
		{"types, schema bodies in source order, open records",
			"schema S { ...B, a?: int in [0, 1] | null, ... }\nschema O {...}\nschema T = [time(min, int), ...]? | \"x\" | { a: volume(mL) }\n",
			"schema S { ...B, a?: int in [0, 1] | null, ... }\nschema O {...}\nschema T = [time(min, int), ...]? | \"x\" | { a: volume(mL) }\n"},
		{"headers, lists of names broken where the source broke them, null sections",
			"regimen \"raw name\"\nimport \"lib\"\ncriterion a, b,\n   c\ntrigger t\ntransitions null\n",
			"regimen \"raw name\"\nimport \"lib\"\ncriterion a, b,\n    c\ntrigger t\ntransitions null\n"},
		{"final stages",
			"final  stage A { script: s }\nfinal stage B {\n script: s }\n",
			"final stage A { script: s }\nfinal stage B {\n    script: s\n}\n"},
		{"migrations and tests",
			"migrate from T 1 { a -> B, \"c d\" -> B }\nmigrate from T {\n a -> B\n}\ntest \"t\" { start A\n progress [a, b] => B manual [] => A }\n",
			"migrate from T 1 { a -> B, \"c d\" -> B }\nmigrate from T {\n    a -> B\n}\ntest \"t\" {\n    start A\n    progress [a, b] => B\n    manual [] => A\n}\n"},
		{"comments on their own lines and at line ends stay there; one inside a line breaks it",
			"// head\n\n// more\nregimen R version 1.0.0 // trailing\nparams p {\n  // only a comment\n}\nprogress A -> // mid\n  B\n// tail\n",
			"// head\n\n// more\nregimen R version 1.0.0  // trailing\nparams p {\n    // only a comment\n}\nprogress A ->  // mid\n    B\n// tail\n"},
	} {
		if got := printString(t, tc.src); got != tc.want {
			t.Errorf("%s:\n--- got\n%s--- want\n%s", tc.name, got, tc.want)
		}
	}
}

// Every comment of a file is kept, grouped as go/ast groups them: no token
// and no blank line between the comments of a group.
func TestParseComments(t *testing.T) {
	src := "// a\n// b\nregimen R // c\n// d\n\n// e\nstage S { // f\n  script: s // g\n}\n"
	f, diags := Parse("t.regimen", []byte(src))
	if f == nil {
		t.Fatal(diags)
	}
	var groups []string
	for _, g := range f.Comments {
		var texts []string
		for _, c := range g.List {
			r := c.Range()
			if got := src[r.Start.Offset:r.End.Offset]; got != c.Text {
				t.Errorf("comment %q: its range slices %q", c.Text, got)
			}
			texts = append(texts, strings.TrimPrefix(c.Text, "// "))
		}
		groups = append(groups, strings.Join(texts, " "))
	}
	if got, want := strings.Join(groups, " | "), "a b | c d | e | f | g"; got != want {
		t.Errorf("comment groups %q, want %q", got, want)
	}
	if len(f.Decls) != 2 {
		t.Errorf("the comments changed what the parser sees: %d declarations", len(f.Decls))
	}
}

// Printing any source that parses gives source that parses, keeps every
// comment and is a fixed point.
func FuzzPrint(f *testing.F) {
	for _, p := range []string{"../examples/quickstart.regimen", "../examples/schemas.regimen", "../examples/migrations.regimen", "../regimens/visual_behavior/common.regimen"} {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("progress A -> // c\n B when a, // d\n b\nschema S { a: int // e\n ... }\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		tree, _ := Parse("f.regimen", src)
		if tree == nil {
			return
		}
		out := Print(tree)
		again, diags := Parse("f.regimen", out)
		if again == nil {
			t.Fatalf("the printed source does not parse: %v\n%s", diags, out)
		}
		if a, b := commentTexts(tree), commentTexts(again); !slices.Equal(a, b) {
			t.Fatalf("comments differ: %q, printed %q", a, b)
		}
		if twice := Print(again); !bytes.Equal(out, twice) {
			t.Fatalf("not a fixed point:\n--- once\n%s--- twice\n%s", out, twice)
		}
	})
}

func commentTexts(f *File) []string {
	var out []string
	for _, g := range f.Comments {
		for _, c := range g.List {
			out = append(out, strings.TrimRight(c.Text, " \t\r"))
		}
	}
	return out
}

// A key path's range runs from its first key to its last, blanks around
// its dots included; each key's range is its own.
func TestKeyPathRange(t *testing.T) {
	src := "params p { a . \"b c\" .d: 1, e: 2 }\n"
	f, diags := Parse("t.regimen", []byte(src))
	if f == nil {
		t.Fatal(diags)
	}
	e := f.Decls[0].(*ParamsDecl).Body.Entries[0]
	r := e.KeyRange()
	if got := src[r.Start.Offset:r.End.Offset]; got != `a . "b c" .d` {
		t.Errorf("KeyRange slices %q", got)
	}
	var keys []string
	for _, k := range e.Path {
		r := k.Range()
		keys = append(keys, src[r.Start.Offset:r.End.Offset])
	}
	if got := strings.Join(keys, "|"); got != `a|"b c"|d` {
		t.Errorf("the keys' ranges slice %s", got)
	}
}
