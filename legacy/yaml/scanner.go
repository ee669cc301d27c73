package yaml

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A port of PyYAML's scanner (yaml/scanner.py), kept close to the original
// so that it accepts and rejects what PyYAML does, at the same marks.

type tokKind int

const (
	tokStreamStart tokKind = iota
	tokStreamEnd
	tokDirective
	tokDocumentStart
	tokDocumentEnd
	tokBlockSequenceStart
	tokBlockMappingStart
	tokBlockEnd
	tokFlowSequenceStart
	tokFlowMappingStart
	tokFlowSequenceEnd
	tokFlowMappingEnd
	tokKey
	tokValue
	tokBlockEntry
	tokFlowEntry
	tokAlias
	tokAnchor
	tokTag
	tokScalar
)

// tokenIDs are PyYAML's token ids, used in its messages.
var tokenIDs = [...]string{
	tokStreamStart:        "<stream start>",
	tokStreamEnd:          "<stream end>",
	tokDirective:          "<directive>",
	tokDocumentStart:      "<document start>",
	tokDocumentEnd:        "<document end>",
	tokBlockSequenceStart: "<block sequence start>",
	tokBlockMappingStart:  "<block mapping start>",
	tokBlockEnd:           "<block end>",
	tokFlowSequenceStart:  "[",
	tokFlowMappingStart:   "{",
	tokFlowSequenceEnd:    "]",
	tokFlowMappingEnd:     "}",
	tokKey:                "?",
	tokValue:              ":",
	tokBlockEntry:         "-",
	tokFlowEntry:          ",",
	tokAlias:              "<alias>",
	tokAnchor:             "<anchor>",
	tokTag:                "<tag>",
	tokScalar:             "<scalar>",
}

// tokenRepr is Python's repr of a token id.
func tokenRepr(k tokKind) string { return "'" + tokenIDs[k] + "'" }

type token struct {
	kind       tokKind
	start, end mark
	value      string // alias and anchor names, scalar content, directive name
	plain      bool
	style      rune // scalars: 0 (plain), '\'', '"', '|', '>'
	// tags: handle ("" with hasHandle false for verbatim tags) and suffix
	handle    string
	hasHandle bool
	suffix    string
	// directives
	major, minor      int
	tagHandle, prefix string
}

type simpleKey struct {
	valid       bool
	tokenNumber int
	required    bool
	index       int
	line        int
	col         int
	mark        mark
}

type scanner struct {
	*reader
	done           bool
	flowLevel      int
	tokens         []token // the queue is tokens[head:]
	head           int
	tokensTaken    int
	indent         int
	indents        []int
	allowSimpleKey bool
	possible       []simpleKey // by flow level
	nPossible      int
}

const (
	breakZ     = "\x00\r\n\u0085\u2028\u2029"
	blankZ     = "\x00 \t\r\n\u0085\u2028\u2029"
	lineBreaks = "\r\n\u0085\u2028\u2029"
	hexDigs    = "0123456789ABCDEFabcdef"
)

func inSet(c rune, set string) bool { return strings.ContainsRune(set, c) }

func isBreakZ(c rune) bool {
	return c == 0 || c == '\r' || c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029
}

func isBlankZ(c rune) bool { return c == ' ' || c == '\t' || isBreakZ(c) }

func isAnchorChar(c rune) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '_'
}

func newScanner(r *reader) *scanner {
	s := &scanner{reader: r, indent: -1, allowSimpleKey: true, tokens: make([]token, 0, 16)}
	m := s.mark()
	s.tokens = append(s.tokens, token{kind: tokStreamStart, start: m, end: m})
	return s
}

func (s *scanner) fail(context string, contextMark *mark, problem string, problemMark mark) {
	panic(&markedError{context: context, contextMark: contextMark, problem: problem, problemMark: problemMark})
}

func markPtr(m mark) *mark { return &m }

// checkToken reports whether the next token is one of kinds (any token when
// none are given).
func (s *scanner) checkToken(kinds ...tokKind) bool {
	for s.needMoreTokens() {
		s.fetchMoreTokens()
	}
	if s.head == len(s.tokens) {
		return false
	}
	if len(kinds) == 0 {
		return true
	}
	for _, k := range kinds {
		if s.tokens[s.head].kind == k {
			return true
		}
	}
	return false
}

func (s *scanner) peekToken() *token {
	for s.needMoreTokens() {
		s.fetchMoreTokens()
	}
	if s.head == len(s.tokens) {
		return nil
	}
	return &s.tokens[s.head]
}

func (s *scanner) getToken() token {
	for s.needMoreTokens() {
		s.fetchMoreTokens()
	}
	if s.head == len(s.tokens) {
		// PyYAML returns None here, and its parser never asks.
		panic(&markedError{problem: "unexpected end of the token stream", problemMark: s.mark()})
	}
	t := s.tokens[s.head]
	s.head++
	s.tokensTaken++
	if s.head == len(s.tokens) {
		s.tokens, s.head = s.tokens[:0], 0
	}
	return t
}

