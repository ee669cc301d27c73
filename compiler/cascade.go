package compiler

import (
	"fmt"

	"github.com/regc/regc/internal/spell"
	"github.com/regc/regc/lang"
)

// Cascades: one slip, one message. What follows from an error already
// reported is not reported again.

// lintModel is the regimen the graph lints see: a transition naming an
// undefined stage is read as going to (or from) the stage its diagnostic
// suggests, which is what the stage would have connected. One with no
// suggestion stays as written, as the regimen.yml it may be imported from
// reads it (one verdict either way).
func (c *checker) lintModel(g *stageGraph) *Regimen {
	// the nodes at or past g.declared are the names no stage has; each is
	// read as the stage suggested for it, if any
	fixed := map[int32]string{}
	for n := g.declared; n < int32(len(g.names)); n++ {
		if s := spell.Nearest(g.names[n], g.names[:g.declared]); s != "" {
			fixed[n] = s
		}
	}
	if len(fixed) == 0 {
		return c.reg
	}
	fix := func(n int32, name string) string {
		if s, ok := fixed[n]; ok {
			return s
		}
		return name
	}
	cp := *c.reg
	cp.Transitions = make([]*Transition, len(c.reg.Transitions))
	for i, t := range c.reg.Transitions {
		src, dst := fix(g.src[i], t.Source), fix(g.dst[i], t.Dest)
		if src == t.Source && dst == t.Dest {
			cp.Transitions[i] = t
			continue
		}
		tc := *t
		tc.Source, tc.Dest = src, dst
		cp.Transitions[i] = &tc
	}
	return &cp
}

// misspelling is a use of a record key that is near a schema field the
// record lacks: `reward_volume` for the declared `reward_volum`.
type misspelling struct {
	field *fieldT
	key   string
	rng   lang.Range
}

// misspelt reports, once at its declaration, a schema field that several
// uses spell alike and none spells as declared (the declaration is the
// typo), and removes those uses' diagnostics.
func (c *checker) misspelt() {
	type group struct {
		uses []misspelling
	}
	reported := map[lang.Range]bool{}
	for _, d := range c.diags {
		if d.Code == lang.CodeUnknownField {
			reported[d.Range] = true
		}
	}
	groups := map[*fieldT]map[string]*group{}
	var order []*fieldT
	seen := map[lang.Range]bool{} // a record checked twice is one use
	for _, m := range c.misspellings {
		if c.spelt[m.field] || !reported[m.rng] || seen[m.rng] {
			continue
		}
		seen[m.rng] = true
		if groups[m.field] == nil {
			groups[m.field] = map[string]*group{}
			order = append(order, m.field)
		}
		g := groups[m.field][m.key]
		if g == nil {
			g = &group{}
			groups[m.field][m.key] = g
		}
		g.uses = append(g.uses, m)
	}
	drop := map[lang.Range]bool{}
	for _, f := range order {
		if len(groups[f]) != 1 {
			continue
		}
		for key, g := range groups[f] {
			if len(g.uses) < 2 || !f.rng.IsValid() {
				continue
			}
			for _, u := range g.uses {
				drop[u.rng] = true
			}
			d := c.diags.Errorf(lang.CodeUnknownField, f.rng, "schema field %s: %d uses spell it %s, and none as declared (did you mean %s?)", f.name, len(g.uses), key, key)
			d.Suggestion = key
			d.Related = &lang.Related{Range: g.uses[0].rng, Message: fmt.Sprintf("first use spelt %s", key)}
		}
	}
	if len(drop) == 0 {
		return
	}
	out := c.diags[:0]
	for _, d := range c.diags {
		if d.Code == lang.CodeUnknownField && drop[d.Range] {
			continue
		}
		out = append(out, d)
	}
	c.diags = out
}

// isUndefinedCode reports whether code is one of the diagnostics a failed
// import makes meaningless: the names it would have declared are
// undefined everywhere.
func isUndefinedCode(code string) bool {
	return code == lang.CodeUndefinedName || code == lang.CodeUndefinedCriterion
}

// afterFailedImport removes what a failed import caused: the names it would
// have declared, reported undefined, and declarations reported unused that
// its declarations may have used.
func (c *checker) afterFailedImport() {
	if !c.importFailed {
		return
	}
	out := c.diags[:0]
	for _, d := range c.diags {
		if isUndefinedCode(d.Code) || d.Code == lang.CodeUnused {
			continue
		}
		out = append(out, d)
	}
	c.diags = out
}
