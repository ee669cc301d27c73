// Package lang owns the surface of the regimen language: source positions and
// ranges, the one Diagnostic type and its renderer, the participle grammar and
// its AST, the parser, and the reader for legacy regimen.yml files.
//
// It imports nothing else of this module; the compiler annotates what it
// produces through its own tables.
package lang

import "fmt"

// Pos is a point in a source file. Line and Column are 1-based; Column counts
// runes. Offset is the 0-based byte offset.
type Pos struct {
	Line, Column, Offset int
}

// IsValid reports whether p names a real position.
func (p Pos) IsValid() bool { return p.Line > 0 }

// Before reports whether p comes strictly before q.
func (p Pos) Before(q Pos) bool {
	if p.Line != q.Line {
		return p.Line < q.Line
	}
	return p.Column < q.Column
}

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Column) }

// Range is a span of a file. End is exclusive: a one-character token at
// column 5 has Start.Column 5 and End.Column 6.
type Range struct {
	File       string
	Start, End Pos
}

// IsValid reports whether r names a real place.
func (r Range) IsValid() bool { return r.Start.IsValid() }

func (r Range) String() string {
	if !r.IsValid() {
		return r.File
	}
	return fmt.Sprintf("%s:%d:%d", r.File, r.Start.Line, r.Start.Column)
}

// Cover returns the smallest range holding both r and s (of the same file).
func (r Range) Cover(s Range) Range {
	if !r.IsValid() {
		return s
	}
	if !s.IsValid() {
		return r
	}
	out := r
	if s.Start.Before(out.Start) {
		out.Start = s.Start
	}
	if out.End.Before(s.End) {
		out.End = s.End
	}
	return out
}
