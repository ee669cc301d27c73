package lang

import (
	"bytes"
	"strings"
	"testing"
)

// A very long source line is shown as a window around the range, and the
// marker still sits under the range.
func TestRenderLongLine(t *testing.T) {
	line := strings.Repeat("a", 5000) + "BAD" + strings.Repeat("b", 5000)
	src := []byte(line + "\n")
	start := Pos{Line: 1, Column: 5001, Offset: 5000}
	d := Diagnostic{Code: "syntax", Severity: Error, Message: "bad",
		Range: Range{File: "f", Start: start, End: Pos{Line: 1, Column: 5004, Offset: 5003}}}
	var b bytes.Buffer
	if err := Render(&b, Diagnostics{d}, map[string][]byte{"f": src}, RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	if len(lines) < 3 {
		t.Fatalf("got %q", b.String())
	}
	shown, marker := lines[1], lines[2]
	if len(shown) > maxShownLine+20 {
		t.Errorf("the source line is shown whole (%d bytes)", len(shown))
	}
	i := strings.Index(shown, "BAD")
	j := strings.Index(marker, "^^^")
	if i < 0 || i != j || strings.Count(marker, "^") != 3 {
		t.Errorf("marker not under the range:\n%s\n%s", shown, marker)
	}
	if !strings.Contains(shown, "...") {
		t.Errorf("no ellipsis where the line is cut: %s", shown)
	}
}

// Brackets nested past MaxNesting are a syntax error, not a stack overflow.
func TestParseDeepNesting(t *testing.T) {
	src := "let x = " + strings.Repeat("[", 200000) + strings.Repeat("]", 200000)
	f, diags := Parse("deep.regimen", []byte(src))
	if f != nil || len(diags) != 1 || !strings.Contains(diags[0].Message, "nested more than") {
		t.Fatalf("got %v", diags)
	}
	ok := "let x = " + strings.Repeat("[", MaxNesting) + strings.Repeat("]", MaxNesting)
	if _, diags := Parse("ok.regimen", []byte(ok)); len(diags) != 0 {
		t.Fatalf("%d levels: %v", MaxNesting, diags)
	}
}

// Control characters and bidirectional controls in a source line, a
// message, a suggestion or a file name are shown escaped, never sent to
// the terminal, and the marker still sits under the range.
func TestRenderEscapesControls(t *testing.T) {
	line := "stage \"\x1b]0;pwned\x07\x1b[2J\u202e\" { x: BAD }"
	src := []byte(line + "\n")
	col := strings.Index(line, "BAD")
	start := Pos{Line: 1, Column: len([]rune(line[:col])) + 1, Offset: col}
	end := Pos{Line: 1, Column: start.Column + 3, Offset: col + 3}
	file := "evil\x1b[31m.regimen"
	d := Diagnostic{Code: "syntax", Severity: Error, Message: "bad name \"\x1b[2J\u202e\"", Suggestion: "try \x07\r",
		Range:   Range{File: file, Start: start, End: end},
		Related: &Related{Range: Range{File: file, Start: start, End: end}, Message: "here\x1b[K"}}
	var b bytes.Buffer
	if err := Render(&b, Diagnostics{d}, map[string][]byte{file: src}, RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"\x1b", "\x07", "\r", "\u202e"} {
		if strings.Contains(out, bad) {
			t.Errorf("the output holds %q raw:\n%s", bad, out)
		}
	}
	if !strings.Contains(out, `\x1b[2J`) || !strings.Contains(out, `\u202e`) {
		t.Errorf("the controls are not shown escaped:\n%s", out)
	}
	lines := strings.Split(out, "\n")
	shown, marker := lines[1], lines[2]
	if i, j := strings.Index(shown, "BAD"), strings.Index(marker, "^^^"); i < 0 || i != j {
		t.Errorf("marker not under the range:\n%s\n%s", shown, marker)
	}
}

// A URL password quoted in a message is hidden.
func TestRenderHidesURLPasswords(t *testing.T) {
	d := Diagnostic{Code: "type-mismatch", Severity: Error, Message: `got string "http://u:pw/1@h/a.py", want int`,
		Suggestion: "http://u:pw/2@h/b.py", Range: Range{File: "f", Start: Pos{Line: 1, Column: 1}, End: Pos{Line: 1, Column: 2}}}
	var b bytes.Buffer
	if err := Render(&b, Diagnostics{d}, nil, RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	if out := b.String(); strings.Contains(out, "pw/") || !strings.Contains(out, "u:[redacted]@h/a.py") {
		t.Errorf("got %q", out)
	}
}

// TestParseDeepNestingBehindDottedKeywordKeys: a key path that starts with
// a keyword (`final.x:`) at the start of a line inside a record is a key,
// not a new declaration, so it does not restart the count of open
// brackets: lines of them cannot add up to a nesting past MaxNesting.
func TestParseDeepNestingBehindDottedKeywordKeys(t *testing.T) {
	const lines, per = 40, 990
	var b strings.Builder
	b.WriteString("stage A {\n  a: " + strings.Repeat("{ b: ", per) + "1\n")
	for range lines {
		b.WriteString("final.x: " + strings.Repeat("{ b: ", per) + "1\n")
	}
	b.WriteString(strings.Repeat("}", per*(lines+1)+1) + "\n")
	f, diags := Parse("deep.regimen", []byte(b.String()))
	if f != nil || len(diags) == 0 || !strings.Contains(diags[0].Message, "nested more than") {
		t.Fatalf("%d levels behind `final.x:` keys: got %d diagnostics %v, want the nesting refused", per*(lines+1), len(diags), diags)
	}
	// a keyword key with a colon is a key too, and a dotted one at the
	// top level is no declaration
	for _, src := range []string{
		"stage A {\n  a: {\nstage: 1\n  }\n}\n",
		"stage A {\n  a: {\nfinal.x: 1\n  }\n}\n",
	} {
		if _, diags := Parse("ok.regimen", []byte(src)); len(diags) != 0 {
			t.Errorf("%q: %v", src, diags)
		}
	}
}
