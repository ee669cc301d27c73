package lsp

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/scripts"
)

// The "pin md5" quick fix fetches a script without an md5 when code
// actions are asked for on its declaration, and its edit writes the md5
// exactly as regc freeze does; a declaration with an md5 fetches nothing,
// a failed fetch offers nothing and is logged, and a second request reuses
// the first fetch.
func TestCodeActionPinsMD5AsFreeze(t *testing.T) {
	body := []byte("# camstim script\nprint('a')\n")
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/a.py", "/b.py":
			w.Write(body)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	cache := t.TempDir()
	var log bytes.Buffer
	h := newHarness(t)
	h.s.opts.Log = &log
	h.s.opts.Fetcher = &scripts.Fetcher{CacheDir: cache, Timeout: 5 * time.Second}

	src := "regimen T version 1.0.0\n\n" +
		"script a {\n    url: \"" + srv.URL + "/a.py\"\n}\n\n" +
		"script b {\n    url: \"" + srv.URL + "/b.py\"\n    md5: \"ffffffffffffffffffffffffffffffff\"\n}\n\n" +
		"script c { url: \"" + srv.URL + "/missing.py\" }\n\n" +
		"stage A { script: a, params: {} }\nstage B { script: b, params: {} }\nfinal stage C { script: c, params: {} }\n" +
		"progress A -> B\nprogress B -> C\n"
	path := filepath.Join(t.TempDir(), "t.regimen")
	h.open(path, src)
	actionsWith := func(line int, diags []any) []CodeAction {
		t.Helper()
		res := h.call("textDocument/codeAction", map[string]any{
			"textDocument": map[string]any{"uri": pathURI(path)},
			"range":        Range{Start: Position{Line: line, Character: 0}, End: Position{Line: line, Character: 0}},
			"context":      map[string]any{"diagnostics": diags},
		})
		as, ok := res.([]CodeAction)
		if !ok {
			t.Fatalf("code actions: %#v", res)
		}
		return as
	}
	actions := func(line int) []CodeAction { return actionsWith(line, []any{}) }

	// on line 4, the url of script a
	as := actions(3)
	sum := scripts.MD5(body)
	if len(as) != 1 || as[0].Title != "pin md5 "+sum+" (as regc freeze would)" || as[0].Edit == nil {
		t.Fatalf("actions on script a: %+v", as)
	}
	got := applyEdits(string(h.s.docs[path].src), as[0].Edit.Changes[pathURI(path)])
	res := compiler.CompileSource(path, []byte(src), nil)
	var pins []scripts.Pin
	for _, s := range res.Regimen.Scripts {
		if s.Name == "a" {
			pins = append(pins, scripts.Pin{Script: s, MD5: sum})
		}
	}
	want, err := scripts.PinMD5s([]byte(src), pins)
	if err != nil || len(pins) != 1 {
		t.Fatalf("PinMD5s: %v (%d pins)", err, len(pins))
	}
	if got != string(want) {
		t.Errorf("after the action:\n%s\nwant (PinMD5s):\n%s", got, want)
	}
	if !strings.Contains(got, "    md5: \""+sum+"\"\n}") {
		t.Errorf("the md5 is not on a line of its own after the url:\n%s", got)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("%d fetches for one action, want 1", n)
	}
	if _, err := (&scripts.Fetcher{CacheDir: cache, Offline: true}).Fetch(t.Context(), &compiler.Script{Name: "a", URL: srv.URL + "/a.py", MD5: sum}, "."); err != nil {
		t.Errorf("the fetched script is not in the cache: %v", err)
	}

	// asked again (the cursor moved within the declaration): no new fetch
	if as := actions(2); len(as) != 1 || hits.Load() != 1 {
		t.Errorf("second request: %d actions, %d fetches; want 1 and 1", len(as), hits.Load())
	}
	// script b has an md5: nothing fetched, nothing offered
	if as := actions(7); len(as) != 0 || hits.Load() != 1 {
		t.Errorf("script b: %d actions, %d fetches; want 0 and 1", len(as), hits.Load())
	}
	// unless check --verify-scripts said it is wrong: then it is replaced
	wrong := Diagnostic{Range: Range{Start: Position{Line: 8, Character: 9}, End: Position{Line: 8, Character: 43}}, Severity: severityError, Code: "script-md5", Message: "wrong"}
	as = actionsWith(8, []any{wrong})
	if len(as) != 1 || hits.Load() != 2 {
		t.Fatalf("script b said wrong: %+v, %d fetches; want 1 action and 2 fetches", as, hits.Load())
	}
	if got := applyEdits(src, as[0].Edit.Changes[pathURI(path)]); got != strings.Replace(src, "ffffffffffffffffffffffffffffffff", sum, 1) {
		t.Errorf("after replacing b's md5:\n%s", got)
	}
	// a stage away from every script: nothing fetched
	if as := actions(13); len(as) != 0 || hits.Load() != 2 {
		t.Errorf("a stage line: %d actions, %d fetches; want 0 and 2", len(as), hits.Load())
	}
	// script c's url answers 404: no action, and the reason is logged
	if as := actions(11); len(as) != 0 {
		t.Errorf("script c: %+v, want no action", as)
	}
	if hits.Load() != 3 || !strings.Contains(log.String(), "pin md5 of script c:") || !strings.Contains(log.String(), "404") {
		t.Errorf("script c: %d fetches, log %q; want 3 and the failure logged", hits.Load(), log.String())
	}
}

// applyEdits applies non-overlapping LSP text edits to src, as a client does.
func applyEdits(src string, edits []TextEdit) string {
	t := newText([]byte(src))
	out := src
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i]
		start, end := t.offset(e.Range.Start), t.offset(e.Range.End)
		out = out[:start] + e.NewText + out[end:]
	}
	return out
}