func (s *scanner) needMoreTokens() bool {
	if s.done {
		return false
	}
	if s.head == len(s.tokens) {
		return true
	}
	s.staleSimpleKeys()
	n, ok := s.nextPossibleSimpleKey()
	return ok && n == s.tokensTaken
}

func (s *scanner) fetchMoreTokens() {
	s.scanToNextToken()
	s.staleSimpleKeys()
	s.unwindIndent(s.col)
	ch := s.peek(0)
	switch {
	case ch == 0:
		s.fetchStreamEnd()
	case ch == '%' && s.checkDirective():
		s.fetchDirective()
	case ch == '-' && s.checkDocumentStart():
		s.fetchDocumentIndicator(tokDocumentStart)
	case ch == '.' && s.checkDocumentEnd():
		s.fetchDocumentIndicator(tokDocumentEnd)
	case ch == '[':
		s.fetchFlowCollectionStart(tokFlowSequenceStart)
	case ch == '{':
		s.fetchFlowCollectionStart(tokFlowMappingStart)
	case ch == ']':
		s.fetchFlowCollectionEnd(tokFlowSequenceEnd)
	case ch == '}':
		s.fetchFlowCollectionEnd(tokFlowMappingEnd)
	case ch == ',':
		s.fetchFlowEntry()
	case ch == '-' && s.checkBlockEntry():
		s.fetchBlockEntry()
	case ch == '?' && s.checkKey():
		s.fetchKey()
	case ch == ':' && s.checkValue():
		s.fetchValue()
	case ch == '*':
		s.fetchAlias()
	case ch == '&':
		s.fetchAnchor()
	case ch == '!':
		s.fetchTag()
	case ch == '|' && s.flowLevel == 0:
		s.fetchBlockScalar('|')
	case ch == '>' && s.flowLevel == 0:
		s.fetchBlockScalar('>')
	case ch == '\'':
		s.fetchFlowScalar('\'')
	case ch == '"':
		s.fetchFlowScalar('"')
	case s.checkPlain():
		s.fetchPlain()
	default:
		s.fail("while scanning for the next token", nil,
			fmt.Sprintf("found character %s that cannot start any token", pyRepr(ch)), s.mark())
	}
}

// Simple keys.

func (s *scanner) nextPossibleSimpleKey() (int, bool) {
	min, ok := 0, false
	if s.nPossible == 0 {
		return 0, false
	}
	for i := range s.possible {
		if k := &s.possible[i]; k.valid && (!ok || k.tokenNumber < min) {
			min, ok = k.tokenNumber, true
		}
	}
	return min, ok
}

func (s *scanner) staleSimpleKeys() {
	if s.nPossible == 0 {
		return
	}
	for i := range s.possible {
		k := &s.possible[i]
		if k.valid && (k.line != s.line || s.index-k.index > 1024) {
			if k.required {
				s.fail("while scanning a simple key", markPtr(k.mark), "could not find expected ':'", s.mark())
			}
			k.valid = false
			s.nPossible--
		}
	}
}

// levelIndex places a flow level in the possible slice. PyYAML lets the
// level go below zero on a stray ']' or '}', so levels are zigzagged.
func levelIndex(level int) int {
	if level >= 0 {
		return 2 * level
	}
	return -2*level - 1
}

func (s *scanner) dropSimpleKey() {
	if k := s.simpleKey(); k != nil {
		k.valid = false
		s.nPossible--
	}
}

// simpleKey returns the possible simple key at the current flow level.
func (s *scanner) simpleKey() *simpleKey {
	if i := levelIndex(s.flowLevel); i < len(s.possible) && s.possible[i].valid {
		return &s.possible[i]
	}
	return nil
}

func (s *scanner) savePossibleSimpleKey() {
	required := s.flowLevel == 0 && s.indent == s.col
	if s.allowSimpleKey {
		s.removePossibleSimpleKey()
		i := levelIndex(s.flowLevel)
		for len(s.possible) <= i {
			s.possible = append(s.possible, simpleKey{})
		}
		s.nPossible++
		s.possible[i] = simpleKey{
			valid:       true,
			tokenNumber: s.tokensTaken + len(s.tokens) - s.head,
			required:    required,
			index:       s.index, line: s.line, col: s.col,
			mark: s.mark(),
		}
	}
}

func (s *scanner) removePossibleSimpleKey() {
	if k := s.simpleKey(); k != nil {
		if k.required {
			s.fail("while scanning a simple key", markPtr(k.mark), "could not find expected ':'", s.mark())
		}
		s.dropSimpleKey()
	}
}

// Indentation.

func (s *scanner) unwindIndent(col int) {
	if s.flowLevel != 0 {
		return
	}
	for s.indent > col {
		m := s.mark()
		s.indent = s.indents[len(s.indents)-1]
		s.indents = s.indents[:len(s.indents)-1]
		s.tokens = append(s.tokens, token{kind: tokBlockEnd, start: m, end: m})
	}
}

