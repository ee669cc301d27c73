package compiler

import "strings"

// Hand-written matchers for the patterns a check of an ordinary regimen
// meets, each held to the regular expression in its comment by
// TestMatchersMatchRegexps and FuzzMatchersMatchRegexps: compiling those
// expressions on first use cost every `regc check` about 0.2 ms, a tenth
// of its start-up.

func isDigitByte(c byte) bool  { return c >= '0' && c <= '9' }
func isLetterByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isAlnumByte(c byte) bool  { return isLetterByte(c) || isDigitByte(c) }

// isSemver: ^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$
func isSemver(s string) bool {
	i := 0
	for k := 0; k < 3; k++ {
		if k > 0 {
			if i >= len(s) || s[i] != '.' {
				return false
			}
			i++
		}
		switch {
		case i < len(s) && s[i] == '0':
			i++
		case i < len(s) && s[i] >= '1' && s[i] <= '9':
			for i < len(s) && isDigitByte(s[i]) {
				i++
			}
		default:
			return false
		}
	}
	for _, lead := range []byte{'-', '+'} {
		if i < len(s) && s[i] == lead {
			j := i + 1
			for j < len(s) && (isAlnumByte(s[j]) || s[j] == '.' || s[j] == '-') {
				j++
			}
			if j == i+1 {
				return false
			}
			i = j
		}
	}
	return i == len(s)
}

// isConventionalName: ^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$
func isConventionalName(s string) bool {
	return s != "" && isLetterByte(s[0]) && s[len(s)-1] != '_' && !strings.Contains(s, "__") && isIdentText(s)
}

// isIdentText: ^[A-Za-z_][A-Za-z0-9_]*$
func isIdentText(s string) bool {
	if s == "" || isDigitByte(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnumByte(s[i]) && s[i] != '_' {
			return false
		}
	}
	return true
}

// IsMD5 reports whether s is an md5 as a script_md5 is written: 32
// hexadecimal digits (^[0-9a-fA-F]{32}$).
func IsMD5(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigitByte(c) && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
			return false
		}
	}
	return true
}

// isExactVersion: ^\d+\.\d+\.\d+$
func isExactVersion(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if p == "" || strings.TrimLeft(p, "0123456789") != "" {
			return false
		}
	}
	return true
}

// splitQuantity splits a Quantity token into its number and unit, as
// ^(-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?)[ \t]*(.*)$ does (the text
// itself and "" when it does not match).
func splitQuantity(text string) (num, unitName string) {
	i := 0
	if i < len(text) && text[i] == '-' {
		i++
	}
	digits := func(j int) int {
		k := j
		for k < len(text) && isDigitByte(text[k]) {
			k++
		}
		return k - j
	}
	switch n := digits(i); {
	case n > 0 && i+n < len(text) && text[i+n] == '.':
		i += n + 1
		i += digits(i)
	case n > 0:
		i += n
	case i < len(text) && text[i] == '.' && digits(i+1) > 0:
		i += 1 + digits(i+1)
	default:
		return text, ""
	}
	if i < len(text) && (text[i] == 'e' || text[i] == 'E') {
		j := i + 1
		if j < len(text) && (text[j] == '-' || text[j] == '+') {
			j++
		}
		if n := digits(j); n > 0 {
			i = j + n
		}
	}
	j := i
	for j < len(text) && (text[j] == ' ' || text[j] == '\t') {
		j++
	}
	if strings.ContainsRune(text[j:], '\n') {
		return text, ""
	}
	return text[:i], text[j:]
}

// allowDirective reads a `// regc:allow ...` comment, returning what
// follows the directive: ^//\s*regc:allow\b(.*)$
func allowDirective(text string) (rest string, ok bool) {
	s, ok := strings.CutPrefix(text, "//")
	if !ok {
		return "", false
	}
	s = strings.TrimLeft(s, "\t\n\f\r ")
	if s, ok = strings.CutPrefix(s, "regc:allow"); !ok {
		return "", false
	}
	if s != "" && (isAlnumByte(s[0]) || s[0] == '_') || strings.ContainsRune(s, '\n') {
		return "", false
	}
	return s, true
}
