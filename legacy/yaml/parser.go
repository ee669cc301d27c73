package yaml

// A port of PyYAML's parser (yaml/parser.py): tokens to events.

type evKind int

const (
	evStreamStart evKind = iota
	evStreamEnd
	evDocumentStart
	evDocumentEnd
	evAlias
	evScalar
	evSequenceStart
	evSequenceEnd
	evMappingStart
	evMappingEnd
)

type event struct {
	kind       evKind
	start, end mark
	anchor     string // anchor defined, or the alias's name
	anchorRng  [2]mark
	tag        string // resolved through the tag handles; "" when none
	tagRng     [2]mark
	implicit   [2]bool // scalars: (plain, quoted) implicit; collections: implicit[0]
	value      string
	style      rune // scalar style
	flow       bool // collection flow style
}

// state is a state of the parser: the method that makes the next event.
type state int

const (
	stNone state = iota
	stParseStreamStart
	stParseImplicitDocumentStart
	stParseDocumentStart
	stParseDocumentEnd
	stParseDocumentContent
	stParseBlockNode
	stParseBlockSequenceFirstEntry
	stParseBlockSequenceEntry
	stParseIndentlessSequenceEntry
	stParseBlockMappingFirstKey
	stParseBlockMappingKey
	stParseBlockMappingValue
	stParseFlowSequenceFirstEntry
	stParseFlowSequenceEntryNext
	stParseFlowSequenceEntryMappingKey
	stParseFlowSequenceEntryMappingValue
	stParseFlowSequenceEntryMappingEnd
	stParseFlowMappingFirstKey
	stParseFlowMappingKeyNext
	stParseFlowMappingValue
	stParseFlowMappingEmptyValue
)

func (p *parser) run(st state) event {
	switch st {
	case stParseStreamStart:
		return p.parseStreamStart()
	case stParseImplicitDocumentStart:
		return p.parseImplicitDocumentStart()
	case stParseDocumentStart:
		return p.parseDocumentStart()
	case stParseDocumentEnd:
		return p.parseDocumentEnd()
	case stParseDocumentContent:
		return p.parseDocumentContent()
	case stParseBlockNode:
		return p.parseBlockNode()
	case stParseBlockSequenceFirstEntry:
		return p.parseBlockSequenceFirstEntry()
	case stParseBlockSequenceEntry:
		return p.parseBlockSequenceEntry()
	case stParseIndentlessSequenceEntry:
		return p.parseIndentlessSequenceEntry()
	case stParseBlockMappingFirstKey:
		return p.parseBlockMappingFirstKey()
	case stParseBlockMappingKey:
		return p.parseBlockMappingKey()
	case stParseBlockMappingValue:
		return p.parseBlockMappingValue()
	case stParseFlowSequenceFirstEntry:
		return p.parseFlowSequenceFirstEntry()
	case stParseFlowSequenceEntryNext:
		return p.parseFlowSequenceEntryNext()
	case stParseFlowSequenceEntryMappingKey:
		return p.parseFlowSequenceEntryMappingKey()
	case stParseFlowSequenceEntryMappingValue:
		return p.parseFlowSequenceEntryMappingValue()
	case stParseFlowSequenceEntryMappingEnd:
		return p.parseFlowSequenceEntryMappingEnd()
	case stParseFlowMappingFirstKey:
		return p.parseFlowMappingFirstKey()
	case stParseFlowMappingKeyNext:
		return p.parseFlowMappingKeyNext()
	case stParseFlowMappingValue:
		return p.parseFlowMappingValue()
	case stParseFlowMappingEmptyValue:
		return p.parseFlowMappingEmptyValue()
	}
	panic(&markedError{problem: "the parser has no state", problemMark: p.mark()})
}

type parser struct {
	*scanner
	current    event
	hasCurrent bool
	tagHandles map[string]string
	states     []state
	marks      []mark
	state      state
}

// defaultTags are the tag handles every document has.
var defaultTags = [...]struct{ handle, prefix string }{{"!", "!"}, {"!!", "tag:yaml.org,2002:"}}

