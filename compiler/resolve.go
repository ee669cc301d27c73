package compiler

import (
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strings"

	"github.com/regc/regc/lang"
)

// resolveType turns a written type into a checked one.
func (c *checker) resolveType(t *lang.Type) *typ {
	if len(t.Alts) == 1 {
		return c.resolveTerm(t.Alts[0])
	}
	u := &typ{kind: tUnion, rng: lang.RangeOf(t.Pos, t.EndPos)}
	for _, a := range t.Alts {
		at := c.resolveTerm(a)
		if at.kind == tLiteral && at.lit.kind == iNull {
			u.nullable = true
			continue
		}
		if at.nullable {
			u.nullable = true
		}
		u.alts = append(u.alts, at)
	}
	if len(u.alts) == 1 {
		one := *u.alts[0]
		one.nullable = one.nullable || u.nullable
		return &one
	}
	return u
}

func (c *checker) resolveTerm(tt *lang.TypeTerm) *typ {
	var t *typ
	rng := lang.RangeOf(tt.Pos, tt.EndPos)
	switch {
	case tt.Literal != nil:
		l := tt.Literal
		p := &lang.Expr{Pos: l.Pos, EndPos: l.EndPos, Quantity: l.Quantity, Number: l.Number, Str: l.Str, Null: l.Null, True: l.True, False: l.False}
		v := c.evalPrimary(p)
		t = &typ{kind: tLiteral, lit: v, rng: rng}
	case tt.Tuple != nil:
		elems := make([]*typ, len(tt.Tuple.Elems))
		for i, e := range tt.Tuple.Elems {
			elems[i] = c.resolveType(e)
		}
		if tt.Tuple.Variadic {
			if len(elems) != 1 {
				c.diags.Errorf(lang.CodeSyntax, rng, "a list type names one element type: write [T, ...]")
			}
			t = &typ{kind: tList, elem: elems[0], rng: rng}
		} else {
			t = &typ{kind: tTuple, elems: elems, rng: rng}
		}
	case tt.Record != nil:
		t = c.resolveRecordType(tt.Record)
	default:
		t = c.resolveNamed(tt.Named)
	}
	if tt.Nullable {
		cp := *t
		cp.nullable = true
		t = &cp
	}
	return t
}

func (c *checker) resolveRecordType(rt *lang.RecordType) *typ {
	t := &typ{kind: tRecord, open: rt.Open, rng: lang.RangeOf(rt.Pos, rt.EndPos)}
	seen := map[string]lang.Range{}
	for _, f := range rt.Fields {
		name := f.Key.Value()
		if first, dup := seen[name]; dup {
			d := c.diags.Errorf(lang.CodeDuplicateDefinition, f.Key.Range(), "field %s is declared twice in this schema", name)
			d.Related = &lang.Related{Range: first, Message: "first declared here"}
			continue
		}
		seen[name] = f.Key.Range()
		t.fields = append(t.fields, &fieldT{name: name, optional: f.Optional, t: c.resolveType(f.Type), rng: f.Key.Range()})
	}
	// `...Base` takes Base's fields; a field declared here wins over one of
	// the same name from Base, and a field two bases both give is an error.
	embedded := map[string]string{}
	for _, id := range rt.Embeds {
		sym := c.values[id.Name]
		if sym == nil || sym.kind != symSchema {
			if sym != nil {
				c.diags.Errorf(lang.CodeTypeMismatch, id.Range(), "%s is a %s, not a schema", id.Name, sym.kind)
			} else {
				d := c.diags.Errorf(lang.CodeUndefinedName, id.Range(), "undefined schema %s", id.Name)
				c.didYouMean(d, id.Name, c.names(symSchema))
			}
			t.broken = true
			continue
		}
		sym.used = true
		base := c.schemaType(sym)
		for base.kind == tSchema {
			base = c.schemaType(base.schema)
		}
		if base.kind != tRecord {
			if !base.broken {
				c.diags.Errorf(lang.CodeTypeMismatch, id.Range(), "...%s takes the fields of a record schema, but %s is %s", id.Name, id.Name, base.name())
			}
			continue
		}
		for _, f := range base.fields {
			if _, own := seen[f.name]; own {
				continue
			}
			if other, dup := embedded[f.name]; dup {
				c.diags.Errorf(lang.CodeDuplicateDefinition, id.Range(), "field %s comes from both %s and %s", f.name, other, id.Name)
				continue
			}
			embedded[f.name] = id.Name
			t.fields = append(t.fields, f)
		}
	}
	return t
}

