package main

import (
	"context"
	"encoding/json"
	"github.com/regc/regc/internal/testtool"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regc/regc/internal/corpustest"
	"github.com/regc/regc/legacy"
	"github.com/regc/regc/mtrain/migrate"
)

// diffJSON is the part of `regc diff --format json` the tests read.
type diffJSON struct {
	Same     bool           `json:"same"`
	Required string         `json:"required_bump"`
	Mice     map[string]int `json:"mice"`
	Stages   []struct {
		Kind, Name string
	} `json:"stages"`
	Suggest []struct {
		From, To, Evidence string
	} `json:"suggested_migrations"`
}

func parseDiffJSON(t *testing.T, r runResult) diffJSON {
	t.Helper()
	var d diffJSON
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatalf("diff --format json: %v\nstdout:\n%s\nstderr:\n%s", err, r.stdout, r.stderr)
	}
	return d
}

// TestDiffExitCodes: 0 the same, 1 different, 2 usage or trouble.
func TestDiffExitCodes(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.regimen")
	b := filepath.Join(dir, "b.regimen")
	c := filepath.Join(dir, "c.regimen")
	bad := filepath.Join(dir, "bad.regimen")
	for p, s := range map[string]string{
		a: okRegimen, b: strings.Replace(okRegimen, "// x", "", 1) + "// a comment\n",
		c:   strings.Replace(strings.Replace(okRegimen, "2 uL", "3 uL", 1), "1.0.0", "1.1.0", 1),
		bad: badRegimen,
	} {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"the same", []string{"diff", a, b}, 0, "no differences"},
		{"different", []string{"diff", a, c}, 1, "reward_volume: 0.002 mL -> 0.003 mL"},
		{"one file", []string{"diff", a}, 2, "give two regimen files"},
		{"bad format", []string{"diff", "--format", "yaml", a, b}, 2, "--format must be text, json or markdown"},
		{"errors", []string{"diff", a, bad}, 2, "has errors, so it cannot be compared"},
		{"missing", []string{"diff", a, filepath.Join(dir, "none.regimen")}, 2, "could not be compiled"},
		{"a password flag", []string{"diff", "--password", "x", a, b}, 2, "there is no --password flag"},
	} {
		r := runRegc(t, tc.args...)
		if r.code != tc.code || !strings.Contains(r.stdout+r.stderr, tc.want) {
			t.Errorf("%s: exit %d, want %d and %q\nstdout:\n%s\nstderr:\n%s", tc.name, r.code, tc.code, tc.want, r.stdout, r.stderr)
		}
	}
}

