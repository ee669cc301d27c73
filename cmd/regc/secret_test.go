package main

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regc/regc/mtrain"
)

// passwordForms are the ways a password could leak: as typed, and as a
// form, a URL, HTML or JSON would encode it.
func passwordForms(pw string) []string {
	j, _ := json.Marshal(pw)
	return []string{pw, url.QueryEscape(pw), url.PathEscape(pw), html.EscapeString(pw), string(j[1 : len(j)-1])}
}

// assertNoPassword fails when text holds any form of pw.
func assertNoPassword(t *testing.T, what, text, pw string) {
	t.Helper()
	for _, f := range passwordForms(pw) {
		if strings.Contains(text, f) {
			t.Errorf("%s carries the password (as %q):\n%s", what, f, text)
			return
		}
	}
}

// Every command runs with a known password (the sandbox's, and the login's
// in $REGC_PASSWORD, on standard input, and a wrong one); the password must
// appear in no output, log (--verbose), journal or database file, and in no
// child's process arguments.
func testPasswordNeverShown(t *testing.T, bin string) {
	dir := t.TempDir()
	db := filepath.Join(dir, "sandbox.db")
	pw := e2ePassword
	sb := startSandbox(t, bin, dir, db, "127.0.0.1:0")
	var procs []*proc
	procs = append(procs, sb.proc)
	if !strings.Contains(sb.cmdline, "sandbox") {
		t.Errorf("the sandbox's cmdline %q was not read", sb.cmdline)
	}
	fixtures(t, dir)
	p := func(name string) string { return filepath.Join(dir, name) }
	env := map[string]string{serverEnv: sb.url, userEnv: e2eUser, passwordEnv: pw, "REGC_CACHE_DIR": filepath.Join(dir, ".cache")}
	journal := p("pw.journal")
	commands := [][]string{
		{"help"}, {"version"}, {"help", "sync"}, {"sync"}, {"sync", "--help"},
		{"check", p("mig_v1.regimen")}, {"build", p("mig_v1.regimen")},
		{"sync", "upload", "-v", p("mig_v1.regimen")},
		{"sync", "upload", "-v", "--dry-run=false", p("mig_v1.regimen")},
		{"sync", "upload", "-v", "--dry-run=false", p("mig_v1.regimen")}, // already there, identical: nothing sent
		{"sync", "upload", "-v", "--dry-run=false", p("mig_v2.regimen")},
		{"sync", "status", "-v", p("mig_v1.regimen")},
		{"sync", "status", "-v", p("mig_v1x.regimen")},
		{"sync", "mice", "-v"},
		{"sync", "mice", "--format", "json"},
		{"sync", "migrate", "-v", "--from", "Mig_v1.0.0", "--to", p("mig_v2.regimen")},
		{"sync", "migrate", "-v", "--from", "Mig_v1.0.0", "--to", p("mig_v2.regimen"), "--journal", journal, "--dry-run=false"},
		{"sync", "migrate", "-v", "--from", "Mig_v1.0.0", "--to", p("mig_v2.regimen"), "--journal", journal, "--dry-run=false"},
	}
	var outputs []string
	runOne := func(env map[string]string, stdin io.Reader, args ...string) runResult {
		pr := startRegc(t, bin, dir, env, stdin, args...)
		procs = append(procs, pr)
		r := pr.wait(t)
		outputs = append(outputs, r.stdout+r.stderr)
		return r
	}
	// Mice to migrate, added with the login (through the client, which
	// never prints the password either).
	c := newE2EClient(t, sb.url)
	for _, args := range commands {
		r := runOne(env, nil, args...)
		if args[0] == "sync" && len(args) > 2 && args[1] == "upload" && args[len(args)-1] == p("mig_v1.regimen") && r.code == 0 && strings.Contains(r.stdout, "uploaded") {
			seedMice(t, c, 5)
		}
	}
	// The password on standard input: the process waits for it, so its
	// arguments can be read while it runs.
	pr, stdin := startWithPipe(t, bin, dir, map[string]string{serverEnv: sb.url, userEnv: e2eUser, "REGC_CACHE_DIR": filepath.Join(dir, ".cache")},
		"sync", "upload", "-v", "--password-stdin", "--dry-run=false", p("mig_v11.regimen"))
	procs = append(procs, pr)
	if _, err := os.Stat("/proc/self/cmdline"); err == nil {
		pr.cmdline = readCmdline(pr.cmd.Process.Pid, pr.cmd.Path)
		if !strings.Contains(pr.cmdline, "--password-stdin") {
			t.Errorf("cmdline of the waiting process: %q", pr.cmdline)
		}
	}
	io.WriteString(stdin, pw+"\n")
	stdin.Close()
	r := pr.wait(t)
	expect(t, r, 0, "uploaded Mig_v1.1.0")
	outputs = append(outputs, r.stdout+r.stderr)
	// A wrong password: refused, and neither password is shown.
	wrong := pw + "-wrong"
	wrongEnv := map[string]string{serverEnv: sb.url, userEnv: e2eUser, passwordEnv: wrong}
	r = runOne(wrongEnv, nil, "sync", "upload", "-v", "--verify-scripts=false", "--dry-run=false", p("mig_v3.yml"))
	expect(t, r, 1, "wrong user or password")
	assertNoPassword(t, "a refused login's output", r.stdout+r.stderr, wrong)
	r = runOne(wrongEnv, nil, "sync", "migrate", "--from", "Mig_v1.0.0", "--to", p("mig_v2.regimen"), "--journal", p("wrong.journal"), "--dry-run=false")
	expect(t, r, 1, "wrong user or password")
	assertNoPassword(t, "a refused login's output", r.stdout+r.stderr, wrong)
	// A password flag is refused without echoing its value (whoever typed
	// it has put it in the process's arguments already: it is not the one
	// under test, and that process is not checked).
	flagged := "typed-on-the-command-line"
	r = startRegc(t, bin, dir, env, nil, "sync", "upload", "--password="+flagged, p("mig_v1.regimen")).wait(t)
	expect(t, r, 2, "there is no --password flag")
	assertNoPassword(t, "the refusal of --password", r.stdout+r.stderr, flagged)
	r = startRegc(t, bin, dir, env, nil, "sync", "mice", "--password", flagged).wait(t)
	expect(t, r, 2, "there is no --password flag")
	assertNoPassword(t, "the refusal of --password", r.stdout+r.stderr, flagged)
	r = runOne(map[string]string{sandboxPasswordEnv: pw}, nil, "sandbox", "--listen", "0.0.0.0:0", "--db", db)
	expect(t, r, 2)

	sb.stop(t, os.Interrupt)
	outputs = append(outputs, sb.stdout.String()+sb.stderr.String())
	for _, o := range outputs {
		assertNoPassword(t, "output", o, pw)
	}
	for _, pr := range procs {
		if pr.cmdline != "" {
			assertNoPassword(t, "process arguments", pr.cmdline, pw)
			assertNoPassword(t, "process arguments", pr.cmdline, wrong)
		}
	}
	// The journal, and the sandbox's database (which keeps a salted hash).
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".journal") || strings.Contains(filepath.Base(f), "sandbox.db") {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			assertNoPassword(t, f, string(b), pw)
			checked++
		}
	}
	j, err := os.ReadFile(journal)
	if err != nil || !strings.Contains(string(j), `"type":"finish"`) {
		t.Errorf("the journal of the run: %v\n%s", err, j)
	}
	t.Logf("%d commands run with the password; %d processes' arguments and %d journal and database files checked", len(outputs), len(procs), checked)
}

// seedMice puts n mice on Mig_v1.0.0's first stage.
func seedMice(t *testing.T, c *mtrain.Client, n int) {
	t.Helper()
	ctx := context.Background()
	st, err := c.GetState(ctx, "Mig_v1.0.0", "0_hab")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if err := c.AddSubject(ctx, 400000+i, st); err != nil {
			t.Fatal(err)
		}
	}
}

// startWithPipe starts regc with a pipe on its standard input.
func startWithPipe(t *testing.T, bin, dir string, env map[string]string, args ...string) (*proc, io.WriteCloser) {
	t.Helper()
	r, w := io.Pipe()
	pr := startRegc(t, bin, dir, env, r, args...)
	return pr, w
}
