package main

import (
	"bufio"
	"context"
	"fmt"
	"github.com/regc/regc/internal/corpustest"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// realMigrations reads the historic migrations.yml of the corpus without
// regc's reader, the way its header comment describes it: source regimen
// (cut at its first dot), then target regimen, then old stage: new stage,
// each level indented two more spaces. With CI set, a missing corpus fails.
func realMigrations(t *testing.T) (path string, header string, m map[string]map[string]map[string]string) {
	t.Helper()
	path = filepath.Join(corpustest.Dir(t, "migrations"), "migrations", "migrations.yml")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m = map[string]map[string]map[string]string{}
	var src, tgt string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			header += line + "\n"
			continue
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok {
			t.Fatalf("%s: unexpected line %q", path, line)
		}
		v = strings.TrimSpace(v)
		switch indent {
		case 0:
			src = k
			m[src] = map[string]map[string]string{}
		case 2:
			tgt = k
			m[src][tgt] = map[string]string{}
		case 4:
			m[src][tgt][k] = v
		default:
			t.Fatalf("%s: unexpected indentation in %q", path, line)
		}
	}
	return path, header, m
}

// The real migrations.yml, unmodified, drives a migration of mice on every
// stage of VisualBehavior_Task1A_v0.3.1 to VisualBehavior_Task1A_v1.0.0
// (both historic regimen.yml files of the corpus); each mouse lands on the
// stage the file's header comment says:
// migration[source.split('.')[0]][target.split('.')[0]][old_stage].
func TestSyncMigrateRealMigrationsYML(t *testing.T) {
	mapPath, header, table := realMigrations(t)
	for _, want := range []string{"mapping = migration[SourceRegimen.split('.')[0]][TargetRegimen.split('.')[0]]", "new_stage = mapping[old_stage]"} {
		if !strings.Contains(header, want) {
			t.Fatalf("the header comment of %s no longer says %q:\n%s", mapPath, want, header)
		}
	}
	corpus := corpusDir(t)
	const source, target = "VisualBehavior_Task1A_v0.3.1", "VisualBehavior_Task1A_v1.0.0"
	srcFile := filepath.Join(corpus, "yaml", "VisualBehavior_Task1A_v0.3.1.2538ae7b.yml")
	tgtFile := filepath.Join(corpus, "yaml", "VisualBehavior_Task1A_v1.0.0.79c4bf1e.yml")
	mapping := table[strings.Split(source, ".")[0]][strings.Split(target, ".")[0]]
	if len(mapping) != 13 {
		t.Fatalf("the file maps %d stages from %s to %s, want the 13 of 2018", len(mapping), source, target)
	}
	sb, _, url := inProcessSandbox(t)
	run := inProcessRun(url)
	for _, f := range []string{srcFile, tgtFile} {
		expect(t, run(t, "", nil, "sync", "upload", "--dry-run=false", "--verify-scripts=false", f), 0, "uploaded")
	}
	c := newE2EClient(t, url)
	ctx := context.Background()
	want := map[int]string{}
	id := 610000
	for old, stage := range mapping {
		st, err := c.GetState(ctx, source, old)
		if err != nil {
			t.Fatalf("%s/%s: %v", source, old, err)
		}
		if err := sb.AddSubjects(ctx, st.ID, id, id+1); err != nil {
			t.Fatal(err)
		}
		want[id], want[id+1] = stage, stage
		id += 2
	}
	dir := t.TempDir()
	args := []string{"sync", "migrate", "--from", source, "--to", tgtFile, "--map", mapPath}
	r := run(t, "", nil, args...)
	expect(t, r, 0, "26 mice to move from "+source+" to "+target, "the VisualBehavior_Task1A_v0 -> VisualBehavior_Task1A_v1 entry of "+mapPath)
	r = run(t, "", nil, append(args, "--journal", filepath.Join(dir, "vb.journal"), "--dry-run=false")...)
	expect(t, r, 0, "moved 26", "26 of 26 planned mice on their target stage of "+target)
	placedOn(t, c, target, want)
	events, err := sb.Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	moves := map[int]int{}
	for id := range want {
		moves[id] = 1
	}
	checkMoves(t, events, moves)
}

