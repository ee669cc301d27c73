package lang

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/regc/regc/internal/lazyre"
	"github.com/regc/regc/internal/spell"
)

// The slips: mistakes a person coming from YAML or Python makes in a
// declaration, recognised in its tokens when it fails to parse, each with a
// message that says what to write. Everything else is participle's error,
// said in our words and prefixed with the construct being read.

// chunkDiagnostic is the diagnostic for ch, a declaration that failed to
// parse with err.
func chunkDiagnostic(filename string, src []byte, ch chunk, err error) Diagnostic {
	toks, bad := chunkTokens(string(src), ch)
	what := construct(toks)
	if d, ok := mismatchedCloser(filename, src, toks, what); ok {
		return d
	}
	if ch.unclosed != nil {
		o := *ch.unclosed
		open := src[o.Offset : o.Offset+1]
		next := lexer.Token{Type: tokKeyword, Value: declWord(string(src), ch.next), Pos: ch.next}
		d := Diagnostic{Code: CodeSyntax, Severity: Error, Range: tokenRange(filename, src, next)}
		d.Message = fmt.Sprintf("%smissing %q: the %q on line %d is still open where the next declaration starts", prefix(what), closerOf(string(open)), open, o.Line)
		d.Related = &Related{Range: tokenRange(filename, src, lexer.Token{Value: string(open), Pos: o}), Message: fmt.Sprintf("unclosed %q opened here", open)}
		return d
	}
	// a character the scanner cannot read belongs to the declaration when
	// it stands inside its brackets; between declarations it belongs to
	// none
	inside := false
	if bad != nil {
		_, inside = unclosedBefore(toks, bad.Offset)
	}
	if bad != nil {
		if d, ok := lexicalSlip(filename, src, *bad); ok {
			if inside {
				d.Message = prefix(what) + d.Message
			}
			return d
		}
	}
	if d, ok := tokenSlip(filename, src, toks, what); ok {
		return d
	}
	d := syntaxDiagnostic(filename, src, err)
	var ute *participle.UnexpectedTokenError
	if errors.As(err, &ute) {
		if opener, ok := unclosedBefore(toks, ute.Unexpected.Pos.Offset); ok && strings.Contains(d.Message, "expected \""+closerOf(opener.Value)+"\"") {
			d.Related = &Related{Range: tokenRange(filename, src, opener), Message: fmt.Sprintf("unclosed %q opened here", opener.Value)}
		}
	}
	if len(toks) > 0 && d.Range.Start.Offset > toks[0].Pos.Offset && (bad == nil || inside) {
		d.Message = prefix(what) + d.Message
	}
	return d
}

func prefix(what string) string {
	if what == "" {
		return ""
	}
	return "in " + what + ": "
}

func closerOf(open string) string {
	switch open {
	case "{":
		return "}"
	case "[":
		return "]"
	}
	return ")"
}

// declWord is the word at pos: the keyword starting a declaration.
func declWord(text string, pos lexer.Position) string {
	j := pos.Offset
	for j < len(text) && isWord(text[j]) {
		j++
	}
	return text[pos.Offset:j]
}

// chunkTokens returns the tokens of ch, and the position of a character
// the scanner cannot read, if there is one.
func chunkTokens(text string, ch chunk) ([]lexer.Token, *lexer.Position) {
	sc := &scanner{src: text, limit: ch.end, pos: ch.start, elide: true}
	var out []lexer.Token
	for len(out) < 10000 {
		t, err := sc.Next()
		if err != nil {
			p := sc.pos
			return out, &p
		}
		if t.EOF() {
			break
		}
		out = append(out, t)
	}
	return out, nil
}

// construct names the declaration toks are: `stage A`, `the regimen
// header`; "" when it starts with no keyword or transition.
func construct(toks []lexer.Token) string {
	if len(toks) == 0 {
		return ""
	}
	name := func(i int) string {
		if i < len(toks) && (toks[i].Type == tokIdent || toks[i].Type == tokString) {
			return toks[i].Value
		}
		return ""
	}
	kw := toks[0].Value
	switch {
	case toks[0].Type == tokKeyword && kw == "final" && len(toks) > 1 && toks[1].Value == "stage":
		if n := name(2); n != "" {
			return "final stage " + n
		}
		return "a final stage"
	case toks[0].Type == tokKeyword:
		switch kw {
		case "regimen":
			return "the regimen header"
		case "import":
			return "the import"
		case "criterion", "trigger":
			return "the " + kw + " declaration"
		case "migrate":
			return "the migrate block"
		}
		if n := name(1); n != "" {
			return kw + " " + n
		}
		return "a " + kw + " declaration"
	case toks[0].Type == tokIdent && len(toks) > 3 && toks[2].Value == "->":
		return fmt.Sprintf("the %s transition %s -> %s", kw, toks[1].Value, toks[3].Value)
	}
	return ""
}

