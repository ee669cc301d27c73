package emit

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/internal/py"
)

// YAML returns v as a block-style YAML document, ending in a newline, that
// YAML 1.1 readers (PyYAML) and YAML 1.2 readers (gopkg.in/yaml.v3) both
// read back as v, with the same types. The rules:
//
//   - Records keep their own key order (not sorted). A non-empty record is a
//     block mapping; its entries are indented four spaces under their key.
//   - A non-empty list whose items are all scalars is a flow sequence on one
//     line ([200, 150]); any other non-empty list is a block sequence, its
//     "- " items indented four spaces under their key, a record item's
//     further keys aligned with its first.
//   - Empty lists and records are [] and {}.
//   - null, true and false are spelled so. Ints are decimal; an int outside
//     the 64-bit range is tagged (!!int 18446744073709551616) because a
//     YAML 1.2 reader would otherwise read it as a float.
//   - Floats always have a "." in the mantissa and a signed exponent when
//     they have one (15.0, 0.007, 1.0e-05, 1.5e+16), as YAML 1.1 requires,
//     and the non-finite ones are .inf, -.inf and .nan.
//   - A string is written plain only when no reader can take it for
//     anything else: it starts with a letter, "_" or "/", is not one of
//     the YAML 1.1 boolean or null words in any case (y, n, yes, no, on,
//     off, true, false, null), and holds only letters, digits and "_.-/";
//     outside a flow sequence also single inner spaces, ":" not followed by
//     a space or the end, and "?=&%+@~(),". Every other string (empty,
//     numeric-looking, .inf, ~, 1:30, 0x1F, leading or trailing spaces, "#",
//     ": ", control or non-printable characters...) is double-quoted with
//     \" \\ \n \r \t and \uXXXX or \UXXXXXXXX escapes; other non-ASCII
//     characters are kept as they are.
//   - A key longer than 1000 bytes once quoted is written as an explicit
//     key ("? key" then ": value"), since readers cap implicit keys at 1024
//     characters.
//
// Strings that are not valid UTF-8 are written with each invalid byte
// replaced by U+FFFD.
func YAML(v compiler.Value) []byte {
	var b strings.Builder
	if isBlock(v) {
		writeBlock(&b, v, 0, false)
	} else {
		b.WriteString(flowText(v))
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// yamlIndent is how far a nested block goes in from its parent key.
const yamlIndent = 4

// maxSimpleKey bounds the length of a key written as key: value.
const maxSimpleKey = 1000

// isBlock reports whether v is written as a block collection (as opposed to
// a scalar or a one-line flow form).
func isBlock(v compiler.Value) bool {
	switch v.Kind {
	case compiler.List:
		for _, x := range v.List {
			if !isScalar(x) {
				return true
			}
		}
		return false
	case compiler.Map:
		return len(v.Map) > 0
	}
	return false
}

func isScalar(v compiler.Value) bool {
	return v.Kind != compiler.List && v.Kind != compiler.Map
}

// writeBlock writes the block collection v whose lines start at column
// indent. When inline is set the first line's indentation has already been
// written (it follows a "- ").
func writeBlock(b *strings.Builder, v compiler.Value, indent int, inline bool) {
	pad := func() {
		if inline {
			inline = false
			return
		}
		b.WriteString(strings.Repeat(" ", indent))
	}
	if v.Kind == compiler.List {
		for _, x := range v.List {
			pad()
			b.WriteString("- ")
			if isBlock(x) {
				writeBlock(b, x, indent+2, true)
			} else {
				b.WriteString(flowText(x))
				b.WriteByte('\n')
			}
		}
		return
	}
	for _, f := range v.Map {
		pad()
		key := yamlString(f.Key, false)
		if len(key) > maxSimpleKey {
			b.WriteString("? ")
			b.WriteString(key)
			b.WriteByte('\n')
			b.WriteString(strings.Repeat(" ", indent))
		} else {
			b.WriteString(key)
		}
		b.WriteByte(':')
		if isBlock(f.Value) {
			b.WriteByte('\n')
			writeBlock(b, f.Value, indent+yamlIndent, false)
		} else {
			b.WriteByte(' ')
			b.WriteString(flowText(f.Value))
			b.WriteByte('\n')
		}
	}
}

// flowText spells a value that fits on one line: a scalar, an empty
// collection or a list of scalars.
func flowText(v compiler.Value) string {
	switch v.Kind {
	case compiler.Null:
		return "null"
	case compiler.Bool:
		if v.Bool {
			return "true"
		}
		return "false"
	case compiler.Int:
		if v.Int != nil && !v.Int.IsInt64() && !v.Int.IsUint64() {
			return "!!int " + v.Int.String()
		}
		return intString(v)
	case compiler.Float:
		return YAMLFloat(v.Float)
	case compiler.String:
		return yamlString(v.Str, false)
	case compiler.List:
		var b strings.Builder
		b.WriteByte('[')
		for i, x := range v.List {
			if i > 0 {
				b.WriteString(", ")
			}
			if x.Kind == compiler.String {
				b.WriteString(yamlString(x.Str, true))
			} else {
				b.WriteString(flowText(x))
			}
		}
		b.WriteByte(']')
		return b.String()
	default: // an empty record; a non-empty one is a block
		return "{}"
	}
}

// YAMLFloat spells f so that YAML 1.1 and 1.2 readers both read it as the
// float f: Python's repr with ".0" added to a mantissa that has no point
// (1.0e-05, 1.0e+16), and .inf, -.inf, .nan.
func YAMLFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return ".nan"
	case math.IsInf(f, 1):
		return ".inf"
	case math.IsInf(f, -1):
		return "-.inf"
	}
	s := py.Float(f)
	if i := strings.IndexByte(s, 'e'); i >= 0 && !strings.Contains(s[:i], ".") {
		s = s[:i] + ".0" + s[i:]
	}
	return s
}