// A journal whose last line is garbage (a write a crash interrupted) is
// resumed, and the message says what the line was: the last one, dropped.
func TestSyncMigrateJournalGarbageTail(t *testing.T) {
	fastRetries(t)
	r := newMigrationRig(t, 6)
	expect(t, r.migrate(t), 0, "6 of 6 planned mice on their target stage")
	journal := filepath.Join(r.dir, "m.journal")
	before, err := os.ReadFile(journal)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(string(before), "\n")
	if err := os.WriteFile(journal, append(before, "\x00\x00garbage\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	res := r.migrate(t)
	expect(t, res, 0, "records this migration finished", fmt.Sprintf("line %d, the last, was not a whole record", lines+1), "interrupted by a crash and dropped", "6 of 6")
	if strings.Contains(res.stderr, "not the last line") {
		t.Errorf("the message calls the last line not the last:\n%s", res.stderr)
	}
	r.check(t)
}

// The concurrent-migration scenario, against `regc sandbox` as a process:
// a migration of 40 mice, slowed by the sandbox (every read of one mouse
// takes 150 ms), while a rig uploads behaviour sessions (logged in, as the
// Python rigs do) that progress some mice within the source regimen, a
// second operator moves others by hand, and a second regc starts migrating
// the same source to another target. Every mouse moved by someone else
// before its turn is reported as a conflict and left where they put it;
// the second migration is refused, naming the first's pid; no mouse is set
// twice.
func testConcurrentMigration(t *testing.T, bin string) {
	const n = 40
	dir, db, sb := faultySandbox(t, bin, n, "slow=150ms@0:GET:/api/v1/subjects/")
	addr := strings.TrimSuffix(strings.TrimPrefix(sb.url, "http://"), "/")
	runEnv := map[string]string{serverEnv: sb.url, userEnv: e2eUser, passwordEnv: e2ePassword, "REGC_CACHE_DIR": filepath.Join(dir, ".cache")}
	expect(t, startRegc(t, bin, dir, runEnv, nil, "sync", "upload", "--dry-run=false", filepath.Join(dir, "mig_v11.regimen")).wait(t), 0, "uploaded Mig_v1.1.0")

	journal := filepath.Join(dir, "a.journal")
	first := startRegc(t, bin, dir, runEnv, nil, migrateArgs(dir, journal)...)
	for deadline := time.Now().Add(60 * time.Second); countDone(journal) < 1; time.Sleep(5 * time.Millisecond) {
		select {
		case <-first.done:
			t.Fatalf("the migration ended before any interference: %+v", first.wait(t))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the migration moved no mouse in a minute")
		}
	}

	// A second migration of the same source, to another target, with
	// another journal: refused while the first runs.
	second := startRegc(t, bin, dir, runEnv, nil, "sync", "migrate", "--from", "Mig_v1.0.0", "--to", filepath.Join(dir, "mig_v11.regimen"),
		"--journal", filepath.Join(dir, "b.journal"), "--dry-run=false").wait(t)
	expect(t, second, 1, "another regc is migrating mice from this regimen (Mig_v1.0.0) on "+strings.TrimSuffix(sb.url, "/"),
		fmt.Sprintf("pid %d, moving them to Mig_v2.0.0", first.cmd.Process.Pid), "with the journal "+journal, "no mouse was moved")
	if _, err := os.Stat(filepath.Join(dir, "b.journal")); err == nil {
		t.Error("the refused migration wrote a journal")
	}

	// A rig (logged in first) uploads a session for mice 300030..300034:
	// one_complete moves a mouse on 0_hab or 1_grat on; 2_img has no
	// progress transition, so 300032 stays and is no conflict.
	login := rawSend(t, addr, "POST", "/", map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
		url.Values{"username": {e2eUser}, "password": {e2ePassword}}.Encode())
	cookie := strings.SplitN(login.header.Get("Set-Cookie"), ";", 2)[0]
	if login.status != http.StatusFound || !strings.HasPrefix(cookie, "session=") {
		t.Fatalf("the rig's login: %d %q", login.status, cookie)
	}
	for id, moves := range map[int]bool{300030: true, 300031: true, 300032: false, 300033: true, 300034: true} {
		a := rawSend(t, addr, "POST", "/set_behavior_session/", map[string]string{"Cookie": cookie},
			fmt.Sprintf(`{"LabTracks_ID": %d, "data_list": [{"trial": 1}]}`, id))
		if a.status != http.StatusOK || a.object(t, "set_behavior_session/")["transitioned"] != moves {
			t.Fatalf("the rig's session for %d: %d %s; want transitioned %v", id, a.status, a.body, moves)
		}
	}
	// A second operator moves three mice by hand: 300036 to a stage that
	// is not its target, 300038 back to the first stage of the source,
	// 300039 to its own target (no conflict: it is where the plan puts it).
	ctx := context.Background()
	op := newE2EClient(t, sb.url)
	for id, to := range map[int][2]string{300036: {"Mig_v2.0.0", "HANDOFF"}, 300038: {"Mig_v1.0.0", "0_hab"}, 300039: {"Mig_v2.0.0", "HAB"}} {
		st, err := op.GetState(ctx, to[0], to[1])
		if err != nil {
			t.Fatal(err)
		}
		if err := op.SetState(ctx, id, st); err != nil {
			t.Fatal(err)
		}
	}
	if done := countDone(journal); done >= 28 {
		t.Fatalf("the migration reached mouse %d while the rig and the operator acted on mice from 300030: the machine is too slow for this test's margin", 300000+done)
	}

	r := first.wait(t)
	expect(t, r, 1, "moved 33, found already on their target stage 1, done in earlier runs 0, of 40 planned",
		"reconciliation: read every mouse back: 34 of 40 planned mice on their target stage")
	conflicts := map[int]string{
		300030: "Mig_v1.0.0/1_grat), not on its planned source state", 300031: "(Mig_v1.0.0/2_img), not on its planned source state",
		300033: "(Mig_v1.0.0/1_grat), not on", 300034: "(Mig_v1.0.0/2_img), not on", 300036: "(Mig_v2.0.0/HANDOFF), not on its planned source state", 300038: "(Mig_v1.0.0/0_hab), not on its planned source state"}
	for id, want := range conflicts {
		if line := lastLine(r.stderr, fmt.Sprintf("conflict: %d ", id)); !strings.Contains(line, want) || !strings.Contains(line, "left alone") {
			t.Errorf("mouse %d: conflict line %q, want %q", id, line, want)
		}
	}
	if got := strings.Count(r.stderr, "conflict: "); got != len(conflicts) {
		t.Errorf("%d conflicts reported, want %d:\n%s", got, len(conflicts), r.stderr)
	}
	// Run again: the same conflicts, nothing moved.
	r = startRegc(t, bin, dir, runEnv, nil, migrateArgs(dir, journal)...).wait(t)
	expect(t, r, 1, "resuming from the journal", "moved 0, found already on their target stage 0, done in earlier runs 34")
	if got := strings.Count(r.stderr, "conflict: "); got != len(conflicts) {
		t.Errorf("rerun: %d conflicts reported, want %d:\n%s", got, len(conflicts), r.stderr)
	}

	want := map[int]string{}
	to := map[string]string{"0_hab": "HAB", "1_grat": "TASK", "2_img": "TASK"}
	stages := []string{"0_hab", "1_grat", "2_img"}
	for i := 0; i < n; i++ {
		want[300000+i] = "Mig_v2.0.0/" + to[stages[i%3]]
	}
	for id, s := range map[int]string{300030: "Mig_v1.0.0/1_grat", 300031: "Mig_v1.0.0/2_img", 300033: "Mig_v1.0.0/1_grat", 300034: "Mig_v1.0.0/2_img",
		300036: "Mig_v2.0.0/HANDOFF", 300038: "Mig_v1.0.0/0_hab"} {
		want[id] = s
	}
	mice, err := op.Mice(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mice {
		if w, ok := want[m.LabTracksID]; ok && m.Regimen+"/"+m.Stage != w {
			t.Errorf("mouse %d: on %s/%s, want %s", m.LabTracksID, m.Regimen, m.Stage, w)
		}
	}
	sb.stop(t, syscall.SIGTERM)
	sets := map[int]int{}
	progressed := map[int]bool{}
	for _, e := range sandboxEvents(t, db) {
		switch e.Route {
		case "set_state":
			sets[e.LabTracksID]++
		case "progress":
			progressed[e.LabTracksID] = true
		}
	}
	for i := 0; i < n; i++ {
		id := 300000 + i
		wantSets := 1 // by the migration, or, for 300036, 300038 and 300039, by the operator
		if progressed[id] {
			wantSets = 0
		}
		if sets[id] != wantSets {
			t.Errorf("mouse %d: %d set_state events, want %d", id, sets[id], wantSets)
		}
	}
	if len(progressed) != 4 {
		t.Errorf("%d mice progressed by the rig, want 4", len(progressed))
	}
}
