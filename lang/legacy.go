package lang

// The legacy reader: regimen.yml files as mtrain's own tools read them, with
// PyYAML's yaml.safe_load (YAML 1.1). The scanner, parser and composer in the
// legacy_*.go files are a port of PyYAML's pure-Python loader, so a file is
// accepted or rejected exactly as PyYAML does, and a rejected file gets
// PyYAML's problem and context positions. Unlike PyYAML, the reader keeps
// what `regc import` needs to write readable source: anchors, aliases, merge
// keys as written, key order, every node's range, and comments.
//
// PyYAML is MIT-licensed, copyright Ingy döt Net and Kirill Simonov; its
// behaviour (which positions an error gets, which scalars are ints) is the
// specification this reader is held to.

import (
	"strings"
)

// YAMLKind says what a YAMLNode is.
type YAMLKind int

// The kinds of YAML nodes.
const (
	YAMLScalar   YAMLKind = iota // a scalar: Value holds its content
	YAMLSequence                 // a sequence: Items
	YAMLMapping                  // a mapping: Pairs
	YAMLAlias                    // an alias: Value names the anchor, Alias is its node
)

// String names the kind: "scalar", "sequence", "mapping" or "alias".
func (k YAMLKind) String() string {
	switch k {
	case YAMLScalar:
		return "scalar"
	case YAMLSequence:
		return "sequence"
	case YAMLMapping:
		return "mapping"
	default:
		return "alias"
	}
}

// YAMLStyle is how a node was written.
type YAMLStyle int

// The styles. Collections are either block or flow; scalars are plain,
// quoted, literal (`|`) or folded (`>`).
const (
	YAMLPlain        YAMLStyle = iota // a plain scalar
	YAMLSingleQuoted                  // 'quoted'
	YAMLDoubleQuoted                  // "quoted"
	YAMLLiteral                       // |
	YAMLFolded                        // >
	YAMLBlock                         // a block collection (indented lines)
	YAMLFlow                          // a flow collection ([...] or {...})
)

// YAMLNode is one node of a legacy regimen.yml as written: PyYAML's node
// graph, with aliases kept as nodes of their own and merge keys kept where
// they were written.
type YAMLNode struct {
	Kind  YAMLKind
	Style YAMLStyle

	// Tag is the tag PyYAML resolves for the node, with the prefix
	// "tag:yaml.org,2002:" written "!!": "!!str", "!!int", "!!float",
	// "!!bool", "!!null", "!!timestamp", "!!merge", "!!map", "!!seq", ...
	// An explicit local tag stays as written ("!foo"). Empty on aliases.
	Tag string
	// Tagged reports whether the tag was written explicitly (other than the
	// non-specific "!"); TagRange says where.
	Tagged   bool
	TagRange Range

	// Value is the content of a scalar (escapes and folding applied) and, on
	// an alias, the name of the anchor it refers to.
	Value string

	// Anchor is the name of the anchor this node defines, without '&';
	// AnchorRange is where `&name` is written.
	Anchor      string
	AnchorRange Range

	// Alias is, on an alias, the node its anchor names: nil when the anchor
	// is undefined.
	Alias *YAMLNode

	// Items are a sequence's entries; Pairs a mapping's entries, in written
	// order, duplicates and merge keys included.
	Items []*YAMLNode
	Pairs []YAMLPair

	// Range is the node as written, its anchor and tag included. A block
	// collection ends where its last entry ends; an empty scalar is empty.
	Range Range

	// The comments yaml.v3 attaches to the node, each line with its '#'.
	// The root also carries the document's head and foot comments.
	HeadComment, LineComment, FootComment string

	cons yconsCache // the constructed value, filled by ReadLegacy
}

// YAMLPair is one entry of a mapping.
type YAMLPair struct {
	Key, Value *YAMLNode
}

// Target returns the node an alias refers to, following aliases; n itself
// when it is not an alias, nil when an alias is undefined.
func (n *YAMLNode) Target() *YAMLNode {
	for i := 0; n != nil && n.Kind == YAMLAlias; i++ {
		if i > 1000 {
			return nil
		}
		n = n.Alias
	}
	return n
}

// IsMergeKey reports whether n, a mapping key, is the merge key `<<`.
func (n *YAMLNode) IsMergeKey() bool {
	t := n.Target()
	return t != nil && t.Kind == YAMLScalar && t.Tag == "!!merge"
}

