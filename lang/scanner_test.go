package lang

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/alecthomas/participle/v2/lexer"
)

// lexAll returns the tokens of src under def, or the offset of the error.
func lexAll(def lexer.Definition, src string) ([]lexer.Token, int, error) {
	l, err := def.Lex("f", bytes.NewReader([]byte(src)))
	if err != nil {
		return nil, -1, err
	}
	var toks []lexer.Token
	for {
		t, err := l.Next()
		if err != nil {
			if le, ok := err.(*lexer.Error); ok {
				return toks, le.Pos.Offset, err
			}
			return toks, -1, err
		}
		toks = append(toks, t)
		if t.EOF() {
			return toks, -1, nil
		}
	}
}

// The hand-written scanner must produce exactly the regular-expression
// lexer's tokens (types, text and positions), and fail where it fails.
func checkSameTokens(t *testing.T, src string) {
	t.Helper()
	want, wantErrAt, wantErr := lexAll(lexerDef.Get(), src)
	got, gotErrAt, gotErr := lexAll(tokenScanner, src)
	if (wantErr == nil) != (gotErr == nil) || wantErrAt != gotErrAt {
		t.Fatalf("%q: regexp lexer error %v (at %d), scanner error %v (at %d)", src, wantErr, wantErrAt, gotErr, gotErrAt)
	}
	if len(got) != len(want) {
		t.Fatalf("%q: got %d tokens %v, want %d %v", src, len(got), got, len(want), want)
	}
	for i := range want {
		if got[i].Type != want[i].Type || got[i].Value != want[i].Value || got[i].Pos != want[i].Pos {
			t.Fatalf("%q: token %d: got %s %q at %v, want %s %q at %v", src, i,
				TokenName(got[i].Type), got[i].Value, got[i].Pos, TokenName(want[i].Type), want[i].Value, want[i].Pos)
		}
	}
	checkElidingScanner(t, src, want, wantErr != nil)
}

// checkElidingScanner holds the scanner that drops blanks and comments
// (collecting the comments) to the regexp lexer's tokens: the same tokens
// less those, and each comment with its range.
func checkElidingScanner(t *testing.T, src string, want []lexer.Token, wantErr bool) {
	t.Helper()
	var comments []*Comment
	sc := &scanner{src: src, limit: len(src), pos: lexer.Position{Filename: "f", Line: 1, Column: 1}, elide: true, comments: &comments}
	var got []lexer.Token
	var err error
	for {
		var tok lexer.Token
		if tok, err = sc.Next(); err != nil {
			break
		}
		got = append(got, tok)
		if tok.EOF() {
			break
		}
	}
	if (err != nil) != wantErr {
		t.Fatalf("%q: the eliding scanner's error is %v", src, err)
	}
	var wantToks []lexer.Token
	var wantComments []Comment
	for i, tok := range want {
		switch tok.Type {
		case tokWhitespace:
		case tokComment:
			end := sc.pos // the last token: the comment ends where scanning did
			if i+1 < len(want) {
				end = want[i+1].Pos
			}
			wantComments = append(wantComments, Comment{Pos: tok.Pos, EndPos: end, Text: tok.Value})
		default:
			wantToks = append(wantToks, tok)
		}
	}
	if len(got) != len(wantToks) {
		t.Fatalf("%q: the eliding scanner gives %d tokens %v, want %d %v", src, len(got), got, len(wantToks), wantToks)
	}
	for i := range got {
		if got[i] != wantToks[i] {
			t.Fatalf("%q: eliding, token %d: got %v, want %v", src, i, got[i], wantToks[i])
		}
	}
	if len(comments) != len(wantComments) {
		t.Fatalf("%q: the eliding scanner collects %d comments, want %d", src, len(comments), len(wantComments))
	}
	for i, c := range comments {
		if *c != wantComments[i] {
			t.Fatalf("%q: comment %d: got %+v, want %+v", src, i, *c, wantComments[i])
		}
	}
}

var lexerCases = []string{
	"", "regimen X version 1.2.0", "1.2.0-rc.1+b5", "7 uL", "7uL", "7\tuL", "7\nuL", "-1 s", "-1", "+1", "1e5", "1e5 s",
	"1ex", "1 e5", "1.5e-3 mL", ".5 s", "5. s", "1.", "a.b", "...", "->", "=>", "=", "-", "- >", "x: 7 min_val: 3",
	`"a\"b"`, `"unterminated`, "\"a\nb\"", `"\`, "stage stages stage_x", "null nullx true", "// c\nx", "é", "x @ y",
	"{ a: [1, 2.5, \"s\"], b?: int in [0 uL, 20 uL] }", "1.2.3.4", "12.5.6", "3 e", "3 E", "3 E1", "3 _u", "0.007", "1e+5",
	"Ñ", "\t\r\n", "a|b?", "x\r\ny", "1e-3", "1.5e+2", "1e-3 s", "2 em", "2e", "2 e", "2E-", "2ex3",
	"// a\n// b\nx // c", "x//c", "//", "a // é\r\n b", "\n\n  \t// c\n", "a\n// c",
}

func TestScannerMatchesRegexpLexer(t *testing.T) {
	for _, src := range lexerCases {
		checkSameTokens(t, src)
	}
	files, _ := filepath.Glob(filepath.Join("..", "examples", "*.regimen"))
	more, _ := filepath.Glob(filepath.Join("..", "regimens", "*", "*.regimen"))
	for _, f := range append(files, more...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkSameTokens(t, string(b))
	}
}

func FuzzScannerMatchesRegexpLexer(f *testing.F) {
	for _, s := range lexerCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		checkSameTokens(t, src)
	})
}

func BenchmarkScanner(b *testing.B)     { benchLex(b, scannerDefinition) }
func BenchmarkRegexpLexer(b *testing.B) { benchLex(b, lexerDef.Get()) }
func benchLex(b *testing.B, def lexer.Definition) {
	var src bytes.Buffer
	for i := 0; i < 500; i++ {
		src.WriteString("stage S1 {\n    script: task\n    params: base { level: 1, max: 10 min, reward_volume: 7 uL, name: \"x\" }\n}\nprogress S1 -> S2 when passed\n")
	}
	s := src.String()
	b.SetBytes(int64(len(s)))
	for i := 0; i < b.N; i++ {
		if _, _, err := lexAll(def, s); err != nil {
			b.Fatal(err)
		}
	}
}

// TestTokenTypesAreLexerDefs holds the scanner's token constants (which let
// no lexer be built at start-up) to the types lexerDef gives its rules.
func TestTokenTypesAreLexerDefs(t *testing.T) {
	want := lexerDef.Get().Symbols()
	if len(want) != len(tokenSymbols.Get()) {
		t.Errorf("lexerDef has %d symbols, the scanner %d", len(want), len(tokenSymbols.Get()))
	}
	for name, tt := range want {
		if got, ok := tokenSymbols.Get()[name]; !ok || got != tt {
			t.Errorf("token %s: the scanner's type is %d (present %v), lexerDef's %d", name, got, ok, tt)
		}
	}
}
