package compiler

import (
	"fmt"
	"math/big"
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

// primitive is the kind of a primitive type's name (string, int, float,
// number, bool, any); ok is false for any other name. A switch, not a map:
// a map at package level is built before main in every command.
func primitive(name string) (k tkind, ok bool) {
	switch name {
	case "string":
		return tString, true
	case "int":
		return tInt, true
	case "float":
		return tFloat, true
	case "number":
		return tNumber, true
	case "bool":
		return tBool, true
	case "any":
		return tAny, true
	}
	return 0, false
}

// IsBuiltinType reports whether a named type is one of the language's own
// (a primitive, `any`, or a dimension with a unit) rather than the name of
// a schema, as the checker resolves it.
func IsBuiltinType(n *lang.NamedType) bool {
	_, ok := primitive(n.Name.Name)
	return n.Unit != nil || ok
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
