package yaml

import (
	"strings"

	"github.com/regc/regc/lang"
	yamlv3 "gopkg.in/yaml.v3"
)

// Kind says what a Node is.
type Kind int

// The kinds of YAML nodes.
const (
	Scalar   Kind = iota // a scalar: Value holds its content
	Sequence             // a sequence: Items
	Mapping              // a mapping: Pairs
	Alias                // an alias: Value names the anchor, Alias is its node
)

// String names the kind: "scalar", "sequence", "mapping" or "alias".
func (k Kind) String() string {
	switch k {
	case Scalar:
		return "scalar"
	case Sequence:
		return "sequence"
	case Mapping:
		return "mapping"
	default:
		return "alias"
	}
}

// Style is how a node was written.
type Style int

// The styles. Collections are either block or flow; scalars are plain,
// quoted, literal (`|`) or folded (`>`).
const (
	Plain        Style = iota // a plain scalar
	SingleQuoted              // 'quoted'
	DoubleQuoted              // "quoted"
	Literal                   // |
	Folded                    // >
	Block                     // a block collection (indented lines)
	Flow                      // a flow collection ([...] or {...})
)

// Node is one node of a legacy regimen.yml as written: PyYAML's node
// graph, with aliases kept as nodes of their own and merge keys kept where
// they were written.
type Node struct {
	Kind  Kind
	Style Style

	// Tag is the tag PyYAML resolves for the node, with the prefix
	// "tag:yaml.org,2002:" written "!!": "!!str", "!!int", "!!float",
	// "!!bool", "!!null", "!!timestamp", "!!merge", "!!map", "!!seq", ...
	// An explicit local tag stays as written ("!foo"). Empty on aliases.
	Tag string
	// Tagged reports whether the tag was written explicitly (other than the
	// non-specific "!"); TagRange says where.
	Tagged   bool
	TagRange lang.Range

	// Value is the content of a scalar (escapes and folding applied) and, on
	// an alias, the name of the anchor it refers to.
	Value string

	// Anchor is the name of the anchor this node defines, without '&';
	// AnchorRange is where `&name` is written.
	Anchor      string
	AnchorRange lang.Range

	// Alias is, on an alias, the node its anchor names: nil when the anchor
	// is undefined.
	Alias *Node

	// Items are a sequence's entries; Pairs a mapping's entries, in written
	// order, duplicates and merge keys included.
	Items []*Node
	Pairs []Pair

	// Range is the node as written, its anchor and tag included. A block
	// collection ends where its last entry ends; an empty scalar is empty.
	Range lang.Range

	// The comments yaml.v3 attaches to the node, each line with its '#'.
	// The root also carries the document's head and foot comments.
	HeadComment, LineComment, FootComment string

	cons consCache // the constructed value, filled by Read
}

// Pair is one entry of a mapping.
type Pair struct {
	Key, Value *Node
}

// Target returns the node an alias refers to, following aliases; n itself
// when it is not an alias, nil when an alias is undefined.
func (n *Node) Target() *Node {
	for i := 0; n != nil && n.Kind == Alias; i++ {
		if i > 1000 {
			return nil
		}
		n = n.Alias
	}
	return n
}

// IsMergeKey reports whether n, a mapping key, is the merge key `<<`.
func (n *Node) IsMergeKey() bool {
	t := n.Target()
	return t != nil && t.Kind == Scalar && t.Tag == "!!merge"
}

// IsNull reports whether n is a scalar that PyYAML reads as None.
func (n *Node) IsNull() bool {
	t := n.Target()
	return t != nil && t.Kind == Scalar && t.Tag == "!!null"
}

// Get returns the value node of the mapping entry whose key is the string
// key, as PyYAML resolves it: merged entries included, explicit entries
// winning over merged ones and later ones over earlier ones. It returns nil
// when n is not a mapping or has no such key.
func (n *Node) Get(key string) *Node {
	for _, e := range n.Entries() {
		if s, ok := e.KeyValue.(string); ok && s == key {
			return e.Value
		}
	}
	return nil
}

