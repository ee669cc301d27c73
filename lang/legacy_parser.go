package lang

// A port of PyYAML's parser (yaml/parser.py): tokens to events.

type yevKind int

const (
	yeStreamStart yevKind = iota
	yeStreamEnd
	yeDocumentStart
	yeDocumentEnd
	yeAlias
	yeScalar
	yeSequenceStart
	yeSequenceEnd
	yeMappingStart
	yeMappingEnd
)

type yevent struct {
	kind       yevKind
	start, end ymark
	anchor     string // anchor defined, or the alias's name
	anchorRng  [2]ymark
	tag        string // resolved through the tag handles; "" when none
	tagRng     [2]ymark
	implicit   [2]bool // scalars: (plain, quoted) implicit; collections: implicit[0]
	value      string
	style      rune // scalar style
	flow       bool // collection flow style
}

// ystate is a state of the parser: the method that makes the next event.
type ystate int

const (
	ysNone ystate = iota
	ysParseStreamStart
	ysParseImplicitDocumentStart
	ysParseDocumentStart
	ysParseDocumentEnd
	ysParseDocumentContent
	ysParseBlockNode
	ysParseBlockSequenceFirstEntry
	ysParseBlockSequenceEntry
	ysParseIndentlessSequenceEntry
	ysParseBlockMappingFirstKey
	ysParseBlockMappingKey
	ysParseBlockMappingValue
	ysParseFlowSequenceFirstEntry
	ysParseFlowSequenceEntryNext
	ysParseFlowSequenceEntryMappingKey
	ysParseFlowSequenceEntryMappingValue
	ysParseFlowSequenceEntryMappingEnd
	ysParseFlowMappingFirstKey
	ysParseFlowMappingKeyNext
	ysParseFlowMappingValue
	ysParseFlowMappingEmptyValue
)

func (p *yparser) run(st ystate) yevent {
	switch st {
	case ysParseStreamStart:
		return p.parseStreamStart()
	case ysParseImplicitDocumentStart:
		return p.parseImplicitDocumentStart()
	case ysParseDocumentStart:
		return p.parseDocumentStart()
	case ysParseDocumentEnd:
		return p.parseDocumentEnd()
	case ysParseDocumentContent:
		return p.parseDocumentContent()
	case ysParseBlockNode:
		return p.parseBlockNode()
	case ysParseBlockSequenceFirstEntry:
		return p.parseBlockSequenceFirstEntry()
	case ysParseBlockSequenceEntry:
		return p.parseBlockSequenceEntry()
	case ysParseIndentlessSequenceEntry:
		return p.parseIndentlessSequenceEntry()
	case ysParseBlockMappingFirstKey:
		return p.parseBlockMappingFirstKey()
	case ysParseBlockMappingKey:
		return p.parseBlockMappingKey()
	case ysParseBlockMappingValue:
		return p.parseBlockMappingValue()
	case ysParseFlowSequenceFirstEntry:
		return p.parseFlowSequenceFirstEntry()
	case ysParseFlowSequenceEntryNext:
		return p.parseFlowSequenceEntryNext()
	case ysParseFlowSequenceEntryMappingKey:
		return p.parseFlowSequenceEntryMappingKey()
	case ysParseFlowSequenceEntryMappingValue:
		return p.parseFlowSequenceEntryMappingValue()
	case ysParseFlowSequenceEntryMappingEnd:
		return p.parseFlowSequenceEntryMappingEnd()
	case ysParseFlowMappingFirstKey:
		return p.parseFlowMappingFirstKey()
	case ysParseFlowMappingKeyNext:
		return p.parseFlowMappingKeyNext()
	case ysParseFlowMappingValue:
		return p.parseFlowMappingValue()
	case ysParseFlowMappingEmptyValue:
		return p.parseFlowMappingEmptyValue()
	}
	panic(&yerror{problem: "the parser has no state", problemMark: p.mark()})
}