// unclosedBefore returns the innermost bracket of toks still open at
// offset off.
func unclosedBefore(toks []lexer.Token, off int) (lexer.Token, bool) {
	var open lexer.Token
	found := false
	walkBrackets(toks, func(t lexer.Token, stack []lexer.Token) bool {
		if t.Pos.Offset < off {
			return true
		}
		if len(stack) > 0 {
			open, found = stack[len(stack)-1], true
		}
		return false
	}, nil)
	return open, found
}

// walkBrackets calls each with every token of toks and the brackets open
// before it, until each returns false, and closed with each closing
// bracket and the bracket it closes, until closed returns false.
func walkBrackets(toks []lexer.Token, each func(t lexer.Token, stack []lexer.Token) bool, closed func(open, t lexer.Token) bool) {
	var stack []lexer.Token
	for _, t := range toks {
		if each != nil && !each(t, stack) {
			return
		}
		if t.Type != tokPunct {
			continue
		}
		switch t.Value {
		case "{", "[", "(":
			stack = append(stack, t)
		case "}", "]", ")":
			if len(stack) == 0 {
				continue
			}
			open := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if closed != nil && !closed(open, t) {
				return
			}
		}
	}
	if each != nil {
		each(lexer.Token{Pos: lexer.Position{Offset: 1 << 62}}, stack)
	}
}

// lexicalSlip explains a character the scanner cannot read at p.
func lexicalSlip(filename string, src []byte, p lexer.Position) (Diagnostic, bool) {
	text := string(src)
	if p.Offset >= len(text) {
		return Diagnostic{}, false
	}
	lineEnd := strings.IndexByte(text[p.Offset:], '\n')
	if lineEnd < 0 {
		lineEnd = len(text)
	} else {
		lineEnd += p.Offset
	}
	rest := text[p.Offset:lineEnd]
	at := func(n int, code, format string, args ...any) (Diagnostic, bool) {
		tok := lexer.Token{Value: text[p.Offset : p.Offset+n], Pos: p}
		return Diagnostic{Code: code, Severity: Error, Range: tokenRange(filename, src, tok), Message: fmt.Sprintf(format, args...)}, true
	}
	r, size := utf8.DecodeRuneInString(rest)
	switch {
	case r == '#':
		d, ok := at(len(strings.TrimRight(rest, " \t\r")), CodeSyntax, `comments start with "//", not "#"`)
		d.Suggestion = "//" + strings.TrimPrefix(strings.TrimRight(rest, " \t\r"), "#")
		return d, ok
	case r == '\'':
		if j := strings.IndexByte(rest[1:], '\''); j >= 0 {
			inner := rest[1 : j+1]
			d, ok := at(j+2, CodeSyntax, "strings use double quotes: %s", Quote(inner))
			d.Suggestion = Quote(inner)
			return d, ok
		}
		return at(1, CodeSyntax, `strings use double quotes ("), not single quotes`)
	case r == ';':
		return at(1, CodeSyntax, `";" does not end anything here: separate fields with a comma or a new line`)
	case r == '-' && strings.TrimSpace(text[strings.LastIndexByte(text[:p.Offset], '\n')+1:p.Offset]) == "":
		return at(1, CodeSyntax, `"- " items are YAML: write a list as [a, b], and names after a keyword as a, b`)
	case r == 'µ' || r == 'μ':
		j := size
		for j < len(rest) && isWord(rest[j]) {
			j++
		}
		unit := rest[:j]
		d, ok := at(j, CodeUnknownUnit, "unknown unit %s (did you mean u%s? units are written in ASCII)", unit, rest[size:j])
		d.Suggestion = "u" + rest[size:j]
		return d, ok
	}
	return Diagnostic{}, false
}

