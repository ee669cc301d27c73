package lsp

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// harness calls a server's methods in-process, as the message loop does.
type harness struct {
	tb testing.TB
	s  *Server
}

func newHarness(tb testing.TB) *harness {
	return &harness{tb: tb, s: newServer(strings.NewReader(""), io.Discard, Options{Debounce: time.Hour})}
}

// call runs one method and fails on an error from a recovered panic.
func (h *harness) call(method string, params any) any {
	h.tb.Helper()
	raw, _ := json.Marshal(params)
	res, err := h.s.call(method, raw)
	if err != nil && err.Code == codeInternalError {
		h.tb.Fatalf("%s %s: %s", method, raw, err.Message)
	}
	return res
}

func (h *harness) open(path, text string) {
	h.call("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": pathURI(path), "languageId": "regimen", "version": 1, "text": text}})
}

// diagnostics compiles the open document afresh and returns what the
// client would be sent; an internal error from the server fails.
func (h *harness) diagnostics(path string) []Diagnostic {
	h.tb.Helper()
	h.s.gen++
	ds := h.s.diagnostics(h.s.docs[path])
	for _, d := range ds {
		if strings.HasPrefix(d.Message, "internal error:") {
			h.tb.Fatalf("diagnostics: %s", d.Message)
		}
	}
	return ds
}

func posParams(path string, p Position) map[string]any {
	return map[string]any{"textDocument": map[string]any{"uri": pathURI(path)}, "position": p}
}

// visualBehavior copies task1a.regimen and common.regimen into a new
// folder and returns task1a's path and text.
func visualBehavior(tb testing.TB) (string, string) {
	tb.Helper()
	dir := tb.TempDir()
	var task string
	for _, f := range []string{"task1a.regimen", "common.regimen"} {
		b, err := os.ReadFile(filepath.Join("..", "regimens", "visual_behavior", f))
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			tb.Fatal(err)
		}
		if f == "task1a.regimen" {
			task = string(b)
		}
	}
	return filepath.Join(dir, "task1a.regimen"), task
}

// manyStages is task1a's header and scripts with n stages, each on a
// parameter set of common.regimen with an override, chained by
// transitions, the last one final.
func manyStages(task string, n int) string {
	var b strings.Builder
	b.WriteString(task[:strings.Index(task, "let fingerprint_movie")])
	for i := 0; i < n; i++ {
		final := ""
		if i == n-1 {
			final = "final "
		}
		fmt.Fprintf(&b, "%sstage S_%d {\n    script: change_detection\n    params: gratings { start_stop_padding: %d s }\n}\n\n", final, i, i%100)
	}
	for i := 0; i+1 < n; i++ {
		fmt.Fprintf(&b, "progress S_%d -> S_%d when one_complete\n", i, i+1)
	}
	return b.String()
}
