package lang

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// keywords is the one list of reserved words: each starts a declaration
// (so the parser resumes there after a broken one), or is a value.
var keywords = []struct {
	word  string
	value bool
}{
	{"regimen", false}, {"import", false}, {"criterion", false}, {"trigger", false},
	{"schema", false}, {"script", false}, {"let", false}, {"params", false},
	{"stage", false}, {"migrate", false}, {"test", false}, {"final", false},
	{"true", true}, {"false", true}, {"null", true},
}

// Keywords are reserved: they cannot name a stage, a criterion or a value
// without quotes, though they may be record keys. The README lists them
// (a test holds the two together).
var Keywords = func() []string {
	out := make([]string, len(keywords))
	for i, k := range keywords {
		out[i] = k.word
	}
	return out
}()

// IsKeyword reports whether s is a reserved word.
func IsKeyword(s string) bool {
	for _, k := range keywords {
		if k.word == s {
			return true
		}
	}
	return false
}

// isDeclKeyword reports whether s is a keyword that starts a declaration.
func isDeclKeyword(s string) bool {
	for _, k := range keywords {
		if k.word == s {
			return !k.value
		}
	}
	return false
}

// isValueKeyword reports whether s is a keyword that is a value (true,
// false, null).
func isValueKeyword(s string) bool { return IsKeyword(s) && !isDeclKeyword(s) }

// The lexer. A Quantity is a number and its unit on one line (`7 uL`,
// `250ms`); a unit never starts a new line, so a number ending one line is
// never joined to the key that starts the next.
//
// It is built by its first use (the differential test and fuzzer, which
// hold the scanner to it), not at start-up: compiling its expressions cost
// every command about 100 KB before main. Its rules' order gives the token
// types the scanner's constants (scanner.go) spell out.
var lexerDef = sync.OnceValue(func() *lexer.StatefulDefinition {
	return lexer.MustSimple([]lexer.SimpleRule{
		{Name: "Comment", Pattern: `//[^\n]*`},
		{Name: "Whitespace", Pattern: `[ \t\r\n]+`},
		{Name: "Version", Pattern: `\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?`},
		{Name: "Quantity", Pattern: `-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?[ \t]*(?:[A-DF-Za-df-z_]\w*|[eE][A-Za-z_]\w*)\b`},
		{Name: "Number", Pattern: `[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?`},
		{Name: "String", Pattern: `"(?:\\.|[^"\\\n])*"`},
		{Name: "Keyword", Pattern: `(?:` + strings.Join(Keywords, "|") + `)\b`},
		{Name: "Ident", Pattern: `[A-Za-z_][A-Za-z0-9_]*`},
		{Name: "Punct", Pattern: `->|=>|\.\.\.|[{}\[\]():,=|?.]`},
	})
})

// parser is built by the first parse, not at start-up: building it takes
// milliseconds and a megabyte that `regc version`, `regc build` of a legacy
// file and the sync commands do not need.
// The fast parser (fastparse.go) reads the files it can without it.
var parser = sync.OnceValue(func() *participle.Parser[File] {
	parserBuilt.Store(true)
	return participle.MustBuild[File](
		participle.Lexer(scannerDefinition),
		participle.Elide("Comment", "Whitespace"),
		participle.Union[Decl](
			// the commonest first: each alternative tried costs a branch
			&StageDecl{}, &NullSectionDecl{}, &TransitionDecl{}, &ParamsDecl{}, &LetDecl{},
			&ScriptDecl{}, &SchemaDecl{}, &CriterionDecl{}, &TriggerDecl{},
			&ImportDecl{}, &RegimenDecl{}, &MigrateDecl{}, &TestDecl{},
		),
	)
})

// parserBuilt records that parser has been built (a test holds a parse
// that the fast parser takes to not building it).
var parserBuilt atomic.Bool

// Grammar returns the EBNF of the language, as participle derives it from the
// AST (kept in testdata/grammar.ebnf by a golden test).
func Grammar() string { return parser().String() }

// TokenName returns the name of a token type.
func TokenName(t lexer.TokenType) string {
	for name, tt := range tokenSymbols {
		if tt == t {
			return name
		}
	}
	return fmt.Sprint(int(t))
}
