package compiler

import (
	"strings"

	"github.com/regc/regc/lang"
)

func (c *checker) compileHeader() {
	h := c.header
	if h == nil {
		return
	}
	if h.Null {
		null := NullValue()
		c.reg.NameValue = &null
		noName(&c.diags, lang.RangeOf(h.Pos, h.EndPos), "`regimen null`").Suggestion = "regimen NAME version 1.0.0"
		return
	}
	if h.Raw != nil {
		name, err := lang.Unquote(h.Raw.Raw)
		rng := lang.RangeOf(h.Raw.Pos, h.Raw.EndPos)
		if err != nil {
			c.diags.Errorf(lang.CodeSyntax, rng, "%s", err.Error())
		}
		c.reg.Name = name
		d := c.diags.Warnf(lang.CodeNameConvention, rng, "regimen name %q follows no convention: prefer `regimen NAME version MAJOR.MINOR.PATCH`", name)
		d.Suggestion = suggestedHeader(name)
		return
	}
	c.reg.Base = h.Name.Name
	c.reg.Name = h.Name.Name
	if !isConventionalName(h.Name.Name) {
		c.diags.Warnf(lang.CodeNameConvention, h.Name.Range(), "regimen name %s: use letters and digits in words joined by single underscores", h.Name.Name)
	}
	if h.Version == nil {
		c.diags.Errorf(lang.CodeMissingField, h.Name.Range(), "regimen %s has no version: write `regimen %s version 1.0.0`", h.Name.Name, h.Name.Name)
		return
	}
	if !isSemver(h.Version.Text) {
		d := c.diags.Errorf(lang.CodeSyntax, lang.RangeOf(h.Version.Pos, h.Version.EndPos), "in the regimen header: version %s is not MAJOR.MINOR.PATCH", h.Version.Text)
		if parts := strings.Split(h.Version.Text, "."); len(parts) < 3 {
			fixed := h.Version.Text + strings.Repeat(".0", 3-len(parts))
			d.Message += ": write " + fixed
			d.Suggestion = fixed
		}
	}
	c.reg.Version = h.Version.Text
	c.reg.Name = h.Name.Name + "_v" + h.Version.Text
}
