package yaml

import (
	"strings"

	"github.com/regc/regc/lang"
	yamlv3 "gopkg.in/yaml.v3"
)

// Kind says what a Node is.
type Kind uint8

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
type Style uint8

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
//
// A file of 10,000 stages has some 300,000 nodes, so a node is kept small
// (64 bytes): its positions as 32-bit numbers, its tag as a number, and
// what few nodes have (children, an alias's target, an anchor, an explicit
// tag's text and place, comments) behind one pointer.
type Node struct {
	Kind  Kind
	Style Style
	tag   tagID
	flags uint8

	// start and end of the node as written (see Range)
	start, end pos
	// id numbers the document's nodes from 0 in the order they were read
	// (see ID); it sits in what would be padding
	id int32

	// Value is the content of a scalar (escapes and folding applied) and, on
	// an alias, the name of the anchor it refers to.
	Value string

	doc *document
	ext *nodeExt // nil on a scalar with no anchor, tag or comments
}

// pos is a lang.Pos in 32 bits a field (the reader refuses larger files).
type pos struct{ off, line, col int32 }

func (p pos) langPos() lang.Pos {
	return lang.Pos{Line: int(p.line), Column: int(p.col), Offset: int(p.off)}
}

// document is what the nodes of one file share.
type document struct {
	file  string
	nodes int32 // the nodes read so far
}

// nodeExt is what a collection, an alias or a rarer scalar has.
type nodeExt struct {
	alias *Node   // an alias's target
	items []*Node // a sequence's entries
	pairs []Pair  // a mapping's entries as written
	flat  []Entry // a mapping's effective entries, once flattened
	rare  *nodeRare
}

// nodeRare is what few nodes have: an anchor, a tag written out, comments.
type nodeRare struct {
	anchor                 string
	anchorStart, anchorEnd pos
	hasTag                 bool   // a tag was written (maybe the non-specific "!")
	tagText                string // the tag, when tag is tagOther
	tagStart, tagEnd       pos
	head, line, foot       string
}

// node flags
const (
	flagTagged    uint8 = 1 << iota // the tag was written, other than "!"
	flagChecked                     // constructed once by Read
	flagOK                          // ... successfully
	flagActive                      // being constructed (a cycle guard)
	flagFlattened                   // ext.flat is set
)

// tagID is a tag PyYAML resolves, as a number; tagOther keeps its text.
type tagID uint8

const (
	tagNone tagID = iota // an alias
	tagStr
	tagInt
	tagFloat
	tagBool
	tagNull
	tagTimestamp
	tagMerge
	tagValue
	tagMap
	tagSeq
	tagSet
	tagOmap
	tagPairs
	tagBinary
	tagOther
)

var tagNames = [...]string{
	tagNone: "", tagStr: "!!str", tagInt: "!!int", tagFloat: "!!float", tagBool: "!!bool",
	tagNull: "!!null", tagTimestamp: "!!timestamp", tagMerge: "!!merge", tagValue: "!!value",
	tagMap: "!!map", tagSeq: "!!seq", tagSet: "!!set", tagOmap: "!!omap", tagPairs: "!!pairs",
	tagBinary: "!!binary",
}

// tagOf returns the number of a tag written with the "!!" prefix, and
// tagOther for any other.
func tagOf(short string) tagID {
	if strings.HasPrefix(short, "!!") {
		for id, s := range tagNames {
			if s == short {
				return tagID(id)
			}
		}
	}
	return tagOther
}

// Tag is the tag PyYAML resolves for the node, with the prefix
// "tag:yaml.org,2002:" written "!!": "!!str", "!!int", "!!float",
// "!!bool", "!!null", "!!timestamp", "!!merge", "!!map", "!!seq", ...
// An explicit local tag stays as written ("!foo"). Empty on aliases.
func (n *Node) Tag() string {
	if n.tag == tagOther {
		return n.ext.rare.tagText
	}
	return tagNames[n.tag]
}

// Tagged reports whether the tag was written explicitly (other than the
// non-specific "!"); TagRange says where.
func (n *Node) Tagged() bool { return n.flags&flagTagged != 0 }

// TagRange is where the node's tag is written (the non-specific "!"
// included); the zero Range when none is.
func (n *Node) TagRange() lang.Range {
	if r := n.rare(); r != nil && r.hasTag {
		return n.rng(r.tagStart, r.tagEnd)
	}
	return lang.Range{}
}