func (c *checker) resolveNamed(n *lang.NamedType) *typ {
	rng := lang.RangeOf(n.Pos, n.EndPos)
	name := n.Name.Name
	var t *typ
	kind, isPrimitive := primitive(name)
	switch {
	case n.Unit != nil:
		if !slices.Contains(dimensions, name) {
			d := c.diags.Errorf(lang.CodeUndefinedName, n.Name.Range(), "unknown dimension %s", name)
			c.didYouMean(d, name, dimensions)
			return &typ{kind: tAny, rng: rng, broken: true}
		}
		u := units.Get()[n.Unit.Name]
		if u == nil || u.Dim != name {
			d := c.diags.Errorf(lang.CodeUnitMismatch, n.Unit.Range(), "%s is not a unit of %s (its units: %s)", n.Unit.Name, name, strings.Join(sortedUnits(name), ", "))
			c.didYouMean(d, n.Unit.Name, unitsOf(name))
			return &typ{kind: tAny, rng: rng, broken: true}
		}
		t = &typ{kind: tQuantity, unit: u, rng: rng}
		if n.AsInt != nil {
			if n.AsInt.Name != "int" {
				c.diags.Errorf(lang.CodeSyntax, n.AsInt.Range(), "a quantity type takes `int` after its unit, not %s", n.AsInt.Name)
			}
			t.asInt = true
		}
	case isPrimitive:
		t = &typ{kind: kind, rng: rng}
	default:
		sym := c.values[name]
		if sym == nil || sym.kind != symSchema {
			if sym != nil {
				c.diags.Errorf(lang.CodeTypeMismatch, n.Name.Range(), "%s is a %s, not a type", name, sym.kind)
			} else {
				d := c.diags.Errorf(lang.CodeUndefinedName, n.Name.Range(), "undefined type %s", name)
				c.didYouMean(d, name, append(c.names(symSchema), "string", "int", "float", "number", "bool", "any"))
			}
			return &typ{kind: tAny, rng: rng, broken: true}
		}
		sym.used = true
		t = &typ{kind: tSchema, schema: sym, rng: rng}
	}
	if n.Range != nil {
		switch t.kind {
		case tInt, tFloat, tNumber, tQuantity:
		default:
			c.diags.Errorf(lang.CodeTypeMismatch, lang.RangeOf(n.Range.Pos, n.Range.EndPos), "a range applies to numbers and quantities, not %s", t.name())
			return t
		}
		t.lo = c.eval(n.Range.Lo)
		t.hi = c.eval(n.Range.Hi)
		t.loV = c.boundValue(t, t.lo)
		t.hiV = c.boundValue(t, t.hi)
		if t.loV != nil && t.hiV != nil && t.loV.Cmp(t.hiV) > 0 {
			c.diags.Errorf(lang.CodeOutOfRange, lang.RangeOf(n.Range.Pos, n.Range.EndPos), "the range is empty: its minimum %s is above its maximum %s", t.lo.text, t.hi.text).Suggestion =
				fmt.Sprintf("in [%s, %s]", t.hi.text, t.lo.text)
			t.loV, t.hiV = nil, nil
		}
	}
	return t
}

func (c *checker) boundValue(t *typ, b *ival) *big.Rat {
	if t.kind == tQuantity {
		if b.kind != iQuantity {
			if b.kind == iInt || b.kind == iFloat {
				c.diags.Errorf(lang.CodeUnitMismatch, b.rng, "a bound of a %s range needs a unit: write %s %s", t.unit.Dim, b.text, t.unit.Name)
			} else {
				c.diags.Errorf(lang.CodeTypeMismatch, b.rng, "got %s, want a %s", b.describe(), t.unit.Dim)
			}
			return nil
		}
		if b.unit.Dim != t.unit.Dim {
			c.diags.Errorf(lang.CodeUnitMismatch, b.rng, "%s is a %s, not a %s", b.text, b.unit.Dim, t.unit.Dim)
			return nil
		}
		return convert(b.num, b.unit, t.unit)
	}
	if b.kind != iInt && b.kind != iFloat {
		c.diags.Errorf(lang.CodeTypeMismatch, b.rng, "got %s, want a number", b.describe())
		return nil
	}
	return b.num
}

func sortedUnits(dim string) []string {
	u := unitsOf(dim)
	sort.Slice(u, func(i, j int) bool { return units.Get()[u[i]].Factor.Cmp(units.Get()[u[j]].Factor) < 0 })
	return u
}

// schemaType returns the resolved type of a schema symbol.
func (c *checker) schemaType(sym *symbol) *typ {
	if sym.typ == nil {
		if sym.resolving {
			// a schema that holds itself directly: any value would be infinite
			c.diags.Errorf(lang.CodeReferenceCycle, sym.rng, "schema %s refers to itself", sym.name)
			return &typ{kind: tAny, broken: true}
		}
		sym.resolving = true
		d := sym.decl.(*lang.SchemaDecl)
		if d.Record != nil {
			sym.typ = c.resolveRecordType(d.Record)
		} else {
			sym.typ = c.resolveType(d.Type)
		}
		sym.resolving = false
		// `schema A = B`, `schema B = A`: a chain of names that never
		// reaches a type
		chain := []string{sym.name}
		seen := map[*symbol]bool{sym: true}
		for t := sym.typ; t.kind == tSchema; {
			if seen[t.schema] {
				c.diags.Errorf(lang.CodeReferenceCycle, sym.rng, "schema %s is defined only by itself: %s -> %s", sym.name, strings.Join(chain, " -> "), t.schema.name)
				sym.typ = &typ{kind: tAny, broken: true, rng: sym.rng}
				break
			}
			seen[t.schema] = true
			chain = append(chain, t.schema.name)
			t = c.schemaType(t.schema)
		}
	}
	return sym.typ
}
