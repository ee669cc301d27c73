package compiler

import (
	"reflect"
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
		for _, g := range f.ast.Comments {
			for _, cm := range g.List {
				rest, ok := allowDirective(cm.Text)
				if !ok {
					continue
				}
				decl := declAt(f.ast, cm.Pos.Line)
				// text after a colon is a reason: `regc:allow trap-stage: ends here`
				list, _, _ := strings.Cut(rest, ":")
				for _, code := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
					if _, ok := lang.Explanations[code]; !ok {
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
	out := c.diags[:0]
	for _, d := range c.diags {
		if d.Severity == lang.Warning && silenced(allows, d) {
			continue
		}
		out = append(out, d)
	}
	c.diags = out
}

func silenced(allows []allowed, d lang.Diagnostic) bool {
	for _, a := range allows {
		if a.code == d.Code && a.file == d.Range.File && d.Range.Start.Line >= a.start && d.Range.Start.Line <= a.end {
			return true
		}
	}
	return false
}

type declSpan struct{ pos, end lexer.Position }

// declAt returns the span of the declaration a directive on line belongs
// to: the one starting on the next line, or on that line itself.
func declAt(f *lang.File, line int) *declSpan {
	for _, d := range f.Decls {
		// every declaration node records Pos and EndPos
		v := reflect.ValueOf(d).Elem()
		pos, _ := v.FieldByName("Pos").Interface().(lexer.Position)
		end, _ := v.FieldByName("EndPos").Interface().(lexer.Position)
		if pos.Line == line || pos.Line == line+1 {
			return &declSpan{pos, end}
		}
	}
	return nil
}
