package lang

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/alecthomas/participle/v2/lexer"
)

// treeString prints a parse tree compactly, without positions, in the style
// of starlark's syntax tests: `(Node Field=value ...)`, leaving out fields
// that are nil, empty, false or "". Strings that are not plain words are
// quoted.
func treeString(n any) string {
	var b strings.Builder
	writeTree(&b, reflect.ValueOf(n))
	return b.String()
}

var (
	positionType = reflect.TypeOf(lexer.Position{})
	tokensType   = reflect.TypeOf([]lexer.Token(nil))
)

func writeTree(b *strings.Builder, v reflect.Value) {
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		writeTree(b, v.Elem())
	case reflect.Struct:
		b.WriteString("(" + v.Type().Name())
		for i := 0; i < v.NumField(); i++ {
			f, fv := v.Type().Field(i), v.Field(i)
			if !f.IsExported() || f.Type == positionType || f.Type == tokensType || fv.IsZero() {
				continue
			}
			if fv.Kind() == reflect.Slice && fv.Len() == 0 {
				continue
			}
			b.WriteString(" " + f.Name + "=")
			writeTree(b, fv)
		}
		b.WriteString(")")
	case reflect.Slice:
		b.WriteString("(")
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteString(" ")
			}
			writeTree(b, v.Index(i))
		}
		b.WriteString(")")
	case reflect.String:
		s := v.String()
		if s == "" || strings.ContainsAny(s, " ()=\"\t\n") {
			s = strconv.Quote(s)
		}
		b.WriteString(s)
	default:
		fmt.Fprint(b, v.Interface())
	}
}

func TestTreeString(t *testing.T) {
	q := "7 uL"
	got := treeString(&Expr{Quantity: &q, Override: &Record{}})
	if want := `(Expr Quantity="7 uL" Override=(Record))`; got != want {
		t.Errorf("treeString = %s, want %s", got, want)
	}
}

