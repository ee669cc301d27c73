package safetext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Unsafe reports whether a character can act on a terminal or reorder the
// text around it: C0 and C1 controls (ESC, BEL, carriage return, newline,
// tab...), DEL, the bidirectional controls (U+202A-U+202E, U+2066-U+2069,
// the marks U+200E, U+200F, U+061C) and the line and paragraph separators.
func Unsafe(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x2028, r == 0x2029, r == 0xfeff:
		return true
	}
	return false
}

// Escape returns how Terminal shows a character: `\x1b` for a control
// below U+0080, `\u202e` for the others, the character itself when it is
// safe.
func Escape(r rune) string {
	switch {
	case !Unsafe(r):
		return string(r)
	case r < 0x80:
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// Terminal returns s with each unsafe character (see Unsafe) and each byte
// that is not UTF-8 (\xNN) escaped, so that printing it cannot move the
// cursor, clear the screen, set a title or reverse the text after it.
func Terminal(s string) string {
	clean := true
	for i, r := range s {
		if Unsafe(r) || r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			fmt.Fprintf(&b, `\x%02x`, s[i])
			i++
			continue
		}
		b.WriteString(Escape(r))
		i += n
	}
	return b.String()
}

// CSVCell returns a cell a spreadsheet shows as text: one that starts with
// `=`, `+`, `-`, `@`, a tab or a carriage return (which a spreadsheet would
// run as a formula, `=HYPERLINK(...)`) gets a leading `'`.
func CSVCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
