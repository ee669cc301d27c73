package lang

import (
	"fmt"
	"github.com/regc/regc/internal/lazy"
	"strings"
	"sync/atomic"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// Keywords are reserved: they cannot name a stage, a criterion or a value
// without quotes, though they may be record keys. Each starts a
// declaration (so the parser resumes there after a broken one), but the
// last three, which are values. The README lists them (a test holds the
// two together).
var Keywords = []string{
	"regimen", "import", "criterion", "trigger", "schema", "script", "let", "params",
	"stage", "migrate", "test", "final",
	"true", "false", "null",
}

// IsKeyword reports whether s is a reserved word.
func IsKeyword(s string) bool {
	for _, k := range Keywords {
		if k == s {
			return true
		}
	}
	return false
}

// isDeclKeyword reports whether s is a keyword that starts a declaration.
func isDeclKeyword(s string) bool { return IsKeyword(s) && !isValueKeyword(s) }

// isValueKeyword reports whether s is a keyword that is a value.
func isValueKeyword(s string) bool { return s == "true" || s == "false" || s == "null" }

// The lexer. A Quantity is a number and its unit on one line (`7 uL`,
// `250ms`); a unit never starts a new line, so a number ending one line is
// never joined to the key that starts the next.
//
// It is built by its first use (the differential test and fuzzer, which
// hold the scanner to it), not at start-up: compiling its expressions cost
// every command about 100 KB before main. Its rules' order gives the token
// types the scanner's constants (scanner.go) spell out.
var lexerDef = lazy.Value[*lexer.StatefulDefinition]{Build: func() *lexer.StatefulDefinition {
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
}}

// parser is built by the first parse, not at start-up: building it takes
// milliseconds and a megabyte that `regc version`, `regc build` of a legacy
// file and the sync commands do not need.
// The fast parser (fastparse.go) reads the files it can without it.
var parser = lazy.Value[*participle.Parser[File]]{Build: func() *participle.Parser[File] {
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
}}

// parserBuilt records that parser has been built (a test holds a parse
// that the fast parser takes to not building it).
var parserBuilt atomic.Bool

// Grammar returns the EBNF of the language, as participle derives it from the
// AST (kept in testdata/grammar.ebnf by a golden test).
func Grammar() string { return parser.Get().String() }

// TokenName returns the name of a token type.
func TokenName(t lexer.TokenType) string {
	for name, tt := range tokenSymbols.Get() {
		if tt == t {
			return name
		}
	}
	return fmt.Sprint(int(t))
}