func (s *scanner) addIndent(col int) bool {
	if s.indent < col {
		s.indents = append(s.indents, s.indent)
		s.indent = col
		return true
	}
	return false
}

// Fetchers.

func (s *scanner) simpleToken(kind tokKind) {
	start := s.mark()
	s.forward(1)
	s.tokens = append(s.tokens, token{kind: kind, start: start, end: s.mark()})
}

func (s *scanner) fetchStreamEnd() {
	s.unwindIndent(-1)
	s.removePossibleSimpleKey()
	s.allowSimpleKey = false
	s.possible, s.nPossible = nil, 0
	m := s.mark()
	s.tokens = append(s.tokens, token{kind: tokStreamEnd, start: m, end: m})
	s.done = true
}

func (s *scanner) fetchDirective() {
	s.unwindIndent(-1)
	s.removePossibleSimpleKey()
	s.allowSimpleKey = false
	s.tokens = append(s.tokens, s.scanDirective())
}

func (s *scanner) fetchDocumentIndicator(kind tokKind) {
	s.unwindIndent(-1)
	s.removePossibleSimpleKey()
	s.allowSimpleKey = false
	start := s.mark()
	s.forward(3)
	s.tokens = append(s.tokens, token{kind: kind, start: start, end: s.mark()})
}

func (s *scanner) fetchFlowCollectionStart(kind tokKind) {
	s.savePossibleSimpleKey()
	s.flowLevel++
	s.allowSimpleKey = true
	s.simpleToken(kind)
}

func (s *scanner) fetchFlowCollectionEnd(kind tokKind) {
	s.removePossibleSimpleKey()
	s.flowLevel--
	s.allowSimpleKey = false
	s.simpleToken(kind)
}

func (s *scanner) fetchFlowEntry() {
	s.allowSimpleKey = true
	s.removePossibleSimpleKey()
	s.simpleToken(tokFlowEntry)
}

func (s *scanner) fetchBlockEntry() {
	if s.flowLevel == 0 {
		if !s.allowSimpleKey {
			s.fail("", nil, "sequence entries are not allowed here", s.mark())
		}
		if s.addIndent(s.col) {
			m := s.mark()
			s.tokens = append(s.tokens, token{kind: tokBlockSequenceStart, start: m, end: m})
		}
	}
	s.allowSimpleKey = true
	s.removePossibleSimpleKey()
	s.simpleToken(tokBlockEntry)
}

func (s *scanner) fetchKey() {
	if s.flowLevel == 0 {
		if !s.allowSimpleKey {
			s.fail("", nil, "mapping keys are not allowed here", s.mark())
		}
		if s.addIndent(s.col) {
			m := s.mark()
			s.tokens = append(s.tokens, token{kind: tokBlockMappingStart, start: m, end: m})
		}
	}
	s.allowSimpleKey = s.flowLevel == 0
	s.removePossibleSimpleKey()
	s.simpleToken(tokKey)
}

func (s *scanner) insertToken(at int, t token) {
	at += s.head
	s.tokens = append(s.tokens, token{})
	copy(s.tokens[at+1:], s.tokens[at:])
	s.tokens[at] = t
}

func (s *scanner) fetchValue() {
	if k := s.simpleKey(); k != nil {
		k := *k
		s.dropSimpleKey()
		at := k.tokenNumber - s.tokensTaken
		s.insertToken(at, token{kind: tokKey, start: k.mark, end: k.mark})
		if s.flowLevel == 0 && s.addIndent(k.col) {
			s.insertToken(at, token{kind: tokBlockMappingStart, start: k.mark, end: k.mark})
		}
		s.allowSimpleKey = false
	} else {
		if s.flowLevel == 0 {
			if !s.allowSimpleKey {
				s.fail("", nil, "mapping values are not allowed here", s.mark())
			}
			if s.addIndent(s.col) {
				m := s.mark()
				s.tokens = append(s.tokens, token{kind: tokBlockMappingStart, start: m, end: m})
			}
		}
		s.allowSimpleKey = s.flowLevel == 0
		s.removePossibleSimpleKey()
	}
	s.simpleToken(tokValue)
}

func (s *scanner) fetchAlias() {
	s.savePossibleSimpleKey()
	s.allowSimpleKey = false
	s.tokens = append(s.tokens, s.scanAnchor(tokAlias))
}

func (s *scanner) fetchAnchor() {
	s.savePossibleSimpleKey()
	s.allowSimpleKey = false
	s.tokens = append(s.tokens, s.scanAnchor(tokAnchor))
}

func (s *scanner) fetchTag() {
	s.savePossibleSimpleKey()
	s.allowSimpleKey = false
	s.tokens = append(s.tokens, s.scanTag())
}

func (s *scanner) fetchBlockScalar(style rune) {
	s.allowSimpleKey = true
	s.removePossibleSimpleKey()
	s.tokens = append(s.tokens, s.scanBlockScalar(style))
}

