package graph

import (
	"fmt"
	"io"
	"strings"
)

// palette colours the groups of stages, in the order the groups come.
var palette = []string{"#dbeafe", "#dcfce7", "#fef3c7", "#fce7f3", "#ede9fe", "#cffafe", "#fee2e2", "#e7e5e4"}

const (
	plainFill     = "#ffffff"
	highlightFill = "#fde047"
	missingFill   = "#fecaca"
	manualColour  = "#6b7280"
	autoColour    = "#1f2937"
)

// fill returns a node's fill colour.
func (g *Graph) fill(n *Node) string {
	switch {
	case n.Highlight:
		return highlightFill
	case n.Missing:
		return missingFill
	case g.colours[n.Group] != "":
		return g.colours[n.Group]
	}
	return plainFill
}

// dotID quotes s as a DOT string.
func dotID(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "")
	return `"` + r.Replace(s) + `"`
}

// WriteDOT writes g in graphviz's DOT language: a node per stage and an
// edge per transition, in order. Groups of stages are clusters when each
// group's stages come one after another (and coloured either way); manual
// transitions are dashed and grey; the first stage is drawn bold, final
// stages with a double border, a highlighted stage filled yellow.
func WriteDOT(w io.Writer, g *Graph) error {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", dotID(g.Name))
	fmt.Fprintf(&b, "    graph [label=%s, labelloc=t, fontname=\"Helvetica\", rankdir=TB];\n", dotID(g.Name))
	b.WriteString("    node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n")
	b.WriteString("    edge [fontname=\"Helvetica\", fontsize=9];\n")
	g.walkNodes(func(group string) {
		fmt.Fprintf(&b, "    subgraph %s {\n        graph [label=%s, style=\"rounded,dashed\", color=\"#9ca3af\"];\n", dotID("cluster_"+group), dotID(group))
	}, func() {
		b.WriteString("    }\n")
	}, func(n *Node, indent string) {
		fmt.Fprintf(&b, "%s%s [%s];\n", indent, dotID(n.Name), dotNodeAttrs(g, n))
	})
	for _, e := range g.Edges {
		attrs := fmt.Sprintf("label=%s", dotID(strings.Join(e.Label(), "\n")))
		if e.Manual() {
			attrs += fmt.Sprintf(", style=dashed, color=%s, fontcolor=%s", dotID(manualColour), dotID(manualColour))
		} else {
			attrs += fmt.Sprintf(", color=%s", dotID(autoColour))
		}
		fmt.Fprintf(&b, "    %s -> %s [%s];\n", dotID(e.From.Name), dotID(e.To.Name), attrs)
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func dotNodeAttrs(g *Graph, n *Node) string {
	attrs := []string{"fillcolor=" + dotID(g.fill(n))}
	var tip []string
	if n.First {
		attrs = append(attrs, "penwidth=2.5")
		tip = append(tip, "the first stage")
	}
	if n.Final {
		attrs = append(attrs, "peripheries=2")
		tip = append(tip, "final")
	}
	if n.Missing {
		attrs = append(attrs, "style=\"rounded,filled,dashed\"")
		tip = append(tip, "not declared")
	}
	if n.Highlight {
		attrs = append(attrs, "color=\"#b91c1c\"", "penwidth=3")
	}
	if len(tip) > 0 {
		attrs = append(attrs, "tooltip="+dotID(n.Name+": "+strings.Join(tip, ", ")))
	}
	return strings.Join(attrs, ", ")
}
