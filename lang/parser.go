package lang

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/regc/regc/internal/lazy"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// Parse parses one .regimen file. On a syntax error it returns a nil File and
// one diagnostic with code "syntax" at the offending token; participle stops
// at the first error, so the compiler does the checks that can be collected.
func Parse(filename string, src []byte) (f *File, diags Diagnostics) {
	return parse(filename, src, true)
}

// parse is Parse; fast says whether to try the fast parser on each batch
// before participle (the differential tests turn it off).
func parse(filename string, src []byte, fast bool) (f *File, diags Diagnostics) {
	if !utf8.Valid(src) {
		off := 0
		for off < len(src) {
			r, size := utf8.DecodeRune(src[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		p := PosAt(src, off)
		diags.Errorf(CodeSyntax, Range{File: filename, Start: p, End: Pos{p.Line, p.Column + 1, off + 1}}, "the file is not valid UTF-8 (byte 0x%02x at offset %d)", src[off], off)
		return nil, diags
	}
	defer func() {
		// participle should never panic on input; if it does, the answer
		// is still a diagnostic rather than a stack trace.
		if r := recover(); r != nil {
			f = nil
			diags = Diagnostics{{Code: CodeInternal, Severity: Error, Range: Range{File: filename, Start: Pos{1, 1, 0}, End: Pos{1, 1, 0}},
				Message: fmt.Sprintf("internal parser failure: %v", r)}}
		}
	}()
	text := string(src)
	file := &File{Pos: lexer.Position{Filename: filename, Line: 1, Column: 1}}
	// a UTF-8 byte order mark (U+FEFF) starting the file is not part of
	// its text: reading starts after it, at column 2
	start := lexer.Position{Filename: filename, Line: 1, Column: 1}
	if strings.HasPrefix(text, byteOrderMark) {
		start.Offset, start.Column = len(byteOrderMark), 2
	}
	var comments []*Comment
	// A small file is read by the fast parser in one go, as its one batch
	// would be below, collecting its comments on the way: splitting it
	// into declarations first read it twice. Anything it refuses (a syntax
	// error, brackets nested too deep) takes the path below.
	if fast && len(text) <= wholeFileSize {
		if decls, ok := fastParseCollecting(text, chunk{start: start, end: len(text)}, &comments); ok {
			file.Decls = decls
			file.EndPos = lexer.Position{Filename: filename, Offset: len(src)}
			file.Comments = groupComments(text, comments)
			return file, nil
		}
		comments = nil
	}
	chunks, tooDeep := splitDecls(text, start, &comments)
	if tooDeep != nil {
		// the parser is recursive: past this depth it would exhaust the
		// stack, which Go does not let a program recover from
		p := Pos{tooDeep.Line, tooDeep.Column, tooDeep.Offset}
		diags.Errorf(CodeSyntax, Range{File: filename, Start: p, End: Pos{p.Line, p.Column + 1, p.Offset + 1}},
			"brackets are nested more than %d deep here", MaxNesting)
		return nil, diags
	}
	// Declarations are parsed in batches, the batches in parallel. The fast
	// parser (fastparse.go) reads a batch when it can; otherwise participle
	// does, and a batch it fails is parsed again one declaration at a time,
	// so every broken declaration gets its own diagnostic.
	const batchSize = 128
	type batch struct {
		chunks []chunk
		decls  []Decl
		diags  Diagnostics
	}
	var batches []*batch
	for i := 0; i < len(chunks); i += batchSize {
		j := min(i+batchSize, len(chunks))
		batches = append(batches, &batch{chunks: chunks[i:j]})
	}
	parseBatch := func(b *batch) {
		span := chunk{start: b.chunks[0].start, end: b.chunks[len(b.chunks)-1].end}
		if fast {
			if decls, ok := fastParse(text, span); ok {
				b.decls = decls
				return
			}
		}
		if part, err := parseChunk(text, span); err == nil {
			b.decls = part.Decls
			return
		}
		for _, ch := range b.chunks {
			part, err := parseChunk(text, ch)
			if err != nil {
				b.diags = append(b.diags, chunkDiagnostic(filename, src, ch, err))
				continue
			}
			b.decls = append(b.decls, part.Decls...)
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(batches))
	if workers <= 1 {
		for _, b := range batches {
			parseBatch(b)
		}
	} else {
		var wg sync.WaitGroup
		next := make(chan *batch)
		var panicked any
		var once sync.Once
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() {
					if r := recover(); r != nil {
						once.Do(func() { panicked = r })
						for range next {
						}
					}
				}()
				for b := range next {
					parseBatch(b)
				}
			}()
		}
		for _, b := range batches {
			next <- b
		}
		close(next)
		wg.Wait()
		if panicked != nil {
			panic(panicked)
		}
	}
	for _, b := range batches {
		file.Decls = append(file.Decls, b.decls...)
		diags = append(diags, b.diags...)
	}
	file.EndPos = lexer.Position{Filename: filename, Offset: len(src)}
	if diags.HasErrors() {
		return nil, diags
	}
	file.Comments = groupComments(text, comments)
	return file, nil
}

// parseChunk parses the declarations in one stretch of the file.
func parseChunk(text string, ch chunk) (*File, error) {
	sc := &scanner{src: text, limit: ch.end, pos: ch.start, elide: true, gaps: true}
	peek, err := lexer.Upgrade(sc, tokWhitespace)
	if err != nil {
		return nil, err
	}
	return parser.Get().ParseFromLexer(peek)
}

// chunk is a stretch of a file holding whole declarations.
type chunk struct {
	start lexer.Position
	end   int
	// unclosed is the bracket the declaration leaves open, when the
	// next declaration (at next) was found inside it
	unclosed *lexer.Position
	next     lexer.Position
}

// wholeFileSize is the largest file the fast parser reads whole; a larger
// one is split into declarations, and batches of them parsed in parallel.
const wholeFileSize = 64 << 10

// MaxNesting is how deeply brackets ({ [ ( ) may nest in a source file.
const MaxNesting = 1000

// splitDecls cuts a file into its declarations, so each is parsed on its
// own: participle stops at a file's first syntax error, but a declaration
// that follows a broken one is still read and its errors reported, and the
// parser never holds more than one declaration's tokens. A declaration
// starts, outside all brackets, at a declaration keyword or at a transition
// (a name, a stage name, then "->"). After a token the scanner cannot read,
// the rest of the file is one chunk that reports it. It also collects the
// file's comments into comments.
func splitDecls(text string, start lexer.Position, comments *[]*Comment) ([]chunk, *lexer.Position) {
	sc := &scanner{src: text, limit: len(text), pos: start, elide: true, comments: comments}
	var starts []lexer.Position
	type tok struct {
		typ   lexer.TokenType
		value string
		pos   lexer.Position
	}
	var window [3]tok // the last three tokens at depth 0, oldest first
	var prev tok      // the last token at any depth
	var openers []lexer.Position
	unclosed := map[int]lexer.Position{} // by the offset of the start that cut a declaration open
	pending := -1                        // the index in starts of a start not yet confirmed
	canEnd := func(t tok) bool {
		switch t.typ {
		case 0, tokIdent, tokString, tokNumber, tokQuantity, tokVersion:
			return true
		case tokKeyword:
			return isValueKeyword(t.value)
		case tokPunct:
			return t.value == "}" || t.value == "]" || t.value == ")"
		}
		return false
	}
	depth := 0
	for {
		t, err := sc.Next()
		if err != nil || t.EOF() {
			break
		}
		// a keyword followed by ":" or "." is a key (`params: base`,
		// `final.x: 1`), not the start of a declaration
		if pending >= 0 {
			if t.Type == tokPunct && (t.Value == ":" || t.Value == ".") {
				starts = append(starts[:pending], starts[pending+1:]...)
			}
			pending = -1
		}
		// a declaration keyword at the start of a line, inside brackets,
		// after what can end a value, and not a key (`stage: "A"`,
		// `final.x: 1`, which must not restart the count of open brackets):
		// the bracket was left open, and the next declaration starts here
		if depth > 0 && t.Type == tokKeyword && isDeclKeyword(t.Value) && t.Pos.Column == 1 && canEnd(prev) && !keyNext(sc) {
			unclosed[t.Pos.Offset] = openers[len(openers)-1]
			depth, openers = 0, openers[:0]
			window = [3]tok{}
		}
		if t.Type == tokPunct {
			switch t.Value {
			case "{", "[", "(":
				depth++
				openers = append(openers, t.Pos)
				if depth > MaxNesting {
					pos := t.Pos
					return nil, &pos
				}
			case "}", "]", ")":
				if depth > 0 {
					depth--
					openers = openers[:len(openers)-1]
				}
			}
		}
		if depth > 0 || t.Type == tokPunct && (t.Value == "{" || t.Value == "[" || t.Value == "(") {
			window = [3]tok{}
			prev = tok{t.Type, t.Value, t.Pos}
			continue
		}
		// a keyword starts a declaration where the one before can have
		// ended: `stage test {` is one (broken) declaration, not two
		if t.Type == tokKeyword && isDeclKeyword(t.Value) && (canEnd(prev) || unclosed[t.Pos.Offset] != (lexer.Position{})) {
			starts = append(starts, t.Pos)
			pending = len(starts) - 1
		}
		prev = tok{t.Type, t.Value, t.Pos}
		window[0], window[1], window[2] = window[1], window[2], prev
		if window[2].typ == tokPunct && window[2].value == "->" && window[0].typ == tokIdent &&
			(window[1].typ == tokIdent || window[1].typ == tokString) {
			if len(starts) == 0 || starts[len(starts)-1].Offset < window[0].pos.Offset {
				starts = append(starts, window[0].pos)
			}
		}
	}
	if len(starts) == 0 || starts[0].Offset > start.Offset {
		starts = append([]lexer.Position{start}, starts...)
	}
	out := make([]chunk, len(starts))
	for i, s := range starts {
		end := len(text)
		if i+1 < len(starts) {
			end = starts[i+1].Offset
		}
		out[i] = chunk{start: s, end: end}
		if i+1 < len(starts) {
			if o, ok := unclosed[end]; ok {
				opener := o
				out[i].unclosed, out[i].next = &opener, starts[i+1]
			}
		}
	}
	return out, nil
}

// keyNext reports whether the token after the scanner's place is ":" or
// ".", which make the keyword before it a key.
func keyNext(sc *scanner) bool {
	peek := *sc
	peek.comments = nil
	t, err := peek.Next()
	return err == nil && t.Type == tokPunct && (t.Value == ":" || t.Value == ".")
}

const byteOrderMark = "\ufeff"

// PosAt returns the position of byte offset off in src.
func PosAt(src []byte, off int) Pos {
	if off > len(src) {
		off = len(src)
	}
	line := 1 + bytes.Count(src[:off], []byte{'\n'})
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	return Pos{Line: line, Column: 1 + utf8.RuneCount(src[start:off]), Offset: off}
}

// RangeOf turns a node's participle positions into a Range.
func RangeOf(pos, end lexer.Position) Range {
	return Range{
		File:  pos.Filename,
		Start: Pos{pos.Line, pos.Column, pos.Offset},
		End:   Pos{end.Line, end.Column, end.Offset},
	}
}

func syntaxDiagnostic(filename string, src []byte, err error) Diagnostic {
	d := Diagnostic{Code: CodeSyntax, Severity: Error}
	var ute *participle.UnexpectedTokenError
	var perr participle.Error
	switch {
	case errors.As(err, &ute):
		tok := ute.Unexpected
		expect := describeExpected(ute.Message())
		// `{ key value }`: participle backs out of the entry and complains
		// about the key; the mistake is the missing colon after it.
		if expect == `"}"` && (tok.Type == tokIdent || tok.Type == tokKeyword || tok.Type == tokString) {
			sc := &scanner{src: string(src), limit: len(src), pos: tok.Pos, elide: true}
			sc.Next()
			if next, err := sc.Next(); err == nil && !next.EOF() && next.Type != tokPunct {
				tok, expect = next, `":" after the key`
			}
		}
		d.Range = tokenRange(filename, src, tok)
		if tok.EOF() {
			d.Message = "unexpected end of file"
		} else {
			d.Message = "unexpected " + describeToken(tok)
		}
		if expect != "" {
			d.Message += "; expected " + expect
		}
	case errors.As(err, &perr):
		pos := perr.Position()
		p := Pos{pos.Line, pos.Column, pos.Offset}
		if !p.IsValid() {
			p = Pos{1, 1, 0}
		}
		d.Range = Range{File: filename, Start: p, End: Pos{p.Line, p.Column + 1, p.Offset + 1}}
		msg := perr.Message()
		if strings.Contains(msg, "invalid input text") && p.Offset < len(src) {
			r, _ := utf8.DecodeRune(src[p.Offset:])
			if r == '"' {
				msg = "unterminated string (a string ends on the line it starts)"
			} else {
				msg = fmt.Sprintf("unexpected character %q", r)
			}
		} else {
			msg = rewordParticiple(msg)
		}
		d.Message = msg
	default:
		d.Range = Range{File: filename, Start: Pos{1, 1, 0}, End: Pos{1, 1, 0}}
		d.Message = err.Error()
	}
	return d
}

func tokenRange(filename string, src []byte, tok lexer.Token) Range {
	start := Pos{tok.Pos.Line, tok.Pos.Column, tok.Pos.Offset}
	if !start.IsValid() {
		start = PosAt(src, len(src))
	}
	if tok.EOF() || tok.Value == "" {
		return Range{File: filename, Start: start, End: Pos{start.Line, start.Column + 1, start.Offset + 1}}
	}
	end := start
	end.Offset += len(tok.Value)
	if i := strings.LastIndexByte(tok.Value, '\n'); i >= 0 {
		end.Line += strings.Count(tok.Value, "\n")
		end.Column = 1 + utf8.RuneCountInString(tok.Value[i+1:])
	} else {
		end.Column += utf8.RuneCountInString(tok.Value)
	}
	return Range{File: filename, Start: start, End: end}
}

func describeToken(tok lexer.Token) string {
	switch TokenName(tok.Type) {
	case "Keyword":
		return fmt.Sprintf("keyword %q", tok.Value)
	case "Ident":
		return fmt.Sprintf("name %q", tok.Value)
	case "String":
		return "string " + tok.Value
	case "Number", "Quantity", "Version":
		return fmt.Sprintf("number %q", tok.Value)
	default:
		return fmt.Sprintf("%q", tok.Value)
	}
}

// describeExpected pulls participle's "(expected X)" out of its message and
// says it in our words.
func describeExpected(msg string) string {
	i := strings.LastIndex(msg, "(expected ")
	if i < 0 || !strings.HasSuffix(msg, ")") {
		return ""
	}
	return describeExpectation(msg[i+len("(expected ") : len(msg)-1])
}

// participleWords and productionWords are built by the first syntax
// error, not before main in every command.
var participleWords = lazy.Value[*strings.Replacer]{Build: func() *strings.Replacer {
	return strings.NewReplacer(
		"<ident>", "a name", "<string>", "a quoted string", "<number>", "a number",
		"<quantity>", "a number with a unit", "<version>", "a version", "<keyword>", "a keyword",
		"<EOF>", "end of file", "Decl", "a declaration",
	)
}}

func rewordParticiple(s string) string { return participleWords.Get().Replace(s) }

// productionWords says what each production of the grammar starts with.
var productionWords = lazy.Value[map[string]string]{Build: func() map[string]string {
	return map[string]string{
		"Name": "a name", "Ident": "a name", "Key": "a key", "Str": "a quoted string", "Record": `"{"`,
		"RecordType": `"{"`, "Expr": "a value", "Primary": "a value", "Type": "a type", "TypeTerm": "a type",
		"Version": "a version", "Decl": "a declaration", "Entry": "a key", "FieldType": "a field name",
		"List": `"["`, "StageMapping": "a stage name", "TestStep": "a trigger", "RangeType": `"in"`,
	}
}}

// describeExpectation turns participle's expected sequence (`Name Record`,
// `Str "{" "start" ...`) into what may come next: its first element.
func describeExpectation(s string) string {
	first := s
	if i := strings.IndexByte(s, ' '); i > 0 && !strings.HasPrefix(s, "\"") {
		first = s[:i]
	} else if strings.HasPrefix(s, "\"") {
		if j := strings.IndexByte(s[1:], '"'); j >= 0 {
			first = s[:j+2]
		}
	}
	first = strings.TrimRight(first, "*?+")
	if w, ok := productionWords.Get()[first]; ok {
		return w
	}
	return rewordParticiple(first)
}

// Unquote decodes a quoted string literal as written in source: Go's escapes
// (\n, \t, \", \\, \uXXXX, ...), and, as JSON and Python write a character
// beyond U+FFFF, a UTF-16 surrogate pair of \u escapes (`\ud83d\ude00` is
// U+1F600). Half of a pair is an error: no UTF-8 text can hold it. An error
// is an *UnquoteError that says where in raw the bad escape is.
func Unquote(raw string) (string, error) {
	if !strings.Contains(raw, `\u`) && !strings.Contains(raw, `\U`) {
		if s, err := strconv.Unquote(raw); err == nil {
			return s, nil
		}
	}
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", &UnquoteError{Len: len(raw), Msg: "invalid escape in string " + raw}
	}
	var b strings.Builder
	for i := 1; i < len(raw)-1; {
		c := raw[i]
		if c != '\\' {
			if c == '"' || c == '\n' {
				return "", &UnquoteError{Offset: i, Len: 1, Msg: "invalid escape in string " + raw}
			}
			r, size := utf8.DecodeRuneInString(raw[i:]) // as strconv does
			b.WriteRune(r)
			i += size
			continue
		}
		if hi, ok := surrogateAt(raw, i); ok {
			lo, ok := surrogateAt(raw, i+6)
			if !ok || hi >= 0xDC00 || lo < 0xDC00 {
				return "", &UnquoteError{Offset: i, Len: 6, Surrogate: true, Msg: fmt.Sprintf("invalid escape %s: half of a surrogate pair; a character beyond U+FFFF is a high (\\uD800-\\uDBFF) and a low (\\uDC00-\\uDFFF) escape together, or \\UXXXXXXXX", raw[i:i+6])}
			}
			b.WriteRune(utf16.DecodeRune(rune(hi), rune(lo)))
			i += 12
			continue
		}
		r, multibyte, tail, err := strconv.UnquoteChar(raw[i:len(raw)-1], '"')
		if err != nil {
			n := 2
			if i+n > len(raw)-1 {
				n = len(raw) - 1 - i
			}
			return "", &UnquoteError{Offset: i, Len: n, Msg: fmt.Sprintf("invalid escape in string %s", raw)}
		}
		if multibyte && r >= utf8.RuneSelf {
			b.WriteRune(r)
		} else {
			b.WriteByte(byte(r))
		}
		i = len(raw) - 1 - len(tail)
	}
	return b.String(), nil
}

// surrogateAt reads a \uXXXX escape at raw[i:] whose value is a UTF-16
// surrogate.
func surrogateAt(raw string, i int) (int, bool) {
	if i+6 > len(raw) || raw[i] != '\\' || raw[i+1] != 'u' {
		return 0, false
	}
	v, err := strconv.ParseUint(raw[i+2:i+6], 16, 32)
	if err != nil || v < 0xD800 || v > 0xDFFF {
		return 0, false
	}
	return int(v), true
}

// UnquoteError is a string literal that cannot be decoded: Msg, about the
// Len bytes at byte Offset of the literal as written. Surrogate: the escape
// is half of a surrogate pair.
type UnquoteError struct {
	Offset, Len int
	Msg         string
	Surrogate   bool
}

// Range narrows rng, the range of the literal raw on one line, to the bad
// escape.
func (e *UnquoteError) Range(raw string, rng Range) Range {
	if rng.Start.Line != rng.End.Line || e.Offset+e.Len > len(raw) {
		return rng
	}
	start := rng.Start
	start.Column += utf8.RuneCountInString(raw[:e.Offset])
	start.Offset += e.Offset
	end := start
	end.Column += utf8.RuneCountInString(raw[e.Offset : e.Offset+e.Len])
	end.Offset += e.Len
	return Range{File: rng.File, Start: start, End: end}
}

// Error returns the message, without the range.
func (e *UnquoteError) Error() string { return e.Msg }

// Quote writes s as a string literal that Unquote reads back.
func Quote(s string) string { return strconv.Quote(s) }

// Value returns the name as it means: the identifier, or the quoted string
// decoded (a bad escape gives the raw text).
func (n *Name) Value() string {
	if n.Quoted != "" {
		if s, err := Unquote(n.Quoted); err == nil {
			return s
		}
		return n.Quoted
	}
	return n.Ident
}

// Range returns the name's range.
func (n *Name) Range() Range { return RangeOf(n.Pos, n.EndPos) }

// Value returns the key as it means.
func (k *Key) Value() string {
	if k.Quoted != "" {
		if s, err := Unquote(k.Quoted); err == nil {
			return s
		}
		return k.Quoted
	}
	return k.Ident
}

// Range returns the key's range.
func (k *Key) Range() Range { return RangeOf(k.Pos, k.EndPos) }

// Range returns the identifier's range.
func (i *Ident) Range() Range { return RangeOf(i.Pos, i.EndPos) }