func (s *scanner) fetchFlowScalar(style rune) {
	s.savePossibleSimpleKey()
	s.allowSimpleKey = false
	s.tokens = append(s.tokens, s.scanFlowScalar(style))
}

func (s *scanner) fetchPlain() {
	s.savePossibleSimpleKey()
	s.allowSimpleKey = false
	s.tokens = append(s.tokens, s.scanPlain())
}

// Checkers.

func (s *scanner) checkDirective() bool { return s.col == 0 }

func (s *scanner) checkDocumentStart() bool {
	return s.col == 0 && s.prefixIs("---") && isBlankZ(s.peek(3))
}

func (s *scanner) checkDocumentEnd() bool {
	return s.col == 0 && s.prefixIs("...") && isBlankZ(s.peek(3))
}

func (s *scanner) checkBlockEntry() bool { return isBlankZ(s.peek(1)) }

func (s *scanner) checkKey() bool { return s.flowLevel != 0 || isBlankZ(s.peek(1)) }

func (s *scanner) checkValue() bool { return s.flowLevel != 0 || isBlankZ(s.peek(1)) }

func (s *scanner) checkPlain() bool {
	ch := s.peek(0)
	return !inSet(ch, blankZ+"-?:,[]{}#&*!|>'\"%@`") ||
		(!isBlankZ(s.peek(1)) && (ch == '-' || (s.flowLevel == 0 && (ch == '?' || ch == ':'))))
}

// Scanners.

func (s *scanner) scanToNextToken() {
	if s.index == 0 && s.peek(0) == 0xFEFF {
		s.forward(1)
	}
	for {
		for s.peek(0) == ' ' {
			s.forward(1)
		}
		if s.peek(0) == '#' {
			for !isBreakZ(s.peek(0)) {
				s.forward(1)
			}
		}
		if s.scanLineBreak() != "" {
			if s.flowLevel == 0 {
				s.allowSimpleKey = true
			}
		} else {
			return
		}
	}
}

func (s *scanner) scanDirective() token {
	start := s.mark()
	s.forward(1)
	name := s.scanDirectiveName(start)
	t := token{kind: tokDirective, start: start, value: name}
	switch name {
	case "YAML":
		t.major, t.minor = s.scanYAMLDirectiveValue(start)
		t.end = s.mark()
	case "TAG":
		t.tagHandle, t.prefix = s.scanTagDirectiveValue(start)
		t.end = s.mark()
	default:
		t.end = s.mark()
		for !isBreakZ(s.peek(0)) {
			s.forward(1)
		}
	}
	s.scanDirectiveIgnoredLine(start)
	return t
}

func (s *scanner) scanDirectiveName(start mark) string {
	n := 0
	for isAnchorChar(s.peek(n)) {
		n++
	}
	if n == 0 {
		s.fail("while scanning a directive", markPtr(start),
			"expected alphabetic or numeric character, but found "+pyRepr(s.peek(0)), s.mark())
	}
	v := s.prefix(n)
	s.forward(n)
	if ch := s.peek(0); !inSet(ch, "\x00 \r\n\u0085\u2028\u2029") {
		s.fail("while scanning a directive", markPtr(start),
			"expected alphabetic or numeric character, but found "+pyRepr(ch), s.mark())
	}
	return v
}

func (s *scanner) scanYAMLDirectiveValue(start mark) (int, int) {
	for s.peek(0) == ' ' {
		s.forward(1)
	}
	major := s.scanYAMLDirectiveNumber(start)
	if s.peek(0) != '.' {
		s.fail("while scanning a directive", markPtr(start),
			"expected a digit or '.', but found "+pyRepr(s.peek(0)), s.mark())
	}
	s.forward(1)
	minor := s.scanYAMLDirectiveNumber(start)
	if ch := s.peek(0); !inSet(ch, "\x00 \r\n\u0085\u2028\u2029") {
		s.fail("while scanning a directive", markPtr(start),
			"expected a digit or ' ', but found "+pyRepr(ch), s.mark())
	}
	return major, minor
}

func (s *scanner) scanYAMLDirectiveNumber(start mark) int {
	if ch := s.peek(0); ch < '0' || ch > '9' {
		s.fail("while scanning a directive", markPtr(start), "expected a digit, but found "+pyRepr(ch), s.mark())
	}
	n := 0
	for c := s.peek(n); c >= '0' && c <= '9'; c = s.peek(n) {
		n++
	}
	v, err := strconv.Atoi(s.prefix(n))
	if err != nil {
		v = -1 // too large: not 1
	}
	s.forward(n)
	return v
}

