package yaml

import (
	"regexp"
	"strings"
	"sync"
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
	anchors map[string]*Node
	open    map[*Node]bool // collections being composed
	diags   lang.Diagnostics
	depth   int
	// undefined counts undefined aliases, to bound the suggestions.
	undefined int
}

func (c *composer) r() *reader { return c.p.reader }

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
		root = &Node{Kind: Scalar, Tag: "!!null", Range: c.r().rng(mark{}, mark{})}
	}
	return root, c.diags
}

func (c *composer) composeNode() *Node {
	r := c.r()
	if c.p.checkEvent(evAlias) {
		e := c.p.getEvent()
		n := &Node{Kind: Alias, Value: e.anchor, Range: r.rng(e.start, e.end)}
		target, ok := c.anchors[e.anchor]
		switch {
		case !ok:
			d := c.diags.Errorf(lang.CodeUndefinedAlias, n.Range, "found undefined alias '%s'", e.anchor)
			c.undefined++
			if c.undefined > 100 || len(c.anchors) > 1000 {
				break // suggestions cost time; a file this broken needs none
			}
			if s := nearest(e.anchor, c.anchors); s != "" {
				d.Suggestion = "*" + s
				d.Message += " (did you mean '" + s + "'?)"
			}
		case c.open[target]:
			d := c.diags.Errorf(lang.CodeRecursiveAlias, n.Range, "alias '%s' is inside the node its anchor names", e.anchor)
			d.Related = &lang.Related{Range: target.AnchorRange, Message: "anchor defined here"}
		default:
			n.Alias = target
		}
		return n
	}
	e := c.p.peekEvent()
	if e.anchor != "" {
		if prev, ok := c.anchors[e.anchor]; ok {
			d := c.diags.Errorf(lang.CodeDuplicateAnchor, r.rng(e.start, e.anchorRng[1]), "found duplicate anchor '%s'", e.anchor)
			d.Related = &lang.Related{Range: prev.AnchorRange, Message: "first occurrence"}
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

// startNode makes the node of a start or scalar event, with its anchor and tag.
func (c *composer) startNode(e event, kind Kind) *Node {
	r := c.r()
	n := &Node{Kind: kind, Range: r.rng(e.start, e.end)}
	if e.anchor != "" {
		n.Anchor = e.anchor
		n.AnchorRange = r.rng(e.anchorRng[0], e.anchorRng[1])
		c.anchors[e.anchor] = n
	}
	if e.tag != "" && e.tag != "!" {
		n.Tagged = true
		n.Tag = shortTag(e.tag)
	}
	if e.tag != "" {
		n.TagRange = r.rng(e.tagRng[0], e.tagRng[1])
	}
	return n
}

func (c *composer) composeScalar() *Node {
	e := c.p.getEvent()
	n := c.startNode(e, Scalar)
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
	if !n.Tagged {
		n.Tag = shortTag(resolveScalar(e.value, e.implicit[0]))
	}
	return n
}

func (c *composer) composeSequence() *Node {
	e := c.p.getEvent()
	n := c.startNode(e, Sequence)
	n.Style = Block
	if e.flow {
		n.Style = Flow
	}
	if !n.Tagged {
		n.Tag = "!!seq"
	}
	if n.Anchor != "" { // only an anchored node can be an alias's target
		c.open[n] = true
	}
	for !c.p.checkEvent(evSequenceEnd) {
		n.Items = append(n.Items, c.composeNode())
	}
	if n.Anchor != "" {
		delete(c.open, n)
	}
	end := c.p.getEvent()
	c.finish(n, e, end)
	return n
}

func (c *composer) composeMapping() *Node {
	e := c.p.getEvent()
	n := c.startNode(e, Mapping)
	n.Style = Block
	if e.flow {
		n.Style = Flow
	}
	if !n.Tagged {
		n.Tag = "!!map"
	}
	if n.Anchor != "" { // only an anchored node can be an alias's target
		c.open[n] = true
	}
	for !c.p.checkEvent(evMappingEnd) {
		k := c.composeNode()
		v := c.composeNode()
		n.Pairs = append(n.Pairs, Pair{Key: k, Value: v})
	}
	if n.Anchor != "" {
		delete(c.open, n)
	}
	end := c.p.getEvent()
	c.finish(n, e, end)
	return n
}

// finish sets a collection's end: its closing bracket in flow style, the end
// of its last entry in block style (PyYAML's block end lies at the next
// token, often lines later).
func (c *composer) finish(n *Node, start, end event) {
	if start.flow {
		n.Range.End = c.r().pos(end.end)
		return
	}
	var last *Node
	if len(n.Items) > 0 {
		last = n.Items[len(n.Items)-1]
	}
	if len(n.Pairs) > 0 {
		p := n.Pairs[len(n.Pairs)-1]
		last = p.Value
		if p.Value.Range.End.Offset < p.Key.Range.End.Offset {
			last = p.Key
		}
	}
	if last != nil && last.Range.End.Offset > n.Range.End.Offset {
		n.Range.End = last.Range.End
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
	tag string
	re  func() *regexp.Regexp
}

var implicitResolvers = sync.OnceValue(func() map[rune][]implicitResolver {
	m := map[rune][]implicitResolver{}
	add := func(tag string, re func() *regexp.Regexp, first string) {
		for _, c := range first {
			m[c] = append(m[c], implicitResolver{tag, re})
		}
	}
	add("tag:yaml.org,2002:bool", boolRe, "yYnNtTfFoO")
	add("tag:yaml.org,2002:float", floatRe, "-+0123456789.")
	add("tag:yaml.org,2002:int", intRe, "-+0123456789")
	add("tag:yaml.org,2002:merge", mergeRe, "<")
	add("tag:yaml.org,2002:null", nullRe, "~nN")
	add("tag:yaml.org,2002:timestamp", timestampRe, "0123456789")
	add("tag:yaml.org,2002:value", valueRe, "=")
	return m
})

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
func resolveScalar(value string, implicit bool) string {
	if implicit {
		if value == "" {
			return "tag:yaml.org,2002:null"
		}
		first, _ := utf8.DecodeRuneInString(value)
		for _, res := range implicitResolvers()[first] {
			if pyMatch(res.re(), value) {
				return res.tag
			}
		}
	}
	return "tag:yaml.org,2002:str"
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