// Anchor is the name of the anchor this node defines, without '&'.
func (n *Node) Anchor() string {
	if r := n.rare(); r != nil {
		return r.anchor
	}
	return ""
}

// AnchorRange is where `&name` is written; the zero Range when the node
// defines no anchor.
func (n *Node) AnchorRange() lang.Range {
	if r := n.rare(); r != nil && r.anchor != "" {
		return n.rng(r.anchorStart, r.anchorEnd)
	}
	return lang.Range{}
}

// Alias is, on an alias, the node its anchor names: nil when the anchor
// is undefined (and on any other node).
func (n *Node) Alias() *Node {
	if n.ext == nil {
		return nil
	}
	return n.ext.alias
}

// Items are a sequence's entries. Do not modify them.
func (n *Node) Items() []*Node {
	if n.ext == nil {
		return nil
	}
	return n.ext.items
}

// Pairs are a mapping's entries, in written order, duplicates and merge
// keys included. Do not modify them.
func (n *Node) Pairs() []Pair {
	if n.ext == nil {
		return nil
	}
	return n.ext.pairs
}

// ID numbers the nodes of one document from 0, in the order they were
// read, and Nodes is how many it has: a table of one value a node is a
// slice indexed by ID, which a large file's millions of nodes reach far
// faster than a map keyed by the node.
func (n *Node) ID() int { return int(n.id) }

// Nodes is the number of nodes of the node's document once it is read
// (each has an ID below it); 0 for nil.
func (n *Node) Nodes() int {
	if n == nil || n.doc == nil {
		return 0
	}
	return int(n.doc.nodes)
}

// Range is the node as written, its anchor and tag included. A block
// collection ends where its last entry ends; an empty scalar is empty.
func (n *Node) Range() lang.Range { return n.rng(n.start, n.end) }

func (n *Node) rng(start, end pos) lang.Range {
	return lang.Range{File: n.doc.file, Start: start.langPos(), End: end.langPos()}
}

// HeadComment, LineComment and FootComment are the comments yaml.v3
// attaches to the node, each line with its '#'. The root also carries the
// document's head and foot comments. Read gives them; ReadValues does not.
func (n *Node) HeadComment() string {
	if r := n.rare(); r != nil {
		return r.head
	}
	return ""
}

// LineComment: see HeadComment.
func (n *Node) LineComment() string {
	if r := n.rare(); r != nil {
		return r.line
	}
	return ""
}

// FootComment: see HeadComment.
func (n *Node) FootComment() string {
	if r := n.rare(); r != nil {
		return r.foot
	}
	return ""
}

func (n *Node) rare() *nodeRare {
	if n.ext == nil {
		return nil
	}
	return n.ext.rare
}

// setRare returns the node's nodeRare, making it when it has none.
func (n *Node) setRare() *nodeRare {
	if n.ext == nil {
		n.ext = &nodeExt{}
	}
	if n.ext.rare == nil {
		n.ext.rare = &nodeRare{}
	}
	return n.ext.rare
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
		n = n.Alias()
	}
	return n
}

// IsMergeKey reports whether n, a mapping key, is the merge key `<<`.
func (n *Node) IsMergeKey() bool {
	t := n.Target()
	return t != nil && t.Kind == Scalar && t.tag == tagMerge
}

// IsNull reports whether n is a scalar that PyYAML reads as None.
func (n *Node) IsNull() bool {
	t := n.Target()
	return t != nil && t.Kind == Scalar && t.tag == tagNull
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
// not a mapping. Keys whose construction fails are left out. The entries
// are the node's own (Read works them out once): do not modify them.
func (n *Node) Entries() []Entry {
	t := n.Target()
	if t == nil || t.Kind != Mapping {
		return nil
	}
	if t.flags&flagFlattened == 0 {
		newConstructor().flatten(t)
	}
	flat := t.ext.flat
	return flat[:len(flat):len(flat)]
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
	comp := newComposer(p, filename)
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
// Read constructs every node once and reports what fails (values PyYAML
// cannot construct, duplicate keys), keeping no values; Construct builds
// the value on each call, so call it on what you need (a key, a scalar)
// rather than on a whole file. The tree is only read, so it is safe to read
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
// A part that cannot be constructed is nil. Within one call aliases share
// their value: do not modify it.
func (n *Node) Construct() any {
	v, _ := newValueConstructor().construct(n)
	return v
}