func (s *scanner) scanTagDirectiveValue(start mark) (string, string) {
	for s.peek(0) == ' ' {
		s.forward(1)
	}
	handle := s.scanTagHandle("directive", start)
	if ch := s.peek(0); ch != ' ' {
		s.fail("while scanning a directive", markPtr(start), "expected ' ', but found "+pyRepr(ch), s.mark())
	}
	for s.peek(0) == ' ' {
		s.forward(1)
	}
	prefix := s.scanTagURI("directive", start)
	if ch := s.peek(0); !inSet(ch, "\x00 \r\n\u0085\u2028\u2029") {
		s.fail("while scanning a directive", markPtr(start), "expected ' ', but found "+pyRepr(ch), s.mark())
	}
	return handle, prefix
}

func (s *scanner) scanDirectiveIgnoredLine(start mark) {
	for s.peek(0) == ' ' {
		s.forward(1)
	}
	if s.peek(0) == '#' {
		for !isBreakZ(s.peek(0)) {
			s.forward(1)
		}
	}
	if ch := s.peek(0); !isBreakZ(ch) {
		s.fail("while scanning a directive", markPtr(start),
			"expected a comment or a line break, but found "+pyRepr(ch), s.mark())
	}
	s.scanLineBreak()
}

func (s *scanner) scanAnchor(kind tokKind) token {
	start := s.mark()
	name := "anchor"
	if s.peek(0) == '*' {
		name = "alias"
	}
	s.forward(1)
	n := 0
	for isAnchorChar(s.peek(n)) {
		n++
	}
	if n == 0 {
		s.fail("while scanning an "+name, markPtr(start),
			"expected alphabetic or numeric character, but found "+pyRepr(s.peek(0)), s.mark())
	}
	v := s.prefix(n)
	s.forward(n)
	if ch := s.peek(0); !inSet(ch, blankZ+"?:,]}%@`") {
		s.fail("while scanning an "+name, markPtr(start),
			"expected alphabetic or numeric character, but found "+pyRepr(ch), s.mark())
	}
	return token{kind: kind, value: v, start: start, end: s.mark()}
}

func (s *scanner) scanTag() token {
	start := s.mark()
	ch := s.peek(1)
	t := token{kind: tokTag, start: start}
	switch {
	case ch == '<':
		s.forward(2)
		t.suffix = s.scanTagURI("tag", start)
		if s.peek(0) != '>' {
			s.fail("while parsing a tag", markPtr(start), "expected '>', but found "+pyRepr(s.peek(0)), s.mark())
		}
		s.forward(1)
	case isBlankZ(ch):
		t.suffix = "!"
		s.forward(1)
	default:
		n := 1
		useHandle := false
		for !inSet(ch, "\x00 \r\n\u0085\u2028\u2029") {
			if ch == '!' {
				useHandle = true
				break
			}
			n++
			ch = s.peek(n)
		}
		t.hasHandle = true
		if useHandle {
			t.handle = s.scanTagHandle("tag", start)
		} else {
			t.handle = "!"
			s.forward(1)
		}
		t.suffix = s.scanTagURI("tag", start)
	}
	if ch := s.peek(0); !inSet(ch, "\x00 \r\n\u0085\u2028\u2029") {
		s.fail("while scanning a tag", markPtr(start), "expected ' ', but found "+pyRepr(ch), s.mark())
	}
	t.end = s.mark()
	return t
}

func (s *scanner) scanBlockScalar(style rune) token {
	folded := style == '>'
	var chunks strings.Builder
	start := s.mark()
	s.forward(1)
	chomping, increment := s.scanBlockScalarIndicators(start)
	s.scanBlockScalarIgnoredLine(start)

	minIndent := s.indent + 1
	if minIndent < 1 {
		minIndent = 1
	}
	var breaks []string
	var end mark
	var indent int
	if increment == 0 {
		var maxIndent int
		breaks, maxIndent, end = s.scanBlockScalarIndentation()
		indent = max(minIndent, maxIndent)
	} else {
		indent = minIndent + increment - 1
		breaks, end = s.scanBlockScalarBreaks(indent)
	}
	lineBreak := ""

	for s.col == indent && s.peek(0) != 0 {
		for _, b := range breaks {
			chunks.WriteString(b)
		}
		leadingNonSpace := s.peek(0) != ' ' && s.peek(0) != '\t'
		n := 0
		for !isBreakZ(s.peek(n)) {
			n++
		}
		chunks.Write(s.prefixBytes(n))
		s.forward(n)
		lineBreak = s.scanLineBreak()
		breaks, end = s.scanBlockScalarBreaks(indent)
		if s.col == indent && s.peek(0) != 0 {
			if folded && lineBreak == "\n" && leadingNonSpace && s.peek(0) != ' ' && s.peek(0) != '\t' {
				if len(breaks) == 0 {
					chunks.WriteByte(' ')
				}
			} else {
				chunks.WriteString(lineBreak)
			}
		} else {
			break
		}
	}
	if chomping != '-' {
		chunks.WriteString(lineBreak)
	}
	if chomping == '+' {
		for _, b := range breaks {
			chunks.WriteString(b)
		}
	}
	return token{kind: tokScalar, value: chunks.String(), start: start, end: end, style: style}
}