// defaultTagHandles is a document's table of tag handles when it declares
// none.
func defaultTagHandles() map[string]string {
	m := make(map[string]string, len(defaultTags))
	for _, t := range defaultTags {
		m[t.handle] = t.prefix
	}
	return m
}

func newParser(r *reader) *parser {
	p := &parser{scanner: newScanner(r)}
	p.state = stParseStreamStart
	return p
}

func (p *parser) pfail(context string, contextMark *mark, problem string, problemMark mark) {
	panic(&markedError{context: context, contextMark: contextMark, problem: problem, problemMark: problemMark})
}

func (p *parser) fill() bool {
	if !p.hasCurrent && p.state != stNone {
		p.current = p.run(p.state)
		p.hasCurrent = true
	}
	return p.hasCurrent
}

func (p *parser) checkEvent(kind evKind) bool {
	return p.fill() && p.current.kind == kind
}

func (p *parser) peekEvent() *event {
	if !p.fill() {
		panic(&markedError{problem: "unexpected end of the event stream", problemMark: p.mark()})
	}
	return &p.current
}

func (p *parser) getEvent() event {
	e := *p.peekEvent()
	p.hasCurrent = false
	return e
}

func (p *parser) pushState(f state) { p.states = append(p.states, f) }

func (p *parser) popState() state {
	f := p.states[len(p.states)-1]
	p.states = p.states[:len(p.states)-1]
	return f
}

func (p *parser) popMark() {
	p.marks = p.marks[:len(p.marks)-1]
}

func (p *parser) parseStreamStart() event {
	t := p.getToken()
	p.state = stParseImplicitDocumentStart
	return event{kind: evStreamStart, start: t.start, end: t.end}
}

func (p *parser) parseImplicitDocumentStart() event {
	if !p.checkToken(tokDirective, tokDocumentStart, tokStreamEnd) {
		p.tagHandles = defaultTagHandles()
		t := p.peekToken()
		p.pushState(stParseDocumentEnd)
		p.state = stParseBlockNode
		return event{kind: evDocumentStart, start: t.start, end: t.start}
	}
	return p.parseDocumentStart()
}

func (p *parser) parseDocumentStart() event {
	for p.checkToken(tokDocumentEnd) {
		p.getToken()
	}
	if !p.checkToken(tokStreamEnd) {
		start := p.peekToken().start
		p.processDirectives()
		if !p.checkToken(tokDocumentStart) {
			t := p.peekToken()
			p.pfail("", nil, "expected '<document start>', but found "+tokenRepr(t.kind), t.start)
		}
		t := p.getToken()
		p.pushState(stParseDocumentEnd)
		p.state = stParseDocumentContent
		return event{kind: evDocumentStart, start: start, end: t.end}
	}
	t := p.getToken()
	p.state = stNone
	return event{kind: evStreamEnd, start: t.start, end: t.end}
}

func (p *parser) parseDocumentEnd() event {
	t := p.peekToken()
	start, end := t.start, t.start
	if p.checkToken(tokDocumentEnd) {
		end = p.getToken().end
	}
	p.state = stParseDocumentStart
	return event{kind: evDocumentEnd, start: start, end: end}
}

func (p *parser) parseDocumentContent() event {
	if p.checkToken(tokDirective, tokDocumentStart, tokDocumentEnd, tokStreamEnd) {
		e := p.processEmptyScalar(p.peekToken().start)
		p.state = p.popState()
		return e
	}
	return p.parseBlockNode()
}

func (p *parser) processDirectives() {
	hasVersion := false
	p.tagHandles = map[string]string{}
	for p.checkToken(tokDirective) {
		t := p.getToken()
		switch t.value {
		case "YAML":
			if hasVersion {
				p.pfail("", nil, "found duplicate YAML directive", t.start)
			}
			if t.major != 1 {
				p.pfail("", nil, "found incompatible YAML document (version 1.* is required)", t.start)
			}
			hasVersion = true
		case "TAG":
			if _, dup := p.tagHandles[t.tagHandle]; dup {
				p.pfail("", nil, "duplicate tag handle '"+t.tagHandle+"'", t.start)
			}
			p.tagHandles[t.tagHandle] = t.prefix
		}
	}
	for _, t := range defaultTags {
		if _, ok := p.tagHandles[t.handle]; !ok {
			p.tagHandles[t.handle] = t.prefix
		}
	}
}

