package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A script URL that carries a password (one holding an escaped '/', %2F:
// a raw '/' would end the URL's authority, and upload refuses such a URL)
// is shown without it by sync upload's dry run, by the diff upload prints
// when the server holds another document, and by sync status.
func TestSyncHidesURLPasswords(t *testing.T) {
	_, _, url := inProcessSandbox(t)
	run := inProcessRun(url)
	dir := t.TempDir()
	write := func(name, pw string, volume int) string {
		p := filepath.Join(dir, name)
		src := fmt.Sprintf("regimen Creds version 1.0.0\nscript s { url: \"http://bob:%s@stash/a.py\", md5: \"0123456789abcdef0123456789abcdef\" }\nstage A { script: s, params: { v: %d } }\n", pw, volume)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	first := write("first.regimen", "sEcr%2F1t", 1)
	second := write("second.regimen", "sEcr%2F2t", 2)
	check := func(what string, r runResult) {
		t.Helper()
		if all := r.stdout + r.stderr; strings.Contains(all, "sEcr/") || strings.Contains(all, "sEcr%2F") {
			t.Errorf("%s shows a URL password:\n%s", what, all)
		}
	}
	r := run(t, "", nil, "sync", "upload", first, "--verify-scripts=false")
	if r.code != 0 || !strings.Contains(r.stdout, "bob:[redacted]@stash") {
		t.Errorf("dry run: exit %d, stdout %q", r.code, r.stdout)
	}
	check("the dry run", r)
	if r := run(t, "", nil, "sync", "upload", first, "--verify-scripts=false", "--dry-run=false"); r.code != 0 {
		t.Fatalf("upload: exit %d\n%s", r.code, r.stderr)
	}
	r = run(t, "", nil, "sync", "upload", second, "--verify-scripts=false")
	if r.code != 1 || !strings.Contains(r.stderr, "script: got") {
		t.Errorf("upload of another document: exit %d, stderr %q", r.code, r.stderr)
	}
	check("the upload diff", r)
	r = run(t, "", nil, "sync", "status", second)
	if r.code != 1 || !strings.Contains(r.stdout, "script: got") {
		t.Errorf("status: exit %d, stdout %q", r.code, r.stdout)
	}
	check("sync status", r)
}
