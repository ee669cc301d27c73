package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/regc/regc/mtrain/sandbox"
)

// sync upload sends each criterion in the form the source wrote it: one
// string stays a string and a list of one stays a list, from a legacy file
// and from .regimen source alike.
func TestSyncUploadKeepsCriteriaForm(t *testing.T) {
	sb, err := sandbox.NewSandbox(filepath.Join(t.TempDir(), "sandbox.db"), e2eUser, e2ePassword)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	var mu sync.Mutex
	var sent [][]byte
	inner := sb.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.Contains(r.URL.Path, "set_regimen") {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			sent = append(sent, body)
			mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		inner.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	run := inProcessRun(srv.URL)
	dir := t.TempDir()
	files := map[string]string{
		"legacy.yml": `name: Legacy_v1.0.0
stages:
  A: {script: "http://example.org/a.py", parameters: {stage: A}}
  B: {script: "http://example.org/a.py", parameters: {stage: B}}
transitions:
- {trigger: progress, source: A, dest: B, conditions: one_complete, unless: [lapsed]}
`,
		"source.regimen": `regimen Source version 1.0.0
criterion one_complete, lapsed
script a { url: "http://example.org/a.py" }
stage A { script: a, params: {} }
stage B { script: a, params: {} }
progress A -> B when one_complete unless [lapsed]
`,
	}
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		r := run(t, "", nil, "sync", "upload", path, "--dry-run=false", "--verify-scripts=false")
		expect(t, r, exitOK, "read back: the server holds the same document")
	}
	if len(sent) != 2 {
		t.Fatalf("%d set_regimen requests, want 2", len(sent))
	}
	for _, body := range sent {
		var doc struct {
			Name        string
			Transitions []map[string]json.RawMessage
		}
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Transitions) != 1 {
			t.Fatalf("%s: %d transitions", doc.Name, len(doc.Transitions))
		}
		tr := doc.Transitions[0]
		if got := string(tr["conditions"]); got != `"one_complete"` {
			t.Errorf("%s: sent conditions %s, want the string \"one_complete\"", doc.Name, got)
		}
		if got := compactJSON(t, tr["unless"]); got != `["lapsed"]` {
			t.Errorf("%s: sent unless %s, want the list [\"lapsed\"]", doc.Name, got)
		}
	}
}

func compactJSON(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatalf("%q: %v", raw, err)
	}
	return b.String()
}

// How .regimen source writes criteria decides their form in the document:
// `when a` a string, `when [a]` a list of one, `when a, b` a list, `when []`
// an empty list, `when null` null; `transitions null` null transitions. A
// legacy file's forms survive regc import.
func TestCriteriaForms(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "forms.regimen")
	text := `regimen Forms version 1.0.0
criterion a, b
script s { url: "http://example.org/a.py" }
stage A { script: s, params: {} }
stage B { script: s, params: {} }
progress A -> B when a unless [b]
progress B -> A when a, b unless []
manual   A -> B when [a, b] unless null
manual   B -> A
`
	if err := os.WriteFile(src, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := invokeRegc("build", "--format", "json", src)
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	var doc struct{ Transitions []map[string]json.RawMessage }
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	want := []map[string]string{
		{"conditions": `"a"`, "unless": `["b"]`},
		{"conditions": `["a","b"]`, "unless": `[]`},
		{"conditions": `["a","b"]`, "unless": `null`},
		{},
	}
	for i, w := range want {
		tr := doc.Transitions[i]
		for _, k := range []string{"conditions", "unless"} {
			got, ok := tr[k]
			switch {
			case w[k] == "" && ok:
				t.Errorf("transition %d: %s is %s, want it left out", i+1, k, got)
			case w[k] != "" && (!ok || compactJSON(t, got) != w[k]):
				t.Errorf("transition %d: %s is %s, want %s", i+1, k, got, w[k])
			}
		}
	}

	yml := filepath.Join(dir, "forms.yml")
	legacy := `name: Forms_v1.0.0
stages:
  A: {script: "http://example.org/a.py", parameters: {stage: A}}
transitions:
`
	if err := os.WriteFile(yml, []byte(legacy+`- {trigger: progress, source: A, dest: A, conditions: a, unless: [b]}
- {trigger: manual, source: A, dest: A, conditions: [], unless: null}
- {trigger: manual, source: A, dest: A, conditions: [a], unless: b}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.yml")
	if err := os.WriteFile(empty, []byte(legacy), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{yml, empty} {
		_, direct, stderr := invokeRegc("build", "--format", "json", f)
		if direct == "" {
			t.Fatalf("%s: no document:\n%s", f, stderr)
		}
		out := filepath.Join(dir, filepath.Base(f)+".regimen")
		if code, _, stderr := invokeRegc("import", f, "-o", out); code != exitOK {
			t.Fatalf("%s: import: exit %d:\n%s", f, code, stderr)
		}
		_, imported, _ := invokeRegc("build", "--format", "json", out)
		if imported != direct {
			t.Errorf("%s: import + build differs from the build:\n%s\n---\n%s", f, imported, direct)
		}
		if f == empty && !strings.Contains(direct, `"transitions": null`) {
			t.Errorf("an empty transitions: key builds to %s, want null as PyYAML reads it", direct)
		}
		if f == yml && !strings.Contains(direct, `"conditions": "a"`) || f == yml && !strings.Contains(direct, `"unless": "b"`) {
			t.Errorf("criteria written as strings are not kept:\n%s", direct)
		}
	}
}