var (
	headerVersion = lazyre.New(`^(.+)_[vV](\d+)$`)
	vVersion      = lazyre.New(`^[vV](\d+)$`)
)

// tokenSlip finds a slip among the tokens of a declaration.
func tokenSlip(filename string, src []byte, toks []lexer.Token, what string) (Diagnostic, bool) {
	if len(toks) == 0 {
		return Diagnostic{}, false
	}
	at := func(from, to lexer.Token, format string, args ...any) (Diagnostic, bool) {
		rng := tokenRange(filename, src, from).Cover(tokenRange(filename, src, to))
		return Diagnostic{Code: CodeSyntax, Severity: Error, Range: rng, Message: prefix(what) + fmt.Sprintf(format, args...)}, true
	}
	// numberTail gathers `.0.0` after a token that ends in digits: the
	// scanner reads `Foo_v1.0.0` as a name and two numbers.
	numberTail := func(i int) (string, int) {
		s, j := "", i+1
		for j < len(toks) && toks[j].Type == tokNumber && strings.HasPrefix(toks[j].Value, ".") &&
			toks[j].Pos.Offset == toks[j-1].Pos.Offset+len(toks[j-1].Value) {
			s += toks[j].Value
			j++
		}
		return s, j - 1
	}
	first := toks[0]
	unknownDecl := func(t lexer.Token) (Diagnostic, bool) {
		msg := fmt.Sprintf("a declaration starts with a keyword or a trigger, not the name %q", t.Value)
		if k := spell.Nearest(t.Value, declKeywords()); k != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", k)
		}
		return at(t, t, "%s", msg)
	}
	if first.Type == tokKeyword && first.Value == "regimen" && len(toks) > 1 {
		if m := headerVersion.Re().FindStringSubmatch(toks[1].Value); m != nil && toks[1].Type == tokIdent {
			tail, last := numberTail(1)
			return at(toks[1], toks[last], "the name and the version are written apart: regimen %s version %s", m[1], m[2]+tail)
		}
		for i := 1; i+1 < len(toks); i++ {
			if toks[i].Value != "version" {
				continue
			}
			v := toks[i+1]
			if m := vVersion.Re().FindStringSubmatch(v.Value); m != nil && v.Type == tokIdent {
				tail, last := numberTail(i + 1)
				return at(v, toks[last], `a version has no "v": write version %s`, m[1]+tail)
			}
			if v.Type == tokString {
				return at(v, v, "a version is not quoted: write version %s", strings.Trim(v.Value, `"`))
			}
		}
	}
	if first.Type == tokKeyword && first.Value == "import" && len(toks) > 1 && toks[1].Type == tokIdent {
		return at(toks[1], toks[1], "an import's path is a quoted string: import %q", toks[1].Value)
	}
	if first.Type == tokIdent && len(toks) > 1 && toks[1].Value == "->" {
		return at(first, first, "a transition starts with its trigger: progress %s -> ...", first.Value)
	}
	if first.Type == tokIdent && len(toks) > 2 && (toks[2].Value == "{" || toks[2].Value == ":") {
		what = ""
		return unknownDecl(first)
	}
	stageName := -1
	if first.Value == "stage" && first.Type == tokKeyword {
		stageName = 1
	} else if first.Value == "final" && len(toks) > 1 && toks[1].Value == "stage" {
		stageName = 2
	}
	if stageName > 0 && stageName+1 < len(toks) {
		n, next := toks[stageName], toks[stageName+1]
		switch {
		case (next.Value == ":" || next.Value == "=") && next.Type == tokPunct:
			return at(next, next, `no %q after a stage's name: write stage %s { script: ..., params: ... }`, next.Value, n.Value)
		case next.Value != "{":
			return at(next, next, "a stage's fields go in braces: stage %s { script: ..., params: ... }", n.Value)
		}
	}
	// `schema S volume: ...`, `params p: S n: 1`: a record's fields without
	// its braces
	if first.Type == tokKeyword && (first.Value == "schema" || first.Value == "script" || first.Value == "params") && len(toks) > 2 && toks[1].Type == tokIdent {
		i := 2
		if toks[i].Value == ":" && first.Value != "schema" && i+1 < len(toks) && toks[i+1].Type == tokIdent {
			i += 2 // the schema it is checked against
		}
		if i < len(toks) && toks[i].Value != "{" && !(first.Value == "params" && toks[i].Value == "=") {
			return at(toks[i], toks[i], "the fields go in braces: %s %s { ... }", first.Value, strings.TrimSpace(textBetween(src, toks[1], toks[i-1])))
		}
	}
	if first.Value == "criterion" || first.Value == "trigger" {
		for i := 2; i < len(toks); i++ {
			if (toks[i].Type == tokIdent || toks[i].Type == tokString) && (toks[i-1].Type == tokIdent || toks[i-1].Type == tokString) {
				return at(toks[i], toks[i], "names are separated by commas: %s, %s", toks[i-1].Value, toks[i].Value)
			}
		}
	}
	var stack []string
	criteria := false
	for i, t := range toks {
		if t.Type == tokPunct {
			switch t.Value {
			case "{", "[", "(":
				stack = append(stack, t.Value)
			case "}", "]", ")":
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
			case "=":
				if len(stack) > 0 && stack[len(stack)-1] == "{" && i > 0 && isKeyToken(toks[i-1]) {
					return at(t, t, `fields use ":", not "=": %s: ...`, toks[i-1].Value)
				}
			case "=>":
				if first.Value != "test" && len(stack) == 0 && i >= 2 && toks[i-2].Type == tokIdent && (toks[i-1].Type == tokIdent || toks[i-1].Type == tokString) {
					what = fmt.Sprintf("the %s transition from %s", toks[i-2].Value, toks[i-1].Value)
					return at(t, t, `a transition's arrow is "->" ("=>" ends a test step)`)
				}
			case ",":
				if i+1 < len(toks) && (toks[i+1].Value == "]" || toks[i+1].Value == "}" && len(stack) > 0 && stack[len(stack)-1] == "[") {
					return at(t, t, "no comma after the last item of a list")
				}
			}
		}
		if t.Type == tokIdent && len(stack) == 0 && i > 0 && t.Pos.Column == 1 && i+2 < len(toks) &&
			(toks[i+1].Type == tokIdent || toks[i+1].Type == tokString) && (toks[i+2].Value == "{" || toks[i+2].Value == ":") {
			what = ""
			return unknownDecl(t)
		}
		if t.Type == tokIdent && len(stack) == 0 && (t.Value == "when" || t.Value == "unless") {
			criteria = true
		}
		if criteria && t.Type == tokIdent && (t.Value == "and" || t.Value == "or") && i > 0 && i+1 < len(toks) &&
			(toks[i-1].Type == tokIdent || toks[i-1].Type == tokString) {
			if t.Value == "or" {
				return at(t, t, `criteria cannot be joined with "or": a transition fires when all of them hold (write one transition per alternative)`)
			}
			return at(t, t, `criteria are separated by commas, not "and": %s, %s`, toks[i-1].Value, toks[i+1].Value)
		}
	}
	return Diagnostic{}, false
}

