package compiler

import (
	"fmt"

	"github.com/regc/regc/lang"
)

func (c *checker) stageRef(n *lang.Name) string {
	name, _ := c.stageIndex(n)
	return name
}

// stageIndex is stageRef that also returns the stage's place in the
// regimen's stages, or -1 when there is no such stage.
func (c *checker) stageIndex(n *lang.Name) (string, int32) {
	name := n.Value()
	sd, ok := c.stageDecl[name]
	if !ok {
		d := c.diags.Errorf(lang.CodeUndefinedStage, n.Range(), "undefined stage %s", name)
		c.didYouMean(d, name, keys(c.stageDecl))
		return name, -1
	}
	return name, int32(sd.at)
}

func (c *checker) criterionRefs(ns []*lang.Name) []string {
	out := make([]string, 0, len(ns))
	for _, n := range ns {
		name := n.Value()
		if _, ok := c.criteria[name]; !ok {
			d := c.diags.Errorf(lang.CodeUndefinedCriterion, n.Range(), "undefined criterion %s", name)
			c.didYouMean(d, name, keys(c.criteria))
			if d.Suggestion == "" {
				d.Message += fmt.Sprintf(": declare it with `criterion %s`", name)
			}
		}
		out = append(out, name)
	}
	return out
}

func (c *checker) triggerRef(id *lang.Ident) string {
	if _, ok := c.triggers[id.Name]; !ok {
		d := c.diags.Errorf(lang.CodeUndefinedName, id.Range(), "undefined trigger %s", id.Name)
		c.didYouMean(d, id.Name, keys(c.triggers))
		if d.Suggestion == "" {
			d.Message += fmt.Sprintf(": declare it with `trigger %s`", id.Name)
		}
	}
	return id.Name
}

func (c *checker) compileTransition(td *lang.TransitionDecl) {
	trigger := c.triggerRef(td.Trigger)
	src, srcAt := c.stageIndex(td.Source)
	dst, dstAt := c.stageIndex(td.Dest)
	t := &Transition{
		Trigger:    trigger,
		Source:     src,
		Dest:       dst,
		When:       c.criterionRefs(td.When),
		Unless:     c.criterionRefs(td.Unless),
		WhenForm:   criteriaForm(td.WhenForm()),
		UnlessForm: criteriaForm(td.UnlessForm()),
		Range:      lang.RangeOf(td.Pos, td.EndPos),
	}
	c.reg.Transitions = append(c.reg.Transitions, t)
	c.transitionAt = append(c.transitionAt, srcAt, dstAt)
}
