package compiler

import (
	"github.com/regc/regc/lang"
)

// TestResult is what one `test` block of the regimen file did when it was
// played (regc test prints it; check reports only a failure).
type TestResult struct {
	Title string
	Range lang.Range // the test's title
	Start string
	// Steps are the steps played, up to and including the one that went
	// elsewhere.
	Steps []TestStep
	// Failed is the index in Steps of the step that went elsewhere, -1
	// when the test passed or was not run.
	Failed int
	// NotRun: a name in the test is wrong (an error says which), so it was
	// not played.
	NotRun bool
}

// TestStep is one step of a test: Trigger fired from From with Criteria
// holding; the mouse went to Got, and the test wants Want.
type TestStep struct {
	Trigger   string
	Criteria  []string
	From      string
	Got, Want string
	Range     lang.Range
}

// Passed reports whether the test ran and every step went where it wants.
func (r *TestResult) Passed() bool { return !r.NotRun && r.Failed < 0 }

// runTest plays a transition test: from the start stage, each step fires a
// trigger with the given criteria holding; the first transition whose
// `when` all hold and whose `unless` all fail is taken.
func (c *checker) runTest(td *lang.TestDecl) {
	title, _ := lang.Unquote(td.Title.Raw)
	res := TestResult{Title: title, Range: lang.RangeOf(td.Title.Pos, td.Title.EndPos), Failed: -1}
	defer func() { c.testResults = append(c.testResults, res) }()
	before := len(c.diags)
	cur := c.stageRef(td.Start)
	res.Start = cur
	for _, step := range td.Steps {
		trig := c.triggerRef(step.Trigger)
		holding := map[string]bool{}
		criteria := c.criterionRefs(step.Criteria)
		for _, n := range criteria {
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
		rng := lang.RangeOf(step.Pos, step.EndPos)
		res.Steps = append(res.Steps, TestStep{Trigger: trig, Criteria: criteria, From: cur, Got: next, Want: want, Range: rng})
		if next != want {
			c.diags.Errorf(lang.CodeTestFailed, rng, "test %q: %s from %s goes to %s, want %s", title, trig, cur, next, want)
			res.Failed = len(res.Steps) - 1
			return
		}
		cur = next
	}
	if len(c.diags) > before {
		res.NotRun = true
		res.Steps = nil
	}
}
