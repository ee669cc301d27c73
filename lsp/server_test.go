package lsp

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/regc/regc/lang"
)

func TestPositionsCountUTF16(t *testing.T) {
	src := []byte("ab\n// é😀 x\nend")
	tx := newText(src)
	x := bytes.IndexByte(src, 'x')
	p := tx.position(x)
	// é is one UTF-16 unit, 😀 two: x is at 3+1+2+1 = 7
	if p != (Position{Line: 1, Character: 7}) {
		t.Errorf("position of x = %+v, want 1:7", p)
	}
	if got := tx.offset(p); got != x {
		t.Errorf("offset of 1:7 = %d, want %d", got, x)
	}
	if got := tx.offset(Position{Line: 1, Character: 99}); got != bytes.IndexByte(src, '\n')+len("\n// é😀 x") {
		t.Errorf("a column past the line's end is clamped to it, got %d", got)
	}
	// the compiler counts columns in runes: x is column 8 (1-based)
	if got := tx.rng(lang.Range{Start: lang.Pos{Line: 2, Column: 7}, End: lang.Pos{Line: 2, Column: 8}}); got.Start.Character != 7 || got.End.Character != 8 {
		t.Errorf("compiler range to LSP: %+v, want characters 7-8", got)
	}
}

func TestIncrementalEditsAfterWideCharacters(t *testing.T) {
	h := newHarness(t)
	path := filepath.Join(t.TempDir(), "a.regimen")
	h.open(path, "// 😀 one\nlet x = 1\n")
	h.call("textDocument/didChange", map[string]any{
		"textDocument": map[string]any{"uri": pathURI(path), "version": 2},
		"contentChanges": []any{
			map[string]any{"range": Range{Start: Position{0, 6}, End: Position{0, 9}}, "text": "two"},
			map[string]any{"range": Range{Start: Position{1, 8}, End: Position{1, 9}}, "text": "22"},
		},
	})
	if got := string(h.s.docs[path].src); got != "// 😀 two\nlet x = 22\n" {
		t.Errorf("after the edits: %q", got)
	}
	if h.s.docs[path].version != 2 {
		t.Errorf("version %d, want 2", h.s.docs[path].version)
	}
}

// An import open in another buffer is read from the buffer, not the disk.
func TestImportEditedInAnotherBuffer(t *testing.T) {
	path, task := visualBehavior(t)
	common := filepath.Join(filepath.Dir(path), "common.regimen")
	commonSrc, _ := os.ReadFile(common)
	h := newHarness(t)
	h.open(path, task)
	if ds := h.diagnostics(path); len(ds) != 0 {
		t.Fatalf("task1a: %v", ds)
	}
	h.open(common, strings.Replace(string(commonSrc), "criterion one_complete, three_complete", "criterion one_done, three_complete", 1))
	ds := h.diagnostics(path)
	var found bool
	for _, d := range ds {
		if d.Code == lang.CodeUndefinedCriterion && strings.Contains(d.Message, "one_complete") {
			found = true
		}
	}
	if !found {
		t.Errorf("task1a after common's buffer renamed one_complete: %v, want undefined-criterion", ds)
	}
	h.call("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": pathURI(common)}})
	if ds := h.diagnostics(path); len(ds) != 0 {
		t.Errorf("task1a after common's buffer closed (the disk file is unchanged): %v", ds)
	}
}

func TestQuickFixDeclaresCriterion(t *testing.T) {
	path, task := visualBehavior(t)
	task = strings.Replace(task, "when three_complete", "when zqxv_jwk", 1)
	h := newHarness(t)
	h.open(path, task)
	var dg *Diagnostic
	for _, d := range h.diagnostics(path) {
		if d.Code == lang.CodeUndefinedCriterion {
			dg = &d
		}
	}
	if dg == nil || dg.Data != nil {
		t.Fatalf("want an undefined-criterion without a suggestion, got %+v", dg)
	}
	res := h.call("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": pathURI(path)}, "range": dg.Range, "context": map[string]any{"diagnostics": []any{dg}}})
	got, _ := json.Marshal(res)
	importLine := strings.Count(task[:strings.Index(task, "import \"common\"")], "\n")
	at := `{"line":` + itoa(importLine+1) + `,"character":0}`
	want := `{"range":{"start":` + at + `,"end":` + at + `},"newText":"criterion zqxv_jwk\n"}`
	if !strings.Contains(string(got), `"title":"declare criterion zqxv_jwk"`) || !strings.Contains(string(got), want) {
		t.Errorf("code actions %s, want %s", got, want)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// A legacy regimen.yml gets diagnostics and, on a stage, a hover with its
// compiled parameters.
func TestLegacyYAML(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "legacy", "testdata", "import", "nested.yml"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "regimen.yml")
	h := newHarness(t)
	h.open(path, string(src))
	// stage C's parameters are A's, stage: A included
	ds := h.diagnostics(path)
	if len(ds) == 0 || ds[0].Code != lang.CodeStageParamMismatch || ds[0].Range.Start.Line != 7 || ds[0].Severity != severityError {
		t.Errorf("nested.yml: %+v, want a stage-param-mismatch error on line 8 first", ds)
	}
	line := strings.Count(string(src[:bytes.Index(src, []byte("    B:"))]), "\n")
	hv, _ := h.call("textDocument/hover", posParams(path, Position{Line: line, Character: 4})).(*Hover)
	if hv == nil || !strings.Contains(hv.Contents.Value, "**stage B**") || !strings.Contains(hv.Contents.Value, `"reward2": 0.005`) {
		t.Errorf("hover on stage B: %+v", hv)
	}
	h.open(path, "name: X_v1.0.0\nstages: {A: {script: 3}}\ntransitions: [\n")
	if ds := h.diagnostics(path); len(ds) == 0 || ds[0].Range.Start.Line < 0 {
		t.Errorf("a broken regimen.yml: %v, want diagnostics", ds)
	}
}

