package lang

import (
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// tokenEnd returns where a one-line token of text starting at pos ends.
func tokenEnd(pos lexer.Position, text string) lexer.Position {
	pos.Offset += len(text)
	pos.Column += utf8.RuneCountInString(text)
	return pos
}

// Key returns the i-th key of the entry's path as it means (a quoted key
// decoded; a bad escape gives the raw text).
func (e *Entry) Key(i int) string { return unquoteName(e.Path[i]) }

// Keys returns the entry's path as it means.
func (e *Entry) Keys() []string {
	out := make([]string, len(e.Path))
	for i := range e.Path {
		out[i] = e.Key(i)
	}
	return out
}

// FirstKeyRange returns the range of the entry's first key.
func (e *Entry) FirstKeyRange() Range {
	return RangeOf(e.Pos, tokenEnd(e.Pos, e.Path[0]))
}

// KeyRange returns the range of the entry's whole key path, `a.b.c`. Keys
// of a dotted path are joined without blanks in every file regc writes;
// a path written with blanks around its dots gets a range that ends early.
func (e *Entry) KeyRange() Range {
	return RangeOf(e.Pos, tokenEnd(e.Pos, strings.Join(e.Path, ".")))
}

func unquoteName(raw string) string {
	if strings.HasPrefix(raw, "\"") {
		if s, err := Unquote(raw); err == nil {
			return s
		}
	}
	return raw
}

// Range returns the expression's range, overrides included.
func (e *Expr) Range() Range { return RangeOf(e.Pos, e.EndPos) }

// BaseRange returns the range of the value before any overrides: the
// reference, literal, list or record.
func (e *Expr) BaseRange() Range {
	switch {
	case e.Record != nil:
		return RangeOf(e.Record.Pos, e.Record.EndPos)
	case e.List != nil:
		return RangeOf(e.List.Pos, e.List.EndPos)
	}
	return RangeOf(e.Pos, tokenEnd(e.Pos, e.token()))
}

// token returns the text of a one-token value.
func (e *Expr) token() string {
	switch {
	case e.Ref != nil:
		return *e.Ref
	case e.Number != nil:
		return *e.Number
	case e.Quantity != nil:
		return *e.Quantity
	case e.Str != nil:
		return *e.Str
	case e.Null:
		return "null"
	case e.True:
		return "true"
	case e.False:
		return "false"
	}
	return ""
}
