package migrate

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/mtrain"
)

// Regimen is one side of a migration: a regimen's name, the base name and
// major version read from it, and its stage names.
type Regimen struct {
	Name string
	// Base is the name without its version ("VisualBehavior_Task1A" for
	// VisualBehavior_Task1A_v1.2.0); a name that follows no convention is its
	// own base.
	Base string
	// Major is the major version; -1 when the name carries none.
	Major  int
	Stages []string
}

// ParseName splits a regimen name NAME_vX.Y.Z into its base name and major
// version. A name without a version is its own base, with major -1 (see
// compiler.VersionMajor).
func ParseName(name string) (base string, major int) { return compiler.VersionMajor(name) }

// NewRegimen describes a regimen by its name and stage names, reading its
// base and major version from the name.
func NewRegimen(name string, stages []string) Regimen {
	base, major := ParseName(name)
	return Regimen{Name: name, Base: base, Major: major, Stages: stages}
}

func (r Regimen) hasStage(name string) bool {
	for _, s := range r.Stages {
		if s == name {
			return true
		}
	}
	return false
}

// Rule is one `migrate` block of the target regimen: mice on a regimen whose
// base name is From and whose major version is Major (-1: any) move from
// each stage Map[i].From to Map[i].To.
type Rule struct {
	From  string
	Major int
	Map   []Pair
	// Where is the block's place in the source, for messages
	// ("task.regimen:31:1"); may be empty.
	Where string
}

// Pair maps one old stage name to a new one.
type Pair struct{ From, To string }

// Target is the regimen mice move to, with its migrate blocks.
type Target struct {
	Regimen
	Rules []Rule
}

// Mouse is one mouse on the source regimen: its id, its stage's name and its
// state id.
type Mouse struct {
	ID    int
	Stage string
	State mtrain.State
}

// Move is one mouse's planned move, as the journal records it.
type Move struct {
	ID        int          `json:"id"`
	FromStage string       `json:"from_stage"`
	ToStage   string       `json:"to_stage"`
	FromState mtrain.State `json:"from_state"`
	// ToState is the whole state set_state is sent (clients compare states
	// as whole objects); zero until the target is known on the server.
	ToState mtrain.State `json:"to_state"`
	// By says which rule chose the target stage (not journaled).
	By string `json:"-"`
}

// Problem is a mouse the plan cannot place, or whose move went wrong.
type Problem struct {
	ID     int
	Stage  string
	Reason string
}

// Plan is every mouse of the source regimen with the stage it moves to.
type Plan struct {
	From, To Regimen
	Moves    []Move
	// Unmapped are the mice whose stage no rule maps (or maps to a stage the
	// target lacks). A plan with any must not be applied.
	Unmapped []Problem
	// Rules says, in words, which rules the plan used.
	Rules []string
	// SourceStates are every state id of the source regimen, when known:
	// a later run uses them to find mice added to it since the plan.
	SourceStates []int
	// TargetMissing is set when the target regimen is not on the server,
	// so the moves have no target state ids yet.
	TargetMissing bool
}

// Ready reports whether the plan can be applied: no unmapped mouse and every
// target state known.
func (p *Plan) Ready() bool { return len(p.Unmapped) == 0 && !p.TargetMissing }

// Counts returns how many mice move from each stage to each stage, in a
// stable order ("FROM -> TO", count).
func (p *Plan) Counts() []StageCount {
	idx := map[[2]string]int{}
	var out []StageCount
	for _, m := range p.Moves {
		k := [2]string{m.FromStage, m.ToStage}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, StageCount{From: m.FromStage, To: m.ToStage, By: m.By})
		}
		out[i].N++
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].From != out[j].From {
			return out[i].From < out[j].From
		}
		return out[i].To < out[j].To
	})
	return out
}

// StageCount is how many mice one stage-to-stage move takes.
type StageCount struct {
	From, To, By string
	N            int
}

// mapper picks a target stage for a source stage.
type mapper struct {
	sameMajor bool
	explicit  map[string]string
	by        map[string]string // source stage → description of its rule
	none      string            // why there is no explicit rule, when there is none
	rules     []string
}

