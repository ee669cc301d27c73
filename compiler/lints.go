package compiler

import (
	"strings"

	"github.com/regc/regc/lang"
)

// lint runs the checks over the whole stage graph.
func (c *checker) lint() {
	lintTransitionPairs(c.reg, &c.diags)
	// the graph lints see a misspelt stage as the stage suggested for it
	reg := c.lintModel()
	LintGraph(reg, &c.diags)
	lintReach(reg, &c.diags)
	for _, s := range c.valueList {
		if !s.used && s.kind != symSchema && s.rng.File == c.mainPath && c.header != nil {
			c.diags.Warnf(lang.CodeUnused, s.rng, "%s %s is declared but never used", s.kind, s.name)
		}
	}
}

// LintTransitions reports duplicate and shadowed transitions and stages
// unreachable from the first stage. It works on any compiled model, so
// legacy files get the same checks.
func LintTransitions(reg *Regimen, diags *lang.Diagnostics) {
	lintTransitionPairs(reg, diags)
	lintReach(reg, diags)
}

// lintTransitionPairs reports duplicate and shadowed transitions.
func lintTransitionPairs(reg *Regimen, diags *lang.Diagnostics) {
	type key struct{ trigger, source, dest, when, unless string }
	seen := map[key]*Transition{}
	unconditional := map[[2]string]*Transition{}
	for _, t := range reg.Transitions {
		k := key{t.Trigger, t.Source, t.Dest, strings.Join(t.When, "\x00"), strings.Join(t.Unless, "\x00")}
		if first, dup := seen[k]; dup {
			d := diags.Errorf(lang.CodeDuplicateTransition, t.Range, "duplicate transition: %s %s -> %s is already declared", t.Trigger, t.Source, t.Dest)
			d.Related = &lang.Related{Range: first.Range, Message: "first declared here"}
		} else {
			seen[k] = t
		}
		if t.Trigger == "manual" {
			continue
		}
		sk := [2]string{t.Trigger, t.Source}
		if first := unconditional[sk]; first != nil {
			d := diags.Warnf(lang.CodeShadowedTransition, t.Range, "this %s transition from %s can never fire: an earlier one has no conditions", t.Trigger, t.Source)
			d.Related = &lang.Related{Range: first.Range, Message: "the unconditional transition"}
			continue
		}
		if len(t.When) == 0 && len(t.Unless) == 0 {
			unconditional[sk] = t
		}
	}
}

// lintReach reports stages unreachable from the first stage.
func lintReach(reg *Regimen, diags *lang.Diagnostics) {
	if len(reg.Stages) == 0 {
		return
	}
	adj := map[string][]string{}
	for _, t := range reg.Transitions {
		adj[t.Source] = append(adj[t.Source], t.Dest)
	}
	first := reg.Stages[0].Name
	reached := reach([]string{first}, adj)
	for _, s := range reg.Stages {
		if !reached[s.Name] {
			diags.Warnf(lang.CodeUnreachableStage, s.Range, "stage %s is not reachable from the first stage %s", s.Name, first)
		}
	}
}