func TestProtocolErrors(t *testing.T) {
	var out bytes.Buffer
	in := strings.Builder{}
	for _, body := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"textDocument/unknownThing","params":{}}`,
		`{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///nowhere.regimen"},"position":{"line":0,"character":0}}}`,
		`{not json`,
		`{"jsonrpc":"2.0","id":3,"method":"textDocument/hover","params":{"textDocument":7}}`,
		`{"jsonrpc":"2.0","id":4,"method":"shutdown"}`,
		`{"jsonrpc":"2.0","method":"exit"}`,
	} {
		in.WriteString("Content-Length: " + itoa(len(body)) + "\r\n\r\n" + body)
	}
	if err := Serve(strings.NewReader(in.String()), &out, Options{}); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	got := out.String()
	for _, want := range []string{
		`{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"regc lsp does not answer textDocument/unknownThing"}}`,
		`{"jsonrpc":"2.0","id":2,"error":{"code":-32602,"message":"the document is not open: file:///nowhere.regimen"}}`,
		`{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"the message is not JSON`,
		`{"jsonrpc":"2.0","id":3,"error":{"code":-32602,`,
		`{"jsonrpc":"2.0","id":4,"result":null}`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %s in:\n%s", want, got)
		}
	}
	// exit without shutdown is an error (the command exits 1)
	body := `{"jsonrpc":"2.0","method":"exit"}`
	if err := Serve(strings.NewReader("Content-Length: "+itoa(len(body))+"\r\n\r\n"+body), &out, Options{}); err == nil {
		t.Error("exit before shutdown: no error")
	}
	// a header without a length
	if err := Serve(strings.NewReader("Content-Type: x\r\n\r\n{}"), &out, Options{}); err == nil || !strings.Contains(err.Error(), "Content-Length") {
		t.Errorf("a message without Content-Length: %v", err)
	}
}

func TestDefinitionOfAnImport(t *testing.T) {
	path, task := visualBehavior(t)
	h := newHarness(t)
	h.open(path, task)
	line := strings.Count(task[:strings.Index(task, "import \"common\"")], "\n")
	got, _ := json.Marshal(h.call("textDocument/definition", posParams(path, Position{Line: line, Character: 10})))
	want, _ := json.Marshal([]Location{{URI: pathURI(filepath.Join(filepath.Dir(path), "common.regimen"))}})
	if string(got) != string(want) {
		t.Errorf("definition on the import: %s, want %s", got, want)
	}
}

// TestBuiltinTypeIsNotAReference: a primitive type name (`number`) is the
// compiler's type whatever else the file declares, so references to a
// constant of that name do not include the type, and `volume` without a
// unit is a schema name as the compiler reads it.
func TestBuiltinTypeIsNotAReference(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lib.regimen")
	src := "schema S {\n    a: number\n    b: volume(mL)\n}\nlet number = 5\nlet volume = 5\nlet c: S = { a: number, b: 1 mL }\nlet d: volume = 1\n"
	h := newHarness(t)
	h.open(path, src)
	refs := func(name string) []int {
		line := strings.Count(src[:strings.Index(src, "let "+name)], "\n")
		res, _ := json.Marshal(h.call("textDocument/references", map[string]any{
			"textDocument": map[string]any{"uri": pathURI(path)}, "position": Position{Line: line, Character: 5},
			"context": map[string]any{"includeDeclaration": true}}))
		var locs []Location
		if err := json.Unmarshal(res, &locs); err != nil {
			t.Fatalf("references %s: %s: %v", name, res, err)
		}
		var lines []int
		for _, l := range locs {
			lines = append(lines, l.Range.Start.Line)
		}
		sort.Ints(lines)
		return lines
	}
	if got, want := refs("number"), []int{4, 6}; !slices.Equal(got, want) {
		t.Errorf("references to the constant number on lines %v, want %v (the type `a: number` is not one)", got, want)
	}
	if got, want := refs("volume"), []int{5, 7}; !slices.Equal(got, want) {
		t.Errorf("references to the constant volume on lines %v, want %v (`volume(mL)` is a dimension, `let d: volume` names the value)", got, want)
	}
}
