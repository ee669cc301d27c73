package lang

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The fast parser: a recursive-descent parser for exactly the grammar that
// the AST's struct tags give participle (testdata/grammar.ebnf), producing
// the tree participle produces, field for field and position for position.
// It is an accelerator: on anything it does not parse cleanly it fails, and
// the declarations are parsed by participle as before, so every syntax
// diagnostic stays participle's. When it succeeds participle's parser is
// never built, which is most of a small command's start-up. The
// differential tests and the fuzzer (fastparse_test.go) hold it to
// participle.
//
// participle's semantics, which it follows: a struct's Pos is its first
// token's, its EndPos the position just past its last token; an empty
// repetition leaves a slice nil; and participle looks one token ahead: an
// optional part or alternative that fails after consuming at most one token
// is given up and parsing goes on before it, while one that fails further in
// fails the whole parse. Where the grammar needs two tokens to decide
// (`transitions null`, `version 1.0.0` after a regimen name, `in [` after a
// type, `...Base` in a schema, a trailing comma in a list or tuple) it looks
// at both, as participle's backing out of the one-token attempt does.
// Everywhere else the first token decides, and a failure after it fails the
// parse: no other continuation could take that token (a failure there
// fails participle's parse too, just with an error message).

// fastFail is the panic that ends a parse the fast parser does not take.
type fastFail struct{}

// ftoken is a token and the position just past it.
type ftoken struct {
	typ      lexer.TokenType
	val      string
	pos, end lexer.Position
}

type fastParser struct {
	sc       scanner
	tok      ftoken // the current token
	ahead    ftoken // the token after it, when peeked
	hasAhead bool
	prevEnd  lexer.Position // the end of the last token consumed
	depth    int            // brackets open at the last token scanned
}

// fastParse parses the declarations of one stretch of the file as
// parseChunk does; ok is false where it leaves the stretch to participle.
func fastParse(text string, ch chunk) (decls []Decl, ok bool) {
	return fastParseCollecting(text, ch, nil)
}

// fastParseCollecting is fastParse collecting the stretch's comments into
// comments (when not nil), as splitDecls does. It gives up (ok false) on
// brackets nested deeper than MaxNesting, which parse then reports.
func fastParseCollecting(text string, ch chunk, comments *[]*Comment) (decls []Decl, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, fail := r.(fastFail); !fail {
				panic(r)
			}
			decls, ok = nil, false
		}
	}()
	p := &fastParser{sc: scanner{src: text, limit: ch.end, pos: ch.start, elide: true, comments: comments}}
	p.tok = p.scan()
	n := 0
	for p.tok.typ != lexer.EOF {
		decls = append(decls, p.decl())
		p.iterate(&n)
	}
	return decls, true
}

func (p *fastParser) fail() { panic(fastFail{}) }

// iterate counts one more match of a repetition: participle gives up on a
// repetition that reaches MaxIterations.
func (p *fastParser) iterate(n *int) {
	*n++
	if *n >= participle.MaxIterations {
		p.fail()
	}
}

func (p *fastParser) scan() ftoken {
	t, err := p.sc.Next()
	if err != nil {
		p.fail()
	}
	if t.Type == tokPunct {
		switch t.Value {
		case "{", "[", "(":
			if p.depth++; p.depth > MaxNesting {
				p.fail() // the parser is recursive: parse reports the depth
			}
		case "}", "]", ")":
			p.depth = max(p.depth-1, 0)
		}
	}
	return ftoken{typ: t.Type, val: t.Value, pos: t.Pos, end: p.sc.pos}
}

// advance consumes the current token.
func (p *fastParser) advance() {
	p.prevEnd = p.tok.end
	if p.hasAhead {
		p.tok, p.hasAhead = p.ahead, false
		return
	}
	if p.tok.typ == lexer.EOF {
		p.fail()
	}
	p.tok = p.scan()
}

// peek returns the token after the current one.
func (p *fastParser) peek() ftoken {
	if !p.hasAhead {
		if p.tok.typ == lexer.EOF {
			return p.tok
		}
		p.ahead, p.hasAhead = p.scan(), true
	}
	return p.ahead
}

