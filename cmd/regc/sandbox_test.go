package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regc/regc/mtrain/sandbox"
)

// runSandboxNow runs `regc sandbox` in-process, stopping it as soon as it
// serves.
func runSandboxNow(t *testing.T, args ...string) runResult {
	t.Helper()
	old := sandboxContext
	sandboxContext = func() (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		return ctx, cancel
	}
	defer func() { sandboxContext = old }()
	return inProcessRun("")(t, "", map[string]string{sandboxPasswordEnv: e2ePassword}, append([]string{"sandbox", "--listen", "127.0.0.1:0", "--user", e2eUser}, args...)...)
}

// The sandbox's banner is a message, on standard error; a database others
// could read is made the owner's, and said so.
func TestSandboxBannerOnStderr(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	r := runSandboxNow(t, "--db", db)
	expect(t, r, 0)
	if r.stdout != "" {
		t.Errorf("stdout: %q, want nothing", r.stdout)
	}
	for _, want := range []string{"regc sandbox: serving http://127.0.0.1:", "stopped; every write is in " + db} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if fi, err := os.Stat(db); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the database: %v, %v; want mode 0600", fi.Mode(), err)
	}
	if err := os.Chmod(db, 0o640); err != nil {
		t.Fatal(err)
	}
	r = runSandboxNow(t, "--db", db)
	expect(t, r, 0, "note: "+db+" had mode 0640; it is now 0600")
}

