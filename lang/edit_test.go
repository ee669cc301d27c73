package lang

import (
	"strings"
	"testing"
)

func TestApply(t *testing.T) {
	src := []byte("let a = 1\nlet b = \"x\"\n")
	f, diags := Parse("t.regimen", src)
	if f == nil {
		t.Fatal(diags)
	}
	one := f.Decls[0].(*LetDecl).Value.Range()
	x := f.Decls[1].(*LetDecl).Value.Range()
	for _, tc := range []struct {
		name  string
		edits []Edit
		want  string
	}{
		{"none", nil, string(src)},
		{"replacements in any order, by the tree's ranges", []Edit{{x, `"y"`}, {one, "22"}}, "let a = 22\nlet b = \"y\"\n"},
		{"insertions at one place in the order given, before a replacement there",
			[]Edit{{one, "2"}, Insert(src, one.Start.Offset, "("), Insert(src, one.Start.Offset, "-"), Insert(src, one.End.Offset, ")")},
			"let a = (-2)\nlet b = \"x\"\n"},
		{"at the ends", []Edit{Insert(src, 0, "// head\n"), Insert(src, len(src), "// tail\n")}, "// head\n" + string(src) + "// tail\n"},
	} {
		got, err := Apply(src, tc.edits)
		if err != nil || string(got) != tc.want {
			t.Errorf("%s: got %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	if string(src) != "let a = 1\nlet b = \"x\"\n" {
		t.Errorf("Apply changed its source: %q", src)
	}
	whole := f.Decls[0].(*LetDecl).Name.Range()
	whole.End = one.End
	for name, edits := range map[string][]Edit{
		"overlap":      {{whole, "let c = 2"}, {one, "3"}},
		"outside":      {{Range{Start: Pos{Offset: 5}, End: Pos{Offset: len(src) + 1}}, ""}},
		"reversed":     {{Range{Start: Pos{Offset: 5}, End: Pos{Offset: 4}}, ""}},
		"before start": {{Range{Start: Pos{Offset: -1}, End: Pos{Offset: 0}}, ""}},
	} {
		if _, err := Apply(src, edits); err == nil || !strings.Contains(err.Error(), "byte") {
			t.Errorf("%s: err %v, want an error naming the bytes", name, err)
		}
	}
}

func TestLiteral(t *testing.T) {
	for text, want := range map[string]ExprKind{
		"x": ExprRef, "-1.5e+16": ExprNumber, "7 uL": ExprQuantity, `"a b"`: ExprString,
		"null": ExprNull, "true": ExprTrue, "false": ExprFalse,
	} {
		e := Literal(text)
		if e == nil || e.Kind() != want || e.Text() != text {
			t.Errorf("Literal(%q) = %+v, want kind %d", text, e, want)
		}
	}
	for _, text := range []string{"", "a b", "-inf", "1.2.3", "stage", "{}", `"a`} {
		if e := Literal(text); e != nil {
			t.Errorf("Literal(%q) = %+v, want nil", text, e)
		}
	}
}