// scanBlockScalarIndicators returns the chomping indicator ('+', '-' or 0)
// and the indentation increment (0 when absent).
func (s *scanner) scanBlockScalarIndicators(start mark) (rune, int) {
	var chomping rune
	increment := 0
	ch := s.peek(0)
	if ch == '+' || ch == '-' {
		chomping = ch
		s.forward(1)
		ch = s.peek(0)
		if ch >= '0' && ch <= '9' {
			increment = int(ch - '0')
			if increment == 0 {
				s.fail("while scanning a block scalar", markPtr(start),
					"expected indentation indicator in the range 1-9, but found 0", s.mark())
			}
			s.forward(1)
		}
	} else if ch >= '0' && ch <= '9' {
		increment = int(ch - '0')
		if increment == 0 {
			s.fail("while scanning a block scalar", markPtr(start),
				"expected indentation indicator in the range 1-9, but found 0", s.mark())
		}
		s.forward(1)
		ch = s.peek(0)
		if ch == '+' || ch == '-' {
			chomping = ch
			s.forward(1)
		}
	}
	if ch := s.peek(0); !inSet(ch, "\x00 \r\n\u0085\u2028\u2029") {
		s.fail("while scanning a block scalar", markPtr(start),
			"expected chomping or indentation indicators, but found "+pyRepr(ch), s.mark())
	}
	return chomping, increment
}

func (s *scanner) scanBlockScalarIgnoredLine(start mark) {
	for s.peek(0) == ' ' {
		s.forward(1)
	}
	if s.peek(0) == '#' {
		for !isBreakZ(s.peek(0)) {
			s.forward(1)
		}
	}
	if ch := s.peek(0); !isBreakZ(ch) {
		s.fail("while scanning a block scalar", markPtr(start),
			"expected a comment or a line break, but found "+pyRepr(ch), s.mark())
	}
	s.scanLineBreak()
}

func (s *scanner) scanBlockScalarIndentation() ([]string, int, mark) {
	var chunks []string
	maxIndent := 0
	end := s.mark()
	for inSet(s.peek(0), " \r\n\u0085\u2028\u2029") {
		if s.peek(0) != ' ' {
			chunks = append(chunks, s.scanLineBreak())
			end = s.mark()
		} else {
			s.forward(1)
			if s.col > maxIndent {
				maxIndent = s.col
			}
		}
	}
	return chunks, maxIndent, end
}

func (s *scanner) scanBlockScalarBreaks(indent int) ([]string, mark) {
	var chunks []string
	end := s.mark()
	for s.col < indent && s.peek(0) == ' ' {
		s.forward(1)
	}
	for inSet(s.peek(0), lineBreaks) {
		chunks = append(chunks, s.scanLineBreak())
		end = s.mark()
		for s.col < indent && s.peek(0) == ' ' {
			s.forward(1)
		}
	}
	return chunks, end
}

func (s *scanner) scanFlowScalar(style rune) token {
	double := style == '"'
	var chunks strings.Builder
	start := s.mark()
	quote := s.peek(0)
	s.forward(1)
	s.scanFlowScalarNonSpaces(&chunks, double, start)
	for s.peek(0) != quote {
		s.scanFlowScalarSpaces(&chunks, double, start)
		s.scanFlowScalarNonSpaces(&chunks, double, start)
	}
	s.forward(1)
	return token{kind: tokScalar, value: chunks.String(), start: start, end: s.mark(), style: style}
}

// escapeReplacement is what a double-quoted scalar's one-character escape
// (the character after the backslash) stands for.
func escapeReplacement(ch rune) (string, bool) {
	switch ch {
	case '0':
		return "\x00", true
	case 'a':
		return "\x07", true
	case 'b':
		return "\x08", true
	case 't', '\t':
		return "\x09", true
	case 'n':
		return "\x0A", true
	case 'v':
		return "\x0B", true
	case 'f':
		return "\x0C", true
	case 'r':
		return "\x0D", true
	case 'e':
		return "\x1B", true
	case ' ', '"', '\\', '/':
		return string(ch), true
	case 'N':
		return "\u0085", true
	case '_':
		return "\u00A0", true
	case 'L':
		return "\u2028", true
	case 'P':
		return "\u2029", true
	}
	return "", false
}

