package compiler

import "github.com/regc/regc/lang"

// nullSections applies `stages null` and `transitions null`: a section
// said to be null has nothing declared in it, and is said so once.
func (c *checker) nullSections(nulls []*lang.NullSectionDecl, stages, transitions int) {
	seen := map[string]lang.Range{}
	for _, d := range nulls {
		rng := lang.RangeOf(d.Pos, d.EndPos)
		if prev, dup := seen[d.Section]; dup {
			e := c.diags.Errorf(lang.CodeDuplicateDefinition, rng, "%s null is said twice", d.Section)
			e.Related = &lang.Related{Range: prev, Message: "first said here"}
			continue
		}
		seen[d.Section] = rng
		n, what := transitions, "transitions"
		if d.Section == "stages" {
			n, what = stages, "stages"
		}
		if n > 0 {
			c.diags.Errorf(lang.CodeTypeMismatch, rng, "this regimen declares %s, so they cannot be null: remove `%s null`", what, d.Section)
			continue
		}
		if d.Section == "stages" {
			c.reg.NullStages = true
		} else {
			c.reg.NullTransitions = true
		}
	}
}
