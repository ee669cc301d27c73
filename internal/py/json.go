package py

import (
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// QuoteJSON returns s quoted the way Python's json module does with
// ensure_ascii: printable ASCII as is, the usual short escapes, everything
// else as \u00xx (lowercase), characters beyond the BMP as surrogate pairs.
//
// Invalid UTF-8 is written with each invalid byte replaced by U+FFFD, as a
// JSON reader would read it anyway, except for surrogates encoded as if
// they were characters (WTF-8: ED A0-BF 80-BF), which a Python string holds
// and json.dumps writes as \udxxx escapes.
func QuoteJSON(s string) string {
	var b strings.Builder
	WriteJSONString(&b, s)
	return b.String()
}

// WriteJSONString writes QuoteJSON(s) to b.
func WriteJSONString(b *strings.Builder, s string) {
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

// JSONKey is the string json.dumps writes for a dict key: a string as it
// is, None, True and False as null, true and false, an int in decimal, a
// float as JSONFloat spells it (Infinity, not inf).
func JSONKey(k any) string {
	switch k := k.(type) {
	case string:
		return k
	case nil:
		return "null"
	case bool:
		if k {
			return "true"
		}
		return "false"
	case *big.Int:
		return k.String()
	case float64:
		return JSONFloat(k)
	default:
		return fmt.Sprint(k)
	}
}
