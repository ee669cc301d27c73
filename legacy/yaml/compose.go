package yaml

import (
	"github.com/regc/regc/internal/lazy"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/regc/regc/internal/lazyre"
	"github.com/regc/regc/internal/spell"
	"github.com/regc/regc/lang"
)

// A port of PyYAML's composer (yaml/composer.py) and resolver
// (yaml/resolver.py): events to nodes, with implicit tags resolved by YAML
// 1.1's rules. Unlike PyYAML, an alias stays a node of its own, and anchor
// errors are collected rather than ending the reading.

// maxDepth bounds nesting. PyYAML's recursive composer fails far earlier,
// at Python's recursion limit.
const maxDepth = 1000

type composer struct {
	p       *parser
	doc     *document
	anchors map[string]*Node
	open    map[*Node]bool // collections being composed
	diags   lang.Diagnostics
	depth   int
	// undefined counts undefined aliases, to bound the suggestions.
	undefined int

	// nodes, items and pairs are slabs the tree is cut from: a few large
	// allocations rather than one per node
	nodes []Node
	items []*Node
	pairs []Pair
	// itemStack and pairStack hold the entries of the collections being
	// composed, so that each gets a slice of its exact length
	itemStack []*Node
	pairStack []Pair
}

func newComposer(p *parser, file string) *composer {
	return &composer{p: p, doc: &document{file: file}, anchors: map[string]*Node{}, open: map[*Node]bool{}}
}

func (c *composer) r() *reader { return c.p.reader }

// slabSize is the most nodes (items, pairs) one slab holds; the first
// slabs are smaller, for small files.
const slabSize = 1024

// newNode returns a node of the document, cut from the slab.
func (c *composer) newNode(kind Kind, start, end mark) *Node {
	if len(c.nodes) == cap(c.nodes) {
		c.nodes = make([]Node, 0, min(slabSize, 2*cap(c.nodes)+16))
	}
	c.nodes = c.nodes[:len(c.nodes)+1]
	n := &c.nodes[len(c.nodes)-1]
	n.Kind, n.doc = kind, c.doc
	n.id = c.doc.nodes
	c.doc.nodes++
	n.start, n.end = c.r().pos32(start), c.r().pos32(end)
	if end.index < start.index {
		n.end = n.start
	}
	return n
}

// take moves the entries on stack from base up into a slice of their
// own, of their exact length, cut from slab.
func take[T any](stack, slab *[]T, base int) []T {
	k := len(*stack) - base
	if k == 0 {
		return nil
	}
	if cap(*slab)-len(*slab) < k {
		*slab = make([]T, 0, max(k, min(slabSize, 2*cap(*slab)+16)))
	}
	l := len(*slab)
	out := (*slab)[l : l+k : l+k]
	*slab = (*slab)[:l+k]
	copy(out, (*stack)[base:])
	clear((*stack)[base:])
	*stack = (*stack)[:base]
	return out
}

// composeSingle is PyYAML's get_single_node: one document, or none.
func (c *composer) composeSingle() (root *Node, diags lang.Diagnostics) {
	defer func() {
		if x := recover(); x != nil {
			e, ok := x.(*markedError)
			if !ok {
				panic(x)
			}
			root = nil
			diags = append(c.diags, c.r().diag(e))
		}
	}()
	c.p.getEvent() // stream start
	var docStart mark
	if !c.p.checkEvent(evStreamEnd) {
		c.p.getEvent() // document start
		docStart = c.p.peekEvent().start
		root = c.composeNode()
		c.p.getEvent() // document end
		c.anchors = map[string]*Node{}
	}
	if !c.p.checkEvent(evStreamEnd) {
		e := c.p.getEvent()
		panic(&markedError{context: "expected a single document in the stream", contextMark: markPtr(docStart),
			problem: "but found another document", problemMark: e.start})
	}
	c.p.getEvent() // stream end
	if root == nil {
		root = c.newNode(Scalar, mark{}, mark{})
		root.tag = tagNull
	}
	return root, c.diags
}

