package yaml

import (
	yamlv3 "gopkg.in/yaml.v3"
)

// attachComments copies the comments yaml.v3 reports onto the nodes of a
// file PyYAML's rules have read. The two trees are walked together; where
// their shapes differ, that part gets no comments.
func attachComments(root *Node, src []byte) {
	defer func() { _ = recover() }() // comments are a courtesy; yaml.v3 must not break reading
	var doc yamlv3.Node
	if err := yamlv3.Unmarshal(src, &doc); err != nil || doc.Kind != yamlv3.DocumentNode || len(doc.Content) != 1 {
		return
	}
	copyComments(root, doc.Content[0], 0)
	root.HeadComment = joinComments(doc.HeadComment, root.HeadComment)
	root.FootComment = joinComments(root.FootComment, doc.FootComment)
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
	if n == nil || v == nil || depth > maxDepth || v.Line != n.Range.Start.Line {
		return
	}
	switch {
	case n.Kind == Alias && v.Kind == yamlv3.AliasNode,
		n.Kind == Scalar && v.Kind == yamlv3.ScalarNode:
	case n.Kind == Sequence && v.Kind == yamlv3.SequenceNode && len(v.Content) == len(n.Items):
		for i, it := range n.Items {
			copyComments(it, v.Content[i], depth+1)
		}
	case n.Kind == Mapping && v.Kind == yamlv3.MappingNode && len(v.Content) == 2*len(n.Pairs):
		for i, p := range n.Pairs {
			copyComments(p.Key, v.Content[2*i], depth+1)
			copyComments(p.Value, v.Content[2*i+1], depth+1)
		}
	default:
		return
	}
	n.HeadComment, n.LineComment, n.FootComment = v.HeadComment, v.LineComment, v.FootComment
}