func (p *parser) parseBlockNode() event { return p.parseNode(true, false) }

func (p *parser) parseFlowNode() event { return p.parseNode(false, false) }

func (p *parser) parseBlockNodeOrIndentlessSequence() event { return p.parseNode(true, true) }

func (p *parser) parseNode(block, indentlessSequence bool) event {
	if p.checkToken(tokAlias) {
		t := p.getToken()
		p.state = p.popState()
		return event{kind: evAlias, anchor: t.value, start: t.start, end: t.end}
	}
	var e event
	var start, end, tagMark mark
	hasStart := false
	var tagTok *token
	if p.checkToken(tokAnchor) {
		t := p.getToken()
		start, end, hasStart = t.start, t.end, true
		e.anchor, e.anchorRng = t.value, [2]mark{t.start, t.end}
		if p.checkToken(tokTag) {
			t := p.getToken()
			tagMark, end = t.start, t.end
			tagTok = &t
		}
	} else if p.checkToken(tokTag) {
		t := p.getToken()
		start, tagMark, end, hasStart = t.start, t.start, t.end, true
		tagTok = &t
		if p.checkToken(tokAnchor) {
			t := p.getToken()
			end = t.end
			e.anchor, e.anchorRng = t.value, [2]mark{t.start, t.end}
		}
	}
	hasTag := tagTok != nil
	if hasTag {
		e.tagRng = [2]mark{tagTok.start, tagTok.end}
		if tagTok.hasHandle {
			prefix, ok := p.tagHandles[tagTok.handle]
			if !ok {
				p.pfail("while parsing a node", markPtr(start), "found undefined tag handle '"+tagTok.handle+"'", tagMark)
			}
			e.tag = prefix + tagTok.suffix
		} else {
			e.tag = tagTok.suffix
		}
	}
	if !hasStart {
		start = p.peekToken().start
		end = start
	}
	e.start = start
	implicit := !hasTag || e.tag == "!"
	if indentlessSequence && p.checkToken(tokBlockEntry) {
		e.kind, e.end = evSequenceStart, p.peekToken().end
		e.implicit[0] = implicit
		p.state = stParseIndentlessSequenceEntry
		return e
	}
	switch {
	case p.checkToken(tokScalar):
		t := p.getToken()
		e.kind, e.end, e.value, e.style = evScalar, t.end, t.value, t.style
		switch {
		case (t.plain && !hasTag) || e.tag == "!":
			e.implicit = [2]bool{true, false}
		case !hasTag:
			e.implicit = [2]bool{false, true}
		}
		p.state = p.popState()
	case p.checkToken(tokFlowSequenceStart):
		e.kind, e.end, e.flow = evSequenceStart, p.peekToken().end, true
		e.implicit[0] = implicit
		p.state = stParseFlowSequenceFirstEntry
	case p.checkToken(tokFlowMappingStart):
		e.kind, e.end, e.flow = evMappingStart, p.peekToken().end, true
		e.implicit[0] = implicit
		p.state = stParseFlowMappingFirstKey
	case block && p.checkToken(tokBlockSequenceStart):
		e.kind, e.end = evSequenceStart, p.peekToken().start
		e.implicit[0] = implicit
		p.state = stParseBlockSequenceFirstEntry
	case block && p.checkToken(tokBlockMappingStart):
		e.kind, e.end = evMappingStart, p.peekToken().start
		e.implicit[0] = implicit
		p.state = stParseBlockMappingFirstKey
	case e.anchor != "" || hasTag:
		// An empty scalar with an anchor or a tag.
		e.kind, e.end = evScalar, end
		e.implicit = [2]bool{implicit, false}
		p.state = p.popState()
	default:
		node := "flow"
		if block {
			node = "block"
		}
		t := p.peekToken()
		p.pfail("while parsing a "+node+" node", markPtr(start),
			"expected the node content, but found "+tokenRepr(t.kind), t.start)
	}
	return e
}