// yamlString returns s plain when that is safe, double-quoted otherwise.
// flow says whether s goes inside a flow sequence.
func yamlString(s string, flow bool) string {
	if plainSafe(s, flow) {
		return s
	}
	return doubleQuoted(s)
}

// reservedWord reports the plain scalars that YAML 1.1 or 1.2 read as booleans
// or null (compared case-insensitively; some case variants are strings to
// some readers, but quoting them does no harm).
func reservedWord(s string) bool {
	switch s {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null":
		return true
	}
	return false
}

// plainSafe reports whether s can be written as a plain scalar and be read
// back as the string s by YAML 1.1 and 1.2 readers. It is deliberately
// stricter than either specification.
func plainSafe(s string, flow bool) bool {
	if s == "" || reservedWord(strings.ToLower(s)) {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_', r == '/':
		case r == utf8.RuneError:
			return false
		case r >= 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
		case i == 0:
			return false
		case r >= '0' && r <= '9', r == '.', r == '-':
		case flow:
			return false
		case r == ' ':
			// No trailing space, no two in a row.
			if i == len(s)-1 || s[i+1] == ' ' {
				return false
			}
		case r == ':':
			// ": " and a final ":" would start a mapping value.
			if i == len(s)-1 || s[i+1] == ' ' {
				return false
			}
		case strings.ContainsRune("?=&%+@~(),", r):
		default:
			return false
		}
	}
	return true
}

// doubleQuoted writes s as a YAML double-quoted scalar. Characters that a
// YAML reader would not accept raw, or that are invisible, are escaped.
func doubleQuoted(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
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
		default:
			switch {
			case r >= 0x20 && r <= 0x7e:
				b.WriteRune(r)
			case r >= 0x80 && unicode.IsPrint(r) && r != utf8.RuneError && r != 0xfeff:
				b.WriteRune(r)
			case r > 0xffff:
				fmt.Fprintf(&b, `\U%08x`, r)
			default:
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