type yparser struct {
	*yscanner
	current    yevent
	hasCurrent bool
	tagHandles map[string]string
	states     []ystate
	marks      []ymark
	state      ystate
}

var yDefaultTags = map[string]string{"!": "!", "!!": "tag:yaml.org,2002:"}

func newYParser(r *yreader) *yparser {
	p := &yparser{yscanner: newYScanner(r)}
	p.state = ysParseStreamStart
	return p
}

func (p *yparser) pfail(context string, contextMark *ymark, problem string, problemMark ymark) {
	panic(&yerror{context: context, contextMark: contextMark, problem: problem, problemMark: problemMark})
}

func (p *yparser) fill() bool {
	if !p.hasCurrent && p.state != ysNone {
		p.current = p.run(p.state)
		p.hasCurrent = true
	}
	return p.hasCurrent
}

func (p *yparser) checkEvent(kind yevKind) bool {
	return p.fill() && p.current.kind == kind
}

func (p *yparser) peekEvent() *yevent {
	if !p.fill() {
		panic(&yerror{problem: "unexpected end of the event stream", problemMark: p.mark()})
	}
	return &p.current
}

func (p *yparser) getEvent() yevent {
	e := *p.peekEvent()
	p.hasCurrent = false
	return e
}

func (p *yparser) pushState(f ystate) { p.states = append(p.states, f) }

func (p *yparser) popState() ystate {
	f := p.states[len(p.states)-1]
	p.states = p.states[:len(p.states)-1]
	return f
}

func (p *yparser) popMark() {
	p.marks = p.marks[:len(p.marks)-1]
}

func (p *yparser) parseStreamStart() yevent {
	t := p.getToken()
	p.state = ysParseImplicitDocumentStart
	return yevent{kind: yeStreamStart, start: t.start, end: t.end}
}

func (p *yparser) parseImplicitDocumentStart() yevent {
	if !p.checkToken(ytDirective, ytDocumentStart, ytStreamEnd) {
		p.tagHandles = yDefaultTags
		t := p.peekToken()
		p.pushState(ysParseDocumentEnd)
		p.state = ysParseBlockNode
		return yevent{kind: yeDocumentStart, start: t.start, end: t.start}
	}
	return p.parseDocumentStart()
}

func (p *yparser) parseDocumentStart() yevent {
	for p.checkToken(ytDocumentEnd) {
		p.getToken()
	}
	if !p.checkToken(ytStreamEnd) {
		start := p.peekToken().start
		p.processDirectives()
		if !p.checkToken(ytDocumentStart) {
			t := p.peekToken()
			p.pfail("", nil, "expected '<document start>', but found "+yTokenRepr(t.kind), t.start)
		}
		t := p.getToken()
		p.pushState(ysParseDocumentEnd)
		p.state = ysParseDocumentContent
		return yevent{kind: yeDocumentStart, start: start, end: t.end}
	}
	t := p.getToken()
	p.state = ysNone
	return yevent{kind: yeStreamEnd, start: t.start, end: t.end}
}

func (p *yparser) parseDocumentEnd() yevent {
	t := p.peekToken()
	start, end := t.start, t.start
	if p.checkToken(ytDocumentEnd) {
		end = p.getToken().end
	}
	p.state = ysParseDocumentStart
	return yevent{kind: yeDocumentEnd, start: start, end: end}
}

func (p *yparser) parseDocumentContent() yevent {
	if p.checkToken(ytDirective, ytDocumentStart, ytDocumentEnd, ytStreamEnd) {
		e := p.processEmptyScalar(p.peekToken().start)
		p.state = p.popState()
		return e
	}
	return p.parseBlockNode()
}