func (p *parser) parseBlockSequenceFirstEntry() event {
	t := p.getToken()
	p.marks = append(p.marks, t.start)
	return p.parseBlockSequenceEntry()
}

func (p *parser) parseBlockSequenceEntry() event {
	if p.checkToken(tokBlockEntry) {
		t := p.getToken()
		if !p.checkToken(tokBlockEntry, tokBlockEnd) {
			p.pushState(stParseBlockSequenceEntry)
			return p.parseBlockNode()
		}
		p.state = stParseBlockSequenceEntry
		return p.processEmptyScalar(t.end)
	}
	if !p.checkToken(tokBlockEnd) {
		t := p.peekToken()
		p.pfail("while parsing a block collection", markPtr(p.marks[len(p.marks)-1]),
			"expected <block end>, but found "+tokenRepr(t.kind), t.start)
	}
	t := p.getToken()
	p.state = p.popState()
	p.popMark()
	return event{kind: evSequenceEnd, start: t.start, end: t.end}
}

func (p *parser) parseIndentlessSequenceEntry() event {
	if p.checkToken(tokBlockEntry) {
		t := p.getToken()
		if !p.checkToken(tokBlockEntry, tokKey, tokValue, tokBlockEnd) {
			p.pushState(stParseIndentlessSequenceEntry)
			return p.parseBlockNode()
		}
		p.state = stParseIndentlessSequenceEntry
		return p.processEmptyScalar(t.end)
	}
	t := p.peekToken()
	p.state = p.popState()
	return event{kind: evSequenceEnd, start: t.start, end: t.start}
}

func (p *parser) parseBlockMappingFirstKey() event {
	t := p.getToken()
	p.marks = append(p.marks, t.start)
	return p.parseBlockMappingKey()
}

func (p *parser) parseBlockMappingKey() event {
	if p.checkToken(tokKey) {
		t := p.getToken()
		if !p.checkToken(tokKey, tokValue, tokBlockEnd) {
			p.pushState(stParseBlockMappingValue)
			return p.parseBlockNodeOrIndentlessSequence()
		}
		p.state = stParseBlockMappingValue
		return p.processEmptyScalar(t.end)
	}
	if !p.checkToken(tokBlockEnd) {
		t := p.peekToken()
		p.pfail("while parsing a block mapping", markPtr(p.marks[len(p.marks)-1]),
			"expected <block end>, but found "+tokenRepr(t.kind), t.start)
	}
	t := p.getToken()
	p.state = p.popState()
	p.popMark()
	return event{kind: evMappingEnd, start: t.start, end: t.end}
}

func (p *parser) parseBlockMappingValue() event {
	if p.checkToken(tokValue) {
		t := p.getToken()
		if !p.checkToken(tokKey, tokValue, tokBlockEnd) {
			p.pushState(stParseBlockMappingKey)
			return p.parseBlockNodeOrIndentlessSequence()
		}
		p.state = stParseBlockMappingKey
		return p.processEmptyScalar(t.end)
	}
	p.state = stParseBlockMappingKey
	return p.processEmptyScalar(p.peekToken().start)
}

func (p *parser) parseFlowSequenceFirstEntry() event {
	t := p.getToken()
	p.marks = append(p.marks, t.start)
	return p.parseFlowSequenceEntry(true)
}

func (p *parser) parseFlowSequenceEntryNext() event { return p.parseFlowSequenceEntry(false) }

