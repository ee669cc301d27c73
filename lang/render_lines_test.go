package lang

import "testing"

// TestLineTable checks the line table the renderer finds source lines in:
// CRLF endings, a last line without a newline, the empty line after a
// final newline, and lines the text does not have.
func TestLineTable(t *testing.T) {
	tab := newLineTable([]byte("a\r\nbb\n\nlast"))
	for n, want := range map[int]string{1: "a", 2: "bb", 3: "", 4: "last"} {
		if got, ok := tab.line(n); !ok || got != want {
			t.Errorf("line(%d) = %q, %v; want %q", n, got, ok, want)
		}
	}
	for _, n := range []int{0, 5, -1} {
		if got, ok := tab.line(n); ok {
			t.Errorf("line(%d) = %q; want none", n, got)
		}
	}
	if got, ok := newLineTable([]byte("x\n")).line(2); !ok || got != "" {
		t.Errorf("the line after a final newline = %q, %v; want an empty line", got, ok)
	}
}
