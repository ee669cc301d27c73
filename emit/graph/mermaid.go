package graph

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// mermaidText escapes s for a quoted Mermaid label.
func mermaidText(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", " ").Replace(s)
}

// WriteMermaid writes g as a Mermaid flowchart, which a GitHub README
// renders from a ```mermaid block: a node per stage (s0, s1, ... in
// order) and a link per transition, in order. Manual transitions are
// dotted, the first stage has a thick border, final stages are drawn with
// double sides, groups of stages are coloured (and boxed when each group's
// stages come one after another), a highlighted stage is yellow.
func WriteMermaid(w io.Writer, g *Graph) error {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %s\n---\nflowchart TD\n", mermaidText(g.Name))
	id := map[*Node]string{}
	for i, n := range g.Nodes {
		id[n] = fmt.Sprintf("s%d", i)
	}
	groups := g.Groups()
	g.walkNodes(func(group string) {
		fmt.Fprintf(&b, "    subgraph group%d [\"%s\"]\n", slices.Index(groups, group), mermaidText(group))
	}, func() {
		b.WriteString("    end\n")
	}, func(n *Node, indent string) {
		shape := "[\"%s\"]"
		if n.Final {
			shape = "[[\"%s\"]]"
		}
		fmt.Fprintf(&b, "%s%s"+shape+"\n", indent, id[n], mermaidText(n.Name))
	})
	for _, e := range g.Edges {
		arrow := "-->"
		if e.Manual() {
			arrow = "-.->"
		}
		parts := make([]string, 0, 3)
		for _, l := range e.Label() {
			parts = append(parts, mermaidText(l))
		}
		fmt.Fprintf(&b, "    %s %s|\"%s\"| %s\n", id[e.From], arrow, strings.Join(parts, "<br/>"), id[e.To])
	}
	for i, grp := range groups {
		var members []string
		for _, n := range g.Nodes {
			if n.Group == grp && !n.Highlight && !n.Missing {
				members = append(members, id[n])
			}
		}
		if len(members) > 0 {
			fmt.Fprintf(&b, "    classDef group%d fill:%s\n    class %s group%d\n", i, g.colours[grp], strings.Join(members, ","), i)
		}
	}
	classes := []struct {
		name, style string
		has         func(*Node) bool
	}{
		{"first", "stroke-width:3px", func(n *Node) bool { return n.First }},
		{"missing", "fill:" + missingFill + ",stroke-dasharray:4 3", func(n *Node) bool { return n.Missing }},
		{"highlight", "fill:" + highlightFill + ",stroke:#b91c1c,stroke-width:3px", func(n *Node) bool { return n.Highlight }},
	}
	for _, c := range classes {
		var members []string
		for _, n := range g.Nodes {
			if c.has(n) {
				members = append(members, id[n])
			}
		}
		if len(members) > 0 {
			fmt.Fprintf(&b, "    classDef %s %s\n    class %s %s\n", c.name, c.style, strings.Join(members, ","), c.name)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