// IsNull reports whether n is a scalar that PyYAML reads as None.
func (n *YAMLNode) IsNull() bool {
	t := n.Target()
	return t != nil && t.Kind == YAMLScalar && t.Tag == "!!null"
}

// Get returns the value node of the mapping entry whose key is the string
// key, as PyYAML resolves it: merged entries included, explicit entries
// winning over merged ones and later ones over earlier ones. It returns nil
// when n is not a mapping or has no such key.
func (n *YAMLNode) Get(key string) *YAMLNode {
	for _, e := range n.Entries() {
		if s, ok := e.KeyValue.(string); ok && s == key {
			return e.Value
		}
	}
	return nil
}

// YAMLEntry is one entry of a mapping's effective content (see Entries).
type YAMLEntry struct {
	// Key and Value are the nodes of the pair whose value PyYAML keeps.
	Key, Value *YAMLNode
	// KeyValue is the key as PyYAML constructs it.
	KeyValue any
	// Merged reports whether the entry comes from a merge key.
	Merged bool
	// Shadowed are earlier explicit pairs with an equal key, whose values
	// PyYAML drops.
	Shadowed []YAMLPair
}

// Entries returns the effective entries of a mapping as PyYAML constructs
// it: merge keys applied (explicit keys win over merged ones; in
// `<<: [*a, *b]` the earlier map wins; nested merges flattened), a key given
// twice keeping its first place and its later value. It returns nil when n is
// not a mapping. Keys whose construction fails are left out.
func (n *YAMLNode) Entries() []YAMLEntry {
	t := n.Target()
	if t == nil || t.Kind != YAMLMapping {
		return nil
	}
	if !t.cons.flattened {
		newYConstructor().flatten(t)
	}
	flat := t.cons.flat
	out := make([]YAMLEntry, len(flat))
	for i, e := range flat {
		out[i] = YAMLEntry{Key: e.key, Value: e.value, KeyValue: e.keyVal, Merged: e.merged, Shadowed: e.shadowed}
	}
	return out
}

// ReadLegacy reads a legacy regimen.yml as PyYAML's yaml.safe_load does and
// returns its root node with every diagnostic: syntax errors at PyYAML's
// position, duplicate and undefined anchors, values PyYAML cannot construct,
// and a duplicate-key warning for every key written twice in one mapping. The
// node is nil when the file could not be parsed; an empty file gives a null
// scalar. Whether the document is a mapping is for the caller to check.
func ReadLegacy(filename string, src []byte) (root *YAMLNode, diags Diagnostics) {
	defer func() {
		if r := recover(); r != nil {
			root = nil
			diags = append(diags, Diagnostic{
				Code: CodeInternal, Severity: Error,
				Range:   Range{File: filename, Start: Pos{Line: 1, Column: 1}, End: Pos{Line: 1, Column: 1}},
				Message: "internal error while reading yaml: " + strings.ToLower(strings.TrimSpace(yPanicText(r))),
			})
		}
	}()
	rd, d := newYReader(filename, src)
	if d != nil {
		return nil, Diagnostics{*d}
	}
	p := newYParser(rd)
	comp := &ycomposer{p: p, anchors: map[string]*YAMLNode{}, open: map[*YAMLNode]bool{}}
	root, diags = comp.composeSingle()
	if root == nil {
		return nil, diags
	}
	c := newYConstructor()
	c.construct(root)
	diags = append(diags, c.diags...)
	yAttachComments(root, src)
	return root, diags
}

// Construct returns the node's content as PyYAML's safe_load constructs it.
// ReadLegacy constructs every node once and reports what fails (values
// PyYAML cannot construct, duplicate keys); the tree is then safe to read
// from several goroutines. The value is made of these Go types:
//
//	nil            null
//	bool           bool
//	*big.Int       int (decimal, 0x, 0b, leading-0 octal, sexagesimal 1:30)
//	float64        float (.inf, .nan, sexagesimal 1:30.5)
//	string         str, and anything that resolves to nothing else
//	[]byte         !!binary
//	YAMLTimestamp  !!timestamp (2018-05-01, 2018-05-01 10:00:00)
//	[]any          sequence; !!omap and !!pairs as a list of [key, value] lists
//	*YAMLMap       mapping, in PyYAML's key order, merges applied
//	*YAMLSet       !!set
//
// A part that cannot be constructed is nil. Aliases share their value, and
// values are shared with the tree: do not modify them. On a tree not made by
// ReadLegacy, the first call constructs and caches.
func (n *YAMLNode) Construct() any {
	v, _ := newYConstructor().construct(n)
	return v
}
