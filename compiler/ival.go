package compiler

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/regc/regc/internal/lazyre"
	"github.com/regc/regc/lang"
)

// ikind is the kind of an intermediate value: a compiled value before it is
// checked against its schema, which still knows its units and where each
// part was written.
type ikind uint8

const (
	iNull ikind = iota
	iBool
	iInt
	iFloat
	iString
	iList
	iMap
	iQuantity
	// iBad is a value whose error is already reported: it checks against
	// any type without further complaint, so one mistake is one diagnostic.
	iBad
)

type ival struct {
	kind ikind
	b    bool
	// spare: a record whose fields were made for it alone, with room for
	// one more, by overrides (`base { ... }`); a stage written so adds its
	// `stage` key in place (see compileStage) rather than copying them
	spare  bool
	num    *big.Rat // iInt, iFloat (exact decimal), iQuantity
	f      float64  // iFloat: the nearest binary float, as Python reads it
	text   string   // the number as written
	s      string
	list   []*ival
	fields []ifield
	unit   *unit
	rng    lang.Range
	size   size // what it expands to, once measured (see sizeOf)
	// index is the position of each key in fields, kept once a record
	// being written grows past indexAbove fields (see find and put).
	index map[string]int
	// owner is the record a nested record was made for by a dotted key
	// (setPath): that record's later dotted keys write into it in place
	// instead of copying it again. Any other record copies it.
	owner *ival
}

type ifield struct {
	key    string
	keyRng lang.Range
	val    *ival
}

func (v *ival) get(key string) (*ival, int) {
	for i, f := range v.fields {
		if f.key == key {
			return f.val, i
		}
	}
	return nil, -1
}

// indexAbove is the number of fields past which a record being written
// finds its keys through an index rather than a scan, so that writing a
// record of n keys costs n steps, not n*n/2.
const indexAbove = 16

// find is get for a record being written (see put).
func (v *ival) find(key string) (*ival, int) {
	if v.index == nil {
		if len(v.fields) <= indexAbove {
			return v.get(key)
		}
		v.index = make(map[string]int, len(v.fields))
		for i := len(v.fields) - 1; i >= 0; i-- { // the first of a repeated key, as get finds it
			v.index[v.fields[i].key] = i
		}
	}
	if i, ok := v.index[key]; ok {
		return v.fields[i].val, i
	}
	return nil, -1
}

// put sets field i of a record being written, or adds f when i < 0.
func (v *ival) put(i int, f ifield) {
	if i >= 0 {
		v.fields[i] = f
		return
	}
	v.fields = append(v.fields, f)
	if v.index != nil {
		v.index[f.key] = len(v.fields) - 1
	}
}

// describe says what a value is, for messages: `int 5`, `string "x"`.
func (v *ival) describe() string {
	switch v.kind {
	case iNull:
		return "null"
	case iBool:
		return fmt.Sprintf("bool %v", v.b)
	case iInt:
		return "int " + v.text
	case iFloat:
		return "float " + v.text
	case iString:
		s := v.s
		if len(s) > 40 {
			s = s[:37] + "..."
		}
		return "string " + strconv.Quote(s)
	case iList:
		return fmt.Sprintf("a list of %d", len(v.list))
	case iMap:
		return "a record"
	case iQuantity:
		return fmt.Sprintf("%s %s", v.unit.Dim, v.text)
	default:
		return "an invalid value"
	}
}

