package migrate

import (
	"strings"
	"testing"

	"github.com/regc/regc/mtrain"
)

func TestParseName(t *testing.T) {
	for _, tc := range []struct {
		name  string
		base  string
		major int
	}{
		{"VisualBehavior_Task1A_v1.2.0", "VisualBehavior_Task1A", 1},
		{"EPHYS_Task1A_v0.2.5", "EPHYS_Task1A", 0},
		{"Foo_v10", "Foo", 10},
		{"Foo_v2.0.0-rc.1", "Foo", 2},
		{"Pilot_Training", "Pilot_Training", -1},
		{"v1.0.0", "v1.0.0", -1},
		{"Foo_v1.2.3.4", "Foo_v1.2.3.4", -1},
	} {
		base, major := ParseName(tc.name)
		if base != tc.base || major != tc.major {
			t.Errorf("ParseName(%q) = %q, %d; want %q, %d", tc.name, base, major, tc.base, tc.major)
		}
	}
}

func mice(pairs ...any) []Mouse {
	var out []Mouse
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, Mouse{ID: pairs[i].(int), Stage: pairs[i+1].(string), State: mtrain.State{ID: 100 + i}})
	}
	return out
}

func target(name string, stages []string, rules ...Rule) Target {
	return Target{Regimen: NewRegimen(name, stages), Rules: rules}
}

func TestComputeSameMajor(t *testing.T) {
	src := NewRegimen("T_v1.0.0", []string{"A", "B", "C"})
	tgt := target("T_v1.1.0", []string{"A", "B"})
	p := Compute(src, tgt, nil, mice(3, "B", 1, "A", 2, "C"))
	if len(p.Moves) != 2 || p.Moves[0].ID != 1 || p.Moves[0].ToStage != "A" || p.Moves[1].ID != 3 || p.Moves[1].ToStage != "B" {
		t.Errorf("moves: %+v", p.Moves)
	}
	if len(p.Unmapped) != 1 || p.Unmapped[0].ID != 2 || !strings.Contains(p.Unmapped[0].Reason, "no stage C") {
		t.Errorf("unmapped: %+v", p.Unmapped)
	}
	if p.Ready() {
		t.Error("a plan with an unmapped mouse is ready")
	}
}

func TestComputeAcrossMajors(t *testing.T) {
	src := NewRegimen("T_v1.3.0", []string{"0_hab", "1_grat", "2_img", "3_hand"})
	rules := []Rule{
		{From: "T", Major: -1, Map: []Pair{{"0_hab", "HAB"}, {"3_hand", "OLD_TARGET"}}, Where: "t.regimen:10:1"},
		{From: "T", Major: 1, Map: []Pair{{"1_grat", "TASK"}, {"2_img", "TASK"}, {"3_hand", "HANDOFF"}}, Where: "t.regimen:20:1"},
		{From: "T", Major: 0, Map: []Pair{{"0_hab", "WRONG"}}},
		{From: "Other", Major: -1, Map: []Pair{{"0_hab", "WRONG"}}},
	}
	tgt := target("T_v2.0.0", []string{"HAB", "TASK", "HANDOFF"}, rules...)
	p := Compute(src, tgt, nil, mice(1, "0_hab", 2, "1_grat", 3, "2_img", 4, "3_hand"))
	want := map[int]string{1: "HAB", 2: "TASK", 3: "TASK", 4: "HANDOFF"}
	if len(p.Unmapped) != 0 || len(p.Moves) != 4 {
		t.Fatalf("plan: %+v", p)
	}
	for _, m := range p.Moves {
		if want[m.ID] != m.ToStage {
			t.Errorf("mouse %d: to %s, want %s", m.ID, m.ToStage, want[m.ID])
		}
	}
	if !strings.Contains(p.Moves[3].By, "t.regimen:20:1") {
		t.Errorf("mouse 4 by %q, want the major-1 block (it wins over the any-version one)", p.Moves[3].By)
	}
	// Across majors, a stage of the same name is not enough: only rules map.
	tgt2 := target("T_v2.0.0", []string{"0_hab", "HAB"})
	p = Compute(src, tgt2, nil, mice(1, "0_hab", 2, "1_grat"))
	if len(p.Moves) != 0 || len(p.Unmapped) != 2 || !strings.Contains(p.Unmapped[0].Reason, "no migrate block for T 1") {
		t.Errorf("no rules across majors: %+v", p)
	}
	// A rule to a stage the target lacks is unmapped, not sent.
	tgt3 := target("T_v2.0.0", []string{"HAB"}, Rule{From: "T", Major: 1, Map: []Pair{{"0_hab", "NOPE"}}})
	p = Compute(src, tgt3, nil, mice(1, "0_hab"))
	if len(p.Unmapped) != 1 || !strings.Contains(p.Unmapped[0].Reason, "NOPE, which is not a stage") {
		t.Errorf("rule to a missing stage: %+v", p.Unmapped)
	}
}

