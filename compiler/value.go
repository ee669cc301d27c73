package compiler

import (
	"math/big"
)

// Kind is the type of a compiled Value.
type Kind uint8

// The kinds of value a compiled document holds. They are the JSON types, with
// int and float kept apart (Python keeps them apart, so mtrain does).
const (
	Null Kind = iota
	Bool
	Int
	Float
	String
	List
	Map
)

// String returns the kind's name as messages use it.
func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "bool"
	case Int:
		return "int"
	case Float:
		return "float"
	case String:
		return "string"
	case List:
		return "list"
	default:
		return "record"
	}
}

// Value is one compiled value: what a document holds after names are
// resolved, bases merged and units converted.
type Value struct {
	Kind  Kind
	Bool  bool
	Int   *big.Int // Kind Int
	Float float64  // Kind Float (may be ±Inf or NaN)
	Str   string
	List  []Value
	Map   []Field // Kind Map: insertion order, keys unique
}

// Field is one key of a record value.
type Field struct {
	Key   string
	Value Value
}

// NullValue returns null.
func NullValue() Value { return Value{Kind: Null} }

// BoolValue returns the boolean b.
func BoolValue(b bool) Value { return Value{Kind: Bool, Bool: b} }

// IntValue returns the integer i.
func IntValue(i int64) Value { return Value{Kind: Int, Int: big.NewInt(i)} }

// BigIntValue returns the integer i, of any size; i is not copied.
func BigIntValue(i *big.Int) Value { return Value{Kind: Int, Int: i} }

// FloatValue returns the float f.
func FloatValue(f float64) Value { return Value{Kind: Float, Float: f} }

// StringValue returns the string s.
func StringValue(s string) Value { return Value{Kind: String, Str: s} }

// ListValue returns the list of vs; vs is not copied.
func ListValue(vs ...Value) Value { return Value{Kind: List, List: vs} }

// MapValue returns the record of fields, in their order; fields is not
// copied.
func MapValue(fields ...Field) Value { return Value{Kind: Map, Map: fields} }

// Get returns the value of key in a record, and whether it is there.
func (v Value) Get(key string) (Value, bool) {
	for _, f := range v.Map {
		if f.Key == key {
			return f.Value, true
		}
	}
	return Value{}, false
}

// Set returns a copy of record v with key set to x: an existing key keeps its
// place, a new one goes last.
func (v Value) Set(key string, x Value) Value {
	out := make([]Field, len(v.Map), len(v.Map)+1)
	copy(out, v.Map)
	for i := range out {
		if out[i].Key == key {
			out[i].Value = x
			return Value{Kind: Map, Map: out}
		}
	}
	return Value{Kind: Map, Map: append(out, Field{key, x})}
}

// Equal reports whether two values are the same document value: same kinds
// (1 is not 1.0), same list order, same keys in any order.
func Equal(a, b Value) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case Null:
		return true
	case Bool:
		return a.Bool == b.Bool
	case Int:
		return a.Int.Cmp(b.Int) == 0
	case Float:
		if a.Float != a.Float {
			return b.Float != b.Float
		}
		return a.Float == b.Float
	case String:
		return a.Str == b.Str
	case List:
		if len(a.List) != len(b.List) {
			return false
		}
		for i := range a.List {
			if !Equal(a.List[i], b.List[i]) {
				return false
			}
		}
		return true
	default:
		if len(a.Map) != len(b.Map) {
			return false
		}
		get := b.Get
		if len(b.Map) > indexAbove { // a scan per key would make n keys n*n/2 steps
			at := make(map[string]int, len(b.Map))
			for i := len(b.Map) - 1; i >= 0; i-- { // the first of a repeated key, as Get finds it
				at[b.Map[i].Key] = i
			}
			get = func(key string) (Value, bool) {
				i, ok := at[key]
				if !ok {
					return Value{}, false
				}
				return b.Map[i].Value, true
			}
		}
		for _, f := range a.Map {
			g, ok := get(f.Key)
			if !ok || !Equal(f.Value, g) {
				return false
			}
		}
		return true
	}
}
