package yaml

import (
	"fmt"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/regc/regc/lang"
)

// reader is PyYAML's Reader: the decoded characters of the file, followed
// by a NUL, with the current position counted as PyYAML counts it (lines
// broken by \n, \r, \x85, \u2028 and \u2029; a BOM takes no column).
type reader struct {
	file  string
	buf   []rune  // the characters, then a 0
	offs  []int32 // byte offset in the source of each character of buf
	index int
	line  int // 0-based
	col   int // 0-based
}

// mark is a position as PyYAML's Mark holds it: character index, 0-based
// line and column.
type mark struct {
	index, line, col int
}

// markedError is a PyYAML error that ends the reading: MarkedYAMLError's context
// and problem, each with its mark. It becomes a syntax diagnostic.
type markedError struct {
	context     string
	contextMark *mark
	problem     string
	problemMark mark
}

// newReader decodes src as PyYAML's Reader does (UTF-16 with a BOM, UTF-8
// otherwise) and rejects bytes that do not decode and characters outside
// YAML's printable set.
func newReader(file string, src []byte) (*reader, *lang.Diagnostic) {
	r := &reader{file: file}
	switch {
	case len(src) >= 2 && src[0] == 0xFF && src[1] == 0xFE:
		r.decodeUTF16(src, false)
	case len(src) >= 2 && src[0] == 0xFE && src[1] == 0xFF:
		r.decodeUTF16(src, true)
	default:
		r.buf = make([]rune, 0, len(src)+1)
		r.offs = make([]int32, 0, len(src)+1)
		for i := 0; i < len(src); {
			c, size := utf8.DecodeRune(src[i:])
			if c == utf8.RuneError && size <= 1 {
				return nil, r.readerError(len(r.buf), fmt.Sprintf("invalid utf-8: cannot decode byte #x%02x", src[i]))
			}
			r.buf = append(r.buf, c)
			r.offs = append(r.offs, int32(i))
			i += size
		}
	}
	r.buf = append(r.buf, 0)
	r.offs = append(r.offs, int32(len(src)))
	for i, c := range r.buf[:len(r.buf)-1] {
		if !printable(c) {
			return nil, r.readerError(i, fmt.Sprintf("unacceptable character #x%04x: special characters are not allowed", c))
		}
	}
	return r, nil
}

func (r *reader) decodeUTF16(src []byte, bigEndian bool) {
	n := len(src) / 2
	units := make([]uint16, 0, n)
	for i := 0; i+1 < len(src); i += 2 {
		if bigEndian {
			units = append(units, uint16(src[i])<<8|uint16(src[i+1]))
		} else {
			units = append(units, uint16(src[i+1])<<8|uint16(src[i]))
		}
	}
	for i := 0; i < len(units); {
		u := units[i]
		if utf16.IsSurrogate(rune(u)) && i+1 < len(units) {
			if c := utf16.DecodeRune(rune(u), rune(units[i+1])); c != utf8.RuneError {
				r.buf = append(r.buf, c)
				r.offs = append(r.offs, int32(2*i))
				i += 2
				continue
			}
		}
		if utf16.IsSurrogate(rune(u)) {
			// A lone surrogate is not printable: reject it below.
			r.buf = append(r.buf, 0xD800)
		} else {
			r.buf = append(r.buf, rune(u))
		}
		r.offs = append(r.offs, int32(2*i))
		i++
	}
	if len(src)%2 == 1 {
		r.buf = append(r.buf, 0xD800)
		r.offs = append(r.offs, int32(len(src)-1))
	}
}

// readerError is PyYAML's ReaderError, placed at character i.
func (r *reader) readerError(i int, msg string) *lang.Diagnostic {
	m := r.markAt(i)
	start := r.pos(m)
	end := start
	end.Column++
	if i+1 < len(r.offs) {
		end.Offset = int(r.offs[i+1])
	} else {
		end.Offset = start.Offset + 1
	}
	return &lang.Diagnostic{Code: lang.CodeSyntax, Severity: lang.Error, Range: lang.Range{File: r.file, Start: start, End: end}, Message: msg}
}

// markAt counts lines and columns up to character i, as forward would.
func (r *reader) markAt(i int) mark {
	m := mark{}
	for j := 0; j < i && j < len(r.buf); j++ {
		c := r.buf[j]
		if c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029 || (c == '\r' && (j+1 >= len(r.buf) || r.buf[j+1] != '\n')) {
			m.line++
			m.col = 0
		} else if c != 0xFEFF {
			m.col++
		}
		m.index = j + 1
	}
	return m
}

func printable(c rune) bool {
	switch {
	case c == 0x09 || c == 0x0A || c == 0x0D:
		return true
	case c >= 0x20 && c <= 0x7E:
		return true
	case c == 0x85:
		return true
	case c >= 0xA0 && c <= 0xD7FF:
		return true
	case c >= 0xE000 && c <= 0xFFFD:
		return true
	case c >= 0x10000 && c <= 0x10FFFF:
		return true
	}
	return false
}

