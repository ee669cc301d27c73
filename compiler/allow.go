package compiler

import (
	"cmp"
	"reflect"
	"slices"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/regc/regc/lang"
)

// The allow directive: a comment `// regc:allow CODE[, CODE...]` on the
// line before a declaration, or at the end of its first line, silences
// those warnings for that declaration (errors cannot be silenced). A
// directive that names no code is itself a warning (see allowDirective).

// allowed is a silenced code over one declaration's lines.
type allowed struct {
	file       string
	start, end int // lines, inclusive
	code       string
}

// allowWarnings drops the warnings the files' allow directives silence.
func (c *checker) allowWarnings() {
	var allows []allowed
	for _, f := range c.files {
		if f.ast == nil {
			continue
		}
		var spans *fileSpans
		for _, g := range f.ast.Comments {
			for _, cm := range g.List {
				rest, ok := allowDirective(cm.Text)
				if !ok {
					continue
				}
				if spans == nil {
					spans = declSpans(f.ast)
				}
				decl := declAt(spans, cm.Pos.Line)
				// text after a colon is a reason: `regc:allow trap-stage: ends here`
				list, _, _ := strings.Cut(rest, ":")
				for _, code := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
					if _, ok := lang.Explanations()[code]; !ok {
						d := c.diags.Warnf(lang.CodeSyntax, cm.Range(), "regc:allow names no warning code %s", code)
						c.didYouMean(d, code, lang.Codes())
						continue
					}
					if decl != nil {
						r := lang.RangeOf(decl.pos, decl.end)
						allows = append(allows, allowed{f.path, r.Start.Line, r.End.Line, code})
					}
				}
			}
		}
	}
	if len(allows) == 0 {
		return
	}
	index := indexAllows(allows)
	out := c.diags[:0]
	for _, d := range c.diags {
		if d.Severity == lang.Warning && index.silenced(d) {
			continue
		}
		out = append(out, d)
	}
	c.diags = out
}

// allowIndex holds the allowed spans by file and code, sorted by their
// first line, with the furthest last line of each span and those before it:
// a diagnostic is looked up in time logarithmic in the directives.
type allowIndex map[allowKey]*allowSpans

type allowKey struct{ file, code string }

type allowSpans struct {
	start, reach []int // reach[i]: the largest end of spans 0..i
}

func indexAllows(allows []allowed) allowIndex {
	slices.SortStableFunc(allows, func(a, b allowed) int { return cmp.Compare(a.start, b.start) })
	index := allowIndex{}
	for _, a := range allows {
		k := allowKey{a.file, a.code}
		sp := index[k]
		if sp == nil {
			sp = &allowSpans{}
			index[k] = sp
		}
		reach := a.end
		if n := len(sp.reach); n > 0 && sp.reach[n-1] > reach {
			reach = sp.reach[n-1]
		}
		sp.start = append(sp.start, a.start)
		sp.reach = append(sp.reach, reach)
	}
	return index
}

// silenced reports whether an allowed span of d's code in d's file holds
// the line d starts on.
func (index allowIndex) silenced(d lang.Diagnostic) bool {
	sp := index[allowKey{d.Range.File, d.Code}]
	if sp == nil {
		return false
	}
	line := d.Range.Start.Line
	// the spans starting on or before line are sp.start[:i]
	i, found := slices.BinarySearch(sp.start, line)
	if found {
		for i < len(sp.start) && sp.start[i] == line {
			i++
		}
	}
	return i > 0 && sp.reach[i-1] >= line
}

type declSpan struct{ pos, end lexer.Position }

// fileSpans are the spans of a file's declarations, in order, and whether
// they start in the order of their lines (as parsed, they do).
type fileSpans struct {
	spans  []declSpan
	sorted bool
}

func declSpans(f *lang.File) *fileSpans {
	spans := make([]declSpan, len(f.Decls))
	for i, d := range f.Decls {
		// every declaration node records Pos and EndPos
		v := reflect.ValueOf(d).Elem()
		spans[i].pos, _ = v.FieldByName("Pos").Interface().(lexer.Position)
		spans[i].end, _ = v.FieldByName("EndPos").Interface().(lexer.Position)
	}
	sorted := slices.IsSortedFunc(spans, func(a, b declSpan) int { return cmp.Compare(a.pos.Line, b.pos.Line) })
	return &fileSpans{spans, sorted}
}

// declAt returns the span of the declaration a directive on line belongs
// to: the first one starting on the next line or on that line itself.
func declAt(fs *fileSpans, line int) *declSpan {
	i := 0
	if fs.sorted {
		// the first starting on or after line is the one, if any is
		i, _ = slices.BinarySearchFunc(fs.spans, line, func(s declSpan, l int) int { return cmp.Compare(s.pos.Line, l) })
	}
	for ; i < len(fs.spans); i++ {
		if p := fs.spans[i].pos.Line; p == line || p == line+1 {
			return &fs.spans[i]
		}
		if fs.sorted {
			break
		}
	}
	return nil
}
