package compiler

import (
	"fmt"
	"math"
	"math/big"
	"sort"
	"strings"

	"github.com/regc/regc/lang"
)

// tkind is the kind of a schema type.
type tkind uint8

const (
	tAny tkind = iota
	tString
	tInt
	tFloat
	tNumber
	tBool
	tLiteral
	tQuantity
	tTuple
	tList
	tRecord
	tUnion
	tSchema // a reference to a named schema, resolved lazily
)

type typ struct {
	kind     tkind
	lit      *ival // tLiteral (kind iNull for the null literal)
	unit     *unit // tQuantity: the unit values are written in
	asInt    bool  // tQuantity: emitted as an int
	lo, hi   *ival // range bounds, as written
	loV, hiV *big.Rat
	elems    []*typ // tTuple
	elem     *typ   // tList
	fields   []*fieldT
	open     bool
	alts     []*typ
	nullable bool
	schema   *symbol // tSchema
	rng      lang.Range
	broken   bool // tAny standing in for a type whose error is reported
}

type fieldT struct {
	name     string
	optional bool
	t        *typ
	rng      lang.Range
}

var primitives = map[string]tkind{
	"string": tString, "int": tInt, "float": tFloat, "number": tNumber, "bool": tBool, "any": tAny,
}

// name says what a type is, for messages.
func (t *typ) name() string {
	s := t.baseName()
	if t.nullable && t.kind != tUnion {
		s += "?"
	}
	return s
}

