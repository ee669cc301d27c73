package legacy

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/internal/corpustest"
	"github.com/regc/regc/lang"
)

// The graph lints run on legacy files too. A regimen.yml cannot declare a
// final stage, so its dead ends are read as final (as regc import writes
// them): no trap-stage, but a stage from which no dead end can be reached
// is no-final-path; a cycle of unconditional progress transitions and a
// transition whose conditions and unless share a criterion are found as in
// source.
func TestLintGraphLegacy(t *testing.T) {
	src := `name: Legacy_v1.0.0
stages:
  A: {script: s.py, parameters: {stage: A}}
  B: {script: s.py, parameters: {stage: B}}
  C: {script: s.py, parameters: {stage: C}}
  D: {script: s.py, parameters: {stage: D}}
  E: {script: s.py, parameters: {stage: E}}
  F: {script: s.py, parameters: {stage: F}}
transitions:
  - {trigger: progress, source: A, dest: B, conditions: [x], unless: [y, x]}
  - {trigger: progress, source: B, dest: C}
  - {trigger: progress, source: C, dest: B}
  - {trigger: manual, source: C, dest: D}
  - {trigger: manual, source: A, dest: E}
  - {trigger: progress, source: E, dest: F, conditions: x}
  - {trigger: progress, source: F, dest: E, conditions: x}
`
	res := CompileSource("legacy.yml", []byte(src))
	want := map[string]string{
		"progress-cycle":           "around B -> C -> B on every session",
		"contradictory-transition": "x must both hold (when) and fail (unless)",
		"no-final-path":            "to a final stage (D)",
	}
	got := map[string][]lang.Diagnostic{}
	for _, d := range res.Diagnostics {
		got[d.Code] = append(got[d.Code], d)
	}
	for code, msg := range want {
		ds := got[code]
		if len(ds) == 0 || ds[0].Severity != lang.Warning || !strings.Contains(ds[0].Message, msg) {
			t.Errorf("want a %s warning containing %q; got %v", code, msg, res.Diagnostics)
		}
	}
	if n := len(got["no-final-path"]); n != 2 {
		t.Errorf("no-final-path on %d stages, want 2 (E and F): %v", n, got["no-final-path"])
	}
	if ds := got["trap-stage"]; len(ds) != 0 {
		t.Errorf("trap-stage on a legacy dead end: %v", ds)
	}
	if n := len(got["progress-cycle"]) + len(got["contradictory-transition"]) + len(got["no-final-path"]); n != len(res.Diagnostics) {
		t.Errorf("unexpected diagnostics: %v", res.Diagnostics)
	}
	for _, s := range res.Regimen.Stages {
		if s.Final != (s.Name == "D") {
			t.Errorf("stage %s: final %v, want only D final", s.Name, s.Final)
		}
	}
}

// TestLintGraphCorpus runs the graph lints over every historic regimen.yml:
// no trap-stage (a legacy dead end is read as final), and each
// no-final-path sits on a stage from which no dead end can be reached,
// checked against the compiled transitions. It logs how many files each
// lint fires on, with an example.
func TestLintGraphCorpus(t *testing.T) {
	dir := filepath.Join(corpustest.Dir(t, "yaml"), "yaml")
	files, err := filepath.Glob(filepath.Join(dir, "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files in %s: %v", dir, err)
	}
	codes := []string{"trap-stage", "no-final-path", "progress-cycle", "contradictory-transition"}
	fired := map[string]int{}
	example := map[string]string{}
	for _, path := range files {
		res := Compile(path, nil)
		if res.Regimen == nil {
			continue
		}
		reg := res.Regimen
		seen := map[string]bool{}
		for _, d := range res.Diagnostics {
			if !slices.Contains(codes, d.Code) {
				continue
			}
			if !seen[d.Code] {
				seen[d.Code] = true
				fired[d.Code]++
				if example[d.Code] == "" {
					example[d.Code] = d.String()
				}
			}
			if d.Code == "no-final-path" && reachesDeadEnd(reg, d.Range) {
				t.Errorf("%s: no-final-path on a stage that reaches a dead end: %s", filepath.Base(path), d)
			}
		}
		if seen["trap-stage"] {
			t.Errorf("%s: trap-stage in a legacy file, whose dead ends are final", filepath.Base(path))
		}
	}
	for _, c := range codes {
		t.Logf("%s fires on %d of %d files; e.g. %s", c, fired[c], len(files), example[c])
	}
}

// reachesDeadEnd reports whether the stage declared at rng reaches, by
// transitions, a declared stage no transition leaves.
func reachesDeadEnd(reg *compiler.Regimen, rng lang.Range) bool {
	declared := map[string]bool{}
	for _, s := range reg.Stages {
		declared[s.Name] = true
	}
	out := map[string][]string{}
	for _, t := range reg.Transitions {
		if t.Dest != t.Source {
			out[t.Source] = append(out[t.Source], t.Dest)
		}
	}
	var start string
	for _, s := range reg.Stages {
		if s.Range == rng {
			start = s.Name
		}
	}
	seen := map[string]bool{start: true}
	todo := []string{start}
	for len(todo) > 0 {
		n := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if declared[n] && len(out[n]) == 0 {
			return true
		}
		for _, d := range out[n] {
			if !seen[d] {
				seen[d] = true
				todo = append(todo, d)
			}
		}
	}
	return false
}
