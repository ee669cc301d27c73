package lang

import (
	"strings"
	"unicode/utf8"
)

// Key returns the i-th key of the entry's path as it means (a quoted key
// decoded; a bad escape gives the raw text).
func (e *Entry) Key(i int) string { return e.Path[i].Value() }

// Keys returns the entry's path as it means.
func (e *Entry) Keys() []string {
	out := make([]string, len(e.Path))
	for i := range e.Path {
		out[i] = e.Key(i)
	}
	return out
}

// FirstKeyRange returns the range of the entry's first key.
func (e *Entry) FirstKeyRange() Range { return e.Path[0].Range() }

// KeyRange returns the range of the entry's whole key path, `a.b.c`, from
// its first key's start to its last key's end.
func (e *Entry) KeyRange() Range {
	return RangeOf(e.Path[0].Pos, e.Path[len(e.Path)-1].EndPos)
}

// Text returns the key as written (a quoted key with its quotes).
func (k *Key) Text() string {
	if k.Quoted != "" {
		return k.Quoted
	}
	return k.Ident
}

// PathText returns the entry's key path as written, `a.b."c d"`.
func (e *Entry) PathText() string {
	parts := make([]string, len(e.Path))
	for i, k := range e.Path {
		parts[i] = k.Text()
	}
	return strings.Join(parts, ".")
}

// Range returns the expression's range, overrides included.
func (e *Expr) Range() Range { return RangeOf(e.Pos, e.EndPos) }

// BaseRange returns the range of the value before any overrides: the
// reference, literal, list or record. A one-token value's range is its
// token's: its start and the token's text, which is on one line.
func (e *Expr) BaseRange() Range {
	switch {
	case e.Record != nil:
		return RangeOf(e.Record.Pos, e.Record.EndPos)
	case e.List != nil:
		return RangeOf(e.List.Pos, e.List.EndPos)
	}
	end := e.Pos
	text := e.Text()
	end.Offset += len(text)
	end.Column += utf8.RuneCountInString(text)
	return RangeOf(e.Pos, end)
}

// ExprKind says which of its alternatives an Expr holds.
type ExprKind int

const (
	ExprInvalid  ExprKind = iota // a zero Expr, never parsed
	ExprRef                      // a name: a constant, parameter set or schema
	ExprNumber                   // 3, -1.5, 1e-3
	ExprQuantity                 // 7 uL
	ExprString                   // "text" (as written, see Unquote)
	ExprRecord                   // { key: value }
	ExprList                     // [a, b]
	ExprNull                     // null
	ExprTrue                     // true
	ExprFalse                    // false
)

// Kind returns which alternative the expression holds (its Override, a
// record after a reference or record, is apart from its kind).
func (e *Expr) Kind() ExprKind {
	switch {
	case e.Ref != nil:
		return ExprRef
	case e.Number != nil:
		return ExprNumber
	case e.Quantity != nil:
		return ExprQuantity
	case e.Str != nil:
		return ExprString
	case e.Record != nil:
		return ExprRecord
	case e.List != nil:
		return ExprList
	case e.Null:
		return ExprNull
	case e.True:
		return ExprTrue
	case e.False:
		return ExprFalse
	}
	return ExprInvalid
}

// Text returns a one-token value as written; "" for a record or a list.
func (e *Expr) Text() string {
	switch e.Kind() {
	case ExprRef:
		return *e.Ref
	case ExprNumber:
		return *e.Number
	case ExprQuantity:
		return *e.Quantity
	case ExprString:
		return *e.Str
	case ExprNull:
		return "null"
	case ExprTrue:
		return "true"
	case ExprFalse:
		return "false"
	}
	return ""
}

// groupComments groups the comments of text: a comment joins the group
// before it when only blanks, and at most one line break, lie between.
func groupComments(text string, cs []*Comment) []*CommentGroup {
	var out []*CommentGroup
	for i, c := range cs {
		if i > 0 {
			prev := cs[i-1]
			between := text[prev.EndPos.Offset:c.Pos.Offset]
			if strings.Count(between, "\n") <= 1 && strings.Trim(between, " \t\r\n") == "" {
				g := out[len(out)-1]
				g.List = append(g.List, c)
				continue
			}
		}
		out = append(out, &CommentGroup{List: []*Comment{c}})
	}
	return out
}

// Literal returns text, one value token as written (a name, number,
// quantity, string, null, true or false), as an Expr without a position; nil
// when text is not one such token. Tools that build a tree to print use it.
func Literal(text string) *Expr {
	if text == "" {
		return nil
	}
	typ, n := (&scanner{src: text, limit: len(text)}).match(0)
	if n != len(text) {
		return nil
	}
	e := &Expr{}
	switch {
	case typ == tokIdent:
		e.Ref = &text
	case typ == tokNumber:
		e.Number = &text
	case typ == tokQuantity:
		e.Quantity = &text
	case typ == tokString:
		e.Str = &text
	case text == "null":
		e.Null = true
	case text == "true":
		e.True = true
	case text == "false":
		e.False = true
	default:
		return nil
	}
	return e
}