func TestComputeOtherRegimen(t *testing.T) {
	src := NewRegimen("Pilot_Training", []string{"HANDOFF", "X"})
	tgt := target("T_v2.0.0", []string{"H"}, Rule{From: "Pilot_Training", Major: -1, Map: []Pair{{"HANDOFF", "H"}}})
	p := Compute(src, tgt, nil, mice(7, "HANDOFF", 8, "X", 9, ""))
	if len(p.Moves) != 1 || p.Moves[0].ToStage != "H" {
		t.Errorf("moves: %+v", p.Moves)
	}
	if len(p.Unmapped) != 2 || p.Unmapped[0].ID != 8 || p.Unmapped[1].ID != 9 {
		t.Errorf("unmapped: %+v", p.Unmapped)
	}
}

func TestLegacyMapShapes(t *testing.T) {
	src := NewRegimen("T_v0.3.1", []string{"4_a", "5_b"})
	tgt := target("T_v1.0.0", []string{"A", "B"}, Rule{From: "T", Major: 0, Map: []Pair{{"4_a", "B"}}})
	for _, tc := range []struct {
		name, yml string
		want      map[int]string
		by        string
	}{
		{"the old script's shape: source and target names cut at the first dot",
			"T_v0:\n  T_v1:\n    4_a: A\n    5_b: B\n", map[int]string{1: "A", 2: "B"}, "the T_v0 -> T_v1 entry of migrations.yml (migrations.yml:2:3)"},
		{"one source to several targets, across families",
			"T_v0:\n  Other_v4: {4_a: B, 5_b: B}\n  T_v1: {4_a: A, 5_b: B}\nT_v1:\n  T_v2: {A: B}\n", map[int]string{1: "A", 2: "B"}, "T_v0 -> T_v1"},
		{"flat", "4_a: A\n'5_b': B\n", map[int]string{1: "A", 2: "B"}, "the stage map of migrations.yml"},
		{"anchors and merge keys", "T_v0:\n  X_v1: &c {4_a: A}\n  T_v1:\n    <<: *c\n    5_b: B\n", map[int]string{1: "A", 2: "B"}, "T_v0 -> T_v1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ParseLegacyMap("migrations.yml", []byte(tc.yml))
			if err != nil {
				t.Fatal(err)
			}
			p := Compute(src, tgt, m, mice(1, "4_a", 2, "5_b"))
			if len(p.Unmapped) != 0 {
				t.Fatalf("unmapped: %+v", p.Unmapped)
			}
			for _, mv := range p.Moves {
				if tc.want[mv.ID] != mv.ToStage {
					t.Errorf("mouse %d: to %s, want %s (%s)", mv.ID, mv.ToStage, tc.want[mv.ID], mv.By)
				}
				if !strings.Contains(mv.By, tc.by) {
					t.Errorf("by %q: want %q", mv.By, tc.by)
				}
			}
		})
	}
	// A map without an entry for the source, or without one for the
	// target: unmapped, and the target's migrate blocks do not apply when
	// --map is given.
	for yml, want := range map[string]string{
		"Other_v1: {T_v1: {4_a: A}}\n":             "migrations.yml has no entry for T_v0 (T_v0.3.1 cut at its first dot, as the old script looked it up); its sources: Other_v1",
		"T_v0: {X_v1: {4_a: A}, Y_v1: {4_a: A}}\n": "migrations.yml maps T_v0 only to X_v1, Y_v1, not to T_v1 (T_v1.0.0 cut at its first dot)",
	} {
		m, err := ParseLegacyMap("migrations.yml", []byte(yml))
		if err != nil {
			t.Fatal(err)
		}
		p := Compute(src, tgt, m, mice(1, "4_a"))
		if len(p.Unmapped) != 1 || p.Unmapped[0].Reason != want {
			t.Errorf("%s: unmapped: %+v\nwant %q", yml, p.Unmapped, want)
		}
	}
}

func TestLegacyMapErrors(t *testing.T) {
	for _, tc := range []struct{ name, yml, want string }{
		{"duplicate key", "4_a: A\n4_a: B\n", "migrations.yml:2:1"},
		{"int-looking stage", "1_0: A\n", "quote it"},
		{"mixed shapes", "4_a: A\nT_v0: {T_v1: {4_a: A}}\n", "mixes"},
		{"null target", "4_a:\n", "want the new stage's name, got nothing"},
		{"list target", "4_a: [A]\n", "got a sequence"},
		{"empty", "", "empty"},
		{"not a mapping", "- a\n", "want a mapping"},
		{"majors instead of names", "0: {1: {4_a: A}}\n", `migrations.yml:1:1: "0" is read as !!int; want a source regimen name cut at its first dot, such as VisualBehavior_Task1A_v0`},
		{"a full name as the source", "T_v0.3.1: {T_v1: {4_a: A}}\n", "migrations.yml:1:1: T_v0.3.1 has a dot, so the old script's lookup (a name cut at its first dot) never matched it; write T_v0"},
		{"a full name as the target", "T_v0: {T_v1.0.0: {4_a: A}}\n", "migrations.yml:1:8: T_v1.0.0 has a dot"},
		{"stages right under the source", "T_v0:\n  4_a: A\n", "migrations.yml:2:3: under T_v0, want a target regimen name (cut at its first dot) mapping old stage names to new ones, got 4_a: A"},
		{"syntax", "a: [\n", "migrations.yml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseLegacyMap("migrations.yml", []byte(tc.yml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error with %q", err, tc.want)
			}
		})
	}
}
