package lsp

import (
	"testing"
	"time"
)

// fragments are what a fuzzed edit inserts besides its own bytes: pieces
// of the language, so edits make half-typed declarations.
var fragments = []string{
	"", "{", "}", "[", "]", ":", ",", "\n", " ", "stage ", "params ", "when ", "unless ", "->", "=>",
	"7 uL", "20 s", "gratings", "one_complete", "\"", "// c\n", "final ", "schema X { a: int }\n",
	"criterion ", "import \"common\"\n", "...", "?", "=", "null", "1.", "-", "é", "😀",
}

// FuzzEdits applies random edits to task1a.regimen open in a server and
// asks, after each, for diagnostics, hover, completion, definition,
// references, symbols and formatting at a position the input picks. A
// panic (an internal-error answer) or an edit answered after more than
// 60 s fails.
func FuzzEdits(f *testing.F) {
	f.Add([]byte{10, 40, 2, 5, 200, 1, 9, 0, 17})
	f.Add([]byte{0, 0, 0, 0, 255, 255, 3, 3, 3, 3, 3, 3})
	f.Add([]byte("stage X { params: gratings { reward_volume: 7"))
	path, task := visualBehavior(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 128 {
			data = data[:128] // at most 32 edits: a bound on time, not on what an edit may be
		}
		h := newHarness(t)
		h.open(path, task)
		done := make(chan struct{})
		go func() {
			defer close(done)
			for len(data) >= 4 {
				op, a, b, c := data[0], int(data[1]), int(data[2]), int(data[3])
				data = data[4:]
				d := h.s.docs[path]
				tx := newText(d.src)
				start := tx.position(a * len(d.src) / 256)
				end := tx.position(a*len(d.src)/256 + b%16)
				insert := fragments[c%len(fragments)]
				if op%5 == 0 && len(data) > 0 {
					k := min(int(op/5)%8, len(data))
					insert, data = string(data[:k]), data[k:]
				}
				h.call("textDocument/didChange", map[string]any{
					"textDocument":   map[string]any{"uri": pathURI(path), "version": d.version + 1},
					"contentChanges": []any{map[string]any{"range": Range{Start: start, End: end}, "text": insert}},
				})
				at := posParams(path, tx.position(c*len(d.src)/256))
				switch op % 4 {
				case 0:
					h.diagnostics(path)
				case 1:
					h.call("textDocument/hover", at)
					h.call("textDocument/completion", at)
				case 2:
					h.call("textDocument/definition", at)
					at["context"] = map[string]any{"includeDeclaration": true}
					h.call("textDocument/references", at)
					h.call("textDocument/rename", map[string]any{"textDocument": at["textDocument"], "position": at["position"], "newName": "renamed"})
				case 3:
					h.call("textDocument/documentSymbol", map[string]any{"textDocument": at["textDocument"]})
					h.call("textDocument/formatting", map[string]any{"textDocument": at["textDocument"]})
				}
			}
			h.diagnostics(path)
		}()
		select {
		case <-done:
		case <-time.After(60 * time.Second):
			t.Fatal("an edit sequence took more than 60 s")
		}
	})
}
