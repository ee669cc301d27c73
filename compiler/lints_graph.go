package compiler

import (
	"slices"
	"strings"

	"github.com/regc/regc/lang"
)

// stageGraph is a regimen's stage machine by small ints: each name that a
// stage or a transition uses is one node (the stages' names first, in
// order, then names only transitions use), and the transitions leaving
// each node are listed in declaration order. The lints work over it with
// slices rather than maps keyed by name, so that they take time in
// proportion to the regimen.
type stageGraph struct {
	names  []string // by node
	stages []int32  // the node of each of reg.Stages
	// declared is how many nodes are stages' names: a node at or past it
	// is a name no stage has
	declared int32
	src, dst []int32 // the nodes of each of reg.Transitions
	// outStart and outList: the transitions leaving node n are
	// outList[outStart[n]:outStart[n+1]], in declaration order
	outStart, outList []int32
}

func newStageGraph(reg *Regimen) *stageGraph {
	return buildStageGraph(reg, nil)
}

// stageGraph is the graph of the regimen being compiled, from the places
// of the stages its transitions name, found as they were compiled (the
// compiled stages' names are distinct).
func (c *checker) stageGraph() *stageGraph {
	if len(c.transitionAt) != 2*len(c.reg.Transitions) {
		return newStageGraph(c.reg)
	}
	return buildStageGraph(c.reg, c.transitionAt)
}

// buildStageGraph makes the graph of reg. at, when given, holds the place
// in reg.Stages of each transition's source and dest in turn (-1: not a
// stage), and reg's stages have distinct names.
func buildStageGraph(reg *Regimen, at []int32) *stageGraph {
	g := &stageGraph{
		names:  make([]string, 0, len(reg.Stages)),
		stages: make([]int32, len(reg.Stages)),
		src:    make([]int32, len(reg.Transitions)),
		dst:    make([]int32, len(reg.Transitions)),
	}
	var index map[string]int32
	node := func(name string) int32 {
		if n, ok := index[name]; ok {
			return n
		}
		n := int32(len(g.names))
		index[name] = n
		g.names = append(g.names, name)
		return n
	}
	if at == nil {
		index = make(map[string]int32, len(reg.Stages))
		for i, s := range reg.Stages {
			g.stages[i] = node(s.Name)
		}
	} else {
		// only names no stage has need the index
		index = map[string]int32{}
		for i, s := range reg.Stages {
			g.stages[i] = int32(i)
			g.names = append(g.names, s.Name)
		}
	}
	g.declared = int32(len(g.names))
	for i, t := range reg.Transitions {
		if at != nil {
			g.src[i], g.dst[i] = at[2*i], at[2*i+1]
			if g.src[i] < 0 {
				g.src[i] = node(t.Source)
			}
			if g.dst[i] < 0 {
				g.dst[i] = node(t.Dest)
			}
			continue
		}
		g.src[i], g.dst[i] = node(t.Source), node(t.Dest)
	}
	g.outStart, g.outList = groupBy(len(g.names), g.src)
	return g
}

// groupBy lists the indices i of key by key[i], keeping their order: the
// indices with key k are list[start[k]:start[k+1]].
func groupBy(nodes int, key []int32) (start, list []int32) {
	start = make([]int32, nodes+1)
	for _, k := range key {
		start[k+1]++
	}
	for n := range nodes {
		start[n+1] += start[n]
	}
	list = make([]int32, len(key))
	next := slices.Clone(start[:nodes])
	for i, k := range key {
		list[next[k]] = int32(i)
		next[k]++
	}
	return start, list
}

// out returns the transitions (indices into reg.Transitions) leaving node
// n, in declaration order.
func (g *stageGraph) out(n int32) []int32 {
	return g.outList[g.outStart[n]:g.outStart[n+1]]
}

// reach returns the nodes reached from start along the edges from
// edgeFrom[i] to edgeTo[i].
func (g *stageGraph) reach(start []int32, edgeFrom, edgeTo []int32) []bool {
	first, list := groupBy(len(g.names), edgeFrom)
	reached := make([]bool, len(g.names))
	todo := slices.Clone(start)
	for _, n := range start {
		reached[n] = true
	}
	for len(todo) > 0 {
		n := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for _, e := range list[first[n]:first[n+1]] {
			if d := edgeTo[e]; !reached[d] {
				reached[d] = true
				todo = append(todo, d)
			}
		}
	}
	return reached
}

// LintGraph reports what is wrong with the shape of the stage machine, as
// python-statemachine refuses it: a stage with no way out that is not
// declared final (trap-stage), a stage with no path to any final stage when
// the regimen declares one (no-final-path), a cycle of progress transitions
// without conditions (progress-cycle), and a transition whose `when` and
// `unless` name the same criterion (contradictory-transition). It works on
// any compiled model, so legacy files get the same checks; a legacy file
// cannot declare a final stage, so there the trap-stage warning says how to.
func LintGraph(reg *Regimen, diags *lang.Diagnostics) {
	lintGraph(reg, newStageGraph(reg), diags)
}

func lintGraph(reg *Regimen, g *stageGraph, diags *lang.Diagnostics) {
	for _, t := range reg.Transitions {
		lintContradiction(t, diags)
	}
	traps := lintTraps(reg, g, diags)
	lintFinalPaths(reg, g, traps, diags)
	lintProgressCycles(reg, g, diags)
}