// Each source parses to the tree shown, one line per declaration.
func TestParseTree(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want []string // treeString of each declaration
	}{
		{
			`regimen VisualBehavior_Task1A version 1.2.0
			 import "common"
			 criterion one_complete, "two out of three"
			 trigger handoff`,
			[]string{
				`(RegimenDecl Name=(Ident Name=VisualBehavior_Task1A) Version=(Version Text=1.2.0))`,
				`(ImportDecl Path=(Str Raw="\"common\""))`,
				`(CriterionDecl Names=((Name Ident=one_complete) (Name Quoted="\"two out of three\"")))`,
				`(TriggerDecl Names=((Name Ident=handoff)))`,
			},
		},
		{
			`regimen "VisualBehavior_v1"`,
			[]string{`(RegimenDecl Raw=(Str Raw="\"VisualBehavior_v1\""))`},
		},
		{
			`schema ChangeDetection {
			     reward_volume: volume(mL) in [0 uL, 20 uL]
			     max_min: time(min, int)
			     periodic_flash?: [time(s), time(s)]?
			     stimulus: Grating | "none" | null,
			     ...
			 }`,
			[]string{`(SchemaDecl Name=(Ident Name=ChangeDetection) Record=(RecordType Fields=(` +
				`(FieldType Key=(Key Ident=reward_volume) Type=(Type Alts=((TypeTerm Named=(NamedType Name=(Ident Name=volume) Unit=(Ident Name=mL) ` +
				`Range=(RangeType Lo=(Expr Quantity="0 uL") Hi=(Expr Quantity="20 uL"))))))) ` +
				`(FieldType Key=(Key Ident=max_min) Type=(Type Alts=((TypeTerm Named=(NamedType Name=(Ident Name=time) Unit=(Ident Name=min) AsInt=(Ident Name=int)))))) ` +
				`(FieldType Key=(Key Ident=periodic_flash) Optional=true Type=(Type Alts=((TypeTerm Tuple=(TupleType Elems=(` +
				`(Type Alts=((TypeTerm Named=(NamedType Name=(Ident Name=time) Unit=(Ident Name=s))))) ` +
				`(Type Alts=((TypeTerm Named=(NamedType Name=(Ident Name=time) Unit=(Ident Name=s))))))) Nullable=true)))) ` +
				`(FieldType Key=(Key Ident=stimulus) Type=(Type Alts=((TypeTerm Named=(NamedType Name=(Ident Name=Grating))) ` +
				`(TypeTerm Literal=(LiteralType Str="\"none\"")) (TypeTerm Literal=(LiteralType Null=true)))))) Open=true))`},
		},
		{
			`schema Angles = [float, ...]`,
			[]string{`(SchemaDecl Name=(Ident Name=Angles) Type=(Type Alts=((TypeTerm Tuple=(TupleType Elems=((Type Alts=((TypeTerm Named=(NamedType Name=(Ident Name=float)))))) Variadic=true)))))`},
		},
		{
			`script cd: ChangeDetection { url: "http://x/cd.py", md5: "0123" }
			 let sf: float = 0.04
			 params no_flash = flash { periodic_flash: null, stimulus.params.sf: -1.5e5, "odd key": [250ms, true, false,] }`,
			[]string{
				`(ScriptDecl Name=(Ident Name=cd) Schema=(Ident Name=ChangeDetection) Body=(Record Entries=(` +
					`(Entry Path=((Key Ident=url)) Value=(Expr Str="\"http://x/cd.py\"")) ` +
					`(Entry Path=((Key Ident=md5)) Value=(Expr Str="\"0123\"")))))`,
				`(LetDecl Name=(Ident Name=sf) Type=(Type Alts=((TypeTerm Named=(NamedType Name=(Ident Name=float))))) Value=(Expr Number=0.04))`,
				`(ParamsDecl Name=(Ident Name=no_flash) Value=(Expr Ref=flash Override=(Record Entries=(` +
					`(Entry Path=((Key Ident=periodic_flash)) Value=(Expr Null=true)) ` +
					`(Entry Path=((Key Ident=stimulus) (Key Ident=params) (Key Ident=sf)) Value=(Expr Number=-1.5e5)) ` +
					`(Entry Path=((Key Quoted="\"odd key\"")) Value=(Expr List=(List Items=(` +
					`(Expr Quantity=250ms) (Expr True=true) (Expr False=true)))))))))`,
			},
		},
		{
			`stage "4 handoff" { script: cd, params: flash { stage: "x" } }
			 progress A -> "4 handoff" when one_complete, two unless [lapsed]
			 manual B -> C when []`,
			[]string{
				`(StageDecl Name=(Name Quoted="\"4 handoff\"") Body=(Record Entries=(` +
					`(Entry Path=((Key Ident=script)) Value=(Expr Ref=cd)) ` +
					`(Entry Path=((Key Ident=params)) Value=(Expr Ref=flash Override=(Record Entries=(` +
					`(Entry Path=((Key Ident=stage)) Value=(Expr Str="\"x\"")))))))))`,
				`(TransitionDecl Trigger=(Ident Name=progress) Source=(Name Ident=A) Dest=(Name Quoted="\"4 handoff\"") ` +
					`When=((Name Ident=one_complete) (Name Ident=two)) UnlessList=true Unless=((Name Ident=lapsed)))`,
				`(TransitionDecl Trigger=(Ident Name=manual) Source=(Name Ident=B) Dest=(Name Ident=C) WhenList=true)`,
			},
		},
		{
			`migrate from Task 1 { "old" -> new, a -> b }
			 test "moves on" {
			     start A
			     progress [one_complete] => B
			     manual [] => A
			 }`,
			[]string{
				`(MigrateDecl From=(Name Ident=Task) Major=(Version Text=1) Mappings=(` +
					`(StageMapping From=(Name Quoted="\"old\"") To=(Name Ident=new)) (StageMapping From=(Name Ident=a) To=(Name Ident=b))))`,
				`(TestDecl Title=(Str Raw="\"moves on\"") Start=(Name Ident=A) Steps=(` +
					`(TestStep Trigger=(Ident Name=progress) Criteria=((Name Ident=one_complete)) Expect=(Name Ident=B)) ` +
					`(TestStep Trigger=(Ident Name=manual) Expect=(Name Ident=A))))`,
			},
		},
	} {
		f, diags := Parse("t.regimen", []byte(tc.src))
		if len(diags) > 0 || f == nil {
			t.Errorf("Parse(%q): %v", tc.src, diags)
			continue
		}
		var got []string
		for _, d := range f.Decls {
			got = append(got, treeString(d))
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("Parse(%q):\ngot\n\t%s\nwant\n\t%s", tc.src, strings.Join(got, "\n\t"), strings.Join(tc.want, "\n\t"))
		}
	}
}