func (r *reader) peek(k int) rune {
	if i := r.index + k; i < len(r.buf) {
		return r.buf[i]
	}
	return 0
}

func (r *reader) prefix(n int) string {
	end := r.index + n
	if end > len(r.buf)-1 {
		end = len(r.buf) - 1
	}
	if end <= r.index {
		return ""
	}
	return string(r.buf[r.index:end])
}

func (r *reader) forward(n int) {
	for ; n > 0; n-- {
		if r.index >= len(r.buf)-1 {
			return // never move past the final NUL
		}
		c := r.buf[r.index]
		r.index++
		if c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029 || (c == '\r' && r.buf[r.index] != '\n') {
			r.line++
			r.col = 0
		} else if c != 0xFEFF {
			r.col++
		}
	}
}

func (r *reader) mark() mark { return mark{r.index, r.line, r.col} }

// pos converts a mark to a Pos: 1-based line and column, byte offset.
func (r *reader) pos(m mark) lang.Pos {
	off := 0
	if m.index < len(r.offs) {
		off = int(r.offs[m.index])
	} else if len(r.offs) > 0 {
		off = int(r.offs[len(r.offs)-1])
	}
	return lang.Pos{Line: m.line + 1, Column: m.col + 1, Offset: off}
}

// pos32 is pos in a node's form.
func (r *reader) pos32(m mark) pos {
	p := r.pos(m)
	return pos{off: int32(p.Offset), line: int32(p.Line), col: int32(p.Column)}
}

// rng is the range between two marks.
func (r *reader) rng(start, end mark) lang.Range {
	if end.index < start.index {
		end = start
	}
	return lang.Range{File: r.file, Start: r.pos(start), End: r.pos(end)}
}

// charRange is the range of the one character at m (empty at a line break
// or at the end of the file).
func (r *reader) charRange(m mark) lang.Range {
	start := r.pos(m)
	end := start
	if m.index < len(r.buf)-1 && !isBreakZ(r.buf[m.index]) {
		end.Column++
		end.Offset = int(r.offs[m.index+1])
	}
	return lang.Range{File: r.file, Start: start, End: end}
}

// lineRestRange is the range from m to the last non-blank character of its
// line.
func (r *reader) lineRestRange(m mark) lang.Range {
	last := m.index
	for i := m.index; i < len(r.buf)-1 && !isBreakZ(r.buf[i]); i++ {
		if r.buf[i] == '#' && i > m.index && (r.buf[i-1] == ' ' || r.buf[i-1] == '\t') {
			break // a comment
		}
		if r.buf[i] != ' ' && r.buf[i] != '\t' {
			last = i + 1
		}
	}
	if last == m.index {
		return r.charRange(m)
	}
	start := r.pos(m)
	end := start
	for i := m.index; i < last; i++ {
		if r.buf[i] != 0xFEFF {
			end.Column++
		}
	}
	end.Offset = int(r.offs[last])
	return lang.Range{File: r.file, Start: start, End: end}
}

// diag turns a PyYAML error into a diagnostic: at the problem, with the
// context as the related place. A simple key that lacks its ':' is reported
// at the key, where the mistake is, with the problem's place as related.
func (r *reader) diag(e *markedError) lang.Diagnostic {
	d := lang.Diagnostic{Code: lang.CodeSyntax, Severity: lang.Error, Message: e.problem}
	switch {
	case e.context == "while scanning a simple key" && e.contextMark != nil:
		d.Range = r.lineRestRange(*e.contextMark)
		d.Message = "could not find expected ':' after this key"
		d.Related = &lang.Related{Range: r.charRange(e.problemMark), Message: "the key was expected to end before here"}
	default:
		d.Range = r.charRange(e.problemMark)
		if e.context != "" {
			if e.contextMark != nil {
				d.Related = &lang.Related{Range: r.charRange(*e.contextMark), Message: e.context}
			} else {
				d.Message = e.context + ": " + d.Message
			}
		}
	}
	return d
}

// pyRepr formats a character as Python's repr does in PyYAML's messages.
func pyRepr(c rune) string {
	switch c {
	case 0:
		return `'\x00'`
	case '\t':
		return `'\t'`
	case '\n':
		return `'\n'`
	case '\r':
		return `'\r'`
	case '\'':
		return `"'"`
	case '\\':
		return `'\\'`
	}
	if c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) {
		return fmt.Sprintf(`'\x%02x'`, c)
	}
	if c == 0x2028 || c == 0x2029 || c == 0xFEFF {
		return fmt.Sprintf(`'\u%04x'`, c)
	}
	return "'" + string(c) + "'"
}

func panicText(r any) string {
	if e, ok := r.(error); ok {
		return e.Error()
	}
	return fmt.Sprint(r)
}