// TestDiffAtRev reads OLD as of a git revision (gitrev.go).
func TestDiffAtRev(t *testing.T) {
	testtool.Need(t, "git", "OLD@REV cannot be tried")
	repo := t.TempDir()
	git(t, repo, "init", "-q")
	p := filepath.Join(repo, "task.regimen")
	if err := os.WriteFile(p, []byte(okRegimen), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, repo, "add", "-A")
	git(t, repo, "commit", "-q", "-m", "1.0.0")
	changed := strings.Replace(strings.Replace(okRegimen, "stage B", "stage C", 1), "A -> B", "A -> C", 1)
	if err := os.WriteFile(p, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runRegc(t, "diff", p+"@HEAD", p)
	if r.code != 1 || !strings.Contains(r.stdout, "renamed B -> C") || !strings.Contains(r.stdout, "version 1.0.0 is not above 1.0.0; the change requires a major bump") {
		t.Errorf("diff FILE@HEAD FILE: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runRegc(t, "diff", p+"@nosuchrev", p)
	if r.code != 2 || !strings.Contains(r.stderr, "unknown revision nosuchrev") {
		t.Errorf("an unknown revision: exit %d\n%s", r.code, r.stderr)
	}
}

// TestCheckAgainst: `check --against` reports a bump too small, a bump
// higher than needed, and an unmapped stage on a major bump.
func TestCheckAgainst(t *testing.T) {
	dir := t.TempDir()
	fixtures(t, dir)
	p := func(name string) string { return filepath.Join(dir, name) }
	v1x, err := os.ReadFile(p("mig_v1x.regimen"))
	if err != nil {
		t.Fatal(err)
	}
	patch := filepath.Join(dir, "mig_v101.regimen")
	if err := os.WriteFile(patch, []byte(strings.Replace(string(v1x), "version 1.0.0", "version 1.0.1", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	v2, err := os.ReadFile(p("mig_v2.regimen"))
	if err != nil {
		t.Fatal(err)
	}
	noBlock := filepath.Join(dir, "mig_v2_noblock.regimen")
	text, _, _ := strings.Cut(string(v2), "migrate from")
	if err := os.WriteFile(noBlock, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	major := filepath.Join(dir, "mig_v200.regimen")
	if err := os.WriteFile(major, []byte(strings.Replace(string(v1x), "version 1.0.0", "version 2.0.0", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		old, new  string
		code      int
		want, not []string
	}{
		{"a bump too small", p("mig_v1.regimen"), patch, 1,
			[]string{"error: version 1.0.0 → 1.0.1 is a patch bump; the change requires a minor bump", "[version-bump]", "regimen Mig version 1.0.1"}, nil},
		{"the same version", p("mig_v1.regimen"), p("mig_v1x.regimen"), 1,
			[]string{"version 1.0.0 is not above 1.0.0; the change requires a minor bump"}, nil},
		{"enough", p("mig_v1.regimen"), p("mig_v11.regimen"), 0, nil, []string{"version-bump", "migrate-coverage"}},
		{"higher than needed", p("mig_v1.regimen"), major, 0,
			[]string{"warning: version 1.0.0 → 2.0.0 is a major bump; a minor bump would do"}, nil},
		{"every stage mapped", p("mig_v1.regimen"), p("mig_v2.regimen"), 0, nil, []string{"migrate-coverage"}},
		{"no migrate block", p("mig_v1.regimen"), noBlock, 1,
			[]string{"stage 0_hab of Mig_v1.0.0 is not mapped", `"0_hab" -> HAB`, `"1_grat" -> TASK`, `"2_img" -> HANDOFF`, "3 errors"}, nil},
		{"an unmapped stage", p("mig_v11.regimen"), p("mig_v2.regimen"), 1,
			[]string{"error: stage 3_extra of Mig_v1.1.0 is not mapped: Mig_v2.0.0 has no stage of that name and no `migrate from Mig` block maps it", "[migrate-coverage]"}, []string{"0_hab of", "1_grat of"}},
	} {
		r := runRegc(t, "check", "--color", "never", "--against", tc.old, tc.new)
		all := r.stdout + r.stderr
		if r.code != tc.code {
			t.Errorf("%s: exit %d, want %d\n%s", tc.name, r.code, tc.code, all)
		}
		for _, w := range tc.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s: output lacks %q\n%s", tc.name, w, all)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(all, w) {
				t.Errorf("%s: output holds %q\n%s", tc.name, w, all)
			}
		}
	}
	// --suggest-migrate has nothing to suggest when NEW maps every stage.
	r := runRegc(t, "diff", "--suggest-migrate", p("mig_v1.regimen"), p("mig_v2.regimen"))
	if r.code != 1 || strings.Contains(r.stdout, "migrate from") || !strings.Contains(r.stderr, "or mapped by its migrate blocks; no migrate block is needed") {
		t.Errorf("suggest with every stage mapped: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runRegc(t, "diff", "--suggest-migrate", p("mig_v1.regimen"), noBlock)
	if !strings.Contains(r.stdout, "migrate from Mig 1 {\n    \"0_hab\" -> HAB  ") {
		t.Errorf("suggest without a block:\n%s", r.stdout)
	}
	// The json format carries the codes.
	r = runRegc(t, "check", "--format", "json", "--against", p("mig_v11.regimen"), p("mig_v2.regimen"))
	var ds []jsonDiagnostic
	if err := json.Unmarshal([]byte(r.stdout), &ds); err != nil || len(ds) != 1 || ds[0].Code != "migrate-coverage" || ds[0].Line != 9 {
		t.Errorf("check --format json --against: %v %+v\n%s", err, ds, r.stdout)
	}
}

// TestSuggestMigrateHistoric: on the historic v0 → v1 change of
// VisualBehavior_Task1A, --suggest-migrate proposes the mapping the old
// repository's migrations.yml wrote (read with its own reader) for at
// least 10 of its 13 stages.
func TestSuggestMigrateHistoric(t *testing.T) {
	dir := corpustest.Dir(t, "migrations/migrations.yml")
	old := filepath.Join(dir, "yaml", "VisualBehavior_Task1A_v0.3.1.2538ae7b.yml")
	// The first v1.0.0 committed with migrations.yml (2018-10-25).
	new := filepath.Join(dir, "yaml", "VisualBehavior_Task1A_v1.0.0.b740b5f7.yml")
	r := runRegc(t, "diff", "--suggest-migrate", "--format", "json", old, new)
	if r.code != 1 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	d := parseDiffJSON(t, r)
	src, err := os.ReadFile(filepath.Join(dir, "migrations", "migrations.yml"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := migrate.ParseLegacyMap("migrations.yml", src)
	if err != nil {
		t.Fatal(err)
	}
	// Ask the map where a mouse on each old stage goes.
	oldStages := []string{}
	var mice []migrate.Mouse
	for i, s := range d.Suggest {
		oldStages = append(oldStages, s.From)
		mice = append(mice, migrate.Mouse{ID: i + 1, Stage: s.From})
	}
	newRes := legacy.CompileFile(new, nil)
	var newStages []string
	for _, s := range newRes.Regimen.Stages {
		newStages = append(newStages, s.Name)
	}
	plan := migrate.Compute(migrate.NewRegimen("VisualBehavior_Task1A_v0.3.1", oldStages),
		migrate.Target{Regimen: migrate.NewRegimen("VisualBehavior_Task1A_v1.0.0", newStages)}, m, mice)
	want := map[string]string{}
	for _, mv := range plan.Moves {
		want[mv.FromStage] = mv.ToStage
	}
	if len(want) != 13 {
		t.Fatalf("migrations.yml maps %d stages, want 13 (unmapped: %+v)", len(want), plan.Unmapped)
	}
	agree := 0
	for _, s := range d.Suggest {
		if want[s.From] == s.To {
			agree++
		} else {
			t.Logf("%s: regc suggests %q (%s); migrations.yml wrote %s", s.From, s.To, s.Evidence, want[s.From])
		}
	}
	t.Logf("regc's suggestion agrees with migrations.yml on %d of %d stages", agree, len(want))
	if agree < 10 {
		t.Errorf("regc's suggestion agrees with migrations.yml on %d of 13 stages, want at least 10", agree)
	}
	// The text format prints a block that the language reads.
	r = runRegc(t, "diff", "--suggest-migrate", old, new)
	if !strings.Contains(r.stdout, "migrate from VisualBehavior_Task1A 0 {\n    \"0_gratings_autorewards_15min\" -> TRAINING_0_gratings_autorewards_15min") {
		t.Errorf("the text lacks the migrate block:\n%s", r.stdout)
	}
}

// TestDiffServerMice: with --server, diff counts the mice of the sandbox
// on each stage of OLD (only those on OLD's regimen).
func TestDiffServerMice(t *testing.T) {
	_, _, url := inProcessSandbox(t)
	h := &harness{url: url, dir: t.TempDir(), run: inProcessRun(url), client: newE2EClient(t, url)}
	fixtures(t, h.dir)
	p := func(name string) string { return filepath.Join(h.dir, name) }
	expect(t, h.regc(t, "sync", "upload", "--dry-run=false", p("mig_v1.regimen")), 0)
	expect(t, h.regc(t, "sync", "upload", "--dry-run=false", p("mig_v11.regimen")), 0)
	ctx := context.Background()
	put := func(regimen, stage string, ids ...int) {
		t.Helper()
		st, err := h.client.GetState(ctx, regimen, stage)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if err := h.client.AddSubject(ctx, id, st); err != nil {
				t.Fatal(err)
			}
		}
	}
	put("Mig_v1.0.0", "0_hab", 301, 302, 303, 304)
	put("Mig_v1.0.0", "1_grat", 305, 306)
	put("Mig_v1.0.0", "2_img", 307)
	put("Mig_v1.1.0", "1_grat", 308, 309, 310) // another version: not counted

	r := h.regc(t, "diff", "--server", url, "--format", "json", p("mig_v1.regimen"), p("mig_v2.regimen"))
	d := parseDiffJSON(t, r)
	want := map[string]int{"0_hab": 4, "1_grat": 2, "2_img": 1}
	if r.code != 1 || len(d.Mice) != len(want) {
		t.Fatalf("exit %d, mice %v, want %v\n%s", r.code, d.Mice, want, r.stderr)
	}
	for s, n := range want {
		if d.Mice[s] != n {
			t.Errorf("mice on %s: %d, want %d", s, d.Mice[s], n)
		}
	}
	expect(t, h.regc(t, "diff", "--server", url, p("mig_v1.regimen"), p("mig_v1x.regimen")), 1,
		"changed 1_grat (2 mice)", "level: 1 -> 10")
	expect(t, h.regc(t, "diff", "--server", url, p("mig_v1.regimen"), p("mig_v2.regimen")), 1,
		"renamed 0_hab -> HAB (4 mice)", "renamed 2_img -> HANDOFF (1 mouse)")
	// --against-server: OLD is the server's copy (by a file's name, or a
	// name); the server ($REGC_SERVER here) holds the same document as
	// mig_v1.regimen, so nothing differs.
	expect(t, h.regc(t, "diff", "--against-server", p("mig_v1.regimen"), p("mig_v1.regimen")), 0, "no differences")
	expect(t, h.regc(t, "diff", "--against-server", "Mig_v1.0.0", p("mig_v1x.regimen")), 1,
		"changed 1_grat (2 mice)", "level: 1 -> 10", "version 1.0.0 is not above 1.0.0")
	expect(t, h.regc(t, "diff", "--against-server", "Mig_v1.0.1", p("mig_v1.regimen")), 2,
		"no regimen Mig_v1.0.1 on", "did you mean Mig_v1.0.0?")
	// OLD's regimen is not on the server: trouble, with the nearest name.
	expect(t, h.regc(t, "diff", "--server", url, p("mig_v2.regimen"), p("mig_v1.regimen")), 2,
		"no regimen Mig_v2.0.0 on")
}

// The file names and revisions diff names in its errors are escaped: an
// argument cannot act on the terminal.
func TestDiffErrorsEscaped(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.regimen")
	if err := os.WriteFile(a, []byte(okRegimen), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, arg := range []string{
		filepath.Join(dir, "none\x1b]0;owned\x07\u202e.regimen"), // could not be compiled
		a + "@x\x1b]0;owned\x07\u202e",                           // a revision git does not know (or no work tree)
	} {
		r := runRegc(t, "diff", a, arg)
		if r.code != exitUsage || strings.ContainsAny(r.stderr, "\x1b\x07\u202e") || !strings.Contains(r.stderr, `\x1b]0;owned\x07\u202e`) {
			t.Errorf("diff %q: exit %d, stderr %q; want exit 2 and the argument escaped", arg, r.code, r.stderr)
		}
	}
}
