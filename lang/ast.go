package lang

import "github.com/alecthomas/participle/v2/lexer"

// The AST. Its struct tags are the grammar (see grammar.go and the golden
// testdata/grammar.ebnf). Every node records Pos and EndPos (exclusive), so a
// diagnostic can point at exactly the part it concerns. The grammar is kept
// permissive: the compiler does the real checking and collects many
// diagnostics where the parser could report only one.

// File is one .regimen source file.
type File struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Decls []Decl `parser:"@@*"`

	// Comments are all the file's comments in source order, kept beside
	// the tree as go/ast keeps them: the parser never sees them.
	Comments []*CommentGroup
}

// Comment is one `// ...` comment; Text is as written, slashes included,
// and runs to the end of its line (the newline excluded).
type Comment struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Text   string

	// pad is how many blanks lie between the comment and code before it
	// on its line (0 when it has a line of its own): the printer keeps
	// comments aligned where the source aligned them.
	pad int
}

// Range returns the comment's range.
func (c *Comment) Range() Range { return RangeOf(c.Pos, c.EndPos) }

// CommentGroup is a run of comments with no token and no blank line
// between them.
type CommentGroup struct {
	List []*Comment
}

// Range returns the range from the group's first comment to the end of
// its last.
func (g *CommentGroup) Range() Range {
	return RangeOf(g.List[0].Pos, g.List[len(g.List)-1].EndPos)
}

// Ident is a name as written, with its range.
type Ident struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Name string `parser:"@Ident"`
}

// Name is an identifier or a quoted string: how stages, keys and criteria may
// be written when they follow no identifier convention.
type Name struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Ident  string `parser:"  @Ident"`
	Quoted string `parser:"| @String"`
}

// Key is a record or schema field name: an identifier, a keyword, or a
// quoted string.
type Key struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Ident  string `parser:"  @(Ident | Keyword)"`
	Quoted string `parser:"| @String"`
}

// Decl is a top-level declaration.
type Decl interface{ decl() }

// RegimenDecl is the header: `regimen NAME version SEMVER`,
// `regimen "RAW_NAME"`, or `regimen null` for a legacy regimen without a
// name.
type RegimenDecl struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Name    *Ident   `parser:"'regimen' ( @@"`
	Version *Version `parser:"            ( 'version' @@ )?"`
	Raw     *Str     `parser:"          | @@"`
	Null    bool     `parser:"          | @'null' )"`
}

// Version is a semantic version such as 1.2.0.
type Version struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Text string `parser:"@(Version | Number)"`
}

// ImportDecl imports a library by path, relative to the importing file.
type ImportDecl struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Path *Str `parser:"'import' @@"`
}

// CriterionDecl declares criteria the mtrain service evaluates.
type CriterionDecl struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Names []*Name `parser:"'criterion' @@ ( ',' @@ )*"`
}

// TriggerDecl declares triggers beyond the built-in progress and manual.
type TriggerDecl struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Names []*Name `parser:"'trigger' @@ ( ',' @@ )*"`
}

// SchemaDecl names a type: `schema Name { fields }` or `schema Name = Type`.
type SchemaDecl struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Name   *Ident      `parser:"'schema' @@"`
	Record *RecordType `parser:"( @@"`
	Type   *Type       `parser:"| '=' @@ )"`
}

// ScriptDecl declares a camstim script, optionally with the schema its
// parameters satisfy: `script name: Schema { url: "...", md5: "..." }`.
type ScriptDecl struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Name   *Ident  `parser:"'script' @@"`
	Schema *Ident  `parser:"( ':' @@ )?"`
	Body   *Record `parser:"@@"`
}

// LetDecl declares a constant: `let name = value` or `let name: Type = value`.
type LetDecl struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Name  *Ident `parser:"'let' @@"`
	Type  *Type  `parser:"( ':' @@ )?"`
	Value *Expr  `parser:"'=' @@"`
}

// ParamsDecl declares a named parameter set: `params name: Schema { ... }` or
// `params name = base { overrides }`.
type ParamsDecl struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Name   *Ident  `parser:"'params' @@"`
	Schema *Ident  `parser:"( ':' @@ )?"`
	Body   *Record `parser:"( @@"`
	Value  *Expr   `parser:"| '=' @@ )"`
}