func (p *yparser) processDirectives() {
	hasVersion := false
	p.tagHandles = map[string]string{}
	for p.checkToken(ytDirective) {
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
	for k, v := range yDefaultTags {
		if _, ok := p.tagHandles[k]; !ok {
			p.tagHandles[k] = v
		}
	}
}

func (p *yparser) parseBlockNode() yevent { return p.parseNode(true, false) }

func (p *yparser) parseFlowNode() yevent { return p.parseNode(false, false) }

func (p *yparser) parseBlockNodeOrIndentlessSequence() yevent { return p.parseNode(true, true) }

func (p *yparser) parseNode(block, indentlessSequence bool) yevent {
	if p.checkToken(ytAlias) {
		t := p.getToken()
		p.state = p.popState()
		return yevent{kind: yeAlias, anchor: t.value, start: t.start, end: t.end}
	}
	var e yevent
	var start, end, tagMark ymark
	hasStart := false
	var tagTok *ytoken
	if p.checkToken(ytAnchor) {
		t := p.getToken()
		start, end, hasStart = t.start, t.end, true
		e.anchor, e.anchorRng = t.value, [2]ymark{t.start, t.end}
		if p.checkToken(ytTag) {
			t := p.getToken()
			tagMark, end = t.start, t.end
			tagTok = &t
		}
	} else if p.checkToken(ytTag) {
		t := p.getToken()
		start, tagMark, end, hasStart = t.start, t.start, t.end, true
		tagTok = &t
		if p.checkToken(ytAnchor) {
			t := p.getToken()
			end = t.end
			e.anchor, e.anchorRng = t.value, [2]ymark{t.start, t.end}
		}
	}
	hasTag := tagTok != nil
	if hasTag {
		e.tagRng = [2]ymark{tagTok.start, tagTok.end}
		if tagTok.hasHandle {
			prefix, ok := p.tagHandles[tagTok.handle]
			if !ok {
				p.pfail("while parsing a node", yMarkPtr(start), "found undefined tag handle '"+tagTok.handle+"'", tagMark)
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
	if indentlessSequence && p.checkToken(ytBlockEntry) {
		e.kind, e.end = yeSequenceStart, p.peekToken().end
		e.implicit[0] = implicit
		p.state = ysParseIndentlessSequenceEntry
		return e
	}
	switch {
	case p.checkToken(ytScalar):
		t := p.getToken()
		e.kind, e.end, e.value, e.style = yeScalar, t.end, t.value, t.style
		switch {
		case (t.plain && !hasTag) || e.tag == "!":
			e.implicit = [2]bool{true, false}
		case !hasTag:
			e.implicit = [2]bool{false, true}
		}
		p.state = p.popState()
	case p.checkToken(ytFlowSequenceStart):
		e.kind, e.end, e.flow = yeSequenceStart, p.peekToken().end, true
		e.implicit[0] = implicit
		p.state = ysParseFlowSequenceFirstEntry
	case p.checkToken(ytFlowMappingStart):
		e.kind, e.end, e.flow = yeMappingStart, p.peekToken().end, true
		e.implicit[0] = implicit
		p.state = ysParseFlowMappingFirstKey
	case block && p.checkToken(ytBlockSequenceStart):
		e.kind, e.end = yeSequenceStart, p.peekToken().start
		e.implicit[0] = implicit
		p.state = ysParseBlockSequenceFirstEntry
	case block && p.checkToken(ytBlockMappingStart):
		e.kind, e.end = yeMappingStart, p.peekToken().start
		e.implicit[0] = implicit
		p.state = ysParseBlockMappingFirstKey
	case e.anchor != "" || hasTag:
		// An empty scalar with an anchor or a tag.
		e.kind, e.end = yeScalar, end
		e.implicit = [2]bool{implicit, false}
		p.state = p.popState()
	default:
		node := "flow"
		if block {
			node = "block"
		}
		t := p.peekToken()
		p.pfail("while parsing a "+node+" node", yMarkPtr(start),
			"expected the node content, but found "+yTokenRepr(t.kind), t.start)
	}
	return e
}

func (p *yparser) parseBlockSequenceFirstEntry() yevent {
	t := p.getToken()
	p.marks = append(p.marks, t.start)
	return p.parseBlockSequenceEntry()
}

func (p *yparser) parseBlockSequenceEntry() yevent {
	if p.checkToken(ytBlockEntry) {
		t := p.getToken()
		if !p.checkToken(ytBlockEntry, ytBlockEnd) {
			p.pushState(ysParseBlockSequenceEntry)
			return p.parseBlockNode()
		}
		p.state = ysParseBlockSequenceEntry
		return p.processEmptyScalar(t.end)
	}
	if !p.checkToken(ytBlockEnd) {
		t := p.peekToken()
		p.pfail("while parsing a block collection", yMarkPtr(p.marks[len(p.marks)-1]),
			"expected <block end>, but found "+yTokenRepr(t.kind), t.start)
	}
	t := p.getToken()
	p.state = p.popState()
	p.popMark()
	return yevent{kind: yeSequenceEnd, start: t.start, end: t.end}
}

func (p *yparser) parseIndentlessSequenceEntry() yevent {
	if p.checkToken(ytBlockEntry) {
		t := p.getToken()
		if !p.checkToken(ytBlockEntry, ytKey, ytValue, ytBlockEnd) {
			p.pushState(ysParseIndentlessSequenceEntry)
			return p.parseBlockNode()
		}
		p.state = ysParseIndentlessSequenceEntry
		return p.processEmptyScalar(t.end)
	}
	t := p.peekToken()
	p.state = p.popState()
	return yevent{kind: yeSequenceEnd, start: t.start, end: t.start}
}

func (p *yparser) parseBlockMappingFirstKey() yevent {
	t := p.getToken()
	p.marks = append(p.marks, t.start)
	return p.parseBlockMappingKey()
}

func (p *yparser) parseBlockMappingKey() yevent {
	if p.checkToken(ytKey) {
		t := p.getToken()
		if !p.checkToken(ytKey, ytValue, ytBlockEnd) {
			p.pushState(ysParseBlockMappingValue)
			return p.parseBlockNodeOrIndentlessSequence()
		}
		p.state = ysParseBlockMappingValue
		return p.processEmptyScalar(t.end)
	}
	if !p.checkToken(ytBlockEnd) {
		t := p.peekToken()
		p.pfail("while parsing a block mapping", yMarkPtr(p.marks[len(p.marks)-1]),
			"expected <block end>, but found "+yTokenRepr(t.kind), t.start)
	}
	t := p.getToken()
	p.state = p.popState()
	p.popMark()
	return yevent{kind: yeMappingEnd, start: t.start, end: t.end}
}

func (p *yparser) parseBlockMappingValue() yevent {
	if p.checkToken(ytValue) {
		t := p.getToken()
		if !p.checkToken(ytKey, ytValue, ytBlockEnd) {
			p.pushState(ysParseBlockMappingKey)
			return p.parseBlockNodeOrIndentlessSequence()
		}
		p.state = ysParseBlockMappingKey
		return p.processEmptyScalar(t.end)
	}
	p.state = ysParseBlockMappingKey
	return p.processEmptyScalar(p.peekToken().start)
}

func (p *yparser) parseFlowSequenceFirstEntry() yevent {
	t := p.getToken()
	p.marks = append(p.marks, t.start)
	return p.parseFlowSequenceEntry(true)
}

func (p *yparser) parseFlowSequenceEntryNext() yevent { return p.parseFlowSequenceEntry(false) }

func (p *yparser) parseFlowSequenceEntry(first bool) yevent {
	if !p.checkToken(ytFlowSequenceEnd) {
		if !first {
			if p.checkToken(ytFlowEntry) {
				p.getToken()
			} else {
				t := p.peekToken()
				p.pfail("while parsing a flow sequence", yMarkPtr(p.marks[len(p.marks)-1]),
					"expected ',' or ']', but got "+yTokenRepr(t.kind), t.start)
			}
		}
		if p.checkToken(ytKey) {
			t := p.peekToken()
			p.state = ysParseFlowSequenceEntryMappingKey
			return yevent{kind: yeMappingStart, start: t.start, end: t.end, implicit: [2]bool{true, false}, flow: true}
		} else if !p.checkToken(ytFlowSequenceEnd) {
			p.pushState(ysParseFlowSequenceEntryNext)
			return p.parseFlowNode()
		}
	}
	t := p.getToken()
	p.state = p.popState()
	p.popMark()
	return yevent{kind: yeSequenceEnd, start: t.start, end: t.end}
}

func (p *yparser) parseFlowSequenceEntryMappingKey() yevent {
	t := p.getToken()
	if !p.checkToken(ytValue, ytFlowEntry, ytFlowSequenceEnd) {
		p.pushState(ysParseFlowSequenceEntryMappingValue)
		return p.parseFlowNode()
	}
	p.state = ysParseFlowSequenceEntryMappingValue
	return p.processEmptyScalar(t.end)
}

func (p *yparser) parseFlowSequenceEntryMappingValue() yevent {
	if p.checkToken(ytValue) {
		t := p.getToken()
		if !p.checkToken(ytFlowEntry, ytFlowSequenceEnd) {
			p.pushState(ysParseFlowSequenceEntryMappingEnd)
			return p.parseFlowNode()
		}
		p.state = ysParseFlowSequenceEntryMappingEnd
		return p.processEmptyScalar(t.end)
	}
	p.state = ysParseFlowSequenceEntryMappingEnd
	return p.processEmptyScalar(p.peekToken().start)
}

func (p *yparser) parseFlowSequenceEntryMappingEnd() yevent {
	p.state = ysParseFlowSequenceEntryNext
	t := p.peekToken()
	return yevent{kind: yeMappingEnd, start: t.start, end: t.start}
}

func (p *yparser) parseFlowMappingFirstKey() yevent {
	t := p.getToken()
	p.marks = append(p.marks, t.start)
	return p.parseFlowMappingKey(true)
}

func (p *yparser) parseFlowMappingKeyNext() yevent { return p.parseFlowMappingKey(false) }

func (p *yparser) parseFlowMappingKey(first bool) yevent {
	if !p.checkToken(ytFlowMappingEnd) {
		if !first {
			if p.checkToken(ytFlowEntry) {
				p.getToken()
			} else {
				t := p.peekToken()
				p.pfail("while parsing a flow mapping", yMarkPtr(p.marks[len(p.marks)-1]),
					"expected ',' or '}', but got "+yTokenRepr(t.kind), t.start)
			}
		}
		if p.checkToken(ytKey) {
			t := p.getToken()
			if !p.checkToken(ytValue, ytFlowEntry, ytFlowMappingEnd) {
				p.pushState(ysParseFlowMappingValue)
				return p.parseFlowNode()
			}
			p.state = ysParseFlowMappingValue
			return p.processEmptyScalar(t.end)
		} else if !p.checkToken(ytFlowMappingEnd) {
			p.pushState(ysParseFlowMappingEmptyValue)
			return p.parseFlowNode()
		}
	}
	t := p.getToken()
	p.state = p.popState()
	p.popMark()
	return yevent{kind: yeMappingEnd, start: t.start, end: t.end}
}

func (p *yparser) parseFlowMappingValue() yevent {
	if p.checkToken(ytValue) {
		t := p.getToken()
		if !p.checkToken(ytFlowEntry, ytFlowMappingEnd) {
			p.pushState(ysParseFlowMappingKeyNext)
			return p.parseFlowNode()
		}
		p.state = ysParseFlowMappingKeyNext
		return p.processEmptyScalar(t.end)
	}
	p.state = ysParseFlowMappingKeyNext
	return p.processEmptyScalar(p.peekToken().start)
}

func (p *yparser) parseFlowMappingEmptyValue() yevent {
	p.state = ysParseFlowMappingKeyNext
	return p.processEmptyScalar(p.peekToken().start)
}

func (p *yparser) processEmptyScalar(m ymark) yevent {
	return yevent{kind: yeScalar, implicit: [2]bool{true, false}, start: m, end: m}
}
