package lsp

import (
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/regc/regc/lang"
)

// text is a source with the offsets its lines start at, to turn the
// compiler's line and rune column into LSP's line and UTF-16 column.
type text struct {
	src   []byte
	lines []int
}

func newText(src []byte) *text {
	t := &text{src: src, lines: []int{0}}
	for i, c := range src {
		if c == '\n' {
			t.lines = append(t.lines, i+1)
		}
	}
	return t
}

// lineEnd is the offset of the end of zero-based line l, before its newline.
func (t *text) lineEnd(l int) int {
	if l+1 < len(t.lines) {
		return t.lines[l+1] - 1
	}
	return len(t.src)
}

// position is the LSP position of byte offset off.
func (t *text) position(off int) Position {
	off = min(max(off, 0), len(t.src))
	l := sort.Search(len(t.lines), func(i int) bool { return t.lines[i] > off }) - 1
	return Position{Line: l, Character: utf16Len(t.src[t.lines[l]:off])}
}

// offset is the byte offset of an LSP position, clamped to its line.
func (t *text) offset(p Position) int {
	if p.Line < 0 {
		return 0
	}
	if p.Line >= len(t.lines) {
		return len(t.src)
	}
	off, end := t.lines[p.Line], t.lineEnd(p.Line)
	for n := 0; off < end && n < p.Character; {
		r, size := utf8.DecodeRune(t.src[off:end])
		n += utf16.RuneLen(r)
		if r == utf8.RuneError && size == 1 {
			n = n - utf16.RuneLen(r) + 1
		}
		off += size
	}
	return off
}

// langOffset is the byte offset of a compiler position (1-based line, rune
// column), computed from the line and column rather than trusted.
func (t *text) langOffset(p lang.Pos) int {
	if p.Line <= 0 {
		return 0
	}
	if p.Line > len(t.lines) {
		return len(t.src)
	}
	off, end := t.lines[p.Line-1], t.lineEnd(p.Line-1)
	for c := 1; c < p.Column && off < end; c++ {
		_, size := utf8.DecodeRune(t.src[off:end])
		off += size
	}
	return off
}

// rng is the LSP range of a compiler range; an invalid one (a diagnostic
// about the whole file) is the file's start.
func (t *text) rng(r lang.Range) Range {
	if !r.IsValid() {
		return Range{}
	}
	start := t.langOffset(r.Start)
	end := start
	if r.End.IsValid() {
		end = max(t.langOffset(r.End), start)
	}
	return Range{Start: t.position(start), End: t.position(end)}
}

func utf16Len(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			n++
		} else {
			n += utf16.RuneLen(r)
		}
		b = b[size:]
	}
	return n
}

// uriPath returns the file path of a file: URI ("" for another scheme).
func uriPath(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return ""
	}
	return filepath.Clean(filepath.FromSlash(u.Path))
}

// pathURI returns the file: URI of an absolute path.
func pathURI(path string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	return u.String()
}

// inRange reports whether offset off lies in [start, end] of r's offsets
// in t (the end included, so a cursor just after a name is on it).
func (t *text) inRange(off int, r lang.Range) bool {
	if !r.IsValid() {
		return false
	}
	return t.langOffset(r.Start) <= off && off <= t.langOffset(r.End)
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}