// is reports whether the current token is the literal s (participle
// matches a literal by its text, whatever the token's type).
func (p *fastParser) is(s string) bool { return p.tok.typ != lexer.EOF && p.tok.val == s }

func (p *fastParser) expect(s string) {
	if !p.is(s) {
		p.fail()
	}
	p.advance()
}

// accept consumes the literal s if it is next.
func (p *fastParser) accept(s string) bool {
	if p.is(s) {
		p.advance()
		return true
	}
	return false
}

// text consumes a token of type typ and returns its text.
func (p *fastParser) text(typ lexer.TokenType) string {
	if p.tok.typ != typ {
		p.fail()
	}
	s := p.tok.val
	p.advance()
	return s
}

func isNameTok(t ftoken) bool { return t.typ == tokIdent || t.typ == tokString }
func isKeyTok(t ftoken) bool  { return t.typ == tokIdent || t.typ == tokKeyword || t.typ == tokString }
func isValueWord(t ftoken) bool {
	return t.typ == tokKeyword && (t.val == "null" || t.val == "true" || t.val == "false")
}

// isValueStart reports whether t can start a value (Expr) or, the same
// set, a type (TypeTerm).
func isValueStart(t ftoken) bool {
	switch t.typ {
	case tokIdent, tokNumber, tokQuantity, tokString:
		return true
	case tokPunct:
		return t.val == "{" || t.val == "["
	}
	return isValueWord(t)
}

func (p *fastParser) decl() Decl {
	switch p.tok.typ {
	case tokKeyword:
		switch p.tok.val {
		case "final", "stage":
			return p.stageDecl()
		case "params":
			return p.paramsDecl()
		case "let":
			return p.letDecl()
		case "script":
			return p.scriptDecl()
		case "schema":
			return p.schemaDecl()
		case "criterion":
			d := &CriterionDecl{Pos: p.tok.pos}
			d.Names = p.keywordNames()
			d.EndPos = p.prevEnd
			return d
		case "trigger":
			d := &TriggerDecl{Pos: p.tok.pos}
			d.Names = p.keywordNames()
			d.EndPos = p.prevEnd
			return d
		case "import":
			d := &ImportDecl{Pos: p.tok.pos}
			p.advance()
			d.Path = p.str()
			d.EndPos = p.prevEnd
			return d
		case "regimen":
			return p.regimenDecl()
		case "migrate":
			return p.migrateDecl()
		case "test":
			return p.testDecl()
		}
	case tokIdent:
		if (p.tok.val == "transitions" || p.tok.val == "stages") && p.peek().val == "null" {
			d := &NullSectionDecl{Pos: p.tok.pos, Section: p.tok.val}
			p.advance()
			p.advance()
			d.EndPos = p.prevEnd
			return d
		}
		return p.transitionDecl()
	}
	p.fail()
	return nil
}

// keywordNames reads `KEYWORD Name ("," Name)*`.
func (p *fastParser) keywordNames() []*Name {
	p.advance()
	return p.names()
}

func (p *fastParser) stageDecl() *StageDecl {
	d := &StageDecl{Pos: p.tok.pos}
	d.Final = p.accept("final")
	p.expect("stage")
	d.Name = p.name()
	d.Body = p.record()
	d.EndPos = p.prevEnd
	return d
}

func (p *fastParser) transitionDecl() *TransitionDecl {
	d := &TransitionDecl{Pos: p.tok.pos}
	d.Trigger = p.ident()
	d.Source = p.name()
	p.expect("->")
	d.Dest = p.name()
	if p.accept("when") {
		d.WhenNull, d.WhenList, d.When = p.criteria()
	}
	if p.accept("unless") {
		d.UnlessNull, d.UnlessList, d.Unless = p.criteria()
	}
	d.EndPos = p.prevEnd
	return d
}

