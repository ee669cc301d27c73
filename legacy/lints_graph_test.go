package legacy

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/regc/regc/internal/corpustest"
	"github.com/regc/regc/lang"
)

// The graph lints run on legacy files too: a regimen.yml cannot declare a
// final stage, so its dead ends are traps whose message says how to declare
// one; a cycle of unconditional progress transitions and a transition whose
// conditions and unless share a criterion are found as in source.
func TestLintGraphLegacy(t *testing.T) {
	src := `name: Legacy_v1.0.0
stages:
  A: {script: s.py, parameters: {stage: A}}
  B: {script: s.py, parameters: {stage: B}}
  C: {script: s.py, parameters: {stage: C}}
  D: {script: s.py, parameters: {stage: D}}
transitions:
  - {trigger: progress, source: A, dest: B, conditions: [x], unless: [y, x]}
  - {trigger: progress, source: B, dest: C}
  - {trigger: progress, source: C, dest: B}
  - {trigger: manual, source: C, dest: D}
`
	res := CompileSource("legacy.yml", []byte(src))
	want := map[string]string{
		"trap-stage":               "stage D has no transition out, so a mouse that reaches it stays there; a regimen.yml cannot say",
		"progress-cycle":           "around B -> C -> B on every session",
		"contradictory-transition": "x must both hold (when) and fail (unless)",
	}
	got := map[string]lang.Diagnostic{}
	for _, d := range res.Diagnostics {
		if _, dup := got[d.Code]; dup {
			t.Errorf("%s reported twice: %v", d.Code, res.Diagnostics)
		}
		got[d.Code] = d
	}
	for code, msg := range want {
		d, ok := got[code]
		if !ok || d.Severity != lang.Warning || !strings.Contains(d.Message, msg) {
			t.Errorf("want a %s warning containing %q; got %v", code, msg, res.Diagnostics)
		}
	}
	if len(res.Diagnostics) != len(want) {
		t.Errorf("got %d diagnostics, want %d: %v", len(res.Diagnostics), len(want), res.Diagnostics)
	}
	if d := got["trap-stage"]; d.Range.Start.Line != 6 {
		t.Errorf("trap-stage on line %d, want 6 (stage D)", d.Range.Start.Line)
	}
}

// TestLintGraphCorpus runs the graph lints over every historic regimen.yml
// and checks each trap-stage against the compiled document: a trap is
// reported exactly for the stages no transition leaves (in a regimen of more
// than one stage), since legacy files cannot declare a final stage. It logs
// how many files each lint fires on, with an example.
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
		traps := map[string]bool{}
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
			if d.Code == "trap-stage" {
				traps[strings.Fields(d.Message)[1]] = true
			}
		}
		if seen["no-final-path"] {
			t.Errorf("%s: no-final-path in a legacy file, which cannot declare a final stage", path)
		}
		reg := res.Regimen
		for _, s := range reg.Stages {
			deadEnd := len(reg.Stages) > 1
			for _, tr := range reg.Transitions {
				deadEnd = deadEnd && !(tr.Source == s.Name && tr.Dest != s.Name)
			}
			if deadEnd != traps[s.Name] {
				t.Errorf("%s: stage %s: dead end %v, trap-stage reported %v", filepath.Base(path), s.Name, deadEnd, traps[s.Name])
			}
		}
	}
	for _, c := range codes {
		t.Logf("%s fires on %d of %d files; e.g. %s", c, fired[c], len(files), example[c])
	}
}
