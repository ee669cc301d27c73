package lang

import (
	"fmt"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// Keywords are reserved: they cannot name a stage, a criterion or a value
// without quotes, though they may be record keys.
var Keywords = []string{
	"regimen", "import", "criterion", "trigger", "schema", "script", "let",
	"params", "stage", "migrate", "test", "true", "false", "null", "final",
}

// The lexer. A Quantity is a number and its unit on one line (`7 uL`,
// `250ms`); a unit never starts a new line, so a number ending one line is
// never joined to the key that starts the next.
var lexerDef = lexer.MustSimple([]lexer.SimpleRule{
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

var parser = participle.MustBuild[File](
	participle.Lexer(scannerDefinition),
	participle.Elide("Comment", "Whitespace"),
	participle.Union[Decl](
		// the commonest first: each alternative tried costs a branch
		&StageDecl{}, &TransitionDecl{}, &ParamsDecl{}, &LetDecl{},
		&ScriptDecl{}, &SchemaDecl{}, &CriterionDecl{}, &TriggerDecl{},
		&ImportDecl{}, &RegimenDecl{}, &MigrateDecl{}, &TestDecl{},
	),
)

// Grammar returns the EBNF of the language, as participle derives it from the
// AST (kept in testdata/grammar.ebnf by a golden test).
func Grammar() string { return parser.String() }

// TokenName returns the name of a token type.
func TokenName(t lexer.TokenType) string {
	for name, tt := range lexerDef.Symbols() {
		if tt == t {
			return name
		}
	}
	return fmt.Sprint(int(t))
}
