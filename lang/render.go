package lang

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/regc/regc/internal/safetext"
)

// RenderOptions control how diagnostics are printed.
type RenderOptions struct {
	// Color adds ANSI colours; set it only when writing to a terminal.
	Color bool
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[1;31m"
	ansiYellow = "\x1b[1;33m"
	ansiBlue   = "\x1b[1;34m"
	ansiCyan   = "\x1b[36m"
)

// Render prints each diagnostic as `file:line:col: severity: message [code]`,
// then the source line with a marker under the range, then the suggestion
// and the related place, if any. sources maps file names to their text; a
// diagnostic whose file is not there is printed without its source line.
func Render(w io.Writer, diags Diagnostics, sources map[string][]byte, opts RenderOptions) error {
	var b bytes.Buffer
	lines := lineTables{sources: sources}
	for _, d := range diags {
		renderOne(&b, d, &lines, opts)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func paint(opts RenderOptions, color, s string) string {
	if !opts.Color {
		return s
	}
	return color + s + ansiReset
}

func renderOne(b *bytes.Buffer, d Diagnostic, lines *lineTables, opts RenderOptions) {
	sevColor := ansiRed
	switch d.Severity {
	case Warning:
		sevColor = ansiYellow
	case Info:
		sevColor = ansiBlue
	}
	// what comes from a file (its name, its text, names and values in
	// messages) is escaped: it must not act on the terminal; and a URL's
	// password quoted in a message is hidden
	esc := func(s string) string { return safetext.Terminal(safetext.Redact(s)) }
	fmt.Fprintf(b, "%s %s %s [%s]\n", paint(opts, ansiBold, esc(d.Range.String())+":"), paint(opts, sevColor, d.Severity.String()+":"), esc(d.Message), esc(d.Code))
	snippet(b, d.Range, lines.of(d.Range.File), sevColor, opts)
	if d.Suggestion != "" && !strings.Contains(d.Message, "did you mean "+d.Suggestion) {
		fmt.Fprintf(b, "      %s %s\n", paint(opts, ansiCyan, "= help:"), esc(d.Suggestion))
	}
	if d.Related != nil {
		fmt.Fprintf(b, "%s %s %s\n", paint(opts, ansiBold, esc(d.Related.Range.String())+":"), paint(opts, ansiBlue, "note:"), esc(d.Related.Message))
		snippet(b, d.Related.Range, lines.of(d.Related.Range.File), ansiBlue, opts)
	}
}

// maxShownLine is the most of one source line a snippet shows.
const maxShownLine = 300

// snippet prints the first line of r and a marker under the part of it that
// r covers. Tabs are shown as four spaces and other controls escaped
// (safetext.Terminal), so the marker lines up.
func snippet(b *bytes.Buffer, r Range, src *lineTable, color string, opts RenderOptions) {
	if src == nil || !r.IsValid() {
		return
	}
	line, ok := src.line(r.Start.Line)
	if !ok {
		return
	}
	startCol := r.Start.Column
	endCol := r.End.Column
	if r.End.Line != r.Start.Line || endCol <= startCol {
		endCol = utf8.RuneCountInString(line) + 1
		if endCol <= startCol {
			endCol = startCol + 1
		}
	}
	// a very long line (a minified file, a generated one) is shown as a
	// window around the range, with an ellipsis where it is cut
	prefix := ""
	if runes := []rune(line); len(runes) > maxShownLine {
		lo := max(startCol-1-maxShownLine/4, 0)
		hi := min(lo+maxShownLine, len(runes))
		suffix := ""
		if hi < len(runes) {
			suffix = "..."
		}
		if lo > 0 {
			prefix = "..."
		}
		line = string(runes[lo:hi]) + suffix
		startCol -= lo
		endCol = min(endCol-lo, hi-lo+1)
		if endCol <= startCol {
			endCol = startCol + 1
		}
	}
	var shown, pad, mark strings.Builder
	shown.WriteString(prefix)
	pad.WriteString(strings.Repeat(" ", len(prefix)))
	col := 1
	for _, c := range line {
		text := safetext.Escape(c)
		if c == '\t' {
			text = "    "
		}
		w := utf8.RuneCountInString(text)
		shown.WriteString(text)
		switch {
		case col < startCol:
			pad.WriteString(strings.Repeat(" ", w))
		case col < endCol:
			mark.WriteString(strings.Repeat("^", w))
		}
		col++
	}
	for ; col < endCol; col++ { // a range past the end of the line (end of file)
		mark.WriteByte('^')
	}
	num := fmt.Sprint(r.Start.Line)
	gutter := strings.Repeat(" ", len(num))
	fmt.Fprintf(b, " %s | %s\n", num, strings.TrimRight(shown.String(), " "))
	fmt.Fprintf(b, " %s | %s%s\n", gutter, pad.String(), paint(opts, color, mark.String()))
}

// lineTables are the line tables of the sources diagnostics are rendered
// from, each made when a diagnostic first needs it, so that rendering n
// diagnostics reads each file once instead of once per diagnostic.
type lineTables struct {
	sources map[string][]byte
	tables  map[string]*lineTable
}

// of is the line table of file, nil when its text is not known.
func (ls *lineTables) of(file string) *lineTable {
	if t, ok := ls.tables[file]; ok {
		return t
	}
	var t *lineTable
	if src, ok := ls.sources[file]; ok && src != nil {
		t = newLineTable(src)
	}
	if ls.tables == nil {
		ls.tables = map[string]*lineTable{}
	}
	ls.tables[file] = t
	return t
}

// lineTable is a text with the offset of each of its lines' starts.
type lineTable struct {
	src    []byte
	starts []int
}

func newLineTable(src []byte) *lineTable {
	starts := make([]int, 1, bytes.Count(src, []byte{'\n'})+1)
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &lineTable{src: src, starts: starts}
}

// line is line n (from 1) without its line ending; false when the text
// has fewer lines.
func (t *lineTable) line(n int) (string, bool) {
	if n < 1 || n > len(t.starts) {
		return "", false
	}
	src := t.src[t.starts[n-1]:]
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return strings.TrimRight(string(src), "\r"), true
}
