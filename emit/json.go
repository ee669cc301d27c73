package emit

import (
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/regc/regc/compiler"
)

// JSON returns v as Python 3 prints it with
// json.dumps(v, sort_keys=True, indent=4): keys sorted by code point,
// four-space indentation, "," at line ends and ": " after keys, empty
// containers as [] and {}, strings escaped to ASCII, floats spelled as
// Python's repr (see PyFloat) and the non-finite ones as Infinity, -Infinity
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
		b.WriteString(jsonFloat(v.Float))
	case compiler.String:
		writeJSONString(b, v.Str)
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
			writeJSONString(b, f.Key)
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

const hexDigits = "0123456789abcdef"

// writeJSONString writes s quoted the way Python's json module does with
// ensure_ascii: printable ASCII as is, the usual short escapes, everything
// else as \u00xx (lowercase), characters beyond the BMP as surrogate pairs.
func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i, r := range s { // invalid UTF-8 decodes as U+FFFD
		if r == utf8.RuneError {
			if c, ok := wtf8Surrogate(s[i:]); ok {
				writeU16(b, c)
				continue
			}
			if isWTF8Tail(s, i) {
				continue
			}
		}
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			switch {
			case r >= 0x20 && r <= 0x7e:
				b.WriteRune(r)
			case r > 0xffff:
				r -= 0x10000
				writeU16(b, 0xd800|(r>>10)&0x3ff)
				writeU16(b, 0xdc00|r&0x3ff)
			default:
				writeU16(b, r)
			}
		}
	}
	b.WriteByte('"')
}

// wtf8Surrogate decodes a surrogate (D800-DFFF) written as a 3-byte
// UTF-8 sequence at the start of s.
func wtf8Surrogate(s string) (rune, bool) {
	if len(s) < 3 || s[0] != 0xed || s[1] < 0xa0 || s[1] > 0xbf || s[2] < 0x80 || s[2] > 0xbf {
		return 0, false
	}
	return 0xd000 | rune(s[1]&0x3f)<<6 | rune(s[2]&0x3f), true
}

// isWTF8Tail reports whether byte i of s is the second or third byte of a
// surrogate that wtf8Surrogate decoded.
func isWTF8Tail(s string, i int) bool {
	for k := 1; k <= 2 && k <= i; k++ {
		if _, ok := wtf8Surrogate(s[i-k:]); ok {
			return true
		}
	}
	return false
}

func writeU16(b *strings.Builder, r rune) {
	b.WriteString(`\u`)
	b.WriteByte(hexDigits[r>>12&0xf])
	b.WriteByte(hexDigits[r>>8&0xf])
	b.WriteByte(hexDigits[r>>4&0xf])
	b.WriteByte(hexDigits[r&0xf])
}

// jsonFloat spells f as Python's json module does: repr for finite values,
// Infinity, -Infinity and NaN otherwise.
func jsonFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return PyFloat(f)
}

// PyFloat returns Python 3's repr of the float f (see compiler.PyFloat).
func PyFloat(f float64) string { return compiler.PyFloat(f) }
