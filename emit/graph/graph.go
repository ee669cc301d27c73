package graph

import (
	"fmt"
	"github.com/regc/regc/internal/spell"
	"strings"

	"github.com/regc/regc/compiler"
)

// Graph is the stage machine of one regimen: a node per stage, in
// declaration order, and an edge per transition, in the order mtrain tries
// them.
type Graph struct {
	Name  string
	Nodes []*Node
	Edges []*Edge
	// colours are the groups' fill colours, fixed when the whole regimen
	// is built, so that a part of it is coloured the same way
	colours map[string]string
}

// Node is one stage.
type Node struct {
	Name string
	// Group is the prefix the stage's name shares with others (TRAINING,
	// OPHYS), or "".
	Group     string
	First     bool // the stage a mouse starts on
	Final     bool // declared `final stage`
	Missing   bool // named by a transition but not declared (a legacy defect)
	Highlight bool
}

// Edge is one transition.
type Edge struct {
	From, To     *Node
	Trigger      string
	When, Unless []string
	// Order is the edge's place among the transitions of its trigger that
	// leave its source, the order mtrain tries them in (1, 2, ...), or 0
	// when it is the only one.
	Order int
}

// Manual reports whether the edge is fired by hand.
func (e *Edge) Manual() bool { return e.Trigger == "manual" }

// Label is the edge's text, one line per part: its place when several
// leave its stage and its trigger, then its conditions.
func (e *Edge) Label() []string {
	first := e.Trigger
	if e.Order > 0 {
		first = fmt.Sprintf("%d. %s", e.Order, e.Trigger)
	}
	lines := []string{first}
	if len(e.When) > 0 {
		lines = append(lines, "when "+strings.Join(e.When, ", "))
	}
	if len(e.Unless) > 0 {
		lines = append(lines, "unless "+strings.Join(e.Unless, ", "))
	}
	return lines
}

// Build returns the graph of reg.
func Build(reg *compiler.Regimen) *Graph {
	g := &Graph{Name: reg.Name}
	byName := map[string]*Node{}
	for i, s := range reg.Stages {
		if byName[s.Name] != nil {
			continue
		}
		n := &Node{Name: s.Name, First: i == 0, Final: s.Final}
		byName[s.Name] = n
		g.Nodes = append(g.Nodes, n)
	}
	node := func(name string) *Node {
		if n := byName[name]; n != nil {
			return n
		}
		n := &Node{Name: name, Missing: true}
		byName[name] = n
		g.Nodes = append(g.Nodes, n)
		return n
	}
	type key struct {
		from    *Node
		trigger string
	}
	leaving := map[key]int{}
	for _, t := range reg.Transitions {
		e := &Edge{From: node(t.Source), To: node(t.Dest), Trigger: t.Trigger, When: t.When, Unless: t.Unless}
		g.Edges = append(g.Edges, e)
		leaving[key{e.From, e.Trigger}]++
	}
	seen := map[key]int{}
	for _, e := range g.Edges {
		if k := (key{e.From, e.Trigger}); leaving[k] > 1 {
			seen[k]++
			e.Order = seen[k]
		}
	}
	setGroups(g.Nodes)
	g.colours = map[string]string{}
	for i, grp := range g.Groups() {
		g.colours[grp] = palette[i%len(palette)]
	}
	return g
}

// setGroups gives each node the prefix (up to the first underscore) that
// it shares with at least one other node, when the prefix holds a letter.
func setGroups(nodes []*Node) {
	count := map[string]int{}
	for _, n := range nodes {
		count[prefix(n.Name)]++
	}
	for _, n := range nodes {
		if p := prefix(n.Name); p != "" && count[p] > 1 {
			n.Group = p
		}
	}
}

func prefix(name string) string {
	i := strings.IndexByte(name, '_')
	if i <= 0 || !strings.ContainsAny(strings.ToLower(name[:i]), "abcdefghijklmnopqrstuvwxyz") {
		return ""
	}
	return name[:i]
}

// Groups returns the groups in the order their first stages come.
func (g *Graph) Groups() []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range g.Nodes {
		if n.Group != "" && !seen[n.Group] {
			seen[n.Group] = true
			out = append(out, n.Group)
		}
	}
	return out
}

// contiguousGroups reports whether each group's nodes come one after
// another, so that drawing groups as boxes keeps the nodes' order.
func (g *Graph) contiguousGroups() bool {
	done := map[string]bool{}
	prev := ""
	for _, n := range g.Nodes {
		if n.Group != prev {
			if done[n.Group] && n.Group != "" {
				return false
			}
			done[prev] = true
			prev = n.Group
		}
	}
	return true
}

// walkNodes calls node for each node in order, with the indent of its
// line; when each group's stages come one after another, begin and end
// bracket each group's nodes, so that drawing groups as boxes keeps the
// order.
func (g *Graph) walkNodes(begin func(group string), end func(), node func(n *Node, indent string)) {
	boxed := g.contiguousGroups()
	open := ""
	for _, n := range g.Nodes {
		if boxed && n.Group != open {
			if open != "" {
				end()
			}
			if n.Group != "" {
				begin(n.Group)
			}
			open = n.Group
		}
		indent := "    "
		if open != "" {
			indent = "        "
		}
		node(n, indent)
	}
	if open != "" {
		end()
	}
}

// Node returns the node called name, or nil.
func (g *Graph) Node(name string) *Node {
	for _, n := range g.Nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// Highlight marks the stage called name.
func (g *Graph) Highlight(name string) error {
	n := g.Node(name)
	if n == nil {
		return g.unknown(name)
	}
	n.Highlight = true
	return nil
}

func (g *Graph) unknown(name string) error {
	names := make([]string, len(g.Nodes))
	for i, n := range g.Nodes {
		names[i] = n.Name
	}
	if s := spell.NearestWithin(name, names, 3); s != "" {
		return fmt.Errorf("no stage %s (did you mean %s?)", name, s)
	}
	return fmt.Errorf("no stage %s", name)
}

// Neighbourhood returns the part of g within depth transitions of the stage
// called name, either way along them: the stages, in their order, and the
// transitions between them.
func (g *Graph) Neighbourhood(name string, depth int) (*Graph, error) {
	centre := g.Node(name)
	if centre == nil {
		return nil, g.unknown(name)
	}
	near := map[*Node][]*Node{}
	for _, e := range g.Edges {
		near[e.From] = append(near[e.From], e.To)
		near[e.To] = append(near[e.To], e.From)
	}
	dist := map[*Node]int{centre: 0}
	frontier := []*Node{centre}
	for d := 1; d <= depth && len(frontier) > 0; d++ {
		var next []*Node
		for _, n := range frontier {
			for _, m := range near[n] {
				if _, ok := dist[m]; !ok {
					dist[m] = d
					next = append(next, m)
				}
			}
		}
		frontier = next
	}
	sub := &Graph{Name: g.Name, colours: g.colours}
	for _, n := range g.Nodes {
		if _, ok := dist[n]; ok {
			sub.Nodes = append(sub.Nodes, n)
		}
	}
	for _, e := range g.Edges {
		_, a := dist[e.From]
		_, b := dist[e.To]
		if a && b {
			sub.Edges = append(sub.Edges, e)
		}
	}
	return sub, nil
}
