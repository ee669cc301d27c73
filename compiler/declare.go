package compiler

import (
	"fmt"

	"github.com/regc/regc/lang"
)

// symKind is the kind of a value-level declaration.
type symKind uint8

func (k symKind) String() string {
	switch k {
	case symSchema:
		return "schema"
	case symScript:
		return "script"
	case symParams:
		return "parameter set"
	default:
		return "constant"
	}
}

// symbol is a declared name in the value namespace: schemas, scripts,
// parameter sets and constants share it.
type symbol struct {
	name      string
	kind      symKind
	decl      lang.Decl
	rng       lang.Range
	typ       *typ  // schemas
	val       *ival // params, let: evaluated lazily
	script    *Script
	schema    *symbol // scripts and params: the schema named
	resolving bool
	used      bool
	// schemaBroken: a script whose schema could not be resolved
	schemaBroken bool
	// md5Null: a script declared with `md5: null` (see compileScript)
	md5Null bool
}

func (c *checker) names(kind symKind) []string {
	var out []string
	for _, s := range c.valueList {
		if s.kind == kind {
			out = append(out, s.name)
		}
	}
	return out
}

func (c *checker) allValueNames() []string {
	out := make([]string, 0, len(c.valueList))
	for _, s := range c.valueList {
		out = append(out, s.name)
	}
	return out
}

func (c *checker) didYouMean(d *lang.Diagnostic, name string, candidates []string) {
	if s := nearest(name, candidates); s != "" {
		d.Message += fmt.Sprintf(" (did you mean %s?)", s)
		d.Suggestion = s
	}
}

func (c *checker) declare(name string, kind symKind, d lang.Decl, rng lang.Range) *symbol {
	if prev, dup := c.values[name]; dup {
		e := c.diags.Errorf(lang.CodeDuplicateDefinition, rng, "%s is already declared (as a %s)", name, prev.kind)
		e.Related = &lang.Related{Range: prev.rng, Message: "first declared here"}
		return nil
	}
	s := &symbol{name: name, kind: kind, decl: d, rng: rng}
	c.values[name] = s
	c.valueList = append(c.valueList, s)
	return s
}

func declRange(d lang.Decl) lang.Range {
	switch d := d.(type) {
	case *lang.StageDecl:
		return d.Name.Range()
	case *lang.TransitionDecl:
		return lang.RangeOf(d.Pos, d.EndPos)
	case *lang.MigrateDecl:
		return d.From.Range()
	case *lang.TestDecl:
		return lang.RangeOf(d.Title.Pos, d.Title.EndPos)
	case *lang.NullSectionDecl:
		return lang.RangeOf(d.Pos, d.EndPos)
	}
	return lang.Range{}
}

func (c *checker) declareSimple(m map[string]lang.Range, what string, n *lang.Name) {
	name := n.Value()
	if first, dup := m[name]; dup {
		e := c.diags.Errorf(lang.CodeDuplicateDefinition, n.Range(), "%s %s is already declared", what, name)
		e.Related = &lang.Related{Range: first, Message: "first declared here"}
		return
	}
	m[name] = n.Range()
}
