package yaml

import (
	"fmt"
	"math"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/regc/regc/lang"
)

// reader is PyYAML's Reader over the file's characters, with the current
// position counted as PyYAML counts it (lines broken by \n, \r, \x85,
// \u2028 and \u2029; a BOM takes no column; columns and the simple-key
// limit in characters). It works on the UTF-8 text itself, by byte
// offsets, and holds no copy of it; a UTF-16 file is decoded to UTF-8 once.
type reader struct {
	file string
	buf  []byte  // the text in UTF-8: src, or src decoded from UTF-16
	offs []int32 // UTF-16 only: the offset in src of each byte of buf, then len(src)
	off  int     // byte offset in buf of the current character
	// index counts the characters before the current one
	index int
	line  int // 0-based
	col   int // 0-based
	// a lookahead cursor: aheadOff is the byte offset of the character
	// aheadN characters past off, so that peek(n) for a rising n (how the
	// scanner looks ahead) costs one step each
	aheadN, aheadOff int
	// shared holds short plain scalars, made once (see prefixShared)
	shared map[string]string
}

// mark is a position as PyYAML's Mark holds it (character index, 0-based
// line and column) with the byte offset in the reader's text.
type mark struct {
	index, off, line, col int
}

// markedError is a PyYAML error that ends the reading: MarkedYAMLError's context
// and problem, each with its mark. It becomes a syntax diagnostic.
type markedError struct {
	context     string
	contextMark *mark
	problem     string
	problemMark mark
}

// newReader takes src as PyYAML's Reader does (UTF-16 with a BOM, UTF-8
// otherwise) and rejects bytes that do not decode and characters outside
// YAML's printable set.
func newReader(file string, src []byte) (*reader, *lang.Diagnostic) {
	r := &reader{file: file}
	switch {
	case len(src) >= 2 && src[0] == 0xFF && src[1] == 0xFE:
		return r, r.decodeUTF16(src, false)
	case len(src) >= 2 && src[0] == 0xFE && src[1] == 0xFF:
		return r, r.decodeUTF16(src, true)
	}
	if int64(len(src)) >= math.MaxInt32 {
		return nil, &lang.Diagnostic{Code: lang.CodeSyntax, Severity: lang.Error,
			Range:   lang.Range{File: file, Start: lang.Pos{Line: 1, Column: 1}, End: lang.Pos{Line: 1, Column: 1}},
			Message: "the file is too large to read (2 GiB or more)"}
	}
	r.buf = src
	for i := 0; i < len(src); {
		if src[i] < utf8.RuneSelf {
			i++
			continue
		}
		c, size := utf8.DecodeRune(src[i:])
		if c == utf8.RuneError && size <= 1 {
			d := r.readerError(i, i+1, fmt.Sprintf("invalid utf-8: cannot decode byte #x%02x", src[i]))
			// the offsets name the character before the bad byte, as they
			// always have (the line and column are the bad byte's)
			prev := max(i-1, 0)
			for prev > 0 && src[prev]&0xC0 == 0x80 {
				prev--
			}
			d.Range.Start.Offset, d.Range.End.Offset = prev, prev+1
			return nil, d
		}
		i += size
	}
	for i := 0; i < len(src); {
		c, size := r.charAt(i)
		if !printable(c) {
			return nil, r.readerError(i, i+size, fmt.Sprintf("unacceptable character #x%04x: special characters are not allowed", c))
		}
		i += size
	}
	return r, nil
}