// A syntax error is one diagnostic, code syntax, at the offending token.
func TestParseSyntaxErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		line, col int
		message   string // a substring of the message
		knownBug  string // set while the parser gets this case wrong: what is wrong
	}{
		{"unexpected token", "regimen Task version 1.0.0\nstage A = { script: cd }", 2, 9, `unexpected "="; expected "{"`, ""},
		{"declaration keyword where a brace belongs", "regimen Task version 1.0.0\nstage A script: cd", 2, 9, `unexpected keyword "script"; expected "{"`,
			"splitDecls starts a new declaration at `script`, so the first is cut short: `unexpected end of file` at 2:9, and a second error at the colon"},
		{"unexpected token after comments", "// a\n\n// b\nlet x = = 1", 4, 9, `unexpected "="`, ""},
		{"keyword as a stage name", "stage test { script: cd }", 1, 7, `unexpected keyword "test"`, ""},
		{"missing arrow", "progress A B", 1, 12, `unexpected name "B"; expected "->"`, ""},
		{"unterminated string", "let x = 1\nlet url = \"http://x\nlet y = 2", 2, 11, "unterminated string", ""},
		{"bad character", "let x = 1 $", 1, 11, "unexpected character '$'", ""},
		{"bad character after a multi-byte rune", `let s = "é" # x`, 1, 13, "unexpected character '#'", ""},
		{"micro sign", "params p { v: 7 µL }", 1, 17, "unexpected character 'µ'", ""},
		{"end of file", "stage A {\n  script: cd\n", 3, 1, "unexpected end of file", ""},
		{"end of file without newline", "stage A { script: cd", 1, 21, "unexpected end of file", ""},
		{"non-UTF-8", "let x = \"a\xffb\"", 1, 11, "not valid UTF-8 (byte 0xff at offset 10)", ""},
		{"non-UTF-8 on a later line", "let x = 1\n\xc3", 2, 1, "not valid UTF-8 (byte 0xc3 at offset 10)", ""},
	} {
		f, diags := Parse("t.regimen", []byte(tc.src))
		if f != nil {
			t.Errorf("%s: Parse(%q) returned a file along with a syntax error", tc.name, tc.src)
		}
		if len(diags) == 0 {
			t.Errorf("%s: Parse(%q): no diagnostic", tc.name, tc.src)
			continue
		}
		d := diags[0]
		var problems []string
		if len(diags) != 1 {
			problems = append(problems, fmt.Sprintf("%d diagnostics, want 1: %v", len(diags), diags))
		}
		if d.Code != "syntax" || d.Severity != Error {
			problems = append(problems, fmt.Sprintf("got %s [%s], want an error [syntax]", d.Severity, d.Code))
		}
		if d.Range.File != "t.regimen" || d.Range.Start.Line != tc.line || d.Range.Start.Column != tc.col {
			problems = append(problems, fmt.Sprintf("at %s, want t.regimen:%d:%d", d.Range, tc.line, tc.col))
		}
		if !d.Range.Start.Before(d.Range.End) {
			problems = append(problems, fmt.Sprintf("empty or reversed range %v-%v", d.Range.Start, d.Range.End))
		}
		if p := PosAt([]byte(tc.src), d.Range.Start.Offset); p != d.Range.Start {
			problems = append(problems, fmt.Sprintf("start %v disagrees with its offset %d (%v)", d.Range.Start, d.Range.Start.Offset, p))
		}
		if !strings.Contains(d.Message, tc.message) {
			problems = append(problems, fmt.Sprintf("message %q, want one containing %q", d.Message, tc.message))
		}
		switch {
		case len(problems) > 0 && tc.knownBug != "":
			t.Logf("%s: known bug (%s): %s", tc.name, tc.knownBug, strings.Join(problems, "; "))
		case len(problems) > 0:
			t.Errorf("%s: Parse(%q): %s", tc.name, tc.src, strings.Join(problems, "; "))
		case tc.knownBug != "":
			t.Logf("%s: the known bug (%s) is fixed: clear knownBug", tc.name, tc.knownBug)
		}
	}
}

// Numbers and quantities as a value: what each literal parses to.
func TestParseNumbers(t *testing.T) {
	for _, tc := range []struct {
		src, want string
		knownBug  string
	}{
		{"7", "(Expr Number=7)", ""},
		{"-1", "(Expr Number=-1)", ""},
		{"0.007", "(Expr Number=0.007)", ""},
		{"1e5", "(Expr Number=1e5)", ""},
		{"7 uL", `(Expr Quantity="7 uL")`, ""},
		{"250ms", "(Expr Quantity=250ms)", ""},
		{"2.5E-1 s", `(Expr Quantity="2.5E-1 s")`, ""},
		{"1e-3", "(Expr Number=1e-3)", "the Quantity rule reads `1e` as 1 with the unit e, then -3 is a second number"},
		{"1.5e+2", "(Expr Number=1.5e+2)", "the Quantity rule reads `1.5e` as 1.5 with the unit e, then +2 is a second number"},
	} {
		src := "let x = " + tc.src
		f, diags := Parse("t.regimen", []byte(src))
		got := fmt.Sprint(diags)
		if f != nil && len(diags) == 0 && len(f.Decls) == 1 {
			got = treeString(f.Decls[0].(*LetDecl).Value)
		}
		switch {
		case got != tc.want && tc.knownBug != "":
			t.Logf("Parse(%q): known bug (%s): got %s, want %s", src, tc.knownBug, got, tc.want)
		case got != tc.want:
			t.Errorf("Parse(%q): got %s, want %s", src, got, tc.want)
		case tc.knownBug != "":
			t.Logf("Parse(%q): the known bug (%s) is fixed: clear knownBug", src, tc.knownBug)
		}
	}
}

