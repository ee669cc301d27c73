package emit

import (
	"sort"
	"strings"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/internal/py"
)

// JSON returns v as Python 3 prints it with
// json.dumps(v, sort_keys=True, indent=4): keys sorted by code point,
// four-space indentation, "," at line ends and ": " after keys, empty
// containers as [] and {}, strings escaped to ASCII, floats spelled as
// Python's repr (see py.Float) and the non-finite ones as Infinity, -Infinity
// and NaN. The result has no trailing newline.
//
// Strings that are not valid UTF-8 are written with each invalid byte
// replaced by U+FFFD, as a JSON reader would read them anyway, except for
// surrogates encoded as if they were characters (WTF-8: ED A0-BF 80-BF),
// which a Python string holds and json.dump writes as \udxxx escapes.
func JSON(v compiler.Value) []byte {
	var b strings.Builder
	writeJSON(&b, v, 0)
	return []byte(b.String())
}

func writeJSON(b *strings.Builder, v compiler.Value, depth int) {
	switch v.Kind {
	case compiler.Null:
		b.WriteString("null")
	case compiler.Bool:
		if v.Bool {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case compiler.Int:
		b.WriteString(intString(v))
	case compiler.Float:
		b.WriteString(py.JSONFloat(v.Float))
	case compiler.String:
		py.WriteJSONString(b, v.Str)
	case compiler.List:
		if len(v.List) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, x := range v.List {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(b, depth+1)
			writeJSON(b, x, depth+1)
		}
		newline(b, depth)
		b.WriteByte(']')
	default: // compiler.Map
		if len(v.Map) == 0 {
			b.WriteString("{}")
			return
		}
		fields := make([]compiler.Field, len(v.Map))
		copy(fields, v.Map)
		// Byte order of UTF-8 is code point order, which is how Python
		// sorts str keys. The sort is stable so duplicate keys (which a
		// well-formed record does not have) keep their order.
		sort.SliceStable(fields, func(i, j int) bool { return fields[i].Key < fields[j].Key })
		b.WriteByte('{')
		for i, f := range fields {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(b, depth+1)
			py.WriteJSONString(b, f.Key)
			b.WriteString(": ")
			writeJSON(b, f.Value, depth+1)
		}
		newline(b, depth)
		b.WriteByte('}')
	}
}

func newline(b *strings.Builder, depth int) {
	b.WriteByte('\n')
	for i := 0; i < depth; i++ {
		b.WriteString("    ")
	}
}

// intString spells an int value in decimal; a missing *big.Int is 0.
func intString(v compiler.Value) string {
	if v.Int == nil {
		return "0"
	}
	return v.Int.String()
}