// lintContradiction reports a transition that requires a criterion both to
// hold and to fail.
func lintContradiction(t *Transition, diags *lang.Diagnostics) {
	if len(t.When) == 0 || len(t.Unless) == 0 {
		return
	}
	var both []string
	for _, w := range t.When {
		if slices.Contains(t.Unless, w) && !slices.Contains(both, w) {
			both = append(both, w)
		}
	}
	if len(both) == 0 {
		return
	}
	d := diags.Warnf(lang.CodeContradictoryTransition, t.Range,
		"this %s transition from %s to %s can never fire: %s must both hold (when) and fail (unless)",
		t.Trigger, t.Source, t.Dest, strings.Join(both, ", "))
	d.Suggestion = "remove " + strings.Join(both, ", ") + " from `when` or from `unless`"
}

// lintTraps reports each stage, not declared final, that no transition
// leaves, and returns them (by node). A regimen of one stage has nowhere
// to go and is left alone.
func lintTraps(reg *Regimen, g *stageGraph, diags *lang.Diagnostics) []bool {
	traps := make([]bool, len(g.names))
	if len(reg.Stages) < 2 {
		return traps
	}
	for i, s := range reg.Stages {
		n := g.stages[i]
		if s.Final || g.leaves(n) {
			continue
		}
		traps[n] = true
		d := diags.Warnf(lang.CodeTrapStage, s.Range,
			"stage %s has no transition out, so a mouse that reaches it stays there: declare it `final stage` if training ends there, or add a transition from it",
			s.Name)
		d.Suggestion = "final stage " + quoteStage(s.Name)
	}
	return traps
}

// leaves reports whether any transition from node n goes to another node.
func (g *stageGraph) leaves(n int32) bool {
	for _, t := range g.out(n) {
		if g.dst[t] != n {
			return true
		}
	}
	return false
}

// lintFinalPaths reports, when the regimen declares a final stage, each
// stage from which no sequence of transitions (of any trigger) reaches
// one. Trap stages are reported as traps already.
func lintFinalPaths(reg *Regimen, g *stageGraph, traps []bool, diags *lang.Diagnostics) {
	var finals []string
	var start []int32
	for i, s := range reg.Stages {
		if s.Final {
			finals = append(finals, s.Name)
			start = append(start, g.stages[i])
		}
	}
	if len(finals) == 0 {
		return
	}
	// backwards: from each transition's dest to its source
	reaches := g.reach(start, g.dst, g.src)
	for i, s := range reg.Stages {
		if n := g.stages[i]; reaches[n] || traps[n] {
			continue
		}
		diags.Warnf(lang.CodeNoFinalPath, s.Range,
			"no sequence of transitions leads from stage %s to a final stage (%s): a mouse that reaches it never finishes; add a transition towards one",
			s.Name, strings.Join(finals, ", "))
	}
}

// lintProgressCycles reports each cycle of stages whose first progress
// transition has no conditions: a mouse on one of them moves on every
// session, around the cycle, forever.
func lintProgressCycles(reg *Regimen, g *stageGraph, diags *lang.Diagnostics) {
	// the progress transition that always fires, by node (-1: none)
	next := make([]int32, len(g.names))
	for n := range next {
		next[n] = -1
	}
	for _, n := range g.stages {
		for _, i := range g.out(n) {
			t := reg.Transitions[i]
			if t.Trigger != "progress" {
				continue
			}
			if len(t.When) == 0 && len(t.Unless) == 0 {
				next[n] = i
			}
			break
		}
	}
	const (
		unseen = iota
		onPath
		done
	)
	state := make([]uint8, len(g.names))
	var path []int32
	for _, n := range g.stages {
		path = path[:0]
		for state[n] == unseen && next[n] >= 0 {
			state[n] = onPath
			path = append(path, n)
			n = g.dst[next[n]]
		}
		if state[n] == onPath {
			cycle := path[slices.Index(path, n):]
			reportProgressCycle(reg, g, cycle, next, diags)
		}
		for _, p := range path {
			state[p] = done
		}
	}
}

func reportProgressCycle(reg *Regimen, g *stageGraph, cycle, next []int32, diags *lang.Diagnostics) {
	// report at the transition declared first, so the report is stable
	first := reg.Transitions[next[cycle[0]]]
	for _, n := range cycle[1:] {
		if t := reg.Transitions[next[n]]; t.Range.Start.Offset < first.Range.Start.Offset {
			first = t
		}
	}
	if len(cycle) == 1 {
		name := g.names[cycle[0]]
		diags.Warnf(lang.CodeProgressCycle, first.Range,
			"progress %s -> %s has no conditions and is the first progress transition from %s: a mouse there is sent back to it every session, forever; give it a `when` or an `unless`",
			name, name, name)
		return
	}
	names := make([]string, 0, len(cycle)+1)
	for _, n := range cycle {
		names = append(names, g.names[n])
	}
	loop := strings.Join(append(names, names[0]), " -> ")
	diags.Warnf(lang.CodeProgressCycle, first.Range,
		"progress moves a mouse around %s on every session, forever: the first progress transition from each of these stages has no conditions; give one of them a `when` or an `unless`",
		loop)
}

// quoteStage writes a stage name as source: bare when it is an identifier
// and not a keyword, quoted otherwise.
func quoteStage(name string) string {
	if isIdentText(name) && !lang.IsKeyword(name) {
		return name
	}
	return lang.Quote(name)
}
