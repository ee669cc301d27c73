package migrate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/mtrain"
)

// TargetOf describes a compiled regimen as the target of a migration: its
// name, stages, base name and major version, and its `migrate` blocks.
func TargetOf(reg *compiler.Regimen) Target {
	var stages []string
	for _, s := range reg.Stages {
		stages = append(stages, s.Name)
	}
	t := Target{Regimen: NewRegimen(reg.Name, stages)}
	if major, ok := reg.Major(); ok {
		t.Base, t.Major = reg.Base, major
	}
	for _, m := range reg.Migrations {
		r := Rule{From: m.From, Major: m.Major}
		if m.Range.IsValid() {
			r.Where = fmt.Sprintf("%s:%d:%d", m.Range.File, m.Range.Start.Line, m.Range.Start.Column)
		}
		for _, p := range m.Map {
			r.Map = append(r.Map, Pair{From: p.From, To: p.To})
		}
		t.Rules = append(t.Rules, r)
	}
	return t
}

// Begun is how a run starts (see Begin): a journal to apply, or a plan that
// cannot or need not be applied.
type Begun struct {
	// Journal is the journal to apply, open; nil when Plan has unmapped mice
	// or no moves.
	Journal *Journal
	// Resumed says Journal was there already: this run continues it.
	Resumed bool
	// Plan is the plan of a new journal, or the plan that stopped one from
	// being made; nil when a journal was resumed.
	Plan *Plan
}

// Begin is the journal's resume-or-create policy. A journal at path is
// resumed when it records this migration (from, the target's name, the
// server) and the target's stages on the server still have the state ids it
// planned with; a journal of another migration is refused. Without one, the
// migration is planned (see Load) and, when every mouse is mapped and some
// are to move, a new journal is created at path, whose folder must exist.
func Begin(ctx context.Context, c Client, server, user, path, from string, target Target, legacy *LegacyMap, onServer *mtrain.Regimen) (*Begun, error) {
	j, err := Open(path)
	if err == nil {
		h := j.Header
		if h.From != from || h.To != target.Name || h.Server != server {
			j.Close()
			return nil, fmt.Errorf("the journal %s is for moving mice from %s to %s on %s, not from %s to %s on %s; give another --journal, or remove it if that migration is over",
				path, h.From, h.To, h.Server, from, target.Name, server)
		}
		if err := CheckTargetStates(h, onServer); err != nil {
			j.Close()
			return nil, fmt.Errorf("the journal %s cannot be resumed: %v", path, err)
		}
		return &Begun{Journal: j, Resumed: true}, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	plan, _, err := Load(ctx, c, from, target, legacy)
	if err != nil {
		return nil, err
	}
	if len(plan.Unmapped) > 0 || len(plan.Moves) == 0 {
		return &Begun{Plan: plan}, nil
	}
	h, err := HeaderFor(plan, server, user)
	if err != nil {
		return nil, err
	}
	if dir := filepath.Dir(path); dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("the journal's folder %s does not exist", dir)
		}
	}
	if j, err = Create(path, h); err != nil {
		return nil, err
	}
	return &Begun{Journal: j, Plan: plan}, nil
}
