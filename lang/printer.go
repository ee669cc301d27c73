package lang

// The printer: source from the tree, in one canonical layout, with every
// comment in place.
//
// The layout follows the one the repository's examples are written in:
// four spaces a level; a record, schema body, list or migrate block goes on
// one line when the source wrote it on one line and one entry a line
// otherwise (a list's items each followed by a comma, a record's entries
// without); blank lines between declarations and between entries are kept,
// at most one; a test is always a block. A comment that ends a line
// follows its code by two spaces.
//
// Tables are aligned as people align them by hand: consecutive one-line
// stages (`stage` and `final stage`) on their `{`, consecutive one-line
// schemas with a body on theirs, consecutive one-line transitions on their
// source stage; and the comments that end consecutive lines of one level
// on one column, two spaces after the longest of those lines. A blank line
// or a line of its own (a comment) ends a table. Nothing depends on the
// blanks within the source's lines, so the layout is one: a file whose
// blanks are changed (a line's indent, the spaces between tokens, a
// quantity's `7   uL`) prints as it did.
//
// A comment is printed where the tree's positions put it: before the first
// token that follows it in the source, on a line of its own when it had one,
// else at the end of the line of the token before it. A comment that falls
// between two tokens the layout puts on one line breaks that line, the rest
// continuing one level deeper.