func (t *typ) baseName() string {
	switch t.kind {
	case tAny:
		return "any"
	case tString:
		return "string"
	case tInt:
		return "int"
	case tFloat:
		return "float"
	case tNumber:
		return "number"
	case tBool:
		return "bool"
	case tLiteral:
		return litText(t.lit)
	case tQuantity:
		if t.asInt {
			return fmt.Sprintf("%s(%s, int)", t.unit.Dim, t.unit.Name)
		}
		return fmt.Sprintf("%s(%s)", t.unit.Dim, t.unit.Name)
	case tTuple:
		parts := make([]string, len(t.elems))
		for i, e := range t.elems {
			parts[i] = e.name()
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case tList:
		return "[" + t.elem.name() + ", ...]"
	case tRecord:
		return "a record"
	case tUnion:
		parts := make([]string, len(t.alts))
		for i, a := range t.alts {
			parts[i] = a.name()
		}
		return strings.Join(parts, " | ")
	default:
		return t.schema.name
	}
}

func litText(v *ival) string {
	switch v.kind {
	case iNull:
		return "null"
	case iString:
		return lang.Quote(v.s)
	case iBool:
		return fmt.Sprint(v.b)
	default:
		return v.text
	}
}

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
				c.diags.Errorf("syntax", rng, "a list type names one element type: write [T, ...]")
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
			d := c.diags.Errorf("duplicate-definition", f.Key.Range(), "field %s is declared twice in this schema", name)
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
				c.diags.Errorf("type-mismatch", id.Range(), "%s is a %s, not a schema", id.Name, sym.kind)
			} else {
				d := c.diags.Errorf("undefined-name", id.Range(), "undefined schema %s", id.Name)
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
				c.diags.Errorf("type-mismatch", id.Range(), "...%s takes the fields of a record schema, but %s is %s", id.Name, id.Name, base.name())
			}
			continue
		}
		for _, f := range base.fields {
			if _, own := seen[f.name]; own {
				continue
			}
			if other, dup := embedded[f.name]; dup {
				c.diags.Errorf("duplicate-definition", id.Range(), "field %s comes from both %s and %s", f.name, other, id.Name)
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
	switch {
	case n.Unit != nil:
		if !dimensions[name] {
			d := c.diags.Errorf("undefined-name", n.Name.Range(), "unknown dimension %s", name)
			c.didYouMean(d, name, keys(dimensions))
			return &typ{kind: tAny, rng: rng, broken: true}
		}
		u := units[n.Unit.Name]
		if u == nil || u.Dim != name {
			d := c.diags.Errorf("unit-mismatch", n.Unit.Range(), "%s is not a unit of %s (its units: %s)", n.Unit.Name, name, strings.Join(sortedUnits(name), ", "))
			c.didYouMean(d, n.Unit.Name, unitsOf(name))
			return &typ{kind: tAny, rng: rng, broken: true}
		}
		t = &typ{kind: tQuantity, unit: u, rng: rng}
		if n.AsInt != nil {
			if n.AsInt.Name != "int" {
				c.diags.Errorf("syntax", n.AsInt.Range(), "a quantity type takes `int` after its unit, not %s", n.AsInt.Name)
			}
			t.asInt = true
		}
	case primitives[name] != 0 || name == "any":
		t = &typ{kind: primitives[name], rng: rng}
	default:
		sym := c.values[name]
		if sym == nil || sym.kind != symSchema {
			if sym != nil {
				c.diags.Errorf("type-mismatch", n.Name.Range(), "%s is a %s, not a type", name, sym.kind)
			} else {
				d := c.diags.Errorf("undefined-name", n.Name.Range(), "undefined type %s", name)
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
			c.diags.Errorf("type-mismatch", lang.RangeOf(n.Range.Pos, n.Range.EndPos), "a range applies to numbers and quantities, not %s", t.name())
			return t
		}
		t.lo = c.eval(n.Range.Lo)
		t.hi = c.eval(n.Range.Hi)
		t.loV = c.boundValue(t, t.lo)
		t.hiV = c.boundValue(t, t.hi)
		if t.loV != nil && t.hiV != nil && t.loV.Cmp(t.hiV) > 0 {
			c.diags.Errorf("out-of-range", lang.RangeOf(n.Range.Pos, n.Range.EndPos), "the range is empty: its minimum %s is above its maximum %s", t.lo.text, t.hi.text).Suggestion =
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
				c.diags.Errorf("unit-mismatch", b.rng, "a bound of a %s range needs a unit: write %s %s", t.unit.Dim, b.text, t.unit.Name)
			} else {
				c.diags.Errorf("type-mismatch", b.rng, "got %s, want a %s", b.describe(), t.unit.Dim)
			}
			return nil
		}
		if b.unit.Dim != t.unit.Dim {
			c.diags.Errorf("unit-mismatch", b.rng, "%s is a %s, not a %s", b.text, b.unit.Dim, t.unit.Dim)
			return nil
		}
		return convert(b.num, b.unit, t.unit)
	}
	if b.kind != iInt && b.kind != iFloat {
		c.diags.Errorf("type-mismatch", b.rng, "got %s, want a number", b.describe())
		return nil
	}
	return b.num
}

func sortedUnits(dim string) []string {
	u := unitsOf(dim)
	sort.Slice(u, func(i, j int) bool { return units[u[i]].Factor.Cmp(units[u[j]].Factor) < 0 })
	return u
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// schemaType returns the resolved type of a schema symbol.
func (c *checker) schemaType(sym *symbol) *typ {
	if sym.typ == nil {
		if sym.resolving {
			// a schema that holds itself directly: any value would be infinite
			c.diags.Errorf("reference-cycle", sym.rng, "schema %s refers to itself", sym.name)
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
				c.diags.Errorf("reference-cycle", sym.rng, "schema %s is defined only by itself: %s -> %s", sym.name, strings.Join(chain, " -> "), t.schema.name)
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

// check converts v to the value t describes, reporting every way it does not
// fit. partial leaves out missing-field checks (a parameter set that a stage
// completes).
func (c *checker) check(v *ival, t *typ, partial bool) Value {
	// A record or list shared by many stages (a stimulus in a parameter
	// set) is checked and converted once: values are never changed after
	// they are made, so stages can share them. Only clean checks are kept,
	// so a union's trial of a wrong alternative is never taken for a match.
	if v.kind != iMap && v.kind != iList {
		return c.checkUncached(v, t, partial)
	}
	k := checkKey{v, t, partial}
	if val, ok := c.checked[k]; ok {
		return val
	}
	before := len(c.diags)
	val := c.checkUncached(v, t, partial)
	if len(c.diags) == before {
		if c.checked == nil {
			c.checked = map[checkKey]Value{}
		}
		c.checked[k] = val
	}
	return val
}

type checkKey struct {
	v       *ival
	t       *typ
	partial bool
}

func (c *checker) checkUncached(v *ival, t *typ, partial bool) Value {
	for t.kind == tSchema {
		nt := c.schemaType(t.schema)
		if t.nullable && !nt.nullable {
			cp := *nt
			cp.nullable = true
			nt = &cp
		}
		t = nt
	}
	if v.kind == iBad {
		return NullValue()
	}
	if t.broken {
		return c.toValueQuiet(v)
	}
	if v.kind == iNull {
		if t.nullable || t.kind == tAny || (t.kind == tLiteral && t.lit.kind == iNull) {
			return NullValue()
		}
		c.diags.Errorf("type-mismatch", v.rng, "got null, want %s", t.name()).Suggestion = "declare the field nullable (`" + t.name() + "?`) if null is meant"
		return NullValue()
	}
	switch t.kind {
	case tAny:
		return c.toValue(v)
	case tString:
		if v.kind == iString {
			return StringValue(v.s)
		}
	case tBool:
		if v.kind == iBool {
			return BoolValue(v.b)
		}
	case tInt, tFloat, tNumber:
		ok := v.kind == iInt && t.kind != tFloat || v.kind == iFloat && t.kind != tInt
		if ok {
			c.checkRange(v, v.num, t)
			return c.toValue(v)
		}
		if v.kind == iInt && t.kind == tFloat {
			d := c.diags.Errorf("type-mismatch", v.rng, "got int %s, want float", v.text)
			d.Suggestion = "write " + v.text + ".0"
			return c.toValueQuiet(v)
		}
		if v.kind == iQuantity {
			c.diags.Errorf("unit-mismatch", v.rng, "got %s, want a plain %s: this field has no unit", v.describe(), t.name()).Suggestion = v.num.RatString()
			return FloatValue(ratFloat(v.num))
		}
	case tLiteral:
		if litEqual(v, t.lit) {
			return c.toValue(v)
		}
		d := c.diags.Errorf("type-mismatch", v.rng, "got %s, want %s", v.describe(), litText(t.lit))
		if v.kind == iString && t.lit.kind == iString && nearest(v.s, []string{t.lit.s}) != "" {
			d.Suggestion = lang.Quote(t.lit.s)
		}
		return c.toValueQuiet(v)
	case tQuantity:
		return c.checkQuantity(v, t)
	case tTuple, tList:
		if v.kind == iList {
			if t.kind == tTuple && len(v.list) != len(t.elems) {
				c.diags.Errorf("type-mismatch", v.rng, "got a list of %d, want %d items (%s)", len(v.list), len(t.elems), t.name())
				return c.toValueQuiet(v)
			}
			out := make([]Value, len(v.list))
			for i, x := range v.list {
				et := t.elem
				if t.kind == tTuple {
					et = t.elems[i]
				}
				out[i] = c.check(x, et, false)
			}
			return ListValue(out...)
		}
	case tRecord:
		if v.kind == iMap {
			return c.checkRecord(v, t, partial)
		}
	case tUnion:
		return c.checkUnion(v, t, partial)
	}
	c.diags.Errorf("type-mismatch", v.rng, "got %s, want %s", v.describe(), t.name())
	return c.toValueQuiet(v)
}

func litEqual(v, lit *ival) bool {
	if v.kind != lit.kind {
		return false
	}
	switch v.kind {
	case iNull:
		return true
	case iBool:
		return v.b == lit.b
	case iString:
		return v.s == lit.s
	case iInt, iFloat:
		return v.num.Cmp(lit.num) == 0
	case iQuantity:
		return v.unit.Dim == lit.unit.Dim && convert(v.num, v.unit, lit.unit).Cmp(lit.num) == 0
	}
	return false
}

func (c *checker) checkQuantity(v *ival, t *typ) Value {
	switch v.kind {
	case iQuantity:
	case iInt, iFloat:
		d := c.diags.Errorf("unit-mismatch", v.rng, "%s needs a unit: this field is a %s in %s", v.text, t.unit.Dim, t.unit.Name)
		d.Suggestion = v.text + " " + t.unit.Name
		return c.toValueQuiet(v)
	default:
		c.diags.Errorf("type-mismatch", v.rng, "got %s, want %s", v.describe(), t.name())
		return c.toValueQuiet(v)
	}
	if v.unit.Dim != t.unit.Dim {
		c.diags.Errorf("unit-mismatch", v.rng, "got a %s (%s), want a %s in %s", v.unit.Dim, v.text, t.unit.Dim, t.unit.Name)
		return FloatValue(ratFloat(v.num))
	}
	x := convert(v.num, v.unit, t.unit)
	c.checkRange(v, x, t)
	if t.asInt {
		if !x.IsInt() {
			c.diags.Errorf("type-mismatch", v.rng, "%s is %s %s, not a whole number of %s", v.text, ratString(x), t.unit.Name, t.unit.Name)
			return FloatValue(ratFloat(x))
		}
		return BigIntValue(new(big.Int).Set(x.Num()))
	}
	// the document holds a 64-bit float, as Python's float() reads it: a
	// conversion past its range would be written as Infinity, and one
	// below its smallest step as 0.0
	f := ratFloat(x)
	switch {
	case math.IsInf(f, 0):
		c.diags.Errorf("out-of-range", v.rng, "%s is %s %s, too large for a float", v.text, sciString(x), t.unit.Name)
	case f == 0 && x.Sign() != 0:
		c.diags.Errorf("out-of-range", v.rng, "%s is %s %s, too small for a float: it would be written as 0.0", v.text, sciString(x), t.unit.Name)
	}
	return FloatValue(f)
}

// sciString writes a ratio in scientific notation with a few digits, even
// one beyond a float's range.
func sciString(x *big.Rat) string {
	return new(big.Float).SetPrec(64).SetRat(x).Text('g', 6)
}

func (c *checker) checkRange(v *ival, x *big.Rat, t *typ) {
	if t.loV == nil && t.hiV == nil {
		return
	}
	if v.kind == iFloat && (math.IsInf(v.f, 0) || math.IsNaN(v.f)) {
		c.diags.Errorf("out-of-range", v.rng, "%s is outside the range [%s, %s]", v.text, textOr(t.lo), textOr(t.hi))
		return
	}
	what := v.text
	if converted := ratString(x); converted != v.text && (t.kind != tQuantity || converted+" "+t.unit.Name != v.text) {
		what = v.text + " is " + converted
		if t.kind == tQuantity {
			what += " " + t.unit.Name
		}
		what += ","
	} else {
		what += " is"
	}
	if t.loV != nil && x.Cmp(t.loV) < 0 {
		c.diags.Errorf("out-of-range", v.rng, "%s below the minimum %s", what, t.lo.text).Related =
			&lang.Related{Range: t.lo.rng, Message: "the range is declared here"}
	}
	if t.hiV != nil && x.Cmp(t.hiV) > 0 {
		c.diags.Errorf("out-of-range", v.rng, "%s above the maximum %s", what, t.hi.text).Related =
			&lang.Related{Range: t.hi.rng, Message: "the range is declared here"}
	}
}

func textOr(v *ival) string {
	if v == nil {
		return "?"
	}
	return v.text
}

func (c *checker) checkRecord(v *ival, t *typ, partial bool) Value {
	out := make([]Field, 0, len(v.fields))
	for _, f := range v.fields {
		var ft *fieldT
		for _, x := range t.fields {
			if x.name == f.key {
				ft = x
				break
			}
		}
		if ft == nil {
			if !t.open {
				names := make([]string, len(t.fields))
				for i, x := range t.fields {
					names[i] = x.name
				}
				d := c.diags.Errorf("unknown-field", f.keyRng, "unknown field %s", f.key)
				if s := nearest(f.key, names); s != "" {
					d.Message += fmt.Sprintf(" (did you mean %s?)", s)
					d.Suggestion = s
				}
				out = append(out, Field{f.key, c.toValueQuiet(f.val)})
				continue
			}
			out = append(out, Field{f.key, c.toValue(f.val)})
			continue
		}
		out = append(out, Field{f.key, c.check(f.val, ft.t, false)})
	}
	if !partial {
		var missing []string
		for _, ft := range t.fields {
			if ft.optional {
				continue
			}
			if x, _ := v.get(ft.name); x == nil {
				missing = append(missing, ft.name)
			}
		}
		if len(missing) > 0 {
			s := "s"
			if len(missing) == 1 {
				s = ""
			}
			c.diags.Errorf("missing-field", v.rng, "missing field%s %s", s, strings.Join(missing, ", "))
		}
	}
	return MapValue(out...)
}

func (c *checker) checkUnion(v *ival, t *typ, partial bool) Value {
	type try struct {
		val   Value
		diags lang.Diagnostics
	}
	saved := c.diags
	var tries []try
	for _, alt := range t.alts {
		c.diags = nil
		val := c.check(v, alt, partial)
		tries = append(tries, try{val, c.diags})
		if !c.diags.HasErrors() {
			c.diags = append(saved, c.diags...)
			return val
		}
	}
	c.diags = saved
	// every alternative failed: a scalar gets one message; a record gets the
	// errors of the alternative it came closest to.
	if v.kind != iMap {
		c.diags.Errorf("type-mismatch", v.rng, "got %s, want %s", v.describe(), t.name())
		return c.toValueQuiet(v)
	}
	best := 0
	for i, tr := range tries {
		if len(tr.diags) < len(tries[best].diags) {
			best = i
		}
	}
	c.diags = append(c.diags, tries[best].diags...)
	return tries[best].val
}
