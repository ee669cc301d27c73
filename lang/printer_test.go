package lang

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/alecthomas/participle/v2/lexer"
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
			"params p: S { a: 1, b: \"x\" }\n\nparams q = p {\n    a: 2\n    b.c: [1, 2]\n\n    \"d e\": 7 uL\n}\n"},
		{"a block list: one item a line, each with a comma",
			"let x = [1,\n 2]\n", "let x = [\n    1,\n    2,\n]\n"},
		{"empty records and lists, blank lines at a block's edges dropped",
			"let x = {\n}\nlet y = [ ]\nparams p {\n\n  a: 1\n\n}\n", "let x = {}\nlet y = []\nparams p {\n    a: 1\n}\n"},
		{"one-line stages aligned on their brace, one-line transitions on their source",
			"stage A  { script: s, params: p }\nstage LONG { script: s, params: p }\n\nstage B {\n script: s\n}\nprogress A -> LONG when c\nmanual    LONG -> A when [c] unless null\n",
			"stage A    { script: s, params: p }\nstage LONG { script: s, params: p }\n\nstage B {\n    script: s\n}\nprogress A -> LONG when c\nmanual   LONG -> A when [c] unless null\n"},
		{"tables the source did not align are aligned all the same; comments ending consecutive lines on one column",
			"stage A { script: s, params: p }\nstage LONG { script: s, params: p } // c\nprogress A -> LONG when c // d\nmanual LONG -> A\n",
			"stage A    { script: s, params: p }\nstage LONG { script: s, params: p }  // c\nprogress A -> LONG when c            // d\nmanual   LONG -> A\n"},
		{"one-line schemas aligned on their brace; a blank line or a comment line ends a table",
			"schema A { a: int }\nschema Long { b: int }\nschema T = int\n\nstage X { script: s }\n// c\nstage LONGER { script: s }\n",
			"schema A    { a: int }\nschema Long { b: int }\nschema T = int\n\nstage X { script: s }\n// c\nstage LONGER { script: s }\n"},
		{"blanks within lines do not matter: quantities get one space, comments lose trailing blanks",
			"params p {\n\t  a:   7uL   // x  \t\n b: 2e3\t ms\n}\n",
			"params p {\n    a: 7 uL  // x\n    b: 2e3 ms\n}\n"},
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
	for _, p := range []string{"../examples/quickstart.regimen", "../examples/schemas.regimen", "../examples/migrations.regimen", "../regimens/visual_behavior/common.regimen", "../regimens/visual_behavior/task1a.regimen"} {
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
		if a, b := treeShape(tree), treeShape(again); a != b {
			t.Fatalf("the printed source means something else:\n%s\nprinted\n%s\n%s", a, b, out)
		}
	})
}

// treeShape is a file's tree without its positions and comments, its
// quantities as the layout writes them: two sources that mean the same
// have the same shape.
func treeShape(f *File) string {
	var b strings.Builder
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if v.IsNil() {
				b.WriteString("nil ")
				return
			}
			walk(v.Elem())
		case reflect.Slice:
			b.WriteString("[")
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
			b.WriteString("] ")
		case reflect.Struct:
			if v.Type() == reflect.TypeOf(lexer.Position{}) {
				return
			}
			b.WriteString(v.Type().Name() + "{")
			for i := 0; i < v.NumField(); i++ {
				fld := v.Type().Field(i)
				if !fld.IsExported() || fld.Name == "Comments" {
					continue
				}
				b.WriteString(fld.Name + ":")
				if fld.Name == "Quantity" && !v.Field(i).IsNil() {
					b.WriteString(quantityText(v.Field(i).Elem().String()) + " ")
					continue
				}
				walk(v.Field(i))
			}
			b.WriteString("} ")
		default:
			fmt.Fprintf(&b, "%v ", v.Interface())
		}
	}
	walk(reflect.ValueOf(f))
	return b.String()
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

// scramble changes the blanks of src that the layout does not keep: every
// line's indent, the runs of blanks between tokens (made longer, tabs, or
// dropped beside punctuation), blanks at line ends, and blank lines made
// several. Strings and comments are left as they are.
func scramble(src string, rng *rand.Rand) string {
	blanks := func(min int) string {
		n := min + rng.Intn(3)
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteByte(" \t"[rng.Intn(2)])
		}
		return b.String()
	}
	var out strings.Builder
	for _, line := range strings.SplitAfter(src, "\n") {
		body := strings.TrimRight(strings.TrimLeft(line, " \t"), "\n")
		if body == "" {
			if line == "\n" {
				out.WriteString(strings.Repeat(blanks(0)+"\n", 1+rng.Intn(2)))
			}
			continue
		}
		out.WriteString(blanks(0))
		inString := false
		for i := 0; i < len(body); i++ {
			c := body[i]
			switch {
			case inString:
				out.WriteByte(c)
				if c == '\\' && i+1 < len(body) {
					i++
					out.WriteByte(body[i])
				} else if c == '"' {
					inString = false
				}
				continue
			case c == '"':
				inString = true
			case c == '/' && strings.HasPrefix(body[i:], "//"):
				out.WriteString(body[i:])
				i = len(body)
				continue
			case c == ' ':
				j := i
				for j < len(body) && body[j] == ' ' {
					j++
				}
				prev, next := body[i-1], byte(0)
				if j < len(body) {
					next = body[j]
				}
				if strings.IndexByte(":,{[(", prev) >= 0 || strings.IndexByte(",:}])", next) >= 0 {
					out.WriteString(blanks(0))
				} else {
					out.WriteString(blanks(1))
				}
				i = j - 1
				continue
			}
			out.WriteByte(c)
		}
		out.WriteString(blanks(0) + "\n")
	}
	return out.String()
}

// A copy of task1a.regimen with its blanks scrambled formats back to the
// original bytes.
func TestPrintScrambledBlanks(t *testing.T) {
	for _, path := range []string{"../regimens/visual_behavior/task1a.regimen", "../examples/units.regimen", "../regimens/visual_behavior/common.regimen"} {
		orig, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for seed := int64(1); seed <= 20; seed++ {
			messy := scramble(string(orig), rand.New(rand.NewSource(seed)))
			if messy == string(orig) {
				t.Fatalf("%s: the scramble changed nothing", path)
			}
			f, diags := Parse(path, []byte(messy))
			if f == nil {
				t.Fatalf("%s, seed %d: the scrambled copy does not parse: %v\n%s", path, seed, diags, messy)
			}
			if got := Print(f); !bytes.Equal(got, orig) {
				t.Fatalf("%s, seed %d: the scrambled copy formats to\n%s\nscrambled:\n%s", path, seed, got, messy)
			}
		}
	}
}

// treeShape tells apart sources that mean different things, and not those
// that differ in layout.
func TestTreeShape(t *testing.T) {
	shape := func(src string) string {
		f, diags := Parse("t.regimen", []byte(src))
		if f == nil {
			t.Fatal(diags)
		}
		return treeShape(f)
	}
	base := shape("params p { a: 1, b: 7 uL } // c\n")
	if same := shape("params p {\n  a:1\n  b: 7uL\n}\n"); same != base {
		t.Errorf("a layout change changed the shape:\n%s\n%s", base, same)
	}
	for _, other := range []string{"params p { a: 2, b: 7 uL }\n", "params p { a: 1, b: 7 mL }\n", "params q { a: 1, b: 7 uL }\n", "params p { b: 7 uL, a: 1 }\n"} {
		if shape(other) == base {
			t.Errorf("%q has the shape of the base", other)
		}
	}
}