func isKeyToken(t lexer.Token) bool {
	return t.Type == tokIdent || t.Type == tokKeyword || t.Type == tokString
}

func declKeywords() []string {
	var out []string
	for _, k := range Keywords {
		if isDeclKeyword(k) {
			out = append(out, k)
		}
	}
	return out
}

// mismatchedCloser finds a closing bracket of another kind than the one it
// would close (`[1, 2 }`).
func mismatchedCloser(filename string, src []byte, toks []lexer.Token, what string) (Diagnostic, bool) {
	var d Diagnostic
	found := false
	walkBrackets(toks, nil, func(open, t lexer.Token) bool {
		want := closerOf(open.Value)
		if want == t.Value {
			return true
		}
		d = Diagnostic{Code: CodeSyntax, Severity: Error, Range: tokenRange(filename, src, t),
			Message: fmt.Sprintf("%s%q does not close the %q on line %d: write %q", prefix(what), t.Value, open.Value, open.Pos.Line, want)}
		d.Related = &Related{Range: tokenRange(filename, src, open), Message: fmt.Sprintf("unclosed %q opened here", open.Value)}
		found = true
		return false
	})
	return d, found
}

// textBetween is the source from the start of a to the end of b.
func textBetween(src []byte, a, b lexer.Token) string {
	return string(src[a.Pos.Offset : b.Pos.Offset+len(b.Value)])
}