// parseNumber reads a Number token: an int when it has no point or
// exponent, else a float.
func parseNumber(text string, rng lang.Range) (*ival, error) {
	t := strings.TrimPrefix(text, "+")
	if !strings.ContainsAny(t, ".eE") {
		n, ok := new(big.Int).SetString(t, 10)
		if !ok {
			return nil, fmt.Errorf("invalid number %q", text)
		}
		return &ival{kind: iInt, num: new(big.Rat).SetInt(n), text: t, rng: rng}, nil
	}
	rat, ok := new(big.Rat).SetString(t)
	if !ok {
		return nil, fmt.Errorf("invalid number %q", text)
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil && !math.IsInf(f, 0) {
		return nil, fmt.Errorf("invalid number %q", text)
	}
	if math.IsInf(f, 0) {
		return nil, fmt.Errorf("number %s is too large for a float", text)
	}
	return &ival{kind: iFloat, num: rat, f: f, text: t, rng: rng}, nil
}

// otherNumbers are the number forms of other languages that the scanner
// reads as a number and a unit: 0x10 is 0 and the unit x10.
var otherNumbers = []struct {
	unit *lazyre.Regexp
	base int
	what string
}{
	{lazyre.New(`^[xX][0-9a-fA-F]+$`), 16, "hexadecimal literals"},
	{lazyre.New(`^[oO][0-7]+$`), 8, "octal literals"},
	{lazyre.New(`^[bB][01]+$`), 2, "binary literals"},
	{lazyre.New(`^(?:_[0-9]+)+$`), 10, "digit separators"},
}

// otherNumberForm says what to write instead of a number written as another
// language writes it (num and unitName as splitQuantity splits it), or "".
func otherNumberForm(num, unitName string) string {
	for _, o := range otherNumbers {
		if !o.unit.Re().MatchString(unitName) {
			continue
		}
		digits := unitName[1:]
		if o.base == 10 {
			if strings.ContainsAny(num, ".eE") {
				return ""
			}
			digits = strings.ReplaceAll(strings.TrimPrefix(num, "-")+unitName, "_", "")
		} else if strings.TrimPrefix(num, "-") != "0" {
			return ""
		}
		n, ok := new(big.Int).SetString(digits, o.base)
		if !ok {
			return ""
		}
		if strings.HasPrefix(num, "-") {
			n.Neg(n)
		}
		return fmt.Sprintf("%s are not supported; write %s", o.what, n)
	}
	return ""
}

// toValue converts an intermediate value that no schema covers. A quantity
// there has no unit to be written in, which is an error.
func (c *checker) toValue(v *ival) Value { return c.convertUnchecked(v, false) }

// toValueQuiet converts a value whose error is already reported: a quantity
// in it is written in its own unit without a second complaint.
func (c *checker) toValueQuiet(v *ival) Value { return c.convertUnchecked(v, true) }

func (c *checker) convertUnchecked(v *ival, quiet bool) Value {
	switch v.kind {
	case iBad:
		return NullValue()
	case iNull:
		return NullValue()
	case iBool:
		return BoolValue(v.b)
	case iInt:
		return BigIntValue(v.num.Num())
	case iFloat:
		return FloatValue(v.f)
	case iString:
		return StringValue(v.s)
	case iList:
		out := make([]Value, len(v.list))
		for i, x := range v.list {
			out[i] = c.convertUnchecked(x, quiet)
		}
		return ListValue(out...)
	case iMap:
		out := make([]Field, len(v.fields))
		for i, f := range v.fields {
			out[i] = Field{f.key, c.convertUnchecked(f.val, quiet)}
		}
		return MapValue(out...)
	default:
		if quiet {
			return FloatValue(ratFloat(v.num))
		}
		c.diags.Errorf(lang.CodeUnitMismatch, v.rng, "%s has no declared unit to be written in: give the script a schema that declares this field's unit, or write a plain number", v.text).Suggestion = "declare the field in the script's schema, e.g. `field: " + v.unit.Dim + "(" + v.unit.Name + ")`"
		f, _ := v.num.Float64()
		return FloatValue(f)
	}
}

// ratFloat returns the float nearest an exact ratio.
func ratFloat(x *big.Rat) float64 {
	f, _ := x.Float64()
	return f
}

func ratString(x *big.Rat) string {
	if x.IsInt() {
		return x.Num().String()
	}
	// a finite decimal when the denominator has only 2s and 5s
	d := new(big.Int).Set(x.Denom())
	two, five := big.NewInt(2), big.NewInt(5)
	zero := big.NewInt(0)
	m := new(big.Int)
	digits := 0
	for {
		if m.Mod(d, two); m.Cmp(zero) == 0 {
			d.Quo(d, two)
			digits++
			continue
		}
		break
	}
	n5 := 0
	for {
		if m.Mod(d, five); m.Cmp(zero) == 0 {
			d.Quo(d, five)
			n5++
			continue
		}
		break
	}
	if d.Cmp(big.NewInt(1)) == 0 {
		if n5 > digits {
			digits = n5
		}
		s := x.FloatString(digits)
		s = strings.TrimRight(s, "0")
		return strings.TrimSuffix(s, ".")
	}
	return strconv.FormatFloat(ratFloat(x), 'g', -1, 64)
}