// criteria reads what follows `when` or `unless`.
func (p *fastParser) criteria() (null, list bool, names []*Name) {
	switch {
	case p.accept("null"):
		return true, false, nil
	case p.accept("["):
		if isNameTok(p.tok) {
			names = p.names()
		}
		p.expect("]")
		return false, true, names
	}
	return false, false, p.names()
}

// names reads `Name ("," Name)*`.
func (p *fastParser) names() []*Name {
	names := []*Name{p.name()}
	n := 0
	for p.accept(",") {
		names = append(names, p.name())
		p.iterate(&n)
	}
	return names
}

// nameAndSchema reads a declaration's keyword, its name and the schema it
// may name (`params p: Schema`, `script s: Schema`).
func (p *fastParser) nameAndSchema() (name, schema *Ident) {
	p.advance()
	name = p.ident()
	if p.accept(":") {
		schema = p.ident()
	}
	return name, schema
}

func (p *fastParser) paramsDecl() *ParamsDecl {
	d := &ParamsDecl{Pos: p.tok.pos}
	d.Name, d.Schema = p.nameAndSchema()
	if p.is("{") {
		d.Body = p.record()
	} else {
		p.expect("=")
		d.Value = p.expr()
	}
	d.EndPos = p.prevEnd
	return d
}

func (p *fastParser) letDecl() *LetDecl {
	d := &LetDecl{Pos: p.tok.pos}
	p.advance()
	d.Name = p.ident()
	if p.accept(":") {
		d.Type = p.typ()
	}
	p.expect("=")
	d.Value = p.expr()
	d.EndPos = p.prevEnd
	return d
}

func (p *fastParser) scriptDecl() *ScriptDecl {
	d := &ScriptDecl{Pos: p.tok.pos}
	d.Name, d.Schema = p.nameAndSchema()
	d.Body = p.record()
	d.EndPos = p.prevEnd
	return d
}

func (p *fastParser) schemaDecl() *SchemaDecl {
	d := &SchemaDecl{Pos: p.tok.pos}
	p.advance()
	d.Name = p.ident()
	if p.is("{") {
		d.Record = p.recordType()
	} else {
		p.expect("=")
		d.Type = p.typ()
	}
	d.EndPos = p.prevEnd
	return d
}

func (p *fastParser) regimenDecl() *RegimenDecl {
	d := &RegimenDecl{Pos: p.tok.pos}
	p.advance()
	switch {
	case p.tok.typ == tokIdent:
		d.Name = p.ident()
		// `version` not followed by a version is left to the next
		// declaration, as participle backs out of the one token
		if p.is("version") {
			if next := p.peek(); next.typ == tokVersion || next.typ == tokNumber {
				p.advance()
				d.Version = p.version()
			}
		}
	case p.tok.typ == tokString:
		d.Raw = p.str()
	default:
		p.expect("null")
		d.Null = true
	}
	d.EndPos = p.prevEnd
	return d
}

func (p *fastParser) migrateDecl() *MigrateDecl {
	d := &MigrateDecl{Pos: p.tok.pos}
	p.advance()
	p.expect("from")
	d.From = p.name()
	if p.tok.typ == tokVersion || p.tok.typ == tokNumber {
		d.Major = p.version()
	}
	d.Mappings = braced(p, isNameTok, func() *StageMapping {
		m := &StageMapping{Pos: p.tok.pos}
		m.From = p.name()
		p.expect("->")
		m.To = p.name()
		m.EndPos = p.prevEnd
		return m
	})
	d.EndPos = p.prevEnd
	return d
}

// braced reads `"{" (item ","?)* "}"`, an item where starts holds.
func braced[T any](p *fastParser, starts func(ftoken) bool, item func() T) []T {
	p.expect("{")
	var items []T
	n := 0
	for starts(p.tok) {
		items = append(items, item())
		p.accept(",")
		p.iterate(&n)
	}
	p.expect("}")
	return items
}