// StageDecl declares a stage: `stage NAME { script: s, params: p }`;
// `final stage NAME { ... }` declares a stage a mouse ends on, so that it
// needs no transition out (the trap-stage lint).
type StageDecl struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Final bool    `parser:"@'final'?"`
	Name  *Name   `parser:"'stage' @@"`
	Body  *Record `parser:"@@"`
}

// TransitionDecl is `TRIGGER SOURCE -> DEST [when A, B] [unless C]`.
//
// The criteria of `when` and `unless` are written as the document should
// hold them: `when a` is one criterion as a string, `when [a]` a list of
// one, `when a, b` and `when [a, b]` lists, `when []` an empty list and
// `when null` null (see WhenForm).
type TransitionDecl struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Trigger    *Ident  `parser:"@@"`
	Source     *Name   `parser:"@@ '->'"`
	Dest       *Name   `parser:"@@"`
	WhenNull   bool    `parser:"( 'when' ( @'null'"`
	WhenList   bool    `parser:"| @'['"`
	When       []*Name `parser:"( @@ ( ',' @@ )* )? ']' | @@ ( ',' @@ )* ) )?"`
	UnlessNull bool    `parser:"( 'unless' ( @'null'"`
	UnlessList bool    `parser:"| @'['"`
	Unless     []*Name `parser:"( @@ ( ',' @@ )* )? ']' | @@ ( ',' @@ )* ) )?"`
}

// CriteriaShape is how a transition writes its when or unless criteria.
type CriteriaShape int

const (
	CriteriaNames CriteriaShape = iota // `when a, b` (or no when at all)
	CriteriaOne                        // `when a`: one criterion, not in brackets
	CriteriaList                       // `when [a]`, `when [a, b]`, `when []`
	CriteriaNull                       // `when null`
)

// WhenForm is how the transition writes its `when` criteria.
func (t *TransitionDecl) WhenForm() CriteriaShape {
	return criteriaShape(t.WhenNull, t.WhenList, t.When)
}

// UnlessForm is how the transition writes its `unless` criteria.
func (t *TransitionDecl) UnlessForm() CriteriaShape {
	return criteriaShape(t.UnlessNull, t.UnlessList, t.Unless)
}

func criteriaShape(null, list bool, names []*Name) CriteriaShape {
	switch {
	case null:
		return CriteriaNull
	case list:
		return CriteriaList
	case len(names) == 1:
		return CriteriaOne
	}
	return CriteriaNames
}

// NullSectionDecl is `transitions null` or `stages null`: the document
// writes that section as null, as a legacy regimen.yml with an empty
// `transitions:` (or `stages:`) key did. The regimen then has no
// transitions (stages).
type NullSectionDecl struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Section string `parser:"@('transitions' | 'stages') 'null'"`
}

// MigrateDecl maps stages of earlier versions onto this regimen's stages:
// `migrate from NAME MAJOR { "old" -> new }`.
type MigrateDecl struct {
	Pos    lexer.Position
	EndPos lexer.Position

	From     *Name           `parser:"'migrate' 'from' @@"`
	Major    *Version        `parser:"@@?"`
	Mappings []*StageMapping `parser:"'{' ( @@ ','? )* '}'"`
}

// StageMapping is one `old -> new` line of a migrate block.
type StageMapping struct {
	Pos    lexer.Position
	EndPos lexer.Position

	From *Name `parser:"@@ '->'"`
	To   *Name `parser:"@@"`
}

// TestDecl is a transition test: a start stage, then trigger steps each with
// the criteria that hold and the stage expected after it.
type TestDecl struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Title *Str        `parser:"'test' @@ '{'"`
	Start *Name       `parser:"'start' @@"`
	Steps []*TestStep `parser:"@@* '}'"`
}

// TestStep is `TRIGGER [criteria...] => STAGE`.
type TestStep struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Trigger  *Ident  `parser:"@@"`
	Criteria []*Name `parser:"'[' ( @@ ( ',' @@ )* )? ']'"`
	Expect   *Name   `parser:"'=>' @@"`
}

func (*RegimenDecl) decl()     {}
func (*NullSectionDecl) decl() {}
func (*ImportDecl) decl()      {}
func (*CriterionDecl) decl()   {}
func (*TriggerDecl) decl()     {}
func (*SchemaDecl) decl()      {}
func (*ScriptDecl) decl()      {}
func (*LetDecl) decl()         {}
func (*ParamsDecl) decl()      {}
func (*StageDecl) decl()       {}
func (*TransitionDecl) decl()  {}
func (*MigrateDecl) decl()     {}
func (*TestDecl) decl()        {}

