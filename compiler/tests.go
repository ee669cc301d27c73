package compiler

import (
	"github.com/regc/regc/lang"
)

// runTest plays a transition test: from the start stage, each step fires a
// trigger with the given criteria holding; the first transition whose
// `when` all hold and whose `unless` all fail is taken.
func (c *checker) runTest(td *lang.TestDecl) {
	title, _ := lang.Unquote(td.Title.Raw)
	before := len(c.diags)
	cur := c.stageRef(td.Start)
	for _, step := range td.Steps {
		trig := c.triggerRef(step.Trigger)
		holding := map[string]bool{}
		for _, n := range c.criterionRefs(step.Criteria) {
			holding[n] = true
		}
		want := c.stageRef(step.Expect)
		if len(c.diags) > before {
			// a name in the test is wrong: it cannot be run meaningfully,
			// but the rest of its names are still checked
			continue
		}
		next := cur
		for _, t := range c.reg.Transitions {
			if t.Trigger != trig || t.Source != cur {
				continue
			}
			ok := true
			for _, w := range t.When {
				ok = ok && holding[w]
			}
			for _, u := range t.Unless {
				ok = ok && !holding[u]
			}
			if ok {
				next = t.Dest
				break
			}
		}
		if next != want {
			c.diags.Errorf(lang.CodeTestFailed, lang.RangeOf(step.Pos, step.EndPos), "test %q: %s from %s goes to %s, want %s", title, trig, cur, next, want)
			return
		}
		cur = next
	}
}
