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

// String returns the position as LINE:COLUMN.
func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Column) }

// Range is a span of a file. End is exclusive: a one-character token at
// column 5 has Start.Column 5 and End.Column 6.
type Range struct {
	File       string
	Start, End Pos
}

// IsValid reports whether r names a real place.
func (r Range) IsValid() bool { return r.Start.IsValid() }

// String returns the range's start as FILE:LINE:COLUMN, or the file alone
// when the range names no place in it.
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

// TrimRange pulls the end of r back over blanks and comments, using the
// file's text. Nodes end where the next token starts, so a node's raw range
// would otherwise run on over the spaces, comments and line breaks after it.
func TrimRange(r Range, src []byte) Range {
	start, end := r.Start.Offset, r.End.Offset
	if !r.IsValid() || end > len(src) || start > end || r.End.Line == 0 {
		return r
	}
	for {
		for end > start && (src[end-1] == ' ' || src[end-1] == '\t' || src[end-1] == '\r' || src[end-1] == '\n') {
			end--
		}
		ls := end
		for ls > 0 && src[ls-1] != '\n' {
			ls--
		}
		c := commentStart(src[ls:end])
		if c < 0 || ls+c < start {
			break
		}
		end = ls + c
	}
	if end == r.End.Offset {
		return r
	}
	r.End = PosAt(src, end)
	return r
}

// commentStart returns where a `//` comment starts on one line of source,
// outside any string, or -1.
func commentStart(line []byte) int {
	inString := false
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case !inString && c == '/' && i+1 < len(line) && line[i+1] == '/':
			return i
		}
	}
	return -1
}
