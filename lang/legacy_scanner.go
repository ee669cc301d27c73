package lang

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A port of PyYAML's scanner (yaml/scanner.py), kept close to the original
// so that it accepts and rejects what PyYAML does, at the same marks.

type ytokKind int

const (
	ytStreamStart ytokKind = iota
	ytStreamEnd
	ytDirective
	ytDocumentStart
	ytDocumentEnd
	ytBlockSequenceStart
	ytBlockMappingStart
	ytBlockEnd
	ytFlowSequenceStart
	ytFlowMappingStart
	ytFlowSequenceEnd
	ytFlowMappingEnd
	ytKey
	ytValue
	ytBlockEntry
	ytFlowEntry
	ytAlias
	ytAnchor
	ytTag
	ytScalar
)

// yTokenIDs are PyYAML's token ids, used in its messages.
var yTokenIDs = [...]string{
	ytStreamStart:        "<stream start>",
	ytStreamEnd:          "<stream end>",
	ytDirective:          "<directive>",
	ytDocumentStart:      "<document start>",
	ytDocumentEnd:        "<document end>",
	ytBlockSequenceStart: "<block sequence start>",
	ytBlockMappingStart:  "<block mapping start>",
	ytBlockEnd:           "<block end>",
	ytFlowSequenceStart:  "[",
	ytFlowMappingStart:   "{",
	ytFlowSequenceEnd:    "]",
	ytFlowMappingEnd:     "}",
	ytKey:                "?",
	ytValue:              ":",
	ytBlockEntry:         "-",
	ytFlowEntry:          ",",
	ytAlias:              "<alias>",
	ytAnchor:             "<anchor>",
	ytTag:                "<tag>",
	ytScalar:             "<scalar>",
}

// yTokenRepr is Python's repr of a token id.
func yTokenRepr(k ytokKind) string { return "'" + yTokenIDs[k] + "'" }

type ytoken struct {
	kind       ytokKind
	start, end ymark
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

type ysimpleKey struct {
	valid       bool
	tokenNumber int
	required    bool
	index       int
	line        int
	col         int
	mark        ymark
}

type yscanner struct {
	*yreader
	done           bool
	flowLevel      int
	tokens         []ytoken // the queue is tokens[head:]
	head           int
	tokensTaken    int
	indent         int
	indents        []int
	allowSimpleKey bool
	possible       []ysimpleKey // by flow level
	nPossible      int
}

const (
	yBreakZ  = "\x00\r\n\u0085\u2028\u2029"
	yBlankZ  = "\x00 \t\r\n\u0085\u2028\u2029"
	yBreaks  = "\r\n\u0085\u2028\u2029"
	yHexDigs = "0123456789ABCDEFabcdef"
)

func yIn(c rune, set string) bool { return strings.ContainsRune(set, c) }

func yIsBreakZ(c rune) bool {
	return c == 0 || c == '\r' || c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029
}

func yIsBlankZ(c rune) bool { return c == ' ' || c == '\t' || yIsBreakZ(c) }

func yIsAnchorChar(c rune) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '_'
}

func newYScanner(r *yreader) *yscanner {
	s := &yscanner{yreader: r, indent: -1, allowSimpleKey: true, tokens: make([]ytoken, 0, 16)}
	m := s.mark()
	s.tokens = append(s.tokens, ytoken{kind: ytStreamStart, start: m, end: m})
	return s
}

func (s *yscanner) fail(context string, contextMark *ymark, problem string, problemMark ymark) {
	panic(&yerror{context: context, contextMark: contextMark, problem: problem, problemMark: problemMark})
}

func yMarkPtr(m ymark) *ymark { return &m }

