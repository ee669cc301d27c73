package compiler

import (
	"slices"
	"strings"

	"github.com/regc/regc/lang"
)

// LintGraph reports what is wrong with the shape of the stage machine, as
// python-statemachine refuses it: a stage with no way out that is not
// declared final (trap-stage), a stage with no path to any final stage when
// the regimen declares one (no-final-path), a cycle of progress transitions
// without conditions (progress-cycle), and a transition whose `when` and
// `unless` name the same criterion (contradictory-transition). It works on
// any compiled model, so legacy files get the same checks; a legacy file
// cannot declare a final stage, so there the trap-stage warning says how to.
func LintGraph(reg *Regimen, diags *lang.Diagnostics) {
	out := map[string][]*Transition{} // transitions by source, in order
	for _, t := range reg.Transitions {
		out[t.Source] = append(out[t.Source], t)
		lintContradiction(t, diags)
	}
	traps := lintTraps(reg, out, diags)
	lintFinalPaths(reg, traps, diags)
	lintProgressCycles(reg, out, diags)
}

// lintContradiction reports a transition that requires a criterion both to
// hold and to fail.
func lintContradiction(t *Transition, diags *lang.Diagnostics) {
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
// leaves, and returns their names. A regimen of one stage has nowhere to
// go and is left alone.
func lintTraps(reg *Regimen, out map[string][]*Transition, diags *lang.Diagnostics) map[string]bool {
	traps := map[string]bool{}
	if len(reg.Stages) < 2 {
		return traps
	}
	for _, s := range reg.Stages {
		if s.Final || leaves(out[s.Name]) {
			continue
		}
		traps[s.Name] = true
		d := diags.Warnf(lang.CodeTrapStage, s.Range,
			"stage %s has no transition out, so a mouse that reaches it stays there: declare it `final stage` if training ends there, or add a transition from it",
			s.Name)
		d.Suggestion = "final stage " + quoteStage(s.Name)
	}
	return traps
}

// leaves reports whether any of ts goes to another stage.
func leaves(ts []*Transition) bool {
	for _, t := range ts {
		if t.Dest != t.Source {
			return true
		}
	}
	return false
}

// lintFinalPaths reports, when the regimen declares a final stage, each
// stage from which no sequence of transitions (of any trigger) reaches
// one. Trap stages are reported as traps already.
func lintFinalPaths(reg *Regimen, traps map[string]bool, diags *lang.Diagnostics) {
	into := map[string][]string{}
	for _, t := range reg.Transitions {
		into[t.Dest] = append(into[t.Dest], t.Source)
	}
	var finals []string
	for _, s := range reg.Stages {
		if s.Final {
			finals = append(finals, s.Name)
		}
	}
	if len(finals) == 0 {
		return
	}
	reaches := reach(finals, into)
	for _, s := range reg.Stages {
		if reaches[s.Name] || traps[s.Name] {
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
func lintProgressCycles(reg *Regimen, out map[string][]*Transition, diags *lang.Diagnostics) {
	next := map[string]*Transition{} // the progress transition that always fires
	for _, s := range reg.Stages {
		for _, t := range out[s.Name] {
			if t.Trigger != "progress" {
				continue
			}
			if len(t.When) == 0 && len(t.Unless) == 0 {
				next[s.Name] = t
			}
			break
		}
	}
	const (
		unseen = iota
		onPath
		done
	)
	state := map[string]int{}
	for _, s := range reg.Stages {
		var path []string
		n := s.Name
		for state[n] == unseen && next[n] != nil {
			state[n] = onPath
			path = append(path, n)
			n = next[n].Dest
		}
		if state[n] == onPath {
			cycle := path[slices.Index(path, n):]
			reportProgressCycle(reg, cycle, next, diags)
		}
		for _, p := range path {
			state[p] = done
		}
	}
}

func reportProgressCycle(reg *Regimen, cycle []string, next map[string]*Transition, diags *lang.Diagnostics) {
	// report at the transition declared first, so the report is stable
	first := next[cycle[0]]
	for _, n := range cycle[1:] {
		if t := next[n]; t.Range.Start.Offset < first.Range.Start.Offset {
			first = t
		}
	}
	if len(cycle) == 1 {
		diags.Warnf(lang.CodeProgressCycle, first.Range,
			"progress %s -> %s has no conditions and is the first progress transition from %s: a mouse there is sent back to it every session, forever; give it a `when` or an `unless`",
			cycle[0], cycle[0], cycle[0])
		return
	}
	loop := strings.Join(append(slices.Clone(cycle), cycle[0]), " -> ")
	diags.Warnf(lang.CodeProgressCycle, first.Range,
		"progress moves a mouse around %s on every session, forever: the first progress transition from each of these stages has no conditions; give one of them a `when` or an `unless`",
		loop)
}

// reach returns the stages reached from start along edges.
func reach(start []string, edges map[string][]string) map[string]bool {
	reached := map[string]bool{}
	todo := slices.Clone(start)
	for _, n := range start {
		reached[n] = true
	}
	for len(todo) > 0 {
		n := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for _, d := range edges[n] {
			if !reached[d] {
				reached[d] = true
				todo = append(todo, d)
			}
		}
	}
	return reached
}

// quoteStage writes a stage name as source: bare when it is an identifier
// and not a keyword, quoted otherwise.
func quoteStage(name string) string {
	if isIdentText(name) && !lang.IsKeyword(name) {
		return name
	}
	return lang.Quote(name)
}