// knownEndPosBug says what is wrong while Parse gets node ends wrong; the
// range test then logs the problems instead of failing. Clear it when fixed.
const knownEndPosBug = ""

// Every node's range covers its tokens exactly: Pos and EndPos agree with
// their offsets, a node starts and ends with a token (not with space or a
// comment), and a node lies within its parent.
func TestParseRanges(t *testing.T) {
	src := []byte(`// a regimen
regimen Task version 1.0.0  // the header

schema S {
    v: volume(mL) in [0 uL, 20 uL]  // a range
    w?: [time(s), ...]
}
let x = 7 uL
params p: S { v: x }

stage "A b" { script: cd, params: p { w: [1 s] } }  // a stage
progress "A b" -> B when c unless [d]
migrate from Task 0 { old -> "A b" }
test "t" {
    start "A b"
    progress [c] => B
}
`)
	f, diags := Parse("t.regimen", src)
	if f == nil || len(diags) > 0 {
		t.Fatalf("Parse: %v", diags)
	}
	var problems []string
	var walk func(v reflect.Value, parent *Range)
	walk = func(v reflect.Value, parent *Range) {
		switch v.Kind() {
		case reflect.Interface, reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), parent)
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i), parent)
			}
		case reflect.Struct:
			pos, end := v.FieldByName("Pos"), v.FieldByName("EndPos")
			if !pos.IsValid() || pos.Type() != positionType {
				return
			}
			r := RangeOf(pos.Interface().(lexer.Position), end.Interface().(lexer.Position))
			name := v.Type().Name()
			text := string(src[min(r.Start.Offset, len(src)):min(max(r.End.Offset, r.Start.Offset), len(src))])
			if name == "File" {
				r.Start = PosAt(src, r.Start.Offset) // the file's range is whole
			}
			switch {
			case r.End.Offset < r.Start.Offset || r.End.Offset > len(src):
				problems = append(problems, fmt.Sprintf("%s %v-%v: bad offsets %d-%d", name, r.Start, r.End, r.Start.Offset, r.End.Offset))
			case PosAt(src, r.Start.Offset) != r.Start || name != "File" && PosAt(src, r.End.Offset) != r.End:
				problems = append(problems, fmt.Sprintf("%s %v-%v: line:column disagree with offsets %d-%d", name, r.Start, r.End, r.Start.Offset, r.End.Offset))
			case name != "File" && (text == "" || strings.TrimSpace(text) != text || endsInComment(src, r.End.Offset)):
				problems = append(problems, fmt.Sprintf("%s %v-%v covers %q", name, r.Start, r.End, text))
			case parent != nil && (r.Start.Offset < parent.Start.Offset || r.End.Offset > parent.End.Offset):
				problems = append(problems, fmt.Sprintf("%s %v-%v lies outside its parent %v-%v", name, r.Start, r.End, parent.Start, parent.End))
			}
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i), &r)
				}
			}
		}
	}
	walk(reflect.ValueOf(f), nil)
	switch {
	case len(problems) > 0 && knownEndPosBug != "":
		t.Logf("known bug (%s): %d ranges wrong, e.g. %s", knownEndPosBug, len(problems), strings.Join(problems[:min(3, len(problems))], "; "))
	case len(problems) > 0:
		t.Errorf("%d node ranges are wrong:\n%s", len(problems), strings.Join(problems, "\n"))
	case knownEndPosBug != "":
		t.Logf("the known bug (%s) is fixed: clear knownEndPosBug", knownEndPosBug)
	}
}

// endsInComment reports whether the byte before off lies in a // comment.
func endsInComment(src []byte, off int) bool {
	start := strings.LastIndexByte(string(src[:off]), '\n') + 1
	inString := false
	for i := start; i < off; i++ {
		switch {
		case inString && src[i] == '\\':
			i++
		case src[i] == '"':
			inString = !inString
		case !inString && src[i] == '/' && i+1 < len(src) && src[i+1] == '/':
			return true
		}
	}
	return false
}