// checkToken reports whether the next token is one of kinds (any token when
// none are given).
func (s *yscanner) checkToken(kinds ...ytokKind) bool {
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

func (s *yscanner) peekToken() *ytoken {
	for s.needMoreTokens() {
		s.fetchMoreTokens()
	}
	if s.head == len(s.tokens) {
		return nil
	}
	return &s.tokens[s.head]
}

func (s *yscanner) getToken() ytoken {
	for s.needMoreTokens() {
		s.fetchMoreTokens()
	}
	if s.head == len(s.tokens) {
		// PyYAML returns None here, and its parser never asks.
		panic(&yerror{problem: "unexpected end of the token stream", problemMark: s.mark()})
	}
	t := s.tokens[s.head]
	s.head++
	s.tokensTaken++
	if s.head == len(s.tokens) {
		s.tokens, s.head = s.tokens[:0], 0
	}
	return t
}

func (s *yscanner) needMoreTokens() bool {
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

func (s *yscanner) fetchMoreTokens() {
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
		s.fetchDocumentIndicator(ytDocumentStart)
	case ch == '.' && s.checkDocumentEnd():
		s.fetchDocumentIndicator(ytDocumentEnd)
	case ch == '[':
		s.fetchFlowCollectionStart(ytFlowSequenceStart)
	case ch == '{':
		s.fetchFlowCollectionStart(ytFlowMappingStart)
	case ch == ']':
		s.fetchFlowCollectionEnd(ytFlowSequenceEnd)
	case ch == '}':
		s.fetchFlowCollectionEnd(ytFlowMappingEnd)
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
			fmt.Sprintf("found character %s that cannot start any token", yPyRepr(ch)), s.mark())
	}
}

// Simple keys.