// decodeUTF16 decodes a UTF-16 file into buf, with offs mapping it back.
func (r *reader) decodeUTF16(src []byte, bigEndian bool) *lang.Diagnostic {
	if int64(len(src)) >= math.MaxInt32/2 {
		return &lang.Diagnostic{Code: lang.CodeSyntax, Severity: lang.Error,
			Range:   lang.Range{File: r.file, Start: lang.Pos{Line: 1, Column: 1}, End: lang.Pos{Line: 1, Column: 1}},
			Message: "the file is too large to read (1 GiB or more of UTF-16)"}
	}
	n := len(src) / 2
	units := make([]uint16, 0, n)
	for i := 0; i+1 < len(src); i += 2 {
		if bigEndian {
			units = append(units, uint16(src[i])<<8|uint16(src[i+1]))
		} else {
			units = append(units, uint16(src[i+1])<<8|uint16(src[i]))
		}
	}
	var runes []rune
	var offs []int32 // the offset in src of each rune, then len(src)
	for i := 0; i < len(units); {
		u := units[i]
		if utf16.IsSurrogate(rune(u)) && i+1 < len(units) {
			if c := utf16.DecodeRune(rune(u), rune(units[i+1])); c != utf8.RuneError {
				runes = append(runes, c)
				offs = append(offs, int32(2*i))
				i += 2
				continue
			}
		}
		if utf16.IsSurrogate(rune(u)) {
			// A lone surrogate is not printable: rejected below.
			runes = append(runes, 0xD800)
		} else {
			runes = append(runes, rune(u))
		}
		offs = append(offs, int32(2*i))
		i++
	}
	if len(src)%2 == 1 {
		runes = append(runes, 0xD800)
		offs = append(offs, int32(len(src)-1))
	}
	offs = append(offs, int32(len(src)))
	// every character up to a bad one is printable, so valid UTF-8
	for i, c := range runes {
		if !printable(c) {
			runes = runes[:i]
			offs = append(offs[:i+1:i+1], offs[i+1])
			r.encode(runes, offs)
			return r.readerError(len(r.buf), int(offs[i+1]), fmt.Sprintf("unacceptable character #x%04x: special characters are not allowed", c))
		}
	}
	r.encode(runes, offs)
	return nil
}

// encode sets buf to the UTF-8 of runes and offs to the source offset of
// each of its bytes (offs holds one per rune, and the end).
func (r *reader) encode(runes []rune, offs []int32) {
	r.buf = make([]byte, 0, len(runes))
	r.offs = make([]int32, 0, len(runes)+1)
	for i, c := range runes {
		n := len(r.buf)
		r.buf = utf8.AppendRune(r.buf, c)
		for range len(r.buf) - n {
			r.offs = append(r.offs, offs[i])
		}
	}
	r.offs = append(r.offs, offs[len(runes)])
}

// srcOff is the offset in the source of byte off of buf.
func (r *reader) srcOff(off int) int {
	if r.offs != nil {
		return int(r.offs[min(off, len(r.offs)-1)])
	}
	return min(off, len(r.buf))
}

// readerError is PyYAML's ReaderError, placed at byte off of buf; end is
// the source offset where the offending character ends.
func (r *reader) readerError(off, end int, msg string) *lang.Diagnostic {
	start := r.pos(r.markAt(off))
	stop := start
	stop.Column++
	stop.Offset = end
	return &lang.Diagnostic{Code: lang.CodeSyntax, Severity: lang.Error, Range: lang.Range{File: r.file, Start: start, End: stop}, Message: msg}
}

