package compiler

import (
	"fmt"

	"github.com/regc/regc/internal/spell"
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
	if s := spell.Nearest(name, candidates); s != "" {
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

// mainDecls are the declarations that only the regimen file holds, in the
// order written; run compiles them once every name is declared.
type mainDecls struct {
	stages      []*lang.StageDecl
	transitions []*lang.TransitionDecl
	migrations  []*lang.MigrateDecl
	tests       []*lang.TestDecl
	nulls       []*lang.NullSectionDecl
}

// declareAll is pass 1: it declares every name of every loaded file (the
// header, criteria, triggers, and the value namespace) and collects the
// regimen file's stages, transitions, migrations and tests.
func (c *checker) declareAll() *mainDecls {
	m := &mainDecls{}
	for _, f := range c.files {
		isMain := f.path == c.mainPath
		for _, d := range f.ast.Decls {
			switch d := d.(type) {
			case *lang.RegimenDecl:
				rng := lang.RangeOf(d.Pos, d.EndPos)
				if !isMain {
					c.diags.Errorf(lang.CodeInvalidImport, rng, "%s is imported as a library, so it cannot declare a regimen", f.path)
					continue
				}
				if c.header != nil {
					e := c.diags.Errorf(lang.CodeDuplicateDefinition, rng, "a file declares one regimen")
					e.Related = &lang.Related{Range: lang.RangeOf(c.header.Pos, c.header.EndPos), Message: "first declared here"}
					continue
				}
				c.header, c.headerFile = d, f.path
			case *lang.CriterionDecl:
				for _, n := range d.Names {
					c.declareSimple(c.criteria, "criterion", n)
				}
			case *lang.TriggerDecl:
				for _, n := range d.Names {
					if n.Value() == "progress" || n.Value() == "manual" {
						c.diags.Errorf(lang.CodeDuplicateDefinition, n.Range(), "%s is a built-in trigger", n.Value())
						continue
					}
					c.declareSimple(c.triggers, "trigger", n)
				}
			case *lang.SchemaDecl:
				c.declare(d.Name.Name, symSchema, d, d.Name.Range())
			case *lang.ScriptDecl:
				c.declare(d.Name.Name, symScript, d, d.Name.Range())
			case *lang.ParamsDecl:
				c.declare(d.Name.Name, symParams, d, d.Name.Range())
			case *lang.LetDecl:
				c.declare(d.Name.Name, symLet, d, d.Name.Range())
			case *lang.StageDecl, *lang.TransitionDecl, *lang.MigrateDecl, *lang.TestDecl, *lang.NullSectionDecl:
				if !isMain {
					c.diags.Errorf(lang.CodeInvalidImport, declRange(d), "stages, transitions, migrations and tests belong in the regimen file, not in the library %s", f.path)
					continue
				}
				switch d := d.(type) {
				case *lang.StageDecl:
					m.stages = append(m.stages, d)
				case *lang.TransitionDecl:
					m.transitions = append(m.transitions, d)
				case *lang.MigrateDecl:
					m.migrations = append(m.migrations, d)
				case *lang.TestDecl:
					m.tests = append(m.tests, d)
				case *lang.NullSectionDecl:
					m.nulls = append(m.nulls, d)
				}
			}
		}
	}
	return m
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

// keys returns the keys of m, for "did you mean".
func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
