package legacy

// The imported source as a lang tree, printed by lang.Print. The importer
// decides the layout (what goes on one line, where blank lines and comments
// go; see importer_print.go) and says it through the positions it gives
// the nodes, as a parsed file would have them: lang.Print keeps a record on
// one line when its braces are on one line, a blank line where the lines
// of two nodes are apart, and a comment where its position falls among the
// tokens.

import (
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/regc/regc/lang"
)

// tree places the nodes: line is the source line being written, off
// increases with every token, so the nodes and comments keep their order.
type tree struct {
	line, off int
	depth     int // the block level, for the line widths
	comments  []*lang.Comment
}

// at is the position of the next token, on the current line.
func (t *tree) at() lexer.Position {
	t.off++
	return lexer.Position{Line: t.line, Column: 1, Offset: t.off}
}

// end is a node's end just past a closing token at the current place.
func (t *tree) end() lexer.Position {
	p := t.at()
	p.Offset++
	return p
}

// nl starts a new line.
func (t *tree) nl() { t.line++ }

// blank leaves a blank line before the next line.
func (t *tree) blank() { t.line++ }

// comment puts a comment at the end of the current line.
func (t *tree) comment(text string) {
	if text == "" {
		return
	}
	t.comments = append(t.comments, t.commentAt(text))
}

func (t *tree) commentAt(text string) *lang.Comment {
	p := t.at()
	end := p
	end.Offset++
	return &lang.Comment{Pos: p, EndPos: end, Text: text}
}

// own writes comment lines ("" a blank line), each on a line of its own.
func (t *tree) own(cs []string) {
	for _, c := range cs {
		if c == "" {
			t.blank()
			continue
		}
		t.nl()
		t.comments = append(t.comments, t.commentAt(c))
	}
}

// heads writes a declaration's leading comments, without the blank lines
// that would start it.
func (t *tree) heads(cs []string) {
	for len(cs) > 0 && cs[0] == "" {
		cs = cs[1:]
	}
	t.own(cs)
}

func (t *tree) ident(s string) *lang.Ident {
	p := t.at()
	return &lang.Ident{Pos: p, EndPos: t.at(), Name: s}
}

// name is a stage, criterion or trigger name as nameText writes it.
func (t *tree) name(s string) *lang.Name {
	p := t.at()
	n := &lang.Name{Pos: p, EndPos: t.at()}
	if text := nameText(s); strings.HasPrefix(text, `"`) {
		n.Quoted = text
	} else {
		n.Ident = text
	}
	return n
}

func (t *tree) names(ns []string) []*lang.Name {
	out := make([]*lang.Name, len(ns))
	for i, n := range ns {
		out[i] = t.name(n)
	}
	return out
}

func (t *tree) key(text string) *lang.Key {
	p := t.at()
	k := &lang.Key{Pos: p, EndPos: t.at()}
	if strings.HasPrefix(text, `"`) {
		k.Quoted = text
	} else {
		k.Ident = text
	}
	return k
}

// literal is a one-token value.
func (t *tree) literal(text string) *lang.Expr {
	e := lang.Literal(text)
	if e == nil {
		panic("the importer wrote " + text + " as a value")
	}
	e.Pos = t.at()
	e.EndPos = t.at()
	return e
}

// value builds v, on the current line when oneLine, else in a block;
// comment ends its first line.
func (t *tree) value(v *irValue, oneLine bool, comment string) *lang.Expr {
	var e *lang.Expr
	switch {
	case v.isRec && v.lit != "" && len(v.entries) == 0 && oneLine:
		e = t.literal(v.lit)
	case v.isRec:
		start := t.at()
		if v.lit != "" {
			e = t.literal(v.lit)
			e.Override = t.record(v.entries, v.foot, oneLine, comment)
		} else {
			e = &lang.Expr{Record: t.record(v.entries, v.foot, oneLine, comment)}
		}
		e.Pos = start
		e.EndPos = t.at()
	case v.isList:
		l := &lang.List{Pos: t.at()}
		if !oneLine {
			t.comment(comment)
			t.depth++
		}
		for _, it := range v.list {
			l.Items = append(l.Items, t.entry(it, oneLine, "", true).Value)
		}
		if !oneLine {
			t.depth--
			t.nl()
		}
		l.EndPos = t.end()
		e = &lang.Expr{Pos: l.Pos, EndPos: t.at(), List: l}
	default:
		e = t.literal(v.lit)
	}
	if oneLine {
		t.comment(comment)
	}
	return e
}

// record builds a record's braces and entries; foot are comments at the
// end of its block.
func (t *tree) record(es []*irEntry, foot []string, oneLine bool, comment string) *lang.Record {
	r := &lang.Record{Pos: t.at()}
	if !oneLine {
		t.comment(comment)
	}
	if !oneLine {
		t.depth++
	}
	for i, e := range es {
		if !oneLine && e.blank && i > 0 {
			t.blank()
		}
		r.Entries = append(r.Entries, t.entry(e, oneLine, e.key, false))
	}
	if !oneLine {
		t.own(foot)
		t.depth--
		t.nl()
	}
	r.EndPos = t.end()
	return r
}

// entry builds one entry of a record, or one item of a list (item), with
// its comments; in a block it has lines of its own.
func (t *tree) entry(e *irEntry, oneLine bool, key string, item bool) *lang.Entry {
	if oneLine {
		out := &lang.Entry{Pos: t.at()}
		if !item {
			out.Path = []*lang.Key{t.key(key)}
		}
		out.Value = t.value(e.val, true, "")
		out.EndPos = t.at()
		return out
	}
	t.own(e.head)
	t.nl()
	out := &lang.Entry{Pos: t.at()}
	prefix, suffix := "", ","
	if !item {
		out.Path = []*lang.Key{t.key(key)}
		prefix, suffix = key+": ", ""
	}
	out.Value = t.value(e.val, t.fits(prefix, e.val, suffix, -1), e.line)
	out.EndPos = t.at()
	t.own(e.foot)
	return out
}

// fits reports whether v goes on one line after prefix, at the current
// level: when it holds no comments, has at most maxEntries entries (a
// record; -1: any number) and keeps to importWidth.
func (t *tree) fits(prefix string, v *irValue, suffix string, maxEntries int) bool {
	s, ok := flat(v)
	return ok && (maxEntries < 0 || !v.isRec || len(v.entries) <= maxEntries) &&
		4*t.depth+len(prefix)+len(s)+len(suffix) <= importWidth
}