// A sandbox database from an earlier regc (SQLite) is refused by
// `regc sandbox` and `regc sandbox seed` with what to do, exit 1, and left
// as it was.
func TestSandboxRefusesSQLiteFile(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "old.db")
	old := append([]byte("SQLite format 3\x00"), make([]byte, 4096)...)
	if err := os.WriteFile(db, old, 0o600); err != nil {
		t.Fatal(err)
	}
	mice := filepath.Join(dir, "mice.csv")
	if err := os.WriteFile(mice, []byte("LabTracks_ID,regimen,stage\n1,R,S\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	want := "regc sandbox: sandbox: " + db + " is a sandbox database from an earlier regc (SQLite), which this regc does not read; give --db a new path, or remove it"
	r := runSandboxNow(t, "--db", db)
	expect(t, r, 1, want)
	r2 := inProcessRun("")(t, "", nil, "sandbox", "seed", "--db", db, mice)
	expect(t, r2, 1, "regc sandbox seed: sandbox: "+db+" is a sandbox database from an earlier regc (SQLite)")
	for _, out := range []string{r.stderr, r2.stderr} {
		if strings.Contains(out, "goroutine") || strings.Contains(out, "panic") {
			t.Errorf("a stack trace:\n%s", out)
		}
	}
	if b, _ := os.ReadFile(db); string(b) != string(old) {
		t.Errorf("the SQLite file was changed")
	}
}

// seedRig is a sandbox database holding Mig 1.0.0 (stages 0_hab, 1_grat,
// 2_img), and a folder for files.
func seedRig(t *testing.T) (dir, db string, runIn func(t *testing.T, stdin string, env map[string]string, args ...string) runResult) {
	t.Helper()
	dir = t.TempDir()
	db = filepath.Join(dir, "sandbox.db")
	fixtures(t, dir)
	sb, err := sandbox.NewSandbox(db, e2eUser, e2ePassword)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	url, closeSrv := serveSandbox(t, sb)
	t.Cleanup(closeSrv)
	runIn = inProcessRun(url)
	expect(t, runIn(t, "", nil, "sync", "upload", "--dry-run=false", filepath.Join(dir, "mig_v1.regimen")), 0, "uploaded")
	return dir, db, runIn
}

// `regc sandbox seed` loads mice as `regc sync mice --format csv` prints
// them, or with the columns named otherwise and in another order.
func TestSandboxSeed(t *testing.T) {
	dir, db, runIn := seedRig(t)
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mice := write("mice.csv", "LabTracks_ID,regimen,stage,state_id\n410001,Mig_v1.0.0,0_hab,17\n410002,Mig_v1.0.0,1_grat,18\n\n410003,Mig_v1.0.0,2_img,19\n")
	expect(t, runIn(t, "", nil, "sandbox", "seed", "--db", db, mice), 0, "seeded 3 mice into "+db+" (0 already there)")
	// Seeding twice is harmless; columns go by their header names.
	other := write("other.csv", "\ufeffStage,Mouse ID,extra,Regimen Name\n'-x,410004,?,Mig_v1.0.0\n2_img,410003,,Mig_v1.0.0\n")
	r := runIn(t, "", nil, "sandbox", "seed", "--db", db, other)
	expect(t, r, 1, "other.csv:2: regimen Mig_v1.0.0 has no stage \"-x\"", "nothing was seeded")
	other = write("other.csv", "\ufeffStage,Mouse ID,extra,Regimen Name\n0_hab,410004,?,Mig_v1.0.0\n2_img,410003,,Mig_v1.0.0\n")
	expect(t, runIn(t, "", nil, "sandbox", "seed", "--db", db, other), 0, "seeded 1 mouse into "+db+" (1 already there)")

	// What `sync mice --format csv` prints seeds a fresh sandbox to the same mice.
	r = runIn(t, "", nil, "sync", "mice", "--format", "csv")
	expect(t, r, 0)
	_, db2, runIn2 := seedRig(t)
	expect(t, runIn2(t, r.stdout, nil, "sandbox", "seed", "--db", db2, "-"), 0, "seeded 4 mice")
	r2 := runIn2(t, "", nil, "sync", "mice", "--format", "csv")
	if strip := func(s string) string { // state ids may differ; the rest may not
		var out []string
		for _, l := range strings.Split(s, "\n") {
			out = append(out, l[:max(strings.LastIndex(l, ","), 0)])
		}
		return strings.Join(out, "\n")
	}; strip(r2.stdout) != strip(r.stdout) || strings.Count(r.stdout, "\n") != 5 {
		t.Errorf("after seeding from sync mice:\n%s\nwant the mice of\n%s", r2.stdout, r.stdout)
	}

	for _, tc := range []struct {
		name, text string
		code       int
		want       string
	}{
		{"bad_header.csv", "mouse,stage\n1,a\n", 1, "bad_header.csv:1: the header \"mouse,stage\" has no regimen column"},
		{"bad_id.csv", "LabTracks_ID,regimen,stage\nx1,Mig_v1.0.0,0_hab\n", 1, "bad_id.csv:2: LabTracks_ID \"x1\" is not a positive integer"},
		{"no_regimen.csv", "LabTracks_ID,regimen,stage\n5,Nope_v1.0.0,0_hab\n", 1, "no_regimen.csv:2: regimen \"Nope_v1.0.0\" is not on the sandbox"},
		{"moved.csv", "LabTracks_ID,regimen,stage\n410001,Mig_v1.0.0,2_img\n", 1, "mouse 410001 is already on the sandbox on Mig_v1.0.0/0_hab, not Mig_v1.0.0/2_img"},
		{"quote.csv", "LabTracks_ID,regimen,stage\n5,\"Mig,0_hab\n", 1, "quote.csv:2:"},
		{"empty.csv", "", 1, "empty.csv: empty"},
	} {
		r := runIn(t, "", nil, "sandbox", "seed", "--db", db, write(tc.name, tc.text))
		expect(t, r, tc.code, tc.want)
	}
	expect(t, runIn(t, "", nil, "sandbox", "seed", mice), 2, "usage")
	expect(t, runIn(t, "", nil, "sandbox", "seed", "--db", filepath.Join(dir, "none.db"), mice), 1, "no database")
	if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
		t.Errorf("seed created a database")
	}
}

// A regimen whose parameters.stage differs from its stage's name (four
// tagged historic releases have one) is an error (stage-param-mismatch):
// `sync upload` refuses it unless --force, and the sandbox, like mtrain,
// takes it.
func TestUploadStageMismatchForce(t *testing.T) {
	dir, _, runIn := seedRig(t)
	yml := filepath.Join(dir, "mismatch.yml")
	text, err := os.ReadFile(filepath.Join(dir, "mig_v3.yml"))
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Replace(strings.Replace(string(text), "Mig_v3.0.0", "Mismatch_v1.0.0", 1), "{stage: T3,", "{stage: H3,", 1)
	if err := os.WriteFile(yml, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runIn(t, "", nil, "sync", "upload", "--dry-run=false", yml)
	expect(t, r, 1, "stage-param-mismatch", "has errors, so nothing was sent")
	r = runIn(t, "", nil, "sync", "upload", "--dry-run=false", "--force", yml)
	expect(t, r, 0, "stage-param-mismatch", "uploading anyway (--force)", "uploaded Mismatch_v1.0.0",
		"read back: the server holds the same document")
}