func (p *fastParser) testDecl() *TestDecl {
	d := &TestDecl{Pos: p.tok.pos}
	p.advance()
	d.Title = p.str()
	p.expect("{")
	p.expect("start")
	d.Start = p.name()
	n := 0
	for p.tok.typ == tokIdent {
		s := &TestStep{Pos: p.tok.pos}
		s.Trigger = p.ident()
		p.expect("[")
		if isNameTok(p.tok) {
			s.Criteria = p.names()
		}
		p.expect("]")
		p.expect("=>")
		s.Expect = p.name()
		s.EndPos = p.prevEnd
		d.Steps = append(d.Steps, s)
		p.iterate(&n)
	}
	p.expect("}")
	d.EndPos = p.prevEnd
	return d
}

func (p *fastParser) ident() *Ident {
	if p.tok.typ != tokIdent {
		p.fail()
	}
	id := &Ident{Pos: p.tok.pos, EndPos: p.tok.end, Name: p.tok.val}
	p.advance()
	return id
}

func (p *fastParser) name() *Name {
	n := &Name{Pos: p.tok.pos, EndPos: p.tok.end}
	switch p.tok.typ {
	case tokIdent:
		n.Ident = p.tok.val
	case tokString:
		n.Quoted = p.tok.val
	default:
		p.fail()
	}
	p.advance()
	return n
}

func (p *fastParser) key() *Key {
	k := &Key{Pos: p.tok.pos, EndPos: p.tok.end}
	switch p.tok.typ {
	case tokIdent, tokKeyword:
		k.Ident = p.tok.val
	case tokString:
		k.Quoted = p.tok.val
	default:
		p.fail()
	}
	p.advance()
	return k
}

func (p *fastParser) str() *Str {
	s := &Str{Pos: p.tok.pos, EndPos: p.tok.end}
	s.Raw = p.text(tokString)
	return s
}

func (p *fastParser) version() *Version {
	if p.tok.typ != tokVersion && p.tok.typ != tokNumber {
		p.fail()
	}
	v := &Version{Pos: p.tok.pos, EndPos: p.tok.end, Text: p.tok.val}
	p.advance()
	return v
}

// exprNode holds an Expr and the text its string field points at, so
// that a value costs one allocation.
type exprNode struct {
	e    Expr
	text string
}

func (p *fastParser) expr() *Expr {
	box := &exprNode{}
	e := &box.e
	e.Pos = p.tok.pos
	switch p.tok.typ {
	case tokIdent:
		box.text = p.tok.val
		e.Ref = &box.text
		p.advance()
	case tokNumber:
		box.text = p.tok.val
		e.Number = &box.text
		p.advance()
	case tokQuantity:
		box.text = p.tok.val
		e.Quantity = &box.text
		p.advance()
	case tokString:
		box.text = p.tok.val
		e.Str = &box.text
		p.advance()
	case tokKeyword:
		p.valueWord(&e.Null, &e.True, &e.False)
	case tokPunct:
		switch p.tok.val {
		case "{":
			e.Record = p.record()
		case "[":
			e.List = p.list()
		default:
			p.fail()
		}
	default:
		p.fail()
	}
	if p.is("{") {
		e.Override = p.record()
	}
	e.EndPos = p.prevEnd
	return e
}

func (p *fastParser) record() *Record {
	r := &Record{Pos: p.tok.pos}
	r.Entries = braced(p, isKeyTok, func() *Entry {
		en := &Entry{Pos: p.tok.pos}
		en.Path = []*Key{p.key()}
		n := 0
		for p.accept(".") {
			en.Path = append(en.Path, p.key())
			p.iterate(&n)
		}
		p.expect(":")
		en.Value = p.expr()
		en.EndPos = p.prevEnd
		return en
	})
	r.EndPos = p.prevEnd
	return r
}

func (p *fastParser) list() *List {
	l := &List{Pos: p.tok.pos}
	p.expect("[")
	if isValueStart(p.tok) {
		l.Items = []*Expr{p.expr()}
		n := 0
		// a comma not followed by a value is the trailing one
		for p.is(",") && isValueStart(p.peek()) {
			p.advance()
			l.Items = append(l.Items, p.expr())
			p.iterate(&n)
		}
		p.accept(",")
	}
	p.expect("]")
	l.EndPos = p.prevEnd
	return l
}