func (s *yscanner) nextPossibleSimpleKey() (int, bool) {
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

func (s *yscanner) staleSimpleKeys() {
	if s.nPossible == 0 {
		return
	}
	for i := range s.possible {
		k := &s.possible[i]
		if k.valid && (k.line != s.line || s.index-k.index > 1024) {
			if k.required {
				s.fail("while scanning a simple key", yMarkPtr(k.mark), "could not find expected ':'", s.mark())
			}
			k.valid = false
			s.nPossible--
		}
	}
}

// yLevelIndex places a flow level in the possible slice. PyYAML lets the
// level go below zero on a stray ']' or '}', so levels are zigzagged.
func yLevelIndex(level int) int {
	if level >= 0 {
		return 2 * level
	}
	return -2*level - 1
}

func (s *yscanner) dropSimpleKey() {
	if k := s.simpleKey(); k != nil {
		k.valid = false
		s.nPossible--
	}
}

// simpleKey returns the possible simple key at the current flow level.
func (s *yscanner) simpleKey() *ysimpleKey {
	if i := yLevelIndex(s.flowLevel); i < len(s.possible) && s.possible[i].valid {
		return &s.possible[i]
	}
	return nil
}

func (s *yscanner) savePossibleSimpleKey() {
	required := s.flowLevel == 0 && s.indent == s.col
	if s.allowSimpleKey {
		s.removePossibleSimpleKey()
		i := yLevelIndex(s.flowLevel)
		for len(s.possible) <= i {
			s.possible = append(s.possible, ysimpleKey{})
		}
		s.nPossible++
		s.possible[i] = ysimpleKey{
			valid:       true,
			tokenNumber: s.tokensTaken + len(s.tokens) - s.head,
			required:    required,
			index:       s.index, line: s.line, col: s.col,
			mark: s.mark(),
		}
	}
}

func (s *yscanner) removePossibleSimpleKey() {
	if k := s.simpleKey(); k != nil {
		if k.required {
			s.fail("while scanning a simple key", yMarkPtr(k.mark), "could not find expected ':'", s.mark())
		}
		s.dropSimpleKey()
	}
}

// Indentation.

func (s *yscanner) unwindIndent(col int) {
	if s.flowLevel != 0 {
		return
	}
	for s.indent > col {
		m := s.mark()
		s.indent = s.indents[len(s.indents)-1]
		s.indents = s.indents[:len(s.indents)-1]
		s.tokens = append(s.tokens, ytoken{kind: ytBlockEnd, start: m, end: m})
	}
}

func (s *yscanner) addIndent(col int) bool {
	if s.indent < col {
		s.indents = append(s.indents, s.indent)
		s.indent = col
		return true
	}
	return false
}

// Fetchers.

func (s *yscanner) simpleToken(kind ytokKind) {
	start := s.mark()
	s.forward(1)
	s.tokens = append(s.tokens, ytoken{kind: kind, start: start, end: s.mark()})
}

func (s *yscanner) fetchStreamEnd() {
	s.unwindIndent(-1)
	s.removePossibleSimpleKey()
	s.allowSimpleKey = false
	s.possible, s.nPossible = nil, 0
	m := s.mark()
	s.tokens = append(s.tokens, ytoken{kind: ytStreamEnd, start: m, end: m})
	s.done = true
}

func (s *yscanner) fetchDirective() {
	s.unwindIndent(-1)
	s.removePossibleSimpleKey()
	s.allowSimpleKey = false
	s.tokens = append(s.tokens, s.scanDirective())
}

func (s *yscanner) fetchDocumentIndicator(kind ytokKind) {
	s.unwindIndent(-1)
	s.removePossibleSimpleKey()
	s.allowSimpleKey = false
	start := s.mark()
	s.forward(3)
	s.tokens = append(s.tokens, ytoken{kind: kind, start: start, end: s.mark()})
}

func (s *yscanner) fetchFlowCollectionStart(kind ytokKind) {
	s.savePossibleSimpleKey()
	s.flowLevel++
	s.allowSimpleKey = true
	s.simpleToken(kind)
}

func (s *yscanner) fetchFlowCollectionEnd(kind ytokKind) {
	s.removePossibleSimpleKey()
	s.flowLevel--
	s.allowSimpleKey = false
	s.simpleToken(kind)
}

func (s *yscanner) fetchFlowEntry() {
	s.allowSimpleKey = true
	s.removePossibleSimpleKey()
	s.simpleToken(ytFlowEntry)
}

func (s *yscanner) fetchBlockEntry() {
	if s.flowLevel == 0 {
		if !s.allowSimpleKey {
			s.fail("", nil, "sequence entries are not allowed here", s.mark())
		}
		if s.addIndent(s.col) {
			m := s.mark()
			s.tokens = append(s.tokens, ytoken{kind: ytBlockSequenceStart, start: m, end: m})
		}
	}
	s.allowSimpleKey = true
	s.removePossibleSimpleKey()
	s.simpleToken(ytBlockEntry)
}

func (s *yscanner) fetchKey() {
	if s.flowLevel == 0 {
		if !s.allowSimpleKey {
			s.fail("", nil, "mapping keys are not allowed here", s.mark())
		}
		if s.addIndent(s.col) {
			m := s.mark()
			s.tokens = append(s.tokens, ytoken{kind: ytBlockMappingStart, start: m, end: m})
		}
	}
	s.allowSimpleKey = s.flowLevel == 0
	s.removePossibleSimpleKey()
	s.simpleToken(ytKey)
}

func (s *yscanner) insertToken(at int, t ytoken) {
	at += s.head
	s.tokens = append(s.tokens, ytoken{})
	copy(s.tokens[at+1:], s.tokens[at:])
	s.tokens[at] = t
}

func (s *yscanner) fetchValue() {
	if k := s.simpleKey(); k != nil {
		k := *k
		s.dropSimpleKey()
		at := k.tokenNumber - s.tokensTaken
		s.insertToken(at, ytoken{kind: ytKey, start: k.mark, end: k.mark})
		if s.flowLevel == 0 && s.addIndent(k.col) {
			s.insertToken(at, ytoken{kind: ytBlockMappingStart, start: k.mark, end: k.mark})
		}
		s.allowSimpleKey = false
	} else {
		if s.flowLevel == 0 {
			if !s.allowSimpleKey {
				s.fail("", nil, "mapping values are not allowed here", s.mark())
			}
			if s.addIndent(s.col) {
				m := s.mark()
				s.tokens = append(s.tokens, ytoken{kind: ytBlockMappingStart, start: m, end: m})
			}
		}
		s.allowSimpleKey = s.flowLevel == 0
		s.removePossibleSimpleKey()
	}
	s.simpleToken(ytValue)
}

func (s *yscanner) fetchAlias() {
	s.savePossibleSimpleKey()
	s.allowSimpleKey = false
	s.tokens = append(s.tokens, s.scanAnchor(ytAlias))
}

func (s *yscanner) fetchAnchor() {
	s.savePossibleSimpleKey()
	s.allowSimpleKey = false
	s.tokens = append(s.tokens, s.scanAnchor(ytAnchor))
}

func (s *yscanner) fetchTag() {
	s.savePossibleSimpleKey()
	s.allowSimpleKey = false
	s.tokens = append(s.tokens, s.scanTag())
}

func (s *yscanner) fetchBlockScalar(style rune) {
	s.allowSimpleKey = true
	s.removePossibleSimpleKey()
	s.tokens = append(s.tokens, s.scanBlockScalar(style))
}

func (s *yscanner) fetchFlowScalar(style rune) {
	s.savePossibleSimpleKey()
	s.allowSimpleKey = false
	s.tokens = append(s.tokens, s.scanFlowScalar(style))
}

func (s *yscanner) fetchPlain() {
	s.savePossibleSimpleKey()
	s.allowSimpleKey = false
	s.tokens = append(s.tokens, s.scanPlain())
}

// Checkers.

func (s *yscanner) checkDirective() bool { return s.col == 0 }

func (s *yscanner) checkDocumentStart() bool {
	return s.col == 0 && s.prefix(3) == "---" && yIsBlankZ(s.peek(3))
}

func (s *yscanner) checkDocumentEnd() bool {
	return s.col == 0 && s.prefix(3) == "..." && yIsBlankZ(s.peek(3))
}

func (s *yscanner) checkBlockEntry() bool { return yIsBlankZ(s.peek(1)) }

func (s *yscanner) checkKey() bool { return s.flowLevel != 0 || yIsBlankZ(s.peek(1)) }

func (s *yscanner) checkValue() bool { return s.flowLevel != 0 || yIsBlankZ(s.peek(1)) }

func (s *yscanner) checkPlain() bool {
	ch := s.peek(0)
	return !yIn(ch, yBlankZ+"-?:,[]{}#&*!|>'\"%@`") ||
		(!yIsBlankZ(s.peek(1)) && (ch == '-' || (s.flowLevel == 0 && (ch == '?' || ch == ':'))))
}

// Scanners.

func (s *yscanner) scanToNextToken() {
	if s.index == 0 && s.peek(0) == 0xFEFF {
		s.forward(1)
	}
	for {
		for s.peek(0) == ' ' {
			s.forward(1)
		}
		if s.peek(0) == '#' {
			for !yIsBreakZ(s.peek(0)) {
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

func (s *yscanner) scanDirective() ytoken {
	start := s.mark()
	s.forward(1)
	name := s.scanDirectiveName(start)
	t := ytoken{kind: ytDirective, start: start, value: name}
	switch name {
	case "YAML":
		t.major, t.minor = s.scanYAMLDirectiveValue(start)
		t.end = s.mark()
	case "TAG":
		t.tagHandle, t.prefix = s.scanTagDirectiveValue(start)
		t.end = s.mark()
	default:
		t.end = s.mark()
		for !yIsBreakZ(s.peek(0)) {
			s.forward(1)
		}
	}
	s.scanDirectiveIgnoredLine(start)
	return t
}

func (s *yscanner) scanDirectiveName(start ymark) string {
	n := 0
	for yIsAnchorChar(s.peek(n)) {
		n++
	}
	if n == 0 {
		s.fail("while scanning a directive", yMarkPtr(start),
			"expected alphabetic or numeric character, but found "+yPyRepr(s.peek(0)), s.mark())
	}
	v := s.prefix(n)
	s.forward(n)
	if ch := s.peek(0); !yIn(ch, "\x00 \r\n\u0085\u2028\u2029") {
		s.fail("while scanning a directive", yMarkPtr(start),
			"expected alphabetic or numeric character, but found "+yPyRepr(ch), s.mark())
	}
	return v
}

func (s *yscanner) scanYAMLDirectiveValue(start ymark) (int, int) {
	for s.peek(0) == ' ' {
		s.forward(1)
	}
	major := s.scanYAMLDirectiveNumber(start)
	if s.peek(0) != '.' {
		s.fail("while scanning a directive", yMarkPtr(start),
			"expected a digit or '.', but found "+yPyRepr(s.peek(0)), s.mark())
	}
	s.forward(1)
	minor := s.scanYAMLDirectiveNumber(start)
	if ch := s.peek(0); !yIn(ch, "\x00 \r\n\u0085\u2028\u2029") {
		s.fail("while scanning a directive", yMarkPtr(start),
			"expected a digit or ' ', but found "+yPyRepr(ch), s.mark())
	}
	return major, minor
}

func (s *yscanner) scanYAMLDirectiveNumber(start ymark) int {
	if ch := s.peek(0); ch < '0' || ch > '9' {
		s.fail("while scanning a directive", yMarkPtr(start), "expected a digit, but found "+yPyRepr(ch), s.mark())
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

func (s *yscanner) scanTagDirectiveValue(start ymark) (string, string) {
	for s.peek(0) == ' ' {
		s.forward(1)
	}
	handle := s.scanTagHandle("directive", start)
	if ch := s.peek(0); ch != ' ' {
		s.fail("while scanning a directive", yMarkPtr(start), "expected ' ', but found "+yPyRepr(ch), s.mark())
	}
	for s.peek(0) == ' ' {
		s.forward(1)
	}
	prefix := s.scanTagURI("directive", start)
	if ch := s.peek(0); !yIn(ch, "\x00 \r\n\u0085\u2028\u2029") {
		s.fail("while scanning a directive", yMarkPtr(start), "expected ' ', but found "+yPyRepr(ch), s.mark())
	}
	return handle, prefix
}

func (s *yscanner) scanDirectiveIgnoredLine(start ymark) {
	for s.peek(0) == ' ' {
		s.forward(1)
	}
	if s.peek(0) == '#' {
		for !yIsBreakZ(s.peek(0)) {
			s.forward(1)
		}
	}
	if ch := s.peek(0); !yIsBreakZ(ch) {
		s.fail("while scanning a directive", yMarkPtr(start),
			"expected a comment or a line break, but found "+yPyRepr(ch), s.mark())
	}
	s.scanLineBreak()
}

func (s *yscanner) scanAnchor(kind ytokKind) ytoken {
	start := s.mark()
	name := "anchor"
	if s.peek(0) == '*' {
		name = "alias"
	}
	s.forward(1)
	n := 0
	for yIsAnchorChar(s.peek(n)) {
		n++
	}
	if n == 0 {
		s.fail("while scanning an "+name, yMarkPtr(start),
			"expected alphabetic or numeric character, but found "+yPyRepr(s.peek(0)), s.mark())
	}
	v := s.prefix(n)
	s.forward(n)
	if ch := s.peek(0); !yIn(ch, yBlankZ+"?:,]}%@`") {
		s.fail("while scanning an "+name, yMarkPtr(start),
			"expected alphabetic or numeric character, but found "+yPyRepr(ch), s.mark())
	}
	return ytoken{kind: kind, value: v, start: start, end: s.mark()}
}

func (s *yscanner) scanTag() ytoken {
	start := s.mark()
	ch := s.peek(1)
	t := ytoken{kind: ytTag, start: start}
	switch {
	case ch == '<':
		s.forward(2)
		t.suffix = s.scanTagURI("tag", start)
		if s.peek(0) != '>' {
			s.fail("while parsing a tag", yMarkPtr(start), "expected '>', but found "+yPyRepr(s.peek(0)), s.mark())
		}
		s.forward(1)
	case yIsBlankZ(ch):
		t.suffix = "!"
		s.forward(1)
	default:
		n := 1
		useHandle := false
		for !yIn(ch, "\x00 \r\n\u0085\u2028\u2029") {
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
	if ch := s.peek(0); !yIn(ch, "\x00 \r\n\u0085\u2028\u2029") {
		s.fail("while scanning a tag", yMarkPtr(start), "expected ' ', but found "+yPyRepr(ch), s.mark())
	}
	t.end = s.mark()
	return t
}

func (s *yscanner) scanBlockScalar(style rune) ytoken {
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
	var end ymark
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
		for !yIsBreakZ(s.peek(n)) {
			n++
		}
		chunks.WriteString(s.prefix(n))
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
	return ytoken{kind: ytScalar, value: chunks.String(), start: start, end: end, style: style}
}

// scanBlockScalarIndicators returns the chomping indicator ('+', '-' or 0)
// and the indentation increment (0 when absent).
func (s *yscanner) scanBlockScalarIndicators(start ymark) (rune, int) {
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
				s.fail("while scanning a block scalar", yMarkPtr(start),
					"expected indentation indicator in the range 1-9, but found 0", s.mark())
			}
			s.forward(1)
		}
	} else if ch >= '0' && ch <= '9' {
		increment = int(ch - '0')
		if increment == 0 {
			s.fail("while scanning a block scalar", yMarkPtr(start),
				"expected indentation indicator in the range 1-9, but found 0", s.mark())
		}
		s.forward(1)
		ch = s.peek(0)
		if ch == '+' || ch == '-' {
			chomping = ch
			s.forward(1)
		}
	}
	if ch := s.peek(0); !yIn(ch, "\x00 \r\n\u0085\u2028\u2029") {
		s.fail("while scanning a block scalar", yMarkPtr(start),
			"expected chomping or indentation indicators, but found "+yPyRepr(ch), s.mark())
	}
	return chomping, increment
}

func (s *yscanner) scanBlockScalarIgnoredLine(start ymark) {
	for s.peek(0) == ' ' {
		s.forward(1)
	}
	if s.peek(0) == '#' {
		for !yIsBreakZ(s.peek(0)) {
			s.forward(1)
		}
	}
	if ch := s.peek(0); !yIsBreakZ(ch) {
		s.fail("while scanning a block scalar", yMarkPtr(start),
			"expected a comment or a line break, but found "+yPyRepr(ch), s.mark())
	}
	s.scanLineBreak()
}

func (s *yscanner) scanBlockScalarIndentation() ([]string, int, ymark) {
	var chunks []string
	maxIndent := 0
	end := s.mark()
	for yIn(s.peek(0), " \r\n\u0085\u2028\u2029") {
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

func (s *yscanner) scanBlockScalarBreaks(indent int) ([]string, ymark) {
	var chunks []string
	end := s.mark()
	for s.col < indent && s.peek(0) == ' ' {
		s.forward(1)
	}
	for yIn(s.peek(0), yBreaks) {
		chunks = append(chunks, s.scanLineBreak())
		end = s.mark()
		for s.col < indent && s.peek(0) == ' ' {
			s.forward(1)
		}
	}
	return chunks, end
}

func (s *yscanner) scanFlowScalar(style rune) ytoken {
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
	return ytoken{kind: ytScalar, value: chunks.String(), start: start, end: s.mark(), style: style}
}

var yEscapeReplacements = map[rune]string{
	'0': "\x00", 'a': "\x07", 'b': "\x08", 't': "\x09", '\t': "\x09",
	'n': "\x0A", 'v': "\x0B", 'f': "\x0C", 'r': "\x0D", 'e': "\x1B",
	' ': " ", '"': "\"", '\\': "\\", '/': "/",
	'N': "\u0085", '_': "\u00A0", 'L': "\u2028", 'P': "\u2029",
}

func (s *yscanner) scanFlowScalarNonSpaces(chunks *strings.Builder, double bool, start ymark) {
	for {
		n := 0
		for !yIn(s.peek(n), "'\"\\"+yBlankZ) {
			n++
		}
		if n > 0 {
			chunks.WriteString(s.prefix(n))
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
			if r, ok := yEscapeReplacements[ch]; ok {
				chunks.WriteString(r)
				s.forward(1)
			} else if ch == 'x' || ch == 'u' || ch == 'U' {
				length := map[rune]int{'x': 2, 'u': 4, 'U': 8}[ch]
				s.forward(1)
				for k := 0; k < length; k++ {
					if !yIn(s.peek(k), yHexDigs) || s.peek(k) == 0 {
						s.fail("while scanning a double-quoted scalar", yMarkPtr(start),
							fmt.Sprintf("expected escape sequence of %d hexadecimal numbers, but found %s", length, yPyRepr(s.peek(k))), s.mark())
					}
				}
				code, _ := strconv.ParseUint(s.prefix(length), 16, 64)
				if code > 0x10FFFF {
					// Python's chr raises ValueError here; PyYAML does not catch it.
					s.fail("while scanning a double-quoted scalar", yMarkPtr(start),
						fmt.Sprintf("escape sequence #x%x is not a unicode character", code), s.mark())
				}
				s.forward(length)
				if low, n := s.lowSurrogateEscape(); code >= 0xD800 && code < 0xDC00 && n > 0 {
					// Python keeps the two halves as two code points, which
					// json.dump writes back as the same pair: one character
					chunks.WriteRune(utf16.DecodeRune(rune(code), low))
					s.forward(n)
				} else {
					chunks.WriteString(yChr(rune(code)))
				}
			} else if yIn(ch, yBreaks) {
				s.scanLineBreak()
				s.scanFlowScalarBreaks(chunks, double, start)
			} else {
				s.fail("while scanning a double-quoted scalar", yMarkPtr(start),
					"found unknown escape character "+yPyRepr(ch), s.mark())
			}
		default:
			return
		}
	}
}

// lowSurrogateEscape reads, without consuming it, a `\uXXXX` or
// `\UXXXXXXXX` escape of a low surrogate (DC00-DFFF) at the cursor, and
// returns it with its length in characters (0 when there is none).
func (s *yscanner) lowSurrogateEscape() (rune, int) {
	if s.peek(0) != '\\' {
		return 0, 0
	}
	length := map[rune]int{'u': 4, 'U': 8}[s.peek(1)]
	if length == 0 {
		return 0, 0
	}
	for k := 0; k < length; k++ {
		if c := s.peek(2 + k); c == 0 || !yIn(c, yHexDigs) {
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

// yChr is Python's chr: surrogates have no UTF-8 form in Go, so they are
// written as U+FFFD.
func yChr(c rune) string {
	if !utf8.ValidRune(c) {
		return "\uFFFD"
	}
	return string(c)
}

func (s *yscanner) scanFlowScalarSpaces(chunks *strings.Builder, double bool, start ymark) {
	n := 0
	for s.peek(n) == ' ' || s.peek(n) == '\t' {
		n++
	}
	whitespaces := s.prefix(n)
	s.forward(n)
	ch := s.peek(0)
	switch {
	case ch == 0:
		s.fail("while scanning a quoted scalar", yMarkPtr(start), "found unexpected end of stream", s.mark())
	case yIn(ch, yBreaks):
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

func (s *yscanner) scanFlowScalarBreaks(chunks *strings.Builder, double bool, start ymark) {
	for {
		p := s.prefix(3)
		if (p == "---" || p == "...") && yIsBlankZ(s.peek(3)) {
			s.fail("while scanning a quoted scalar", yMarkPtr(start), "found unexpected document separator", s.mark())
		}
		for s.peek(0) == ' ' || s.peek(0) == '\t' {
			s.forward(1)
		}
		if yIn(s.peek(0), yBreaks) {
			chunks.WriteString(s.scanLineBreak())
		} else {
			return
		}
	}
}

func (s *yscanner) scanPlain() ytoken {
	var chunks strings.Builder
	start := s.mark()
	end := start
	indent := s.indent + 1
	var spaces []string
	for {
		n := 0
		if s.peek(0) == '#' {
			break
		}
		for {
			ch := s.peek(n)
			if yIsBlankZ(ch) ||
				(ch == ':' && (yIsBlankZ(s.peek(n+1)) || (s.flowLevel != 0 && yIn(s.peek(n+1), ",[]{}")))) ||
				(s.flowLevel != 0 && yIn(ch, ",?[]{}")) {
				break
			}
			n++
		}
		if n == 0 {
			break
		}
		s.allowSimpleKey = false
		for _, sp := range spaces {
			chunks.WriteString(sp)
		}
		chunks.WriteString(s.prefix(n))
		s.forward(n)
		end = s.mark()
		var ok bool
		spaces, ok = s.scanPlainSpaces()
		if !ok || len(spaces) == 0 || s.peek(0) == '#' || (s.flowLevel == 0 && s.col < indent) {
			break
		}
	}
	return ytoken{kind: ytScalar, value: chunks.String(), plain: true, start: start, end: end}
}

// scanPlainSpaces returns the whitespace after a plain scalar's chunk, and
// false where PyYAML returns None (a document separator follows).
func (s *yscanner) scanPlainSpaces() ([]string, bool) {
	var chunks []string
	n := 0
	for s.peek(n) == ' ' {
		n++
	}
	whitespaces := s.prefix(n)
	s.forward(n)
	ch := s.peek(0)
	if yIn(ch, yBreaks) {
		lineBreak := s.scanLineBreak()
		s.allowSimpleKey = true
		p := s.prefix(3)
		if (p == "---" || p == "...") && yIsBlankZ(s.peek(3)) {
			return nil, false
		}
		var breaks []string
		for yIn(s.peek(0), " \r\n\u0085\u2028\u2029") {
			if s.peek(0) == ' ' {
				s.forward(1)
			} else {
				breaks = append(breaks, s.scanLineBreak())
				p := s.prefix(3)
				if (p == "---" || p == "...") && yIsBlankZ(s.peek(3)) {
					return nil, false
				}
			}
		}
		if lineBreak != "\n" {
			chunks = append(chunks, lineBreak)
		} else if len(breaks) == 0 {
			chunks = append(chunks, " ")
		}
		chunks = append(chunks, breaks...)
	} else if whitespaces != "" {
		chunks = append(chunks, whitespaces)
	}
	return chunks, true
}

func (s *yscanner) scanTagHandle(name string, start ymark) string {
	ch := s.peek(0)
	if ch != '!' {
		s.fail("while scanning a "+name, yMarkPtr(start), "expected '!', but found "+yPyRepr(ch), s.mark())
	}
	n := 1
	ch = s.peek(n)
	if ch != ' ' {
		for yIsAnchorChar(ch) {
			n++
			ch = s.peek(n)
		}
		if ch != '!' {
			s.forward(n)
			s.fail("while scanning a "+name, yMarkPtr(start), "expected '!', but found "+yPyRepr(ch), s.mark())
		}
		n++
	}
	v := s.prefix(n)
	s.forward(n)
	return v
}

func yIsURIChar(c rune) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || yIn(c, "-;/?:@&=+$,_.!~*'()[]%")
}

func (s *yscanner) scanTagURI(name string, start ymark) string {
	var chunks strings.Builder
	any := false
	n := 0
	ch := s.peek(n)
	for ch != 0 && yIsURIChar(ch) {
		if ch == '%' {
			chunks.WriteString(s.prefix(n))
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
		chunks.WriteString(s.prefix(n))
		s.forward(n)
		any = true
	}
	if !any {
		s.fail("while parsing a "+name, yMarkPtr(start), "expected URI, but found "+yPyRepr(ch), s.mark())
	}
	return chunks.String()
}

func (s *yscanner) scanURIEscapes(name string, start ymark) string {
	var codes []byte
	m := s.mark()
	for s.peek(0) == '%' {
		s.forward(1)
		for k := 0; k < 2; k++ {
			if c := s.peek(k); c == 0 || !yIn(c, yHexDigs) {
				s.fail("while scanning a "+name, yMarkPtr(start),
					"expected URI escape sequence of 2 hexadecimal numbers, but found "+yPyRepr(c), s.mark())
			}
		}
		b, _ := strconv.ParseUint(s.prefix(2), 16, 8)
		codes = append(codes, byte(b))
		s.forward(2)
	}
	if !utf8.Valid(codes) {
		s.fail("while scanning a "+name, yMarkPtr(start), "'utf-8' codec can't decode the escaped bytes", m)
	}
	return string(codes)
}

func (s *yscanner) scanLineBreak() string {
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