func (p *parser) parseFlowSequenceEntry(first bool) event {
	if !p.checkToken(tokFlowSequenceEnd) {
		if !first {
			if p.checkToken(tokFlowEntry) {
				p.getToken()
			} else {
				t := p.peekToken()
				p.pfail("while parsing a flow sequence", markPtr(p.marks[len(p.marks)-1]),
					"expected ',' or ']', but got "+tokenRepr(t.kind), t.start)
			}
		}
		if p.checkToken(tokKey) {
			t := p.peekToken()
			p.state = stParseFlowSequenceEntryMappingKey
			return event{kind: evMappingStart, start: t.start, end: t.end, implicit: [2]bool{true, false}, flow: true}
		} else if !p.checkToken(tokFlowSequenceEnd) {
			p.pushState(stParseFlowSequenceEntryNext)
			return p.parseFlowNode()
		}
	}
	t := p.getToken()
	p.state = p.popState()
	p.popMark()
	return event{kind: evSequenceEnd, start: t.start, end: t.end}
}

func (p *parser) parseFlowSequenceEntryMappingKey() event {
	t := p.getToken()
	if !p.checkToken(tokValue, tokFlowEntry, tokFlowSequenceEnd) {
		p.pushState(stParseFlowSequenceEntryMappingValue)
		return p.parseFlowNode()
	}
	p.state = stParseFlowSequenceEntryMappingValue
	return p.processEmptyScalar(t.end)
}

func (p *parser) parseFlowSequenceEntryMappingValue() event {
	if p.checkToken(tokValue) {
		t := p.getToken()
		if !p.checkToken(tokFlowEntry, tokFlowSequenceEnd) {
			p.pushState(stParseFlowSequenceEntryMappingEnd)
			return p.parseFlowNode()
		}
		p.state = stParseFlowSequenceEntryMappingEnd
		return p.processEmptyScalar(t.end)
	}
	p.state = stParseFlowSequenceEntryMappingEnd
	return p.processEmptyScalar(p.peekToken().start)
}

func (p *parser) parseFlowSequenceEntryMappingEnd() event {
	p.state = stParseFlowSequenceEntryNext
	t := p.peekToken()
	return event{kind: evMappingEnd, start: t.start, end: t.start}
}

func (p *parser) parseFlowMappingFirstKey() event {
	t := p.getToken()
	p.marks = append(p.marks, t.start)
	return p.parseFlowMappingKey(true)
}

func (p *parser) parseFlowMappingKeyNext() event { return p.parseFlowMappingKey(false) }

func (p *parser) parseFlowMappingKey(first bool) event {
	if !p.checkToken(tokFlowMappingEnd) {
		if !first {
			if p.checkToken(tokFlowEntry) {
				p.getToken()
			} else {
				t := p.peekToken()
				p.pfail("while parsing a flow mapping", markPtr(p.marks[len(p.marks)-1]),
					"expected ',' or '}', but got "+tokenRepr(t.kind), t.start)
			}
		}
		if p.checkToken(tokKey) {
			t := p.getToken()
			if !p.checkToken(tokValue, tokFlowEntry, tokFlowMappingEnd) {
				p.pushState(stParseFlowMappingValue)
				return p.parseFlowNode()
			}
			p.state = stParseFlowMappingValue
			return p.processEmptyScalar(t.end)
		} else if !p.checkToken(tokFlowMappingEnd) {
			p.pushState(stParseFlowMappingEmptyValue)
			return p.parseFlowNode()
		}
	}
	t := p.getToken()
	p.state = p.popState()
	p.popMark()
	return event{kind: evMappingEnd, start: t.start, end: t.end}
}

func (p *parser) parseFlowMappingValue() event {
	if p.checkToken(tokValue) {
		t := p.getToken()
		if !p.checkToken(tokFlowEntry, tokFlowMappingEnd) {
			p.pushState(stParseFlowMappingKeyNext)
			return p.parseFlowNode()
		}
		p.state = stParseFlowMappingKeyNext
		return p.processEmptyScalar(t.end)
	}
	p.state = stParseFlowMappingKeyNext
	return p.processEmptyScalar(p.peekToken().start)
}

func (p *parser) parseFlowMappingEmptyValue() event {
	p.state = stParseFlowMappingKeyNext
	return p.processEmptyScalar(p.peekToken().start)
}

func (p *parser) processEmptyScalar(m mark) event {
	return event{kind: evScalar, implicit: [2]bool{true, false}, start: m, end: m}
}
