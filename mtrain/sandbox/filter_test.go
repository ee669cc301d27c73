package sandbox

import "testing"

// SQLite reads a text as a C string where it parses it (LIKE, and a number
// compared with a numeric field): up to its first NUL. Found by fuzzing the
// q filters against the SQLite store; the expectations are SQLite's answers.
func TestFilterTextsEndAtNUL(t *testing.T) {
	for _, tc := range []struct {
		s, p string
		want bool
	}{
		{"A", "A\x00", true},
		{"A\x00B", "A", true},
		{"AB", "A\x00", false},
		{"AB", "A\x00%", false},
		{"ab", "A_", true},
	} {
		if got := like(tc.s, tc.p); got != tc.want {
			t.Errorf("%q LIKE %q: got %v, want %v", tc.s, tc.p, got, tc.want)
		}
	}
	two := intVal(2)
	for _, tc := range []struct {
		text string
		want int // 2 compared with the text
	}{
		{"2\x00", 0}, {"2\x00x", 0}, {"2 \x00", 0}, {"2.5\x00", -1}, {"\x002", -1}, {"2e\x00", -1}, {"x\x00", -1},
	} {
		c, ok := compare(two, kInt, sqlVal{kind: vText, s: tc.text})
		if !ok || c != tc.want {
			t.Errorf("2 compared with %q: got %d, %v; want %d", tc.text, c, ok, tc.want)
		}
	}
}
