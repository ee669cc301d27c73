package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/regc/regc/mtrain"
	"github.com/regc/regc/mtrain/faults"
	"github.com/regc/regc/mtrain/sandbox"
)

// The end-to-end scenario of `regc sync` against a sandbox, run in this
// process (TestSyncInProcess) and with regc and the sandbox as separate
// processes (TestSyncProcesses in sync_process_test.go).

const (
	e2eUser = "alice"
	// Characters that forms, URLs, HTML, JSON and shells all treat apart.
	e2ePassword = `Kn0wn-pw "q" &+%<x> $HOME`
)

// harness is how a scenario runs regc and reaches the sandbox.
type harness struct {
	url string
	dir string // the working folder: fixtures, journals
	// run runs regc with the given standard input and environment
	// additions (on top of REGC_SERVER, REGC_USER, REGC_PASSWORD).
	run func(t *testing.T, stdin string, env map[string]string, args ...string) runResult
	// client reads the server and seeds it (logged in as e2eUser).
	client *mtrain.Client
}

func (h *harness) regc(t *testing.T, args ...string) runResult {
	t.Helper()
	return h.run(t, "", nil, args...)
}

// expect checks an exit code and that each want is in stdout+stderr.
func expect(t *testing.T, r runResult, code int, wants ...string) {
	t.Helper()
	all := r.stdout + r.stderr
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	for _, w := range wants {
		if !strings.Contains(all, w) {
			t.Errorf("output lacks %q\nstdout:\n%s\nstderr:\n%s", w, r.stdout, r.stderr)
		}
	}
}

