package lang

import (
	"strings"
	"testing"
)

// A bracket left open is reported where the next declaration starts, with
// the opener as a related note, and the declarations after it are still
// read: a later error is reported too.
func TestUnclosedBracketKeepsLaterDeclarations(t *testing.T) {
	src := "stage A {\n    script: cd\n    params: base\n\nstage B { script: = }\n"
	_, diags := Parse("t.regimen", []byte(src))
	if len(diags) != 2 {
		t.Fatalf("%d diagnostics, want 2: %v", len(diags), diags)
	}
	d := diags[0]
	if d.Range.Start.Line != 5 || d.Range.Start.Column != 1 || !strings.Contains(d.Message, `in stage A: missing "}"`) {
		t.Errorf("first diagnostic %v, want the missing brace at 5:1", d)
	}
	if d.Related == nil || d.Related.Range.Start.Line != 1 || d.Related.Range.Start.Column != 9 || d.Related.Message != `unclosed "{" opened here` {
		t.Errorf("related note %+v, want the opener at 1:9", d.Related)
	}
	if diags[1].Range.Start.Line != 5 || !strings.HasPrefix(diags[1].Message, "in stage B: ") {
		t.Errorf("second diagnostic %v, want one in stage B on line 5", diags[1])
	}
}

// A key that is a declaration keyword (`params:` in a stage) does not
// start a declaration, so a stage written without braces is one error.
func TestKeywordKeyIsNotADeclaration(t *testing.T) {
	_, diags := Parse("t.regimen", []byte("stage A\n    script: cd\n    params: base\n"))
	if len(diags) != 1 || !strings.Contains(diags[0].Message, "a stage's fields go in braces") {
		t.Errorf("diagnostics %v, want one saying the fields go in braces", diags)
	}
}

// A record whose keys start their lines, one of them a keyword, is not a
// bracket left open.
func TestKeywordKeyAtLineStart(t *testing.T) {
	src := "params p {\nn: 1\nstage: \"A\"\n}\nlet x = 1\n"
	f, diags := Parse("t.regimen", []byte(src))
	if len(diags) != 0 || f == nil || len(f.Decls) != 2 {
		t.Errorf("Parse: %v, want two declarations and no diagnostic", diags)
	}
}
