package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regc/regc/mtrain"
	"github.com/regc/regc/mtrain/faults"
	"github.com/regc/regc/mtrain/sandbox"
)

// fastRetries makes every client of the test retry quickly.
func fastRetries(t *testing.T) {
	t.Helper()
	old := editClientConfig
	editClientConfig = func(cfg *mtrain.Config) {
		cfg.Backoff = time.Millisecond
		cfg.MaxBackoff = 5 * time.Millisecond
		cfg.Attempts = 3
	}
	t.Cleanup(func() { editClientConfig = old })
}

// migrationRig is an in-process sandbox holding Mig_v1.0.0 with n mice and
// Mig_v2.0.0, behind a fault injector.
type migrationRig struct {
	sb   *sandbox.Sandbox
	inj  *faults.Injector
	dir  string
	run  func(t *testing.T, stdin string, env map[string]string, args ...string) runResult
	c    *mtrain.Client
	mice int
}

func newMigrationRig(t *testing.T, n int) *migrationRig {
	t.Helper()
	sb, inj, url := inProcessSandbox(t)
	r := &migrationRig{sb: sb, inj: inj, dir: t.TempDir(), run: inProcessRun(url), c: newE2EClient(t, url), mice: n}
	fixtures(t, r.dir)
	for _, f := range []string{"mig_v1.regimen", "mig_v2.regimen"} {
		expect(t, r.run(t, "", nil, "sync", "upload", "--dry-run=false", filepath.Join(r.dir, f)), 0, "uploaded")
	}
	ctx := context.Background()
	stages := []string{"0_hab", "1_grat", "2_img"}
	for i, stage := range stages {
		st, err := r.c.GetState(ctx, "Mig_v1.0.0", stage)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int
		for k := i; k < n; k += 3 {
			ids = append(ids, 300000+k)
		}
		if err := sb.AddSubjects(ctx, st.ID, ids...); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func (r *migrationRig) migrate(t *testing.T, extra ...string) runResult {
	t.Helper()
	args := append(migrateArgs(r.dir, filepath.Join(r.dir, "m.journal")), extra...)
	return r.run(t, "", nil, args...)
}

func (r *migrationRig) check(t *testing.T) {
	t.Helper()
	evs, err := r.sb.Events(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkMigrated(t, r.c, evs, r.mice)
}

// Injected 500s, dropped connections and slow answers end in a successful
// retry, every mouse moved exactly once.
func TestSyncMigrateFaultsRetried(t *testing.T) {
	fastRetries(t)
	for _, tc := range []struct {
		rule  faults.Rule
		extra []string
	}{
		{rule: faults.Rule{Kind: faults.Status500, Nth: 4, Times: 2, Method: "POST", Path: "/set_state"}},
		{rule: faults.Rule{Kind: faults.Status500After, Nth: 4, Times: 2, Method: "POST", Path: "/set_state"}},
		{rule: faults.Rule{Kind: faults.Drop, Nth: 6, Method: "POST", Path: "/set_state"}},
		{rule: faults.Rule{Kind: faults.DropAfter, Nth: 6, Times: 2, Method: "POST", Path: "/set_state"}},
		{rule: faults.Rule{Kind: faults.Slow, Nth: 5, Delay: 2 * time.Second, Method: "POST", Path: "/set_state"}, extra: []string{"--timeout", "300ms"}},
		{rule: faults.Rule{Kind: faults.Status500, Nth: 2, Times: 2, Method: "GET", Path: "/api/v1/subjects"}},
		{rule: faults.Rule{Kind: faults.Slow, Nth: 3, Delay: 2 * time.Second, Method: "GET", Path: "/api/v1/subjects/"}, extra: []string{"--timeout", "300ms"}},
		{rule: faults.Rule{Kind: faults.Status500After, Nth: 1, Method: "POST", Path: "/"}},
	} {
		t.Run(tc.rule.String(), func(t *testing.T) {
			r := newMigrationRig(t, 24)
			r.inj.Add(tc.rule)
			res := r.migrate(t, tc.extra...)
			expect(t, res, 0, "24 of 24 planned mice on their target stage")
			if len(r.inj.Injected()) == 0 {
				t.Fatal("no fault was injected")
			}
			r.check(t)
		})
	}
}

// A server that keeps failing stops the run with a clear error, exit 1;
// the same command resumes, and no mouse is moved twice.
func TestSyncMigrateFaultsStop(t *testing.T) {
	fastRetries(t)
	for _, kind := range []faults.Kind{faults.Status500, faults.Drop, faults.DropAfter, faults.Status500After} {
		t.Run(kind.String(), func(t *testing.T) {
			r := newMigrationRig(t, 24)
			r.inj.Add(faults.Rule{Kind: kind, Nth: 10, Times: 1000, Method: "POST", Path: "/set_state"})
			// The client's read-back of mouse 300009 after the failed write
			// fails too: the 20th read of one mouse (each earlier mouse is
			// read before and after its move, and 300009 before it).
			r.inj.Add(faults.Rule{Kind: faults.Status500, Nth: 20, Times: 1000, Method: "GET", Path: "/api/v1/subjects/"})
			res := r.migrate(t)
			expect(t, res, 1, "stopped: mouse 300009", "POST /set_state/300009", "run the same command again to resume", "moved 9")
			if strings.Contains(res.stderr, e2ePassword) {
				t.Error("the error carries the password")
			}
			r.inj.Reset()
			res = r.migrate(t)
			expect(t, res, 0, "resuming from the journal", "9 of 24 mice done, 1 in flight", "done in earlier runs 9", "24 of 24")
			r.check(t)
		})
	}
}

// An upload whose answer is lost is read back, not sent twice.
func TestSyncUploadFaults(t *testing.T) {
	fastRetries(t)
	for _, kind := range []faults.Kind{faults.Status500After, faults.DropAfter, faults.Status500} {
		t.Run(kind.String(), func(t *testing.T) {
			sb, inj, url := inProcessSandbox(t)
			dir := t.TempDir()
			fixtures(t, dir)
			inj.Add(faults.Rule{Kind: kind, Nth: 1, Method: "POST", Path: "/set_regimen"})
			r := inProcessRun(url)(t, "", nil, "sync", "upload", "--dry-run=false", filepath.Join(dir, "mig_v1.regimen"))
			expect(t, r, 0, "uploaded Mig_v1.0.0", "the same document")
			evs, _ := sb.Events(context.Background())
			n := 0
			for _, e := range evs {
				if e.Route == "set_regimen" {
					n++
				}
			}
			if n != 1 || len(inj.Injected()) != 1 {
				t.Errorf("set_regimen applied %d times with %d faults, want once", n, len(inj.Injected()))
			}
		})
	}
}

// The sync commands' refusals: usage errors exit 2, failures 1, and the
// target on the server must be the compiled one.
func TestSyncRefusals(t *testing.T) {
	fastRetries(t)
	r := newMigrationRig(t, 3)
	p := func(name string) string { return filepath.Join(r.dir, name) }
	noServer := map[string]string{serverEnv: ""}
	for _, tc := range []struct {
		name  string
		stdin string
		env   map[string]string
		args  []string
		code  int
		want  string
	}{
		{"no subcommand", "", nil, []string{"sync"}, 2, "upload|status|mice|migrate"},
		{"unknown subcommand", "", nil, []string{"sync", "uplaod"}, 2, `did you mean "upload"`},
		{"no server", "", noServer, []string{"sync", "mice"}, 2, "no server"},
		{"no file", "", nil, []string{"sync", "upload"}, 2, "exactly one"},
		{"bad format", "", nil, []string{"sync", "mice", "--format", "xml"}, 2, "--format"},
		{"no --from", "", nil, []string{"sync", "migrate", "--to", p("mig_v2.regimen")}, 2, "--from NAME is required"},
		{"same regimen", "", nil, []string{"sync", "migrate", "--from", "Mig_v2.0.0", "--to", p("mig_v2.regimen")}, 2, "the same regimen"},
		{"password flag", "", nil, []string{"sync", "migrate", "-p", "x"}, 2, "no --password flag"},
		{"unknown source", "", nil, []string{"sync", "migrate", "--from", "Nope_v1.0.0", "--to", p("mig_v2.regimen")}, 1, "Nope_v1.0.0: the source regimen is not on the server"},
		{"target differs", "", nil, []string{"sync", "migrate", "--from", "Mig_v2.0.0", "--to", p("mig_v1x.regimen"), "--dry-run=false"}, 1, "is not the one compiled from"},
		{"target not uploaded", "", nil, []string{"sync", "migrate", "--from", "Mig_v1.0.0", "--to", p("mig_v11.regimen"), "--dry-run=false"}, 1, "upload it first"},
		{"target not uploaded, dry run", "", nil, []string{"sync", "migrate", "--from", "Mig_v1.0.0", "--to", p("mig_v11.regimen")}, 0, "is not on"},
		{"bad map", "", nil, []string{"sync", "migrate", "--from", "Mig_v1.0.0", "--to", p("mig_v2.regimen"), "--map", p("mig_v1.regimen")}, 1, "--map"},
		{"no password", "", map[string]string{passwordEnv: ""}, []string{"sync", "upload", "--dry-run=false", p("mig_v11.regimen")}, 1, "no password: set $REGC_PASSWORD"},
		{"empty stdin", "", map[string]string{passwordEnv: ""}, []string{"sync", "upload", "--password-stdin", "--dry-run=false", p("mig_v11.regimen")}, 1, "standard input holds no password"},
		{"stdin", e2ePassword + "\r\n", map[string]string{passwordEnv: "wrong"}, []string{"sync", "upload", "--password-stdin", "--dry-run=false", p("mig_v11.regimen")}, 0, "uploaded Mig_v1.1.0"},
		{"library", "", nil, []string{"sync", "status", writeTemp(t, "lib.regimen", "criterion x\n")}, 1, "library"},
		{"compile errors", "", nil, []string{"sync", "upload", writeTemp(t, "bad.regimen", badRegimen)}, 1, "nothing was sent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := r.run(t, tc.stdin, tc.env, tc.args...)
			expect(t, res, tc.code, tc.want)
		})
	}
}