func newE2EClient(t *testing.T, url string) *mtrain.Client {
	t.Helper()
	c, err := mtrain.New(mtrain.Config{Server: url, User: e2eUser, Password: mtrain.NewSecret(e2ePassword),
		Timeout: 10 * time.Second, Backoff: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fixtures writes the regimens of the scenario into dir:
//
//	mig_v1.regimen   Mig 1.0.0: 0_hab, 1_grat, 2_img
//	mig_v11.regimen  Mig 1.1.0: the same stages and 3_extra
//	mig_v1x.regimen  Mig 1.0.0 with other parameters
//	mig_v2.regimen   Mig 2.0.0: HAB, TASK, HANDOFF, migrate blocks for 1.x (not for 3_extra)
//	mig_v3.yml       Mig_v3.0.0, a legacy regimen.yml: H3, T3
//	migrations.yml   the legacy map Mig_v2 -> Mig_v3, in the historic file's shape
func fixtures(t testing.TB, dir string) {
	t.Helper()
	script := []byte("# camstim script\nprint('task')\n")
	sum := md5.Sum(script)
	md := hex.EncodeToString(sum[:])
	url := serveScript(t, string(script)) + "/s.py" // an upload refuses a script no rig can fetch
	files := map[string]string{
		"s.py": string(script),
		"mig_v1.regimen": fmt.Sprintf(`regimen Mig version 1.0.0
criterion one_complete
script task { url: %q, md5: %q }
stage "0_hab" { script: task, params: { level: 0 } }
stage "1_grat" { script: task, params: { level: 1 } }
stage "2_img" { script: task, params: { level: 2 } }
progress "0_hab" -> "1_grat" when one_complete
progress "1_grat" -> "2_img" when one_complete
`, url, md),
		"mig_v1x.regimen": fmt.Sprintf(`regimen Mig version 1.0.0
criterion one_complete
script task { url: %q, md5: %q }
stage "0_hab" { script: task, params: { level: 0 } }
stage "1_grat" { script: task, params: { level: 10 } }
stage "2_img" { script: task, params: { level: 2 } }
progress "0_hab" -> "1_grat" when one_complete
progress "1_grat" -> "2_img" when one_complete
`, url, md),
		"mig_v11.regimen": fmt.Sprintf(`regimen Mig version 1.1.0
criterion one_complete
script task { url: %q, md5: %q }
stage "0_hab" { script: task, params: { level: 0 } }
stage "1_grat" { script: task, params: { level: 1 } }
stage "2_img" { script: task, params: { level: 2 } }
stage "3_extra" { script: task, params: { level: 3 } }
progress "0_hab" -> "1_grat" when one_complete
progress "1_grat" -> "2_img" when one_complete
progress "2_img" -> "3_extra" when one_complete
`, url, md),
		"mig_v2.regimen": fmt.Sprintf(`regimen Mig version 2.0.0
criterion one_complete
script task { url: %q, md5: %q }
stage HAB { script: task, params: { level: 0 } }
stage TASK { script: task, params: { level: 1 } }
final stage HANDOFF { script: task, params: { level: 2 } }
progress HAB -> TASK when one_complete
progress TASK -> HANDOFF when one_complete
migrate from Mig 1 {
    "0_hab" -> HAB
    "1_grat" -> TASK
    "2_img" -> TASK
}
`, url, md),
		"mig_v3.yml": fmt.Sprintf(`name: Mig_v3.0.0
_script: &task
  script: %s
  script_md5: %s
stages:
  H3:
    <<: *task
    parameters: {stage: H3, level: 0}
  T3:
    <<: *task
    parameters: {stage: T3, level: 1}
transitions:
- {trigger: progress, source: H3, dest: T3, conditions: one_complete}
`, url, md),
		"migrations.yml": "# source regimen: target regimen (each cut at its first dot): old stage: new stage\nMig_v2:\n  Mig_v3:\n    HAB: H3\n    TASK: T3\n    HANDOFF: T3\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// snapshot is every mouse's state, to show a dry run changed nothing.
func snapshot(t *testing.T, c *mtrain.Client) string {
	t.Helper()
	subs, err := c.Subjects(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	regs, err := c.ListRegimens(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range regs {
		names = append(names, r.Name)
	}
	return fmt.Sprintf("%v %v", subs, names)
}

// placedOn checks every mouse of ids is on regimen, on the stage want gives.
func placedOn(t *testing.T, c *mtrain.Client, regimen string, want map[int]string) {
	t.Helper()
	mice, err := c.Mice(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]mtrain.Mouse{}
	for _, m := range mice {
		got[m.LabTracksID] = m
	}
	for id, stage := range want {
		if m := got[id]; m.Regimen != regimen || m.Stage != stage {
			t.Errorf("mouse %d: on %s/%s, want %s/%s", id, m.Regimen, m.Stage, regimen, stage)
		}
	}
}

const e2eMice = 30

// scenario runs the whole end-to-end story; it returns how many times each
// mouse must have been moved (for the caller to check against the
// sandbox's events).
func scenario(t *testing.T, h *harness) map[int]int {
	ctx := context.Background()
	c := h.client
	p := func(name string) string { return filepath.Join(h.dir, name) }
	fixtures(t, h.dir)
	moves := map[int]int{}

	// Upload: a dry run sends nothing.
	before := snapshot(t, c)
	r := h.regc(t, "sync", "upload", p("mig_v1.regimen"))
	expect(t, r, 0, `"name": "Mig_v1.0.0"`, "dry run", "nothing was sent")
	if after := snapshot(t, c); after != before {
		t.Fatalf("a dry-run upload changed the server: %s -> %s", before, after)
	}
	// For real: it lands, is read back, and lands once.
	r = h.regc(t, "sync", "upload", "--dry-run=false", p("mig_v1.regimen"))
	expect(t, r, 0, "uploaded Mig_v1.0.0", "read back: the server holds the same document (3 stages, 2 transitions)")
	r = h.regc(t, "sync", "upload", "--dry-run=false", p("mig_v1.regimen"))
	expect(t, r, 0, "Mig_v1.0.0 is already on the server, identical", "nothing was sent")
	r = h.regc(t, "sync", "upload", "--dry-run=false", p("mig_v1x.regimen"))
	expect(t, r, 1, "already on", "with a different document", "1_grat", "level")
	regs, err := c.ListRegimens(ctx)
	if err != nil || len(regs) != 1 {
		t.Fatalf("regimens on the server: %d, %v; want exactly 1", len(regs), err)
	}

	// Status.
	expect(t, h.regc(t, "sync", "status", p("mig_v1.regimen")), 0, "Mig_v1.0.0: on", "the same document", "0 mice")
	expect(t, h.regc(t, "sync", "status", p("mig_v1x.regimen")), 1, "differs", "1_grat")
	expect(t, h.regc(t, "sync", "status", p("mig_v2.regimen")), 1, "Mig_v2.0.0: not on")

	// Mice, seeded in an order that is not the LabTracks_ID order.
	v1Stages := []string{"0_hab", "1_grat", "2_img"}
	onV1 := map[int]string{}
	for i := e2eMice - 1; i >= 0; i-- {
		id := 200001 + i
		stage := v1Stages[i%3]
		st, err := c.GetState(ctx, "Mig_v1.0.0", stage)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddSubject(ctx, id, st); err != nil {
			t.Fatal(err)
		}
		onV1[id] = stage
	}
	r = h.regc(t, "sync", "mice", "--format", "json")
	expect(t, r, 0)
	var listed []mtrain.Mouse
	if err := json.Unmarshal([]byte(r.stdout), &listed); err != nil {
		t.Fatalf("mice --format json: %v\n%s", err, r.stdout)
	}
	if len(listed) != e2eMice || !sort.SliceIsSorted(listed, func(i, j int) bool { return listed[i].LabTracksID < listed[j].LabTracksID }) {
		t.Fatalf("mice: %d listed, sorted %v", len(listed), sort.SliceIsSorted(listed, func(i, j int) bool { return listed[i].LabTracksID < listed[j].LabTracksID }))
	}
	for _, m := range listed {
		if m.Regimen != "Mig_v1.0.0" || m.Stage != onV1[m.LabTracksID] {
			t.Errorf("mice lists %d on %s/%s, want Mig_v1.0.0/%s", m.LabTracksID, m.Regimen, m.Stage, onV1[m.LabTracksID])
		}
	}
	r = h.regc(t, "sync", "mice", "--format", "csv", "--regimen", "Mig_v1.0.0")
	expect(t, r, 0, "LabTracks_ID,regimen,stage,state_id\n200001,Mig_v1.0.0,0_hab,")
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil || len(rows) != e2eMice+1 {
		t.Errorf("csv: %d rows, %v", len(rows), err)
	}
	r = h.regc(t, "sync", "mice")
	expect(t, r, 0, "LabTracks_ID", "200030        Mig_v1.0.0  2_img")
	r = h.regc(t, "sync", "mice", "--regimen", "Mig_v1.0.1", "--format", "json")
	expect(t, r, 1, "no regimen Mig_v1.0.1 on", "did you mean Mig_v1.0.0?")

	// A migration within a major version: the same stage names.
	expect(t, h.regc(t, "sync", "upload", "--dry-run=false", p("mig_v11.regimen")), 0, "uploaded Mig_v1.1.0")
	before = snapshot(t, c)
	r = h.regc(t, "sync", "migrate", "--from", "Mig_v1.0.0", "--to", p("mig_v11.regimen"))
	expect(t, r, 0, "200001: Mig_v1.0.0/0_hab -> Mig_v1.1.0/0_hab\n", "200030: Mig_v1.0.0/2_img -> Mig_v1.1.0/2_img\n",
		"30 mice to move from Mig_v1.0.0 to Mig_v1.1.0", "same stage name", "dry run: nothing was changed")
	if got := strings.Count(r.stdout, " -> Mig_v1.1.0/"); got != e2eMice {
		t.Errorf("the dry run printed %d mouse lines, want %d", got, e2eMice)
	}
	if after := snapshot(t, c); after != before {
		t.Fatalf("a dry-run migration changed the server")
	}
	j1 := p("v1-v11.journal")
	r = h.regc(t, "sync", "migrate", "--from", "Mig_v1.0.0", "--to", p("mig_v11.regimen"), "--journal", j1, "--dry-run=false")
	expect(t, r, 0, "moved 30", "reconciliation: read every mouse back: 30 of 30")
	placedOn(t, c, "Mig_v1.1.0", onV1)
	for id := range onV1 {
		moves[id]++
	}

	// Across major versions, with migrate blocks. A mouse on a stage no
	// block maps stops everything before any write.
	expect(t, h.regc(t, "sync", "upload", "--dry-run=false", p("mig_v2.regimen")), 0, "uploaded Mig_v2.0.0")
	extra, _ := c.GetState(ctx, "Mig_v1.1.0", "3_extra")
	for _, id := range []int{200005, 200011} {
		if err := c.SetState(ctx, id, extra); err != nil {
			t.Fatal(err)
		}
		moves[id]++
	}
	before = snapshot(t, c)
	j2 := p("v11-v2.journal")
	r = h.regc(t, "sync", "migrate", "--from", "Mig_v1.1.0", "--to", p("mig_v2.regimen"), "--journal", j2, "--dry-run=false")
	expect(t, r, 1, "2 mice have no mapping", "200005: Mig_v1.1.0/3_extra", "200011: Mig_v1.1.0/3_extra", "nothing was changed")
	if after := snapshot(t, c); after != before {
		t.Fatalf("a migration with an unmapped stage changed the server")
	}
	if _, err := os.Stat(j2); !os.IsNotExist(err) {
		t.Errorf("a refused migration left a journal: %v", err)
	}
	expect(t, h.regc(t, "sync", "migrate", "--from", "Mig_v1.1.0", "--to", p("mig_v2.regimen")), 1, "200005: Mig_v1.1.0/3_extra")
	for _, id := range []int{200005, 200011} {
		st, _ := c.GetState(ctx, "Mig_v1.1.0", onV1[id])
		if err := c.SetState(ctx, id, st); err != nil {
			t.Fatal(err)
		}
		moves[id]++
	}
	r = h.regc(t, "sync", "migrate", "--from", "Mig_v1.1.0", "--to", p("mig_v2.regimen"))
	expect(t, r, 0, "200002: Mig_v1.1.0/1_grat -> Mig_v2.0.0/TASK\n", "the migrate block from Mig 1 at ")
	r = h.regc(t, "sync", "migrate", "--from", "Mig_v1.1.0", "--to", p("mig_v2.regimen"), "--journal", j2, "--dry-run=false")
	expect(t, r, 0, "moved 30", "30 of 30")
	onV2 := map[int]string{}
	for id, s := range onV1 {
		onV2[id] = map[string]string{"0_hab": "HAB", "1_grat": "TASK", "2_img": "TASK"}[s]
		moves[id]++
	}
	placedOn(t, c, "Mig_v2.0.0", onV2)

	// Across major versions to a legacy regimen.yml, with a legacy
	// migrations.yml.
	expect(t, h.regc(t, "sync", "upload", "--dry-run=false", p("mig_v3.yml")), 0, "uploaded Mig_v3.0.0")
	r = h.regc(t, "sync", "migrate", "--from", "Mig_v2.0.0", "--to", p("mig_v3.yml"))
	expect(t, r, 1, "has no migrate block for Mig 2")
	r = h.regc(t, "sync", "migrate", "--from", "Mig_v2.0.0", "--to", p("mig_v3.yml"), "--map", p("migrations.yml"))
	expect(t, r, 0, "200001: Mig_v2.0.0/HAB -> Mig_v3.0.0/H3\n", "the Mig_v2 -> Mig_v3 entry of")
	j3 := p("v2-v3.journal")
	r = h.regc(t, "sync", "migrate", "--from", "Mig_v2.0.0", "--to", p("mig_v3.yml"), "--map", p("migrations.yml"), "--journal", j3, "--dry-run=false")
	expect(t, r, 0, "moved 30", "30 of 30")
	onV3 := map[int]string{}
	for id, s := range onV2 {
		onV3[id] = map[string]string{"HAB": "H3", "TASK": "T3"}[s]
		moves[id]++
	}
	placedOn(t, c, "Mig_v3.0.0", onV3)
	// Running it again only checks.
	r = h.regc(t, "sync", "migrate", "--from", "Mig_v2.0.0", "--to", p("mig_v3.yml"), "--map", p("migrations.yml"), "--journal", j3, "--dry-run=false")
	expect(t, r, 0, "records this migration finished", "moved 0", "30 of 30")
	// A journal of another migration is refused.
	r = h.regc(t, "sync", "migrate", "--from", "Mig_v1.0.0", "--to", p("mig_v3.yml"), "--map", p("migrations.yml"), "--journal", j3, "--dry-run=false")
	expect(t, r, 1, "is for moving mice from Mig_v2.0.0")
	return moves
}

// checkMoves checks the sandbox's events: each mouse set exactly as often
// as the scenario moved it.
func checkMoves(t *testing.T, events []sandbox.Event, want map[int]int) {
	t.Helper()
	got := map[int]int{}
	for _, e := range events {
		if e.Route == "set_state" {
			got[e.LabTracksID]++
		}
	}
	for id, n := range want {
		if got[id] != n {
			t.Errorf("mouse %d: %d set_state events, want %d", id, got[id], n)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d mice moved, want %d", len(got), len(want))
	}
}

// inProcessRun runs regc's run() with an environment.
func inProcessRun(url string) func(t *testing.T, stdin string, env map[string]string, args ...string) runResult {
	return func(t *testing.T, stdin string, extra map[string]string, args ...string) runResult {
		t.Helper()
		vars := map[string]string{serverEnv: url, userEnv: e2eUser, passwordEnv: e2ePassword, "REGC_CACHE_DIR": t.TempDir()}
		for k, v := range extra {
			vars[k] = v
		}
		var out, errs bytes.Buffer
		e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errs,
			getenv:     func(k string) string { return vars[k] },
			isTerminal: func(io.Writer) bool { return false }}
		code := run(e, args)
		return runResult{code, out.String(), errs.String()}
	}
}

// inProcessSandbox serves a sandbox on loopback behind a fault injector.
func inProcessSandbox(t *testing.T) (*sandbox.Sandbox, *faults.Injector, string) {
	t.Helper()
	sb, err := sandbox.NewSandbox(filepath.Join(t.TempDir(), "sandbox.db"), e2eUser, e2ePassword)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	inj := faults.New(sb.Handler())
	srv := httptest.NewServer(inj)
	t.Cleanup(srv.Close)
	return sb, inj, srv.URL
}

func TestSyncInProcess(t *testing.T) {
	sb, _, url := inProcessSandbox(t)
	h := &harness{url: url, dir: t.TempDir(), run: inProcessRun(url), client: newE2EClient(t, url)}
	moves := scenario(t, h)
	events, err := sb.Events(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkMoves(t, events, moves)
}