func (p *fastParser) typ() *Type {
	t := &Type{Pos: p.tok.pos}
	t.Alts = []*TypeTerm{p.typeTerm()}
	n := 0
	for p.accept("|") {
		t.Alts = append(t.Alts, p.typeTerm())
		p.iterate(&n)
	}
	t.EndPos = p.prevEnd
	return t
}

func (p *fastParser) typeTerm() *TypeTerm {
	t := &TypeTerm{Pos: p.tok.pos}
	switch p.tok.typ {
	case tokQuantity, tokNumber, tokString, tokKeyword:
		t.Literal = p.literalType()
	case tokIdent:
		t.Named = p.namedType()
	case tokPunct:
		switch p.tok.val {
		case "[":
			t.Tuple = p.tupleType()
		case "{":
			t.Record = p.recordType()
		default:
			p.fail()
		}
	default:
		p.fail()
	}
	t.Nullable = p.accept("?")
	t.EndPos = p.prevEnd
	return t
}

func (p *fastParser) literalType() *LiteralType {
	l := &LiteralType{Pos: p.tok.pos, EndPos: p.tok.end}
	s := p.tok.val
	switch p.tok.typ {
	case tokQuantity:
		l.Quantity = &s
	case tokNumber:
		l.Number = &s
	case tokString:
		l.Str = &s
	default:
		p.valueWord(&l.Null, &l.True, &l.False)
		return l
	}
	p.advance()
	return l
}

// valueWord consumes null, true or false, setting the flag it names.
func (p *fastParser) valueWord(null, yes, no *bool) {
	switch p.tok.val {
	case "null":
		*null = true
	case "true":
		*yes = true
	case "false":
		*no = true
	default:
		p.fail()
	}
	p.advance()
}

func (p *fastParser) tupleType() *TupleType {
	t := &TupleType{Pos: p.tok.pos}
	p.expect("[")
	t.Elems = []*Type{p.typ()}
	n := 0
	for p.is(",") && isValueStart(p.peek()) {
		p.advance()
		t.Elems = append(t.Elems, p.typ())
		p.iterate(&n)
	}
	if p.is(",") && p.peek().val == "..." {
		p.advance()
		p.advance()
		t.Variadic = true
	}
	p.expect("]")
	t.EndPos = p.prevEnd
	return t
}

func (p *fastParser) recordType() *RecordType {
	r := &RecordType{Pos: p.tok.pos}
	p.expect("{")
	n := 0
	for {
		switch {
		case isKeyTok(p.tok):
			f := &FieldType{Pos: p.tok.pos}
			f.Key = p.key()
			f.Optional = p.accept("?")
			p.expect(":")
			f.Type = p.typ()
			f.EndPos = p.prevEnd
			r.Fields = append(r.Fields, f)
		case p.is("...") && p.peek().typ == tokIdent:
			p.advance()
			r.Embeds = append(r.Embeds, p.ident())
		default:
			if p.accept("...") {
				r.Open = true
				p.accept(",")
			}
			p.expect("}")
			r.EndPos = p.prevEnd
			return r
		}
		p.accept(",")
		p.iterate(&n)
	}
}

func (p *fastParser) namedType() *NamedType {
	t := &NamedType{Pos: p.tok.pos}
	t.Name = p.ident()
	if p.accept("(") {
		t.Unit = p.ident()
		if p.accept(",") {
			t.AsInt = p.ident()
		}
		p.expect(")")
	}
	// `in` not followed by "[" is left to what follows (a key named in),
	// as participle backs out of the one token
	if p.is("in") && p.peek().val == "[" {
		r := &RangeType{Pos: p.tok.pos}
		p.advance()
		p.advance()
		r.Lo = p.expr()
		p.expect(",")
		r.Hi = p.expr()
		p.expect("]")
		r.EndPos = p.prevEnd
		t.Range = r
	}
	t.EndPos = p.prevEnd
	return t
}