func (c *composer) composeNode() *Node {
	r := c.r()
	if c.p.checkEvent(evAlias) {
		e := c.p.getEvent()
		n := c.newNode(Alias, e.start, e.end)
		n.Value = e.anchor
		target, ok := c.anchors[e.anchor]
		switch {
		case !ok:
			d := c.diags.Errorf(lang.CodeUndefinedAlias, n.Range(), "found undefined alias '%s'", e.anchor)
			c.undefined++
			if c.undefined > 100 || len(c.anchors) > 1000 {
				break // suggestions cost time; a file this broken needs none
			}
			if s := nearest(e.anchor, c.anchors); s != "" {
				d.Suggestion = "*" + s
				d.Message += " (did you mean '" + s + "'?)"
			}
		case c.open[target]:
			d := c.diags.Errorf(lang.CodeRecursiveAlias, n.Range(), "alias '%s' is inside the node its anchor names", e.anchor)
			d.Related = &lang.Related{Range: target.AnchorRange(), Message: "anchor defined here"}
		default:
			n.ext = &nodeExt{alias: target}
		}
		return n
	}
	e := c.p.peekEvent()
	if e.anchor != "" {
		if prev, ok := c.anchors[e.anchor]; ok {
			d := c.diags.Errorf(lang.CodeDuplicateAnchor, r.rng(e.start, e.anchorRng[1]), "found duplicate anchor '%s'", e.anchor)
			d.Related = &lang.Related{Range: prev.AnchorRange(), Message: "first occurrence"}
		}
	}
	c.depth++
	if c.depth > maxDepth {
		panic(&markedError{problem: "the document is nested too deeply", problemMark: e.start})
	}
	var n *Node
	switch e.kind {
	case evScalar:
		n = c.composeScalar()
	case evSequenceStart:
		n = c.composeSequence()
	case evMappingStart:
		n = c.composeMapping()
	default:
		panic(&markedError{problem: "unexpected event", problemMark: e.start})
	}
	c.depth--
	return n
}

// startNode makes the node of a start or scalar event, with its anchor and
// tag.
func (c *composer) startNode(e *event, kind Kind) *Node {
	r := c.r()
	n := c.newNode(kind, e.start, e.end)
	if kind != Scalar {
		n.ext = &nodeExt{}
	}
	if e.anchor != "" {
		x := n.setRare()
		x.anchor = e.anchor
		x.anchorStart, x.anchorEnd = r.pos32(e.anchorRng[0]), r.pos32(e.anchorRng[1])
		if e.anchorRng[1].index < e.anchorRng[0].index {
			x.anchorEnd = x.anchorStart
		}
		c.anchors[e.anchor] = n
	}
	if e.tag != "" && e.tag != "!" {
		n.flags |= flagTagged
		n.setTag(shortTag(e.tag))
	}
	if e.tag != "" {
		x := n.setRare()
		x.hasTag = true
		x.tagStart, x.tagEnd = r.pos32(e.tagRng[0]), r.pos32(e.tagRng[1])
		if e.tagRng[1].index < e.tagRng[0].index {
			x.tagEnd = x.tagStart
		}
	}
	return n
}

// setTag sets the node's tag from its "!!" form.
func (n *Node) setTag(short string) {
	n.tag = tagOf(short)
	if n.tag == tagOther {
		n.setRare().tagText = short
	}
}

func (c *composer) composeScalar() *Node {
	e := c.p.getEvent()
	n := c.startNode(&e, Scalar)
	n.Value = e.value
	switch e.style {
	case '\'':
		n.Style = SingleQuoted
	case '"':
		n.Style = DoubleQuoted
	case '|':
		n.Style = Literal
	case '>':
		n.Style = Folded
	}
	if !n.Tagged() {
		n.tag = resolveScalar(e.value, e.implicit[0])
	}
	return n
}

func (c *composer) composeSequence() *Node {
	e := c.p.getEvent()
	n := c.startNode(&e, Sequence)
	n.Style = Block
	if e.flow {
		n.Style = Flow
	}
	if !n.Tagged() {
		n.tag = tagSeq
	}
	anchored := n.Anchor() != ""
	if anchored { // only an anchored node can be an alias's target
		c.open[n] = true
	}
	base := len(c.itemStack)
	for !c.p.checkEvent(evSequenceEnd) {
		it := c.composeNode()
		c.itemStack = append(c.itemStack, it)
	}
	n.ext.items = take(&c.itemStack, &c.items, base)
	if anchored {
		delete(c.open, n)
	}
	end := c.p.getEvent()
	c.finish(n, &e, &end)
	return n
}