// Entry is one entry of a mapping's effective content (see Entries).
type Entry struct {
	// Key and Value are the nodes of the pair whose value PyYAML keeps.
	Key, Value *Node
	// KeyValue is the key as PyYAML constructs it.
	KeyValue any
	// Merged reports whether the entry comes from a merge key.
	Merged bool
	// Shadowed are earlier explicit pairs with an equal key, whose values
	// PyYAML drops.
	Shadowed []Pair
}

// Entries returns the effective entries of a mapping as PyYAML constructs
// it: merge keys applied (explicit keys win over merged ones; in
// `<<: [*a, *b]` the earlier map wins; nested merges flattened), a key given
// twice keeping its first place and its later value. It returns nil when n is
// not a mapping. Keys whose construction fails are left out.
func (n *Node) Entries() []Entry {
	t := n.Target()
	if t == nil || t.Kind != Mapping {
		return nil
	}
	if !t.cons.flattened {
		newConstructor().flatten(t)
	}
	flat := t.cons.flat
	out := make([]Entry, len(flat))
	for i, e := range flat {
		out[i] = Entry{Key: e.key, Value: e.value, KeyValue: e.keyVal, Merged: e.merged, Shadowed: e.shadowed}
	}
	return out
}

// Read reads a legacy regimen.yml as PyYAML's yaml.safe_load does and
// returns its root node with every diagnostic: syntax errors at PyYAML's
// position, duplicate and undefined anchors, values PyYAML cannot construct,
// and a duplicate-key warning for every key written twice in one mapping. The
// node is nil when the file could not be parsed; an empty file gives a null
// scalar. Whether the document is a mapping is for the caller to check.
// The nodes carry the file's comments (for the importer).
func Read(filename string, src []byte) (root *Node, diags lang.Diagnostics) {
	return read(filename, src, true)
}

// ReadValues is Read without the comments: what a build needs. Finding the
// comments parses the file a second time (with yaml.v3), which was two
// fifths of reading a large file.
func ReadValues(filename string, src []byte) (root *Node, diags lang.Diagnostics) {
	return read(filename, src, false)
}

func read(filename string, src []byte, comments bool) (root *Node, diags lang.Diagnostics) {
	defer func() {
		if r := recover(); r != nil {
			root = nil
			diags = append(diags, lang.Diagnostic{
				Code: lang.CodeInternal, Severity: lang.Error,
				Range:   lang.Range{File: filename, Start: lang.Pos{Line: 1, Column: 1}, End: lang.Pos{Line: 1, Column: 1}},
				Message: "internal error while reading yaml: " + strings.ToLower(strings.TrimSpace(panicText(r))),
			})
		}
	}()
	var comm func() *yamlv3.Node
	if comments {
		comm = commentTree(src)
		// wait on every path, so that no parse outlives the read
		defer func() {
			if doc := comm(); root != nil {
				attachComments(root, doc)
			}
		}()
	}
	rd, d := newReader(filename, src)
	if d != nil {
		return nil, lang.Diagnostics{*d}
	}
	p := newParser(rd)
	comp := &composer{p: p, anchors: map[string]*Node{}, open: map[*Node]bool{}}
	root, diags = comp.composeSingle()
	if root == nil {
		return nil, diags
	}
	c := newConstructor()
	c.construct(root)
	diags = append(diags, c.diags...)
	return root, diags
}

// Construct returns the node's content as PyYAML's safe_load constructs it.
// Read constructs every node once and reports what fails (values
// PyYAML cannot construct, duplicate keys); the tree is then safe to read
// from several goroutines. The value is made of these Go types:
//
//	nil            null
//	bool           bool
//	*big.Int       int (decimal, 0x, 0b, leading-0 octal, sexagesimal 1:30)
//	float64        float (.inf, .nan, sexagesimal 1:30.5)
//	string         str, and anything that resolves to nothing else
//	[]byte         !!binary
//	Timestamp  !!timestamp (2018-05-01, 2018-05-01 10:00:00)
//	[]any          sequence; !!omap and !!pairs as a list of [key, value] lists
//	*Map       mapping, in PyYAML's key order, merges applied
//	*Set       !!set
//
// A part that cannot be constructed is nil. Aliases share their value, and
// values are shared with the tree: do not modify them. On a tree not made by
// Read, the first call constructs and caches.
func (n *Node) Construct() any {
	v, _ := newConstructor().construct(n)
	return v
}