// markAt counts characters, lines and columns up to byte off of buf, as
// forward would.
func (r *reader) markAt(off int) mark {
	m := mark{}
	for m.off < off && m.off < len(r.buf) {
		c, size := r.charAt(m.off)
		m.off += size
		m.index++
		if c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029 || (c == '\r' && (m.off >= len(r.buf) || r.buf[m.off] != '\n')) {
			m.line++
			m.col = 0
		} else if c != 0xFEFF {
			m.col++
		}
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

// charAt decodes the character at byte off of buf: 0 at the end (the NUL
// PyYAML's reader appends; the text holds none, NUL not being printable).
func (r *reader) charAt(off int) (rune, int) {
	if off >= len(r.buf) {
		return 0, 0
	}
	if b := r.buf[off]; b < utf8.RuneSelf {
		return rune(b), 1
	}
	return utf8.DecodeRune(r.buf[off:])
}

// ahead returns the byte offset of the character k past the current one
// (len(buf) past the end).
func (r *reader) ahead(k int) int {
	if k < r.aheadN {
		r.aheadN, r.aheadOff = 0, r.off
	}
	for r.aheadN < k {
		if r.aheadOff >= len(r.buf) {
			return len(r.buf)
		}
		_, size := r.charAt(r.aheadOff)
		r.aheadOff += size
		r.aheadN++
	}
	return r.aheadOff
}

func (r *reader) peek(k int) rune {
	if k == 0 {
		c, _ := r.charAt(r.off)
		return c
	}
	c, _ := r.charAt(r.ahead(k))
	return c
}

// prefix returns the next n characters (fewer at the end).
func (r *reader) prefix(n int) string {
	return string(r.buf[r.off:r.ahead(n)])
}

// prefixBytes is prefix without a copy: valid until the text changes,
// which it never does.
func (r *reader) prefixBytes(n int) []byte {
	return r.buf[r.off:r.ahead(n)]
}

// prefixIs reports whether the text at the cursor starts with p (ASCII).
func (r *reader) prefixIs(p string) bool {
	return string(r.buf[r.off:r.ahead(len(p))]) == p
}

// spaces are what blanks cuts from.
const spaces = "                                "

// blanks returns the next n characters, all spaces, sharing the string
// when it can.
func (r *reader) blanks(n int) string {
	if n <= len(spaces) {
		return spaces[:n]
	}
	return r.prefix(n)
}

// prefixShared is prefix for a plain scalar: short texts (keys, mostly)
// are made once and shared.
func (r *reader) prefixShared(n int) string {
	b := r.buf[r.off:r.ahead(n)]
	if len(b) > maxShared {
		return string(b)
	}
	if s, ok := r.shared[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(r.shared) < maxSharedCount {
		if r.shared == nil {
			r.shared = make(map[string]string)
		}
		r.shared[s] = s
	}
	return s
}

// The texts prefixShared shares: at most maxSharedCount of them, each at
// most maxShared bytes.
const (
	maxShared      = 24
	maxSharedCount = 2048
)

func (r *reader) forward(n int) {
	for ; n > 0; n-- {
		if r.off >= len(r.buf) {
			break // never move past the end
		}
		c, size := r.charAt(r.off)
		r.off += size
		r.index++
		if c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029 || (c == '\r' && (r.off >= len(r.buf) || r.buf[r.off] != '\n')) {
			r.line++
			r.col = 0
		} else if c != 0xFEFF {
			r.col++
		}
	}
	r.aheadN, r.aheadOff = 0, r.off
}

func (r *reader) mark() mark { return mark{r.index, r.off, r.line, r.col} }

// pos converts a mark to a Pos: 1-based line and column, byte offset in
// the source.
func (r *reader) pos(m mark) lang.Pos {
	return lang.Pos{Line: m.line + 1, Column: m.col + 1, Offset: r.srcOff(m.off)}
}

// pos32 is pos in a node's form.
func (r *reader) pos32(m mark) pos {
	return pos{off: int32(r.srcOff(m.off)), line: int32(m.line + 1), col: int32(m.col + 1)}
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
	if c, size := r.charAt(m.off); !isBreakZ(c) {
		end.Column++
		end.Offset = r.srcOff(m.off + size)
	}
	return lang.Range{File: r.file, Start: start, End: end}
}

// lineRestRange is the range from m to the last non-blank character of its
// line.
func (r *reader) lineRestRange(m mark) lang.Range {
	last := m.off
	prev := rune(-1)
	for i := m.off; i < len(r.buf); {
		c, size := r.charAt(i)
		if isBreakZ(c) {
			break
		}
		if c == '#' && i > m.off && (prev == ' ' || prev == '\t') {
			break // a comment
		}
		if c != ' ' && c != '\t' {
			last = i + size
		}
		prev = c
		i += size
	}
	if last == m.off {
		return r.charRange(m)
	}
	start := r.pos(m)
	end := start
	for i := m.off; i < last; {
		c, size := r.charAt(i)
		if c != 0xFEFF {
			end.Column++
		}
		i += size
	}
	end.Offset = r.srcOff(last)
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
