package emit

import (
	"slices"
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
	return jsonText(v, "")
}

// jsonText is JSON followed by end, made in one buffer.
func jsonText(v compiler.Value, end string) []byte {
	var b strings.Builder
	b.Grow(jsonSize(v, 0) + len(end))
	var sorted []compiler.Field
	writeJSON(&b, v, 0, &sorted)
	b.WriteString(end)
	return []byte(b.String())
}

// writeJSON writes v to b; sorted is a stack the records' fields are sorted
// on, so that a record's sort copies into space the last one used.
func writeJSON(b *strings.Builder, v compiler.Value, depth int, sorted *[]compiler.Field) {
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
			writeJSON(b, x, depth+1, sorted)
		}
		newline(b, depth)
		b.WriteByte(']')
	default: // compiler.Map
		if len(v.Map) == 0 {
			b.WriteString("{}")
			return
		}
		base := len(*sorted)
		*sorted = append(*sorted, v.Map...)
		fields := (*sorted)[base:]
		// Byte order of UTF-8 is code point order, which is how Python
		// sorts str keys. The sort is stable so duplicate keys (which a
		// well-formed record does not have) keep their order.
		slices.SortStableFunc(fields, func(a, b compiler.Field) int { return strings.Compare(a.Key, b.Key) })
		b.WriteByte('{')
		for i, f := range fields {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(b, depth+1)
			py.WriteJSONString(b, f.Key)
			b.WriteString(": ")
			writeJSON(b, f.Value, depth+1, sorted)
		}
		clear(fields)
		*sorted = (*sorted)[:base]
		newline(b, depth)
		b.WriteByte('}')
	}
}

// jsonSize is about the length writeJSON writes for v at depth: exact but
// for escapes, ints and floats, whose length it guesses. Growing the buffer
// as it fills left four times the document behind as garbage.
func jsonSize(v compiler.Value, depth int) int {
	switch v.Kind {
	case compiler.Null, compiler.Bool:
		return 5
	case compiler.Int:
		if v.Int == nil {
			return 1
		}
		return v.Int.BitLen()*3/10 + 2
	case compiler.Float:
		return 20
	case compiler.String:
		return len(v.Str) + 2
	case compiler.List:
		n := 2 + 1 + 4*depth
		for _, x := range v.List {
			n += 2 + 4*(depth+1) + jsonSize(x, depth+1)
		}
		return n
	default: // compiler.Map
		n := 2 + 1 + 4*depth
		for _, f := range v.Map {
			n += 2 + 4*(depth+1) + len(f.Key) + 4 + jsonSize(f.Value, depth+1)
		}
		return n
	}
}

func newline(b *strings.Builder, depth int) {
	// grow by doubling: append's growth of a large buffer by a quarter
	// left four times the document behind as garbage
	if b.Cap()-b.Len() < 512 {
		b.Grow(512) // to twice the capacity, and 512
	}
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
