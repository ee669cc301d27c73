package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// realMigrations reads the historic migrations.yml of the corpus without
// regc's reader, the way its header comment describes it: source regimen
// (cut at its first dot), then target regimen, then old stage: new stage,
// each level indented two more spaces. With CI set, a missing corpus fails.
func realMigrations(t *testing.T) (path string, header string, m map[string]map[string]map[string]string) {
	t.Helper()
	path = filepath.Join("..", "..", "..", "shared", "corpus", "migrations", "migrations.yml")
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the historic migrations.yml is absent (%s), and CI is set: %v", path, err)
		}
		t.Skipf("the historic migrations.yml is absent (%s): %v", path, err)
	}
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