func (s *scanner) scanFlowScalarNonSpaces(chunks *strings.Builder, double bool, start mark) {
	for {
		n := 0
		for !inSet(s.peek(n), "'\"\\"+blankZ) {
			n++
		}
		if n > 0 {
			chunks.Write(s.prefixBytes(n))
			s.forward(n)
		}
		ch := s.peek(0)
		switch {
		case !double && ch == '\'' && s.peek(1) == '\'':
			chunks.WriteByte('\'')
			s.forward(2)
		case (double && ch == '\'') || (!double && (ch == '"' || ch == '\\')):
			chunks.WriteRune(ch)
			s.forward(1)
		case double && ch == '\\':
			s.forward(1)
			ch = s.peek(0)
			if r, ok := escapeReplacement(ch); ok {
				chunks.WriteString(r)
				s.forward(1)
			} else if ch == 'x' || ch == 'u' || ch == 'U' {
				length := map[rune]int{'x': 2, 'u': 4, 'U': 8}[ch]
				s.forward(1)
				for k := 0; k < length; k++ {
					if !inSet(s.peek(k), hexDigs) || s.peek(k) == 0 {
						s.fail("while scanning a double-quoted scalar", markPtr(start),
							fmt.Sprintf("expected escape sequence of %d hexadecimal numbers, but found %s", length, pyRepr(s.peek(k))), s.mark())
					}
				}
				code, _ := strconv.ParseUint(s.prefix(length), 16, 64)
				if code > 0x10FFFF {
					// Python's chr raises ValueError here; PyYAML does not catch it.
					s.fail("while scanning a double-quoted scalar", markPtr(start),
						fmt.Sprintf("escape sequence #x%x is not a unicode character", code), s.mark())
				}
				s.forward(length)
				if low, n := s.lowSurrogateEscape(); code >= 0xD800 && code < 0xDC00 && n > 0 {
					// Python keeps the two halves as two code points, which
					// json.dump writes back as the same pair: one character
					chunks.WriteRune(utf16.DecodeRune(rune(code), low))
					s.forward(n)
				} else {
					chunks.WriteString(chr(rune(code)))
				}
			} else if inSet(ch, lineBreaks) {
				s.scanLineBreak()
				s.scanFlowScalarBreaks(chunks, double, start)
			} else {
				s.fail("while scanning a double-quoted scalar", markPtr(start),
					"found unknown escape character "+pyRepr(ch), s.mark())
			}
		default:
			return
		}
	}
}

// lowSurrogateEscape reads, without consuming it, a `\uXXXX` or
// `\UXXXXXXXX` escape of a low surrogate (DC00-DFFF) at the cursor, and
// returns it with its length in characters (0 when there is none).
func (s *scanner) lowSurrogateEscape() (rune, int) {
	if s.peek(0) != '\\' {
		return 0, 0
	}
	length := map[rune]int{'u': 4, 'U': 8}[s.peek(1)]
	if length == 0 {
		return 0, 0
	}
	for k := 0; k < length; k++ {
		if c := s.peek(2 + k); c == 0 || !inSet(c, hexDigs) {
			return 0, 0
		}
	}
	var hex strings.Builder
	for k := 0; k < length; k++ {
		hex.WriteRune(s.peek(2 + k))
	}
	code, _ := strconv.ParseUint(hex.String(), 16, 64)
	if code < 0xDC00 || code > 0xDFFF {
		return 0, 0
	}
	return rune(code), 2 + length
}

// chr is Python's chr: surrogates have no UTF-8 form in Go, so they are
// written as U+FFFD.
func chr(c rune) string {
	if !utf8.ValidRune(c) {
		return "\uFFFD"
	}
	return string(c)
}

func (s *scanner) scanFlowScalarSpaces(chunks *strings.Builder, double bool, start mark) {
	n := 0
	for s.peek(n) == ' ' || s.peek(n) == '\t' {
		n++
	}
	whitespaces := s.prefix(n)
	s.forward(n)
	ch := s.peek(0)
	switch {
	case ch == 0:
		s.fail("while scanning a quoted scalar", markPtr(start), "found unexpected end of stream", s.mark())
	case inSet(ch, lineBreaks):
		lineBreak := s.scanLineBreak()
		var breaks strings.Builder
		s.scanFlowScalarBreaks(&breaks, double, start)
		if lineBreak != "\n" {
			chunks.WriteString(lineBreak)
		} else if breaks.Len() == 0 {
			chunks.WriteByte(' ')
		}
		chunks.WriteString(breaks.String())
	default:
		chunks.WriteString(whitespaces)
	}
}

func (s *scanner) scanFlowScalarBreaks(chunks *strings.Builder, double bool, start mark) {
	for {
		if (s.prefixIs("---") || s.prefixIs("...")) && isBlankZ(s.peek(3)) {
			s.fail("while scanning a quoted scalar", markPtr(start), "found unexpected document separator", s.mark())
		}
		for s.peek(0) == ' ' || s.peek(0) == '\t' {
			s.forward(1)
		}
		if inSet(s.peek(0), lineBreaks) {
			chunks.WriteString(s.scanLineBreak())
		} else {
			return
		}
	}
}

