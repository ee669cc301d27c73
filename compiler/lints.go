package compiler

import (
	"slices"
	"strings"

	"github.com/regc/regc/lang"
)

// lint runs the checks over the whole stage graph.
func (c *checker) lint() {
	g := c.stageGraph()
	lintTransitionPairs(c.reg, g, &c.diags)
	// the graph lints see a misspelt stage as the stage suggested for it
	reg := c.lintModel(g)
	if reg != c.reg {
		g = newStageGraph(reg)
	}
	lintGraph(reg, g, &c.diags)
	lintReach(reg, g, &c.diags)
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
	g := newStageGraph(reg)
	lintTransitionPairs(reg, g, diags)
	lintReach(reg, g, diags)
}

// lintTransitionPairs reports duplicate and shadowed transitions. A
// transition is compared with the earlier ones from the same stage only.
func lintTransitionPairs(reg *Regimen, g *stageGraph, diags *lang.Diagnostics) {
	type key struct {
		dest                  int32
		trigger, when, unless string
	}
	type triggerFrom struct {
		src     int32
		trigger string
	}
	// past this many transitions from one stage, they are indexed
	const wide = 16
	var index map[int32]map[key]int32
	unconditional := map[triggerFrom]*Transition{}
	compared := make([]int32, len(g.names)) // by stage: how many of its transitions were seen
	for i, t := range reg.Transitions {
		src := g.src[i]
		from := g.out(src)
		earlier := from[:compared[src]]
		compared[src]++
		var first *Transition
		if len(from) > wide {
			if index == nil {
				index = map[int32]map[key]int32{}
			}
			m := index[src]
			if m == nil {
				m = make(map[key]int32, len(from))
				index[src] = m
			}
			k := key{g.dst[i], t.Trigger, strings.Join(t.When, "\x00"), strings.Join(t.Unless, "\x00")}
			if j, dup := m[k]; dup {
				first = reg.Transitions[j]
			} else {
				m[k] = int32(i)
			}
		} else {
			for _, j := range earlier {
				if u := reg.Transitions[j]; g.dst[j] == g.dst[i] && u.Trigger == t.Trigger && sameCriteria(u.When, t.When) && sameCriteria(u.Unless, t.Unless) {
					first = u
					break
				}
			}
		}
		if first != nil {
			d := diags.Errorf(lang.CodeDuplicateTransition, t.Range, "duplicate transition: %s %s -> %s is already declared", t.Trigger, t.Source, t.Dest)
			d.Related = &lang.Related{Range: first.Range, Message: "first declared here"}
		}
		if t.Trigger == "manual" {
			continue
		}
		sk := triggerFrom{src, t.Trigger}
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

// sameCriteria reports whether two lists of criteria are the same, as the
// lists joined with NULs compare.
func sameCriteria(a, b []string) bool {
	return slices.Equal(a, b) || strings.Join(a, "\x00") == strings.Join(b, "\x00")
}

// lintReach reports stages unreachable from the first stage.
func lintReach(reg *Regimen, g *stageGraph, diags *lang.Diagnostics) {
	if len(reg.Stages) == 0 {
		return
	}
	first := reg.Stages[0].Name
	reached := g.reach(g.stages[:1], g.src, g.dst)
	for i, s := range reg.Stages {
		if !reached[g.stages[i]] {
			diags.Warnf(lang.CodeUnreachableStage, s.Range, "stage %s is not reachable from the first stage %s", s.Name, first)
		}
	}
}
