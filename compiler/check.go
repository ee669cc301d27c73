package compiler

import (
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/regc/regc/internal/spell"
	"github.com/regc/regc/lang"
)

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
		c.diags.Errorf(lang.CodeTypeMismatch, v.rng, "got null, want %s", t.name()).Suggestion = "declare the field nullable (`" + t.name() + "?`) if null is meant"
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
			d := c.diags.Errorf(lang.CodeTypeMismatch, v.rng, "got int %s, want float", v.text)
			d.Suggestion = "write " + v.text + ".0"
			return c.toValueQuiet(v)
		}
		if v.kind == iQuantity {
			c.diags.Errorf(lang.CodeUnitMismatch, v.rng, "got %s, want a plain %s: this field has no unit", v.describe(), t.name()).Suggestion = ratString(v.num)
			return FloatValue(ratFloat(v.num))
		}
	case tLiteral:
		if litEqual(v, t.lit) {
			return c.toValue(v)
		}
		d := c.diags.Errorf(lang.CodeTypeMismatch, v.rng, "got %s, want %s", v.describe(), litText(t.lit))
		if v.kind == iString && t.lit.kind == iString && spell.Nearest(v.s, []string{t.lit.s}) != "" {
			d.Suggestion = lang.Quote(t.lit.s)
		}
		return c.toValueQuiet(v)
	case tQuantity:
		return c.checkQuantity(v, t)
	case tTuple, tList:
		if v.kind == iList {
			if t.kind == tTuple && len(v.list) != len(t.elems) {
				c.diags.Errorf(lang.CodeTypeMismatch, v.rng, "got a list of %d, want %d items (%s)", len(v.list), len(t.elems), t.name())
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
	c.diags.Errorf(lang.CodeTypeMismatch, v.rng, "got %s, want %s", v.describe(), t.name())
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
		d := c.diags.Errorf(lang.CodeUnitMismatch, v.rng, "%s needs a unit: this field is a %s in %s", v.text, t.unit.Dim, t.unit.Name)
		d.Suggestion = v.text + " " + t.unit.Name
		return c.toValueQuiet(v)
	default:
		c.diags.Errorf(lang.CodeTypeMismatch, v.rng, "got %s, want %s", v.describe(), t.name())
		return c.toValueQuiet(v)
	}
	if v.unit.Dim != t.unit.Dim {
		c.diags.Errorf(lang.CodeUnitMismatch, v.rng, "got a %s (%s), want a %s in %s", v.unit.Dim, v.text, t.unit.Dim, t.unit.Name)
		return FloatValue(ratFloat(v.num))
	}
	x := convert(v.num, v.unit, t.unit)
	c.checkRange(v, x, t)
	if t.asInt {
		if !x.IsInt() {
			c.diags.Errorf(lang.CodeTypeMismatch, v.rng, "%s is %s %s, not a whole number of %s", v.text, ratString(x), t.unit.Name, t.unit.Name)
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
		c.diags.Errorf(lang.CodeOutOfRange, v.rng, "%s is %s %s, too large for a float", v.text, sciString(x), t.unit.Name)
	case f == 0 && x.Sign() != 0:
		c.diags.Errorf(lang.CodeOutOfRange, v.rng, "%s is %s %s, too small for a float: it would be written as 0.0", v.text, sciString(x), t.unit.Name)
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
		c.diags.Errorf(lang.CodeOutOfRange, v.rng, "%s is outside the range [%s, %s]", v.text, textOr(t.lo), textOr(t.hi))
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
		c.diags.Errorf(lang.CodeOutOfRange, v.rng, "%s below the minimum %s", what, t.lo.text).Related =
			&lang.Related{Range: t.lo.rng, Message: "the range is declared here"}
	}
	if t.hiV != nil && x.Cmp(t.hiV) > 0 {
		c.diags.Errorf(lang.CodeOutOfRange, v.rng, "%s above the maximum %s", what, t.hi.text).Related =
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
	misspelt := map[string]bool{}
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
				d := c.diags.Errorf(lang.CodeUnknownField, f.keyRng, "unknown field %s", f.key)
				if s := spell.Nearest(f.key, names); s != "" {
					d.Message += fmt.Sprintf(" (did you mean %s?)", s)
					d.Suggestion = s
					if x, _ := v.get(s); x == nil {
						// the field is missing because it is misspelt
						// here: one message says both
						misspelt[s] = true
						for _, x := range t.fields {
							if x.name == s {
								c.misspellings = append(c.misspellings, misspelling{x, f.key, f.keyRng})
							}
						}
					}
				}
				out = append(out, Field{f.key, c.toValueQuiet(f.val)})
				continue
			}
			out = append(out, Field{f.key, c.toValue(f.val)})
			continue
		}
		c.spelt[ft] = true
		out = append(out, Field{f.key, c.check(f.val, ft.t, false)})
	}
	if !partial {
		var missing []string
		for _, ft := range t.fields {
			if ft.optional || misspelt[ft.name] {
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
			c.diags.Errorf(lang.CodeMissingField, v.rng, "missing field%s %s", s, strings.Join(missing, ", "))
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
		c.diags.Errorf(lang.CodeTypeMismatch, v.rng, "got %s, want %s", v.describe(), t.name())
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