func (s *scanner) scanPlain() token {
	var chunks strings.Builder
	var one string // the scalar while it is one chunk, as most are
	parts := 0
	start := s.mark()
	end := start
	indent := s.indent + 1
	var spaces string
	for {
		n := 0
		if s.peek(0) == '#' {
			break
		}
		for {
			ch := s.peek(n)
			if isBlankZ(ch) ||
				(ch == ':' && (isBlankZ(s.peek(n+1)) || (s.flowLevel != 0 && inSet(s.peek(n+1), ",[]{}")))) ||
				(s.flowLevel != 0 && inSet(ch, ",?[]{}")) {
				break
			}
			n++
		}
		if n == 0 {
			break
		}
		s.allowSimpleKey = false
		if parts == 0 {
			one = s.prefixShared(n)
		} else {
			if parts == 1 {
				chunks.WriteString(one)
			}
			chunks.WriteString(spaces)
			chunks.Write(s.prefixBytes(n))
		}
		parts++
		s.forward(n)
		end = s.mark()
		var ok bool
		spaces, ok = s.scanPlainSpaces()
		if !ok || spaces == "" || s.peek(0) == '#' || (s.flowLevel == 0 && s.col < indent) {
			break
		}
	}
	value := one
	if parts > 1 {
		value = chunks.String()
	}
	return token{kind: tokScalar, value: value, plain: true, start: start, end: end}
}

// scanPlainSpaces returns the whitespace after a plain scalar's chunk, and
// false where PyYAML returns None (a document separator follows).
func (s *scanner) scanPlainSpaces() (string, bool) {
	n := 0
	for s.peek(n) == ' ' {
		n++
	}
	whitespaces := s.blanks(n)
	s.forward(n)
	ch := s.peek(0)
	if !inSet(ch, lineBreaks) {
		return whitespaces, true
	}
	lineBreak := s.scanLineBreak()
	s.allowSimpleKey = true
	if (s.prefixIs("---") || s.prefixIs("...")) && isBlankZ(s.peek(3)) {
		return "", false
	}
	var breaks []string
	for inSet(s.peek(0), " \r\n\u0085\u2028\u2029") {
		if s.peek(0) == ' ' {
			s.forward(1)
		} else {
			breaks = append(breaks, s.scanLineBreak())
			if (s.prefixIs("---") || s.prefixIs("...")) && isBlankZ(s.peek(3)) {
				return "", false
			}
		}
	}
	first := ""
	if lineBreak != "\n" {
		first = lineBreak
	} else if len(breaks) == 0 {
		first = " "
	}
	switch {
	case len(breaks) == 0:
		return first, true
	case len(breaks) == 1 && first == "":
		return breaks[0], true
	}
	return first + strings.Join(breaks, ""), true
}

func (s *scanner) scanTagHandle(name string, start mark) string {
	ch := s.peek(0)
	if ch != '!' {
		s.fail("while scanning a "+name, markPtr(start), "expected '!', but found "+pyRepr(ch), s.mark())
	}
	n := 1
	ch = s.peek(n)
	if ch != ' ' {
		for isAnchorChar(ch) {
			n++
			ch = s.peek(n)
		}
		if ch != '!' {
			s.forward(n)
			s.fail("while scanning a "+name, markPtr(start), "expected '!', but found "+pyRepr(ch), s.mark())
		}
		n++
	}
	v := s.prefix(n)
	s.forward(n)
	return v
}

func isURIChar(c rune) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || inSet(c, "-;/?:@&=+$,_.!~*'()[]%")
}

func (s *scanner) scanTagURI(name string, start mark) string {
	var chunks strings.Builder
	any := false
	n := 0
	ch := s.peek(n)
	for ch != 0 && isURIChar(ch) {
		if ch == '%' {
			chunks.Write(s.prefixBytes(n))
			s.forward(n)
			n = 0
			chunks.WriteString(s.scanURIEscapes(name, start))
			any = true
		} else {
			n++
		}
		ch = s.peek(n)
	}
	if n > 0 {
		chunks.Write(s.prefixBytes(n))
		s.forward(n)
		any = true
	}
	if !any {
		s.fail("while parsing a "+name, markPtr(start), "expected URI, but found "+pyRepr(ch), s.mark())
	}
	return chunks.String()
}

func (s *scanner) scanURIEscapes(name string, start mark) string {
	var codes []byte
	m := s.mark()
	for s.peek(0) == '%' {
		s.forward(1)
		for k := 0; k < 2; k++ {
			if c := s.peek(k); c == 0 || !inSet(c, hexDigs) {
				s.fail("while scanning a "+name, markPtr(start),
					"expected URI escape sequence of 2 hexadecimal numbers, but found "+pyRepr(c), s.mark())
			}
		}
		b, _ := strconv.ParseUint(s.prefix(2), 16, 8)
		codes = append(codes, byte(b))
		s.forward(2)
	}
	if !utf8.Valid(codes) {
		s.fail("while scanning a "+name, markPtr(start), "'utf-8' codec can't decode the escaped bytes", m)
	}
	return string(codes)
}

func (s *scanner) scanLineBreak() string {
	ch := s.peek(0)
	switch ch {
	case '\r', '\n', 0x85:
		if ch == '\r' && s.peek(1) == '\n' {
			s.forward(2)
		} else {
			s.forward(1)
		}
		return "\n"
	case 0x2028, 0x2029:
		s.forward(1)
		return string(ch)
	}
	return ""
}