// newMapper chooses the rules that apply to mice moving from src to tgt.
// With a legacy map, the map replaces the target's migrate blocks.
func newMapper(src Regimen, tgt Target, legacy *LegacyMap) *mapper {
	m := &mapper{explicit: map[string]string{}, by: map[string]string{}}
	m.sameMajor = src.Major >= 0 && src.Base == tgt.Base && src.Major == tgt.Major
	if m.sameMajor {
		m.rules = append(m.rules, fmt.Sprintf("the same stage name (both are major version %d of %s)", src.Major, src.Base))
	}
	if legacy != nil {
		mp, desc, why := legacy.lookup(src, tgt.Regimen)
		if mp == nil {
			m.none = why
			return m
		}
		for _, p := range mp {
			m.explicit[p.From] = p.To
			m.by[p.From] = desc
		}
		m.rules = append([]string{desc}, m.rules...)
		return m
	}
	// Migrate blocks: those for the source's major version win over those
	// for any version; within each, a later block wins.
	var exact, any []Rule
	for _, r := range tgt.Rules {
		if r.From != src.Base && r.From != src.Name {
			continue
		}
		switch {
		case r.Major < 0:
			any = append(any, r)
		case src.Major >= 0 && r.Major == src.Major:
			exact = append(exact, r)
		}
	}
	var used []string
	for _, group := range [][]Rule{any, exact} {
		for _, r := range group {
			desc := "the migrate block from " + r.From
			if r.Major >= 0 {
				desc += " " + strconv.Itoa(r.Major)
			}
			if r.Where != "" {
				desc += " at " + r.Where
			}
			used = append(used, desc)
			for _, p := range r.Map {
				m.explicit[p.From] = p.To
				m.by[p.From] = desc
			}
		}
	}
	if len(used) == 0 {
		if src.Major >= 0 {
			m.none = fmt.Sprintf("%s has no migrate block for %s %d (nor for every version of %s), and no --map was given", tgt.Name, src.Base, src.Major, src.Base)
		} else {
			m.none = fmt.Sprintf("%s has no migrate block for %s, and no --map was given", tgt.Name, src.Base)
		}
	}
	// The rules in the order they win: later blocks, and blocks for the
	// source's own major version, first.
	var ordered []string
	for i := len(used) - 1; i >= 0; i-- {
		ordered = append(ordered, used[i])
	}
	m.rules = append(ordered, m.rules...)
	return m
}

// place returns the target stage for a source stage, the rule that chose
// it, and, when there is none, why.
func (m *mapper) place(stage string, tgt Target) (to, by, why string) {
	if to, ok := m.explicit[stage]; ok {
		if !tgt.hasStage(to) {
			return "", "", fmt.Sprintf("%s maps it to %s, which is not a stage of %s", m.by[stage], to, tgt.Name)
		}
		return to, m.by[stage], ""
	}
	if m.sameMajor {
		if tgt.hasStage(stage) {
			return stage, "same stage name", ""
		}
		if len(m.explicit) > 0 {
			return "", "", fmt.Sprintf("%s has no stage %s, and no migrate rule maps it", tgt.Name, stage)
		}
		return "", "", fmt.Sprintf("%s has no stage %s (a stage removed within a major version?), and no migrate rule maps it", tgt.Name, stage)
	}
	if len(m.explicit) == 0 {
		if m.none != "" {
			return "", "", m.none
		}
		return "", "", "no rule maps it"
	}
	return "", "", fmt.Sprintf("no rule maps stage %s (the rules used: %s)", stage, strings.Join(m.rules, "; "))
}

// Compute plans the move of every mouse on src to tgt. Mice are planned in
// LabTracks_ID order; a mouse whose stage no rule maps goes to Unmapped.
// Target state ids are left zero (see Load, which fills them in).
func Compute(src Regimen, tgt Target, legacy *LegacyMap, mice []Mouse) *Plan {
	p := &Plan{From: src, To: tgt.Regimen}
	m := newMapper(src, tgt, legacy)
	p.Rules = m.rules
	sorted := append([]Mouse(nil), mice...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	for _, mouse := range sorted {
		if mouse.Stage == "" {
			p.Unmapped = append(p.Unmapped, Problem{ID: mouse.ID, Reason: fmt.Sprintf("the server names no stage for its state %d", mouse.State.ID)})
			continue
		}
		to, by, why := m.place(mouse.Stage, tgt)
		if why != "" {
			p.Unmapped = append(p.Unmapped, Problem{ID: mouse.ID, Stage: mouse.Stage, Reason: why})
			continue
		}
		p.Moves = append(p.Moves, Move{ID: mouse.ID, FromStage: mouse.Stage, ToStage: to, FromState: mouse.State, By: by})
	}
	return p
}