// Str is a quoted string literal as written (escapes not yet decoded).
type Str struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Raw string `parser:"@String"`
}

// Expr is a value: a literal, list, record or reference, optionally
// followed by a record of overrides (`base { overrides }`, the checked form
// of YAML's merge key). The value's own alternatives sit in Expr itself
// rather than in a node of their own: values are most of a regimen's nodes,
// and each node costs the reflective parser time.
type Expr struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Ref      *string `parser:"(   @Ident"`
	Number   *string `parser:"  | @Number"`
	Quantity *string `parser:"  | @Quantity"`
	Str      *string `parser:"  | @String"`
	Record   *Record `parser:"  | @@"`
	List     *List   `parser:"  | @@"`
	Null     bool    `parser:"  | @'null'"`
	True     bool    `parser:"  | @'true'"`
	False    bool    `parser:"  | @'false' )"`
	Override *Record `parser:"@@?"`
}

// List is `[a, b, c]`; a trailing comma is allowed.
type List struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Items []*Expr `parser:"'[' ( @@ ( ',' @@ )* ','? )? ']'"`
}

// Record is `{ key: value, ... }`; commas between entries are optional.
type Record struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Entries []*Entry `parser:"'{' ( @@ ','? )* '}'"`
}

// Entry is one `key: value` of a record. A dotted key (`a.b: v`) reaches
// into a nested record. Keys are names, keywords or quoted strings, kept as
// written, each with its range (see Key and KeyRange).
type Entry struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Path  []*Key `parser:"@@ ( '.' @@ )*"`
	Value *Expr  `parser:"':' @@"`
}

// RecordType is a schema body: fields, other schemas whose fields it
// takes (`...Base`), and `...` when the record is open.
type RecordType struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Fields []*FieldType `parser:"'{' ( @@ ','?"`
	Embeds []*Ident     `parser:"    | '...' @@ ','? )*"`
	Open   bool         `parser:"( @'...' ','? )? '}'"`
}

// FieldType is `name: Type` or, for a field that may be left out,
// `name?: Type`.
type FieldType struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Key      *Key  `parser:"@@"`
	Optional bool  `parser:"@'?'? ':'"`
	Type     *Type `parser:"@@"`
}

// Type is a union of alternatives: `A | B | null`.
type Type struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Alts []*TypeTerm `parser:"@@ ( '|' @@ )*"`
}

// TypeTerm is one alternative, with `?` when it may also be null.
type TypeTerm struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Literal  *LiteralType `parser:"(   @@"`
	Tuple    *TupleType   `parser:"  | @@"`
	Record   *RecordType  `parser:"  | @@"`
	Named    *NamedType   `parser:"  | @@ )"`
	Nullable bool         `parser:"@'?'?"`
}

// TupleType is `[A, B]` (a fixed length) or `[A, ...]` (a list of any length).
type TupleType struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Elems    []*Type `parser:"'[' @@ ( ',' @@ )*"`
	Variadic bool    `parser:"( ',' @'...' )? ']'"`
}

// NamedType is a primitive or schema name, a unit dimension such as
// `volume(mL)` or `time(min, int)`, with an optional range `in [lo, hi]`.
type NamedType struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Name  *Ident     `parser:"@@"`
	Unit  *Ident     `parser:"( '(' @@"`
	AsInt *Ident     `parser:"  ( ',' @@ )? ')' )?"`
	Range *RangeType `parser:"@@?"`
}

// RangeType is `in [lo, hi]`, both ends included.
type RangeType struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Lo *Expr `parser:"'in' '[' @@ ','"`
	Hi *Expr `parser:"@@ ']'"`
}

// LiteralType is a literal used as a type: the one value a field may hold
// (`"DoC"`, `0`, `true`, `null`).
type LiteralType struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Quantity *string `parser:"  @Quantity"`
	Number   *string `parser:"| @Number"`
	Str      *string `parser:"| @String"`
	Null     bool    `parser:"| @'null'"`
	True     bool    `parser:"| @'true'"`
	False    bool    `parser:"| @'false'"`
}
