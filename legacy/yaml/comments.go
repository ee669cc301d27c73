package yaml

import (
	yamlv3 "gopkg.in/yaml.v3"
)

// commentTree parses src with yaml.v3 in a goroutine of its own, so that
// the comment pass runs beside PyYAML's reading rather than after it; the
// returned function waits for it and gives the document's node, nil when
// yaml.v3 did not read the file as one document.
func commentTree(src []byte) func() *yamlv3.Node {
	done := make(chan *yamlv3.Node, 1)
	go func() {
		var doc *yamlv3.Node
		defer func() {
			_ = recover() // comments are a courtesy; yaml.v3 must not break reading
			done <- doc
		}()
		var d yamlv3.Node
		if err := yamlv3.Unmarshal(src, &d); err == nil && d.Kind == yamlv3.DocumentNode && len(d.Content) == 1 {
			doc = &d
		}
	}()
	return func() *yamlv3.Node { return <-done }
}

// attachComments copies the comments yaml.v3 reports (doc, from
// commentTree) onto the nodes of a file PyYAML's rules have read. The two
// trees are walked together; where their shapes differ, that part gets no
// comments.
func attachComments(root *Node, doc *yamlv3.Node) {
	if doc == nil {
		return
	}
	defer func() { _ = recover() }()
	copyComments(root, doc.Content[0], 0)
	root.setComments(joinComments(doc.HeadComment, root.HeadComment()), root.LineComment(), joinComments(root.FootComment(), doc.FootComment))
}

func joinComments(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "\n\n" + b
}

func copyComments(n *Node, v *yamlv3.Node, depth int) {
	if n == nil || v == nil || depth > maxDepth || v.Line != int(n.start.line) {
		return
	}
	switch {
	case n.Kind == Alias && v.Kind == yamlv3.AliasNode,
		n.Kind == Scalar && v.Kind == yamlv3.ScalarNode:
	case n.Kind == Sequence && v.Kind == yamlv3.SequenceNode && len(v.Content) == len(n.Items()):
		for i, it := range n.Items() {
			copyComments(it, v.Content[i], depth+1)
		}
	case n.Kind == Mapping && v.Kind == yamlv3.MappingNode && len(v.Content) == 2*len(n.Pairs()):
		for i, p := range n.Pairs() {
			copyComments(p.Key, v.Content[2*i], depth+1)
			copyComments(p.Value, v.Content[2*i+1], depth+1)
		}
	default:
		return
	}
	n.setComments(v.HeadComment, v.LineComment, v.FootComment)
}

// setComments sets the node's comments, making room for them only when
// there are some.
func (n *Node) setComments(head, line, foot string) {
	if head == "" && line == "" && foot == "" && n.rare() == nil {
		return
	}
	r := n.setRare()
	r.head, r.line, r.foot = head, line, foot
}
