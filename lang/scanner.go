package lang

import (
	"github.com/regc/regc/internal/lazy"
	"io"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// scannerDef makes scanners: a scanner is the hand-written lexer the parser
// uses. It produces exactly the tokens of the regular-expression lexer in grammar.go (lexerDef, the
// specification, kept in step by a differential test and fuzzer), several
// times faster: participle's reflective regexp lexer dominated the time of
// a large build.
type scannerDef struct {
	// elide drops comments and blanks in the scanner itself, so the parser
	// never stores them (they were half the tokens of a typical file); the
	// scan that splits the declarations collects comments for File.Comments.
	elide bool
}

// The token types, as participle's simple lexer numbers lexerDef's rules:
// EOF is -1 and each rule, in order, one less (TestTokenTypesAreLexerDefs
// holds them to lexerDef). Constants, so that no lexer is built at start-up.
const (
	tokComment lexer.TokenType = lexer.EOF - 1 - iota
	tokWhitespace
	tokVersion
	tokQuantity
	tokNumber
	tokString
	tokKeyword
	tokIdent
	tokPunct
)

// tokenSymbols is lexerDef's symbol table (built on first use: a map at
// package level is built before main in every command).
var tokenSymbols = lazy.Value[map[string]lexer.TokenType]{Build: func() map[string]lexer.TokenType {
	return map[string]lexer.TokenType{
		"EOF": lexer.EOF, "Comment": tokComment, "Whitespace": tokWhitespace, "Version": tokVersion,
		"Quantity": tokQuantity, "Number": tokNumber, "String": tokString, "Keyword": tokKeyword,
		"Ident": tokIdent, "Punct": tokPunct,
	}
}}

var (
	scannerDefinition = &scannerDef{elide: true}
	// tokenScanner keeps comments and blanks, for Tokens.
	tokenScanner = &scannerDef{}
)

func (d *scannerDef) Symbols() map[string]lexer.TokenType { return tokenSymbols.Get() }

func (d *scannerDef) Lex(filename string, r io.Reader) (lexer.Lexer, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return d.LexString(filename, string(b))
}

func (d *scannerDef) LexBytes(filename string, b []byte) (lexer.Lexer, error) {
	return d.LexString(filename, string(b))
}

func (d *scannerDef) LexString(filename string, s string) (lexer.Lexer, error) {
	return &scanner{src: s, limit: len(s), pos: lexer.Position{Filename: filename, Line: 1, Column: 1}, elide: d.elide}, nil
}

type scanner struct {
	src   string // the whole file; scanning stops at limit
	limit int
	pos   lexer.Position
	elide bool
	// gaps (with elide) turns each run of blanks and comments into one
	// Whitespace token, which the parser elides: participle takes a node's
	// EndPos from the raw token after it, so without the gap token a node
	// would end where the next real token starts.
	gaps bool
	// comments, when not nil, collects the comments an eliding scanner
	// passes over.
	comments *[]*Comment
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
func isWord(c byte) bool   { return isLetter(c) || isDigit(c) }

func (s *scanner) Next() (lexer.Token, error) {
	if s.gaps {
		start := s.pos
		for s.atGap() {
			if _, err := s.skip(); err != nil {
				return lexer.Token{}, err
			}
		}
		if s.pos.Offset > start.Offset {
			return lexer.Token{Type: tokWhitespace, Value: s.src[start.Offset:s.pos.Offset], Pos: start}, nil
		}
		return s.next()
	}
	if !s.elide {
		return s.skip()
	}
	s.skipElided()
	return s.next()
}

// skipElided passes over the blanks and comments at the scanner's place,
// as reading them as tokens would (a run that starts before limit is read
// whole), collecting the comments when comments is set.
func (s *scanner) skipElided() {
	src, p := s.src, &s.pos
	for p.Offset < s.limit {
		i := p.Offset
		switch c := src[i]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			for ; i < len(src); i++ {
				switch src[i] {
				case ' ', '\t', '\r':
					p.Column++
					continue
				case '\n':
					p.Line++
					p.Column = 1
					continue
				}
				break
			}
			p.Offset = i
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			j := i
			for j < len(src) && src[j] != '\n' {
				j++
			}
			start := *p
			p.Offset = j
			p.Column += utf8.RuneCountInString(src[i:j])
			if s.comments != nil {
				*s.comments = append(*s.comments, &Comment{Pos: start, EndPos: *p, Text: src[i:j]})
			}
		default:
			return
		}
	}
}

// skip reads the next token, keeping it if it is a comment and comments
// are collected.
func (s *scanner) skip() (lexer.Token, error) {
	tok, err := s.next()
	if err == nil && tok.Type == tokComment && s.comments != nil {
		*s.comments = append(*s.comments, &Comment{Pos: tok.Pos, EndPos: s.pos, Text: tok.Value})
	}
	return tok, err
}

// atGap reports whether a blank or a comment starts at the scanner's place.
func (s *scanner) atGap() bool {
	i := s.pos.Offset
	if i >= s.limit {
		return false
	}
	switch s.src[i] {
	case ' ', '\t', '\r', '\n':
		return true
	case '/':
		return i+1 < len(s.src) && s.src[i+1] == '/'
	}
	return false
}

func (s *scanner) next() (lexer.Token, error) {
	src, i := s.src, s.pos.Offset
	if i >= s.limit {
		return lexer.EOFToken(s.pos), nil
	}
	typ, n := s.match(i)
	if n == 0 {
		end := i + 16
		if end > len(src) {
			end = len(src)
		}
		return lexer.Token{}, &lexer.Error{Msg: "invalid input text " + quoteSample(src[i:end]), Pos: s.pos}
	}
	tok := lexer.Token{Type: typ, Value: src[i : i+n], Pos: s.pos}
	s.advance(tok.Value)
	return tok, nil
}

func quoteSample(s string) string {
	for !utf8.ValidString(s) && len(s) > 0 {
		s = s[:len(s)-1]
	}
	return "\"" + s + "\""
}

func (s *scanner) advance(text string) {
	p := &s.pos
	p.Offset += len(text)
	for i := 0; i < len(text); {
		c := text[i]
		if c == '\n' {
			p.Line++
			p.Column = 1
			i++
			continue
		}
		if c < utf8.RuneSelf {
			p.Column++
			i++
			continue
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		p.Column++
		i += size
	}
}

// match returns the token type and length at src[i:], trying the rules in
// the order lexerDef lists them; 0 means no rule matches.
func (s *scanner) match(i int) (lexer.TokenType, int) {
	src := s.src
	c := src[i]
	switch {
	case c == '/' && i+1 < len(src) && src[i+1] == '/':
		j := i
		for j < len(src) && src[j] != '\n' {
			j++
		}
		return tokComment, j - i
	case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		j := i
		for j < len(src) && (src[j] == ' ' || src[j] == '\t' || src[j] == '\r' || src[j] == '\n') {
			j++
		}
		return tokWhitespace, j - i
	}
	if n := matchVersion(src, i); n > 0 {
		return tokVersion, n
	}
	if n := matchQuantity(src, i); n > 0 {
		return tokQuantity, n
	}
	if n := matchNumber(src, i, true); n > 0 {
		return tokNumber, n
	}
	if c == '"' {
		j := i + 1
		for j < len(src) {
			switch src[j] {
			case '"':
				return tokString, j + 1 - i
			case '\n':
				return 0, 0
			case '\\':
				if j+1 >= len(src) || src[j+1] == '\n' {
					return 0, 0
				}
				_, size := utf8.DecodeRuneInString(src[j+1:])
				j += 1 + size
				continue
			}
			_, size := utf8.DecodeRuneInString(src[j:])
			j += size
		}
		return 0, 0
	}
	if isLetter(c) {
		j := i
		for j < len(src) && isWord(src[j]) {
			j++
		}
		if IsKeyword(src[i:j]) {
			return tokKeyword, j - i
		}
		return tokIdent, j - i
	}
	switch c {
	case '-':
		if i+1 < len(src) && src[i+1] == '>' {
			return tokPunct, 2
		}
	case '=':
		if i+1 < len(src) && src[i+1] == '>' {
			return tokPunct, 2
		}
		return tokPunct, 1
	case '.':
		if i+2 < len(src) && src[i+1] == '.' && src[i+2] == '.' {
			return tokPunct, 3
		}
		return tokPunct, 1
	case '{', '}', '[', ']', '(', ')', ':', ',', '|', '?':
		return tokPunct, 1
	}
	return 0, 0
}

func digits(src string, i int) int {
	j := i
	for j < len(src) && isDigit(src[j]) {
		j++
	}
	return j - i
}

// matchVersion: \d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?
func matchVersion(src string, i int) int {
	j := i
	for k := 0; k < 3; k++ {
		n := digits(src, j)
		if n == 0 {
			return 0
		}
		j += n
		if k < 2 {
			if j >= len(src) || src[j] != '.' {
				return 0
			}
			j++
		}
	}
	ident := func(c byte) bool {
		return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '-'
	}
	for _, lead := range []byte{'-', '+'} {
		if j+1 < len(src) && src[j] == lead && ident(src[j+1]) {
			j++
			for j < len(src) && ident(src[j]) {
				j++
			}
		}
	}
	return j - i
}

// matchMantissa: (?:\d+\.\d*|\.\d+|\d+) at i; 0 when none.
func matchMantissa(src string, i int) int {
	n := digits(src, i)
	if n > 0 {
		if i+n < len(src) && src[i+n] == '.' {
			return n + 1 + digits(src, i+n+1)
		}
		return n
	}
	if i < len(src) && src[i] == '.' {
		if m := digits(src, i+1); m > 0 {
			return 1 + m
		}
	}
	return 0
}

// matchExponent: [eE][-+]?\d+ at i; 0 when none.
func matchExponent(src string, i int) int {
	if i >= len(src) || (src[i] != 'e' && src[i] != 'E') {
		return 0
	}
	j := i + 1
	if j < len(src) && (src[j] == '-' || src[j] == '+') {
		j++
	}
	if n := digits(src, j); n > 0 {
		return j + n - i
	}
	return 0
}

// matchNumber: [-+]?mantissa exponent? (signs: '-' only for quantities).
func matchNumber(src string, i int, plus bool) int {
	j := i
	if j < len(src) && (src[j] == '-' || plus && src[j] == '+') {
		j++
	}
	m := matchMantissa(src, j)
	if m == 0 {
		return 0
	}
	j += m
	j += matchExponent(src, j)
	return j - i
}

// matchQuantity: a number, blanks, and a unit on the same line. The unit
// is a word that does not read as an exponent (`1e5` is a number).
func matchQuantity(src string, i int) int {
	j := i
	if j < len(src) && src[j] == '-' {
		j++
	}
	m := matchMantissa(src, j)
	if m == 0 {
		return 0
	}
	j += m
	try := func(k int) int {
		for k < len(src) && (src[k] == ' ' || src[k] == '\t') {
			k++
		}
		if k >= len(src) || !isLetter(src[k]) {
			return 0
		}
		if (src[k] == 'e' || src[k] == 'E') && (k+1 >= len(src) || !isLetter(src[k+1])) {
			return 0
		}
		k++
		for k < len(src) && isWord(src[k]) {
			k++
		}
		return k - i
	}
	if e := matchExponent(src, j); e > 0 {
		if n := try(j + e); n > 0 {
			return n
		}
	}
	return try(j)
}
