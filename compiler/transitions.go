package compiler

import (
	"fmt"

	"github.com/regc/regc/lang"
)

func (c *checker) stageRef(n *lang.Name) string {
	name := n.Value()
	if _, ok := c.stageDecl[name]; !ok {
		d := c.diags.Errorf(lang.CodeUndefinedStage, n.Range(), "undefined stage %s", name)
		c.didYouMean(d, name, keys(c.stageDecl))
	}
	return name
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
	t := &Transition{
		Trigger:    c.triggerRef(td.Trigger),
		Source:     c.stageRef(td.Source),
		Dest:       c.stageRef(td.Dest),
		When:       c.criterionRefs(td.When),
		Unless:     c.criterionRefs(td.Unless),
		WhenForm:   criteriaForm(td.WhenForm()),
		UnlessForm: criteriaForm(td.UnlessForm()),
		Range:      lang.RangeOf(td.Pos, td.EndPos),
	}
	c.reg.Transitions = append(c.reg.Transitions, t)
}
