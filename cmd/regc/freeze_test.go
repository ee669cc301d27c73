package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/regc/regc/legacy"
)

// hostRewriter sends every request to one test server, whatever host its
// URL names, so that a regimen's real script URLs can be served locally.
type hostRewriter struct {
	to   *url.URL
	next http.RoundTripper
}

func (h hostRewriter) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.URL.Scheme, r.URL.Host, r.Host = h.to.Scheme, h.to.Host, ""
	return h.next.RoundTrip(r)
}

// serveAllHosts starts a server that answers every script URL (of any host)
// with standIn(path), or 404 for the paths in missing, and routes the
// fetches of regc through it for the rest of the test.
func serveAllHosts(t *testing.T, missing ...string) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, m := range missing {
			if strings.Contains(r.URL.Path, m) {
				http.NotFound(w, r)
				return
			}
		}
		io.WriteString(w, standIn(r.URL.Path))
	}))
	t.Cleanup(srv.Close)
	to, _ := url.Parse(srv.URL)
	old := fetchTransport
	fetchTransport = hostRewriter{to: to, next: srv.Client().Transport}
	t.Cleanup(func() { fetchTransport = old })
}

// standIn is the content served for a script path: the real scripts are
// not reachable from here, so each is stood in for by a text of its own.
func standIn(path string) string { return "# stand-in for " + path + "\n" }

var md5Line = regexp.MustCompile(`(?m)^[ \t]*md5: "[0-9a-f]{32}"\n`)

// copyTask1A copies the Task1A regimen and the library it imports into a
// folder, and returns the copy's path and the original text.
func copyTask1A(t *testing.T) (path string, original []byte) {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("..", "..", "regimens", "visual_behavior")
	for _, name := range []string{"task1a.regimen", "common.regimen"} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		if name == "task1a.regimen" {
			original = b
		}
	}
	return filepath.Join(dir, "task1a.regimen"), original
}

// restoreMD5s puts the original md5s back where freeze wrote the stand-ins'.
func restoreMD5s(t *testing.T, frozen, original []byte) []byte {
	t.Helper()
	res := legacy.CompileFile(filepath.Join("..", "..", "regimens", "visual_behavior", "task1a.regimen"), nil)
	out := string(frozen)
	for _, s := range res.Regimen.Scripts {
		u, err := url.Parse(s.URL)
		if err != nil {
			t.Fatal(err)
		}
		stand := md5Of(standIn(u.Path))
		if !strings.Contains(out, `md5: "`+stand+`"`) {
			t.Errorf("script %s: the frozen file lacks md5 %s", s.Name, stand)
		}
		out = strings.ReplaceAll(out, `"`+stand+`"`, `"`+s.MD5+`"`)
	}
	return []byte(out)
}

// Acceptance: freeze on a copy of task1a.regimen whose md5 lines were
// removed writes them back and changes nothing else.
func TestFreezeTask1A(t *testing.T) {
	serveAllHosts(t)
	et := newEmitTest(t)
	path, original := copyTask1A(t)
	stripped := md5Line.ReplaceAll(original, nil)
	if n := len(md5Line.FindAll(original, -1)); n != 2 {
		t.Fatalf("task1a.regimen has %d md5 lines, want 2", n)
	}
	os.WriteFile(path, stripped, 0o644)

	r := et.run("freeze", path)
	if r.code != 0 {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	if strings.Count(r.stdout, " added\n") != 2 || !strings.Contains(r.stdout, "wrote "+path+"\n") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	frozen := []byte(readFile(t, path))
	if got := restoreMD5s(t, frozen, original); string(got) != string(original) {
		t.Errorf("after restoring the md5s, the file differs from the original:\n%s", got)
	}
	// the frozen file emits a stage, its script verified
	dir := t.TempDir()
	if r := et.run("emit", path, "--stage", "TRAINING_1_gratings", "--out", dir); r.code != 0 {
		t.Errorf("emit after freeze: exit %d:\n%s", r.code, r.stderr)
	}

	// again: nothing to change
	r = et.run("freeze", path)
	if r.code != 0 || strings.Count(r.stdout, " unchanged\n") != 2 || strings.Contains(r.stdout, "wrote") {
		t.Errorf("exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	if readFile(t, path) != string(frozen) {
		t.Error("a second freeze changed the file")
	}

	// the original md5s are wrong for the stand-ins: freeze corrects them
	os.WriteFile(path, original, 0o644)
	r = et.run("freeze", path)
	if r.code != 0 || strings.Count(r.stdout, " corrected (it said ") != 2 {
		t.Errorf("exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	if got := restoreMD5s(t, []byte(readFile(t, path)), original); string(got) != string(original) {
		t.Errorf("after restoring the md5s, the corrected file differs from the original:\n%s", got)
	}
}

func TestFreezeFailures(t *testing.T) {
	serveAllHosts(t, "receptive_field_mapping")
	et := newEmitTest(t)
	path, original := copyTask1A(t)
	stripped := md5Line.ReplaceAll(original, nil)
	os.WriteFile(path, stripped, 0o644)

	// one script is unreachable: nothing changes
	r := et.run("freeze", path)
	if r.code != 1 || !strings.Contains(r.stderr, "script receptive_field_mapping: cannot fetch http://stash.corp.alleninstitute.org/") ||
		!strings.Contains(r.stderr, "404 Not Found") || !strings.Contains(r.stderr, "nothing was changed") {
		t.Errorf("exit %d:\n%s", r.code, r.stderr)
	}
	if readFile(t, path) != string(stripped) {
		t.Error("a failed freeze changed the file")
	}

	// a regimen with errors: nothing changes
	broken := append(append([]byte(nil), stripped...), "progress TRAINING_1_gratings -> NOWHERE\n"...)
	os.WriteFile(path, broken, 0o644)
	r = et.run("freeze", path)
	if r.code != 1 || !strings.Contains(r.stderr, "[undefined-stage]") || !strings.Contains(r.stderr, "errors other than malformed md5s") {
		t.Errorf("exit %d:\n%s", r.code, r.stderr)
	}
	if readFile(t, path) != string(broken) {
		t.Error("a refused freeze changed the file")
	}

	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no file", nil, 2, "give exactly one regimen file"},
		{"two files", []string{path, path}, 2, "give exactly one regimen file"},
		{"unknown flag", []string{"--offline", path}, 2, "unknown flag: --offline"},
		{"bad color", []string{"--color", "pink", path}, 2, "--color must be"},
		{"legacy file", []string{"regimen.yml"}, 2, "freeze edits .regimen sources"},
		{"library", []string{filepath.Join(filepath.Dir(path), "common.regimen")}, 1, "is a library"},
		{"missing file", []string{filepath.Join(filepath.Dir(path), "nope.regimen")}, 1, "does not compile"},
	} {
		r := et.run(append([]string{"freeze"}, tc.args...)...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.stderr) {
			t.Errorf("%s: exit %d, want %d:\n%s\nwant %q", tc.name, r.code, tc.code, r.stderr, tc.stderr)
		}
	}
}