func (c *composer) composeMapping() *Node {
	e := c.p.getEvent()
	n := c.startNode(&e, Mapping)
	n.Style = Block
	if e.flow {
		n.Style = Flow
	}
	if !n.Tagged() {
		n.tag = tagMap
	}
	anchored := n.Anchor() != ""
	if anchored { // only an anchored node can be an alias's target
		c.open[n] = true
	}
	base := len(c.pairStack)
	for !c.p.checkEvent(evMappingEnd) {
		k := c.composeNode()
		v := c.composeNode()
		c.pairStack = append(c.pairStack, Pair{Key: k, Value: v})
	}
	n.ext.pairs = take(&c.pairStack, &c.pairs, base)
	if anchored {
		delete(c.open, n)
	}
	end := c.p.getEvent()
	c.finish(n, &e, &end)
	return n
}

// finish sets a collection's end: its closing bracket in flow style, the end
// of its last entry in block style (PyYAML's block end lies at the next
// token, often lines later).
func (c *composer) finish(n *Node, start, end *event) {
	if start.flow {
		n.end = c.r().pos32(end.end)
		return
	}
	var last *Node
	if items := n.ext.items; len(items) > 0 {
		last = items[len(items)-1]
	}
	if pairs := n.ext.pairs; len(pairs) > 0 {
		p := pairs[len(pairs)-1]
		last = p.Value
		if p.Value.end.off < p.Key.end.off {
			last = p.Key
		}
	}
	if last != nil && last.end.off > n.end.off {
		n.end = last.end
	}
}

// shortTag writes the YAML tag prefix as "!!".
func shortTag(tag string) string {
	if rest, ok := strings.CutPrefix(tag, "tag:yaml.org,2002:"); ok {
		return "!!" + rest
	}
	return tag
}

// PyYAML's implicit resolvers, by first character, in PyYAML's order.
var (
	boolRe = lazyre.New(`^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$`)
	// Note: no exponent without a sign, no exponent without a dot, no sign
	// before ".5"; these are strings in YAML 1.1 as PyYAML reads it.
	floatRe = lazyre.New(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?` +
		`|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?` +
		`|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*` +
		`|[-+]?\.(?:inf|Inf|INF)` +
		`|\.(?:nan|NaN|NAN))$`)
	intRe = lazyre.New(`^(?:[-+]?0b[0-1_]+` +
		`|[-+]?0[0-7_]+` +
		`|[-+]?(?:0|[1-9][0-9_]*)` +
		`|[-+]?0x[0-9a-fA-F_]+` +
		`|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$`)
	mergeRe     = lazyre.New(`^(?:<<)$`)
	nullRe      = lazyre.New(`^(?:~|null|Null|NULL|)$`)
	timestampRe = lazyre.New(`^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]` +
		`|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?` +
		`(?:[Tt]|[ \t]+)[0-9][0-9]?` +
		`:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?` +
		`(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$`)
	valueRe = lazyre.New(`^(?:=)$`)
)

type implicitResolver struct {
	tag tagID
	re  *lazyre.Regexp
}

var implicitResolvers = lazy.Value[map[rune][]implicitResolver]{Build: func() map[rune][]implicitResolver {
	m := map[rune][]implicitResolver{}
	add := func(tag tagID, re *lazyre.Regexp, first string) {
		for _, c := range first {
			m[c] = append(m[c], implicitResolver{tag, re})
		}
	}
	add(tagBool, boolRe, "yYnNtTfFoO")
	add(tagFloat, floatRe, "-+0123456789.")
	add(tagInt, intRe, "-+0123456789")
	add(tagMerge, mergeRe, "<")
	add(tagNull, nullRe, "~nN")
	add(tagTimestamp, timestampRe, "0123456789")
	add(tagValue, valueRe, "=")
	return m
}}

// pyMatch is Python's re.match for a pattern ending in '$', which also
// matches before a final newline.
func pyMatch(re *regexp.Regexp, s string) bool {
	if re.MatchString(s) {
		return true
	}
	if t, ok := strings.CutSuffix(s, "\n"); ok {
		return re.MatchString(t)
	}
	return false
}

// resolveScalar is PyYAML's Resolver.resolve for a scalar.
func resolveScalar(value string, implicit bool) tagID {
	if implicit {
		if value == "" {
			return tagNull
		}
		first, _ := utf8.DecodeRuneInString(value)
		for _, res := range implicitResolvers.Get()[first] {
			if pyMatch(res.re.Re(), value) {
				return res.tag
			}
		}
	}
	return tagStr
}

// nearest returns the anchor name closest to name, if one is close enough
// to be a likely typo: at most a third of its length in edits.
func nearest(name string, anchors map[string]*Node) string {
	names := make([]string, 0, len(anchors))
	for a := range anchors {
		names = append(names, a)
	}
	return spell.NearestCased(name, names, len(name)/3)
}