import (
	"bytes"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// Print returns the source of f in the canonical layout.
func Print(f *File) []byte {
	p := &printer{lastLine: -1, cur: -1}
	// about a line of output a line of the source (the tree's end says
	// how many), which saves growing the lines one append at a time
	if n := f.EndPos.Line; n > 0 && n <= maxLineHint {
		p.out = make([]line, 0, n+n/8+8)
	}
	if len(f.Comments) == 1 {
		p.comments = f.Comments[0].List // only read
	} else {
		for _, g := range f.Comments {
			p.comments = append(p.comments, g.List...)
		}
	}
	for _, d := range f.Decls {
		p.decl(d)
	}
	p.broken = false
	p.flush(-1, false)
	p.endLine()
	return p.bytes()
}

// maxLineHint bounds the lines Print makes room for up front.
const maxLineHint = 1 << 22

// line is one line of output. Its code and its comment are apart so that
// comments can be aligned; tab is where a table pads the line (the byte
// of code after which padding goes, with tabKind saying which table), -1
// when the line is no row of a table.
type line struct {
	indent  int
	code    string
	comment string
	tab     int
	tabKind int
}

const (
	tabNone = iota
	tabStage
	tabSchema
	tabTransition
)

type printer struct {
	out      []line
	cur      int    // the index of the line being written, -1 between lines
	buf      []byte // the code of the line being written
	indent   int    // the level of the lines being written
	comments []*Comment
	next     int // the first comment not yet printed
	// lastLine is the source line the last token printed ended on, to
	// know a trailing comment and to keep blank lines.
	lastLine int
	// broken: a comment broke the current construct's line; the rest
	// continues on a new line one level deeper.
	broken bool
}

// text writes s after what the current line holds.
func (p *printer) text(s string) {
	if p.cur < 0 {
		ind := p.indent
		if p.broken {
			ind++
		}
		p.out = append(p.out, line{indent: ind, tab: -1})
		p.cur = len(p.out) - 1
		p.buf = p.buf[:0]
	}
	p.buf = append(p.buf, s...)
}

// hasCode reports whether the current line holds code.
func (p *printer) hasCode() bool { return p.cur >= 0 && len(bytes.TrimSpace(p.buf)) > 0 }

// token writes s, a token (or tokens) of the source starting at pos, after
// the comments that come before it.
func (p *printer) token(pos lexer.Position, s string) {
	p.flush(pos.Offset, true)
	p.text(s)
	p.lastLine = pos.Line
}

// endLine ends the current line.
func (p *printer) endLine() {
	if p.cur >= 0 {
		p.out[p.cur].code = strings.TrimRight(string(p.buf), " ")
	}
	p.cur = -1
}

// blank writes a blank line unless the output has one there already or is
// at a block's start.
func (p *printer) blank() {
	p.endLine()
	if n := len(p.out); n > 0 {
		last := p.out[n-1]
		if last.code == "" && last.comment == "" || last.comment == "" && (strings.HasSuffix(last.code, "{") || strings.HasSuffix(last.code, "[")) {
			return
		}
		p.out = append(p.out, line{tab: -1})
	}
}

// startLine begins a new line for the node starting at pos: the comments
// before it on lines of their own, and a blank line where the source had one
// or more.
func (p *printer) startLine(pos lexer.Position) {
	p.broken = false
	p.flush(pos.Offset, false)
	p.endLine()
	if p.lastLine >= 0 && pos.Line > p.lastLine+1 {
		p.blank()
	}
}

// flush prints the comments that start before offset off (all of them for
// off < 0). mid: they come between two tokens of one line, which they
// break.
func (p *printer) flush(off int, mid bool) {
	for p.next < len(p.comments) && (off < 0 || p.comments[p.next].Pos.Offset < off) {
		c := p.comments[p.next]
		text := strings.TrimRight(c.Text, " \t\r")
		p.next++
		if mid && p.hasCode() {
			p.broken = true
		}
		if p.hasCode() && p.out[p.cur].comment == "" && c.Pos.Line == p.lastLine {
			p.out[p.cur].comment = text
		} else {
			p.endLine()
			if p.lastLine >= 0 && c.Pos.Line > p.lastLine+1 {
				p.blank()
			}
			p.text("")
			p.out[p.cur].comment = text
		}
		p.endLine()
		p.lastLine = c.EndPos.Line
	}
}

// onOneLine reports whether the source wrote a node on one line.
func onOneLine(pos, end lexer.Position) bool { return pos.Line == end.Line }

// lastByte is the position of a node's last byte (its closing bracket).
func lastByte(end lexer.Position) lexer.Position {
	end.Offset--
	end.Column--
	return end
}

// block writes n items between open and close, one a line when the source
// wrote the node (pos to end) on several lines, else on one line separated
// by sep, with pad inside the brackets.
func (p *printer) block(pos, end lexer.Position, open, close, sep, pad string, n int, itemPos func(i int) lexer.Position, item func(i int), comma bool) {
	closePos := lastByte(end)
	hasComments := p.next < len(p.comments) && p.comments[p.next].Pos.Offset < closePos.Offset
	if n == 0 && !hasComments {
		p.token(pos, open+close)
		p.lastLine = end.Line
		return
	}
	if onOneLine(pos, end) {
		p.token(pos, open+pad)
		for i := 0; i < n; i++ {
			if i > 0 {
				p.text(sep)
			}
			item(i)
		}
		p.token(closePos, pad+close)
		return
	}
	p.token(pos, open)
	outer, broken := p.indent, p.broken
	p.indent = outer + 1
	if broken {
		p.indent++
	}
	for i := 0; i < n; i++ {
		p.startLine(itemPos(i))
		item(i)
		if comma {
			p.text(",")
		}
	}
	p.broken = false
	p.flush(closePos.Offset, false)
	p.endLine()
	p.indent = outer
	p.broken = broken
	p.token(closePos, close)
}

func (p *printer) decl(d Decl) {
	switch d := d.(type) {
	case *RegimenDecl:
		p.keyword(d.Pos, "regimen ")
		switch {
		case d.Name != nil:
			p.ident(d.Name)
			if d.Version != nil {
				p.text(" version ")
				p.token(d.Version.Pos, d.Version.Text)
			}
		case d.Raw != nil:
			p.token(d.Raw.Pos, d.Raw.Raw)
		default:
			p.text("null")
		}
	case *NullSectionDecl:
		p.startLine(d.Pos)
		p.token(d.Pos, d.Section+" null")
	case *ImportDecl:
		p.keyword(d.Pos, "import ")
		p.token(d.Path.Pos, d.Path.Raw)
	case *CriterionDecl:
		p.keyword(d.Pos, "criterion ")
		p.names(d.Names)
	case *TriggerDecl:
		p.keyword(d.Pos, "trigger ")
		p.names(d.Names)
	case *SchemaDecl:
		p.keyword(d.Pos, "schema ")
		p.ident(d.Name)
		row, tab := p.cur, len(p.buf)
		p.bodyOrValue(d.Record != nil, func() { p.recordType(d.Record) }, func() { p.typ(d.Type) })
		if d.Record != nil && p.cur == row && onOneLine(d.Pos, d.EndPos) {
			p.row(row, tab, tabSchema)
		}
	case *ScriptDecl:
		p.typed(d.Pos, "script ", d.Name, d.Schema)
		p.text(" ")
		p.record(d.Body)
	case *LetDecl:
		p.keyword(d.Pos, "let ")
		p.ident(d.Name)
		if d.Type != nil {
			p.text(": ")
			p.typ(d.Type)
		}
		p.text(" = ")
		p.expr(d.Value)
	case *ParamsDecl:
		p.typed(d.Pos, "params ", d.Name, d.Schema)
		p.bodyOrValue(d.Body != nil, func() { p.record(d.Body) }, func() { p.expr(d.Value) })
	case *StageDecl:
		kw := "stage "
		if d.Final {
			kw = "final stage "
		}
		p.keyword(d.Pos, kw)
		p.name(d.Name)
		row := p.cur
		tab := len(p.buf)
		p.text(" ")
		p.record(d.Body)
		if p.cur == row && onOneLine(d.Pos, d.EndPos) {
			p.row(row, tab, tabStage)
		}
	case *TransitionDecl:
		p.startLine(d.Pos)
		p.ident(d.Trigger)
		row := p.cur
		tab := len(p.buf)
		p.text(" ")
		p.name(d.Source)
		p.text(" -> ")
		p.name(d.Dest)
		p.criteria(" when ", d.WhenForm(), d.When)
		p.criteria(" unless ", d.UnlessForm(), d.Unless)
		if p.cur == row {
			p.row(row, tab, tabTransition)
		}
	case *MigrateDecl:
		p.keyword(d.Pos, "migrate from ")
		p.name(d.From)
		if d.Major != nil {
			p.text(" ")
			p.token(d.Major.Pos, d.Major.Text)
		}
		p.text(" ")
		// the block's `{` has no node: it is the first non-blank byte
		// after the name (or major), and the block spans the rest
		open := d.From.EndPos
		if d.Major != nil {
			open = d.Major.EndPos
		}
		p.block(open, d.EndPos, "{", "}", ", ", " ", len(d.Mappings),
			func(i int) lexer.Position { return d.Mappings[i].Pos },
			func(i int) {
				m := d.Mappings[i]
				p.name(m.From)
				p.text(" -> ")
				p.name(m.To)
			}, false)
	case *TestDecl:
		p.keyword(d.Pos, "test ")
		p.token(d.Title.Pos, d.Title.Raw+" {")
		outer := p.indent
		p.indent++
		p.startLine(d.Start.Pos)
		p.text("start ")
		p.name(d.Start)
		for _, s := range d.Steps {
			p.startLine(s.Pos)
			p.ident(s.Trigger)
			p.text(" [")
			p.names(s.Criteria)
			p.text("] => ")
			p.name(s.Expect)
		}
		closePos := lastByte(d.EndPos)
		p.broken = false
		p.flush(closePos.Offset, false)
		p.endLine()
		p.indent = outer
		p.broken = false
		p.token(closePos, "}")
	}
}

func (p *printer) ident(id *Ident) { p.token(id.Pos, id.Name) }

// row makes line i a row of a table, padded after byte tab of its code.
func (p *printer) row(i, tab, kind int) {
	l := &p.out[i]
	l.tab, l.tabKind = tab, kind
}

// keyword starts a declaration at pos with its keyword kw.
func (p *printer) keyword(pos lexer.Position, kw string) {
	p.startLine(pos)
	p.token(pos, kw)
}

// bodyOrValue writes ` BODY` when the declaration has a body, else
// ` = VALUE`.
func (p *printer) bodyOrValue(hasBody bool, body, value func()) {
	if hasBody {
		p.text(" ")
		body()
		return
	}
	p.text(" = ")
	value()
}

// typed starts a declaration `kw name` or `kw name: Schema`.
func (p *printer) typed(pos lexer.Position, kw string, name, schema *Ident) {
	p.keyword(pos, kw)
	p.ident(name)
	if schema != nil {
		p.text(": ")
		p.ident(schema)
	}
}

func (p *printer) name(n *Name) {
	if n.Quoted != "" {
		p.token(n.Pos, n.Quoted)
		return
	}
	p.token(n.Pos, n.Ident)
}

// names writes `a, b, c`, breaking the line where the source did.
func (p *printer) names(ns []*Name) {
	for i, n := range ns {
		if i > 0 {
			p.text(",")
			if n.Pos.Line > p.lastLine {
				p.flush(n.Pos.Offset, true)
				p.endLine()
				p.broken = true
			} else {
				p.text(" ")
			}
		}
		p.name(n)
	}
}

func (p *printer) criteria(kw string, form CriteriaShape, ns []*Name) {
	switch form {
	case CriteriaNull:
		p.text(kw + "null")
	case CriteriaList:
		p.text(kw + "[")
		p.names(ns)
		p.text("]")
	default:
		if len(ns) > 0 {
			p.text(kw)
			p.names(ns)
		}
	}
}

func (p *printer) expr(e *Expr) {
	switch {
	case e.Record != nil:
		p.record(e.Record)
	case e.List != nil:
		l := e.List
		p.block(l.Pos, l.EndPos, "[", "]", ", ", "", len(l.Items),
			func(i int) lexer.Position { return l.Items[i].Pos },
			func(i int) { p.expr(l.Items[i]) }, true)
	case e.Quantity != nil:
		p.token(e.Pos, quantityText(*e.Quantity))
	default:
		p.token(e.Pos, e.Text())
	}
	if e.Override != nil {
		p.text(" ")
		p.record(e.Override)
	}
}

func (p *printer) record(r *Record) {
	p.block(r.Pos, r.EndPos, "{", "}", ", ", " ", len(r.Entries),
		func(i int) lexer.Position { return r.Entries[i].Pos },
		func(i int) {
			e := r.Entries[i]
			for j, k := range e.Path {
				if j > 0 {
					p.text(".")
				}
				p.token(k.Pos, k.Text())
			}
			p.text(": ")
			p.expr(e.Value)
		}, false)
}

func (p *printer) typ(t *Type) {
	for i, a := range t.Alts {
		if i > 0 {
			p.text(" | ")
		}
		switch {
		case a.Literal != nil:
			p.token(a.Literal.Pos, literalTypeText(a.Literal))
		case a.Tuple != nil:
			p.token(a.Tuple.Pos, "[")
			for j, el := range a.Tuple.Elems {
				if j > 0 {
					p.text(", ")
				}
				p.typ(el)
			}
			if a.Tuple.Variadic {
				p.text(", ...")
			}
			p.text("]")
		case a.Record != nil:
			p.recordType(a.Record)
		case a.Named != nil:
			n := a.Named
			p.ident(n.Name)
			if n.Unit != nil {
				p.text("(")
				p.ident(n.Unit)
				if n.AsInt != nil {
					p.text(", ")
					p.ident(n.AsInt)
				}
				p.text(")")
			}
			if n.Range != nil {
				p.text(" in [")
				p.expr(n.Range.Lo)
				p.text(", ")
				p.expr(n.Range.Hi)
				p.text("]")
			}
		}
		if a.Nullable {
			p.text("?")
		}
	}
}

func literalTypeText(l *LiteralType) string {
	switch {
	case l.Quantity != nil:
		return quantityText(*l.Quantity)
	case l.Number != nil:
		return *l.Number
	case l.Str != nil:
		return *l.Str
	case l.Null:
		return "null"
	case l.True:
		return "true"
	}
	return "false"
}

// recordType writes a schema body: its fields and embedded schemas in
// source order, then `...` when it is open.
func (p *printer) recordType(r *RecordType) {
	type member struct {
		pos   lexer.Position
		field *FieldType
		embed *Ident
	}
	var ms []member
	for _, f := range r.Fields {
		ms = append(ms, member{pos: f.Pos, field: f})
	}
	for _, e := range r.Embeds {
		ms = append(ms, member{pos: e.Pos, embed: e})
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].pos.Offset < ms[j].pos.Offset })
	n := len(ms)
	if r.Open {
		n++
	}
	if r.Open && len(ms) == 0 && onOneLine(r.Pos, r.EndPos) {
		p.token(r.Pos, "{...}")
		p.lastLine = r.EndPos.Line
		return
	}
	openPos := lastByte(r.EndPos) // `...` is the last member: before the `}`
	p.block(r.Pos, r.EndPos, "{", "}", ", ", " ", n,
		func(i int) lexer.Position {
			if i == len(ms) {
				return p.openDotsPos(openPos)
			}
			return ms[i].pos
		},
		func(i int) {
			if i == len(ms) {
				p.text("...")
				return
			}
			m := ms[i]
			if m.embed != nil {
				p.text("...")
				p.ident(m.embed)
				return
			}
			p.token(m.field.Key.Pos, m.field.Key.Text())
			if m.field.Optional {
				p.text("?")
			}
			p.text(": ")
			p.typ(m.field.Type)
		}, false)
}

