package lang

import (
	"gopkg.in/yaml.v3"
)

// yAttachComments copies the comments yaml.v3 reports onto the nodes of a
// file PyYAML's rules have read. The two trees are walked together; where
// their shapes differ, that part gets no comments.
func yAttachComments(root *YAMLNode, src []byte) {
	defer func() { _ = recover() }() // comments are a courtesy; yaml.v3 must not break reading
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil || doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return
	}
	yCopyComments(root, doc.Content[0], 0)
	root.HeadComment = yJoinComments(doc.HeadComment, root.HeadComment)
	root.FootComment = yJoinComments(root.FootComment, doc.FootComment)
}

func yJoinComments(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "\n\n" + b
}

func yCopyComments(n *YAMLNode, v *yaml.Node, depth int) {
	if n == nil || v == nil || depth > yMaxDepth || v.Line != n.Range.Start.Line {
		return
	}
	switch {
	case n.Kind == YAMLAlias && v.Kind == yaml.AliasNode,
		n.Kind == YAMLScalar && v.Kind == yaml.ScalarNode:
	case n.Kind == YAMLSequence && v.Kind == yaml.SequenceNode && len(v.Content) == len(n.Items):
		for i, it := range n.Items {
			yCopyComments(it, v.Content[i], depth+1)
		}
	case n.Kind == YAMLMapping && v.Kind == yaml.MappingNode && len(v.Content) == 2*len(n.Pairs):
		for i, p := range n.Pairs {
			yCopyComments(p.Key, v.Content[2*i], depth+1)
			yCopyComments(p.Value, v.Content[2*i+1], depth+1)
		}
	default:
		return
	}
	n.HeadComment, n.LineComment, n.FootComment = v.HeadComment, v.LineComment, v.FootComment
}