// openDotsPos is a position for a record type's closing `...`, which has
// no node: never a blank line before it, and the comments before the `}`
// come before it.
func (p *printer) openDotsPos(closePos lexer.Position) lexer.Position {
	pos := closePos
	pos.Line = p.lastLine
	return pos
}

// bytes lays out the lines: tables padded, comments aligned.
func (p *printer) bytes() []byte {
	lines := p.out
	for len(lines) > 0 && lines[len(lines)-1].code == "" && lines[len(lines)-1].comment == "" {
		lines = lines[:len(lines)-1]
	}
	// tables: consecutive rows of one kind at one level
	for i := 0; i < len(lines); {
		j := i
		for j < len(lines) && lines[j].tab >= 0 && lines[j].tabKind == lines[i].tabKind && lines[j].indent == lines[i].indent {
			j++
		}
		if j == i {
			i++
			continue
		}
		width := 0
		for _, l := range lines[i:j] {
			width = max(width, utf8.RuneCountInString(l.code[:l.tab]))
		}
		for k := i; k < j; k++ {
			l := &lines[k]
			l.code = l.code[:l.tab] + strings.Repeat(" ", width-utf8.RuneCountInString(l.code[:l.tab])) + l.code[l.tab:]
		}
		i = j
	}
	// comments ending lines: aligned over consecutive lines of one level
	// that hold code
	for i := 0; i < len(lines); {
		j := i
		for j < len(lines) && lines[j].code != "" && lines[j].indent == lines[i].indent {
			j++
		}
		if j == i {
			i++
			continue
		}
		width := 0
		for _, l := range lines[i:j] {
			if l.comment != "" {
				width = max(width, utf8.RuneCountInString(l.code))
			}
		}
		for k := i; k < j; k++ {
			if l := &lines[k]; l.comment != "" {
				l.code += strings.Repeat(" ", width-utf8.RuneCountInString(l.code)+2)
			}
		}
		i = j
	}
	size := 0
	for _, l := range lines {
		if l.code != "" || l.comment != "" {
			size += 4 * l.indent
		}
		size += len(l.code) + len(l.comment) + 1
	}
	b := make([]byte, 0, size)
	for _, l := range lines {
		if l.code != "" || l.comment != "" {
			for range l.indent {
				b = append(b, "    "...)
			}
		}
		b = append(b, l.code...)
		b = append(b, l.comment...)
		b = append(b, '\n')
	}
	return b
}

// quantityText is a quantity as the layout writes it: its number, one
// space, its unit (`7 uL` for `7uL` or `7\t  uL`).
func quantityText(q string) string {
	n := matchNumber(q, 0, false)
	return q[:n] + " " + strings.TrimLeft(q[n:], " \t")
}
