package migrate

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/regc/regc/mtrain"
)

// Client is what a migration needs of an mtrain server; *mtrain.Client has
// it.
type Client interface {
	Regimen(ctx context.Context, name string) (*mtrain.Regimen, error)
	Mice(ctx context.Context, regimen string) ([]mtrain.Mouse, error)
	Subjects(ctx context.Context) ([]mtrain.Subject, error)
	Subject(ctx context.Context, labTracksID int) (mtrain.Subject, error)
	SetState(ctx context.Context, labTracksID int, st mtrain.State) error
}

// ErrNoSource is returned by Load when the source regimen is not on the
// server.
var ErrNoSource = errors.New("the source regimen is not on the server")

// Load reads the source regimen, its mice and the target regimen from the
// server, and plans the migration (see Compute). When the target is not on
// the server, the plan has TargetMissing set and no target state ids;
// Target is the regimen as the server holds it, or nil.
func Load(ctx context.Context, c Client, from string, tgt Target, legacy *LegacyMap) (plan *Plan, target *mtrain.Regimen, err error) {
	srcReg, err := c.Regimen(ctx, from)
	if errors.Is(err, mtrain.ErrNotFound) {
		return nil, nil, fmt.Errorf("%s: %w", from, ErrNoSource)
	}
	if err != nil {
		return nil, nil, err
	}
	mice, err := c.Mice(ctx, from)
	if err != nil {
		return nil, nil, err
	}
	var stages []string
	var sourceStates []int
	for _, s := range srcReg.Stages {
		stages = append(stages, s.Name)
		if s.StateID != 0 {
			sourceStates = append(sourceStates, s.StateID)
		}
	}
	ms := make([]Mouse, 0, len(mice))
	for _, m := range mice {
		ms = append(ms, Mouse{ID: m.LabTracksID, Stage: m.Stage, State: m.State})
	}
	plan = Compute(NewRegimen(from, stages), tgt, legacy, ms)
	plan.SourceStates = sourceStates
	target, err = c.Regimen(ctx, tgt.Name)
	if errors.Is(err, mtrain.ErrNotFound) {
		plan.TargetMissing = true
		return plan, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	for i := range plan.Moves {
		mv := &plan.Moves[i]
		s := target.Stage(mv.ToStage)
		if s == nil || s.StateID == 0 {
			return nil, nil, fmt.Errorf("the regimen %s on the server has no stage %s (it is not the regimen that was compiled)", tgt.Name, mv.ToStage)
		}
		mv.ToState = mtrain.State{ID: s.StateID, RegimenID: target.ID, StageID: s.ID}
	}
	return plan, target, nil
}

// Options tune Apply.
type Options struct {
	// Progress, when set, is called after each planned mouse is handled.
	Progress func(done, total int)
	// Logf, when set, receives a line per mouse moved or found.
	Logf func(format string, args ...any)
	// Regimens, when given, name the states of these regimens in messages
	// (beyond those of the plan), such as the mice's source and target
	// regimens as the server holds them.
	Regimens []*mtrain.Regimen
}

// Result is what Apply did and found.
type Result struct {
	Planned int
	// Earlier: mice an earlier run recorded as done.
	Earlier int
	// Moved: mice this run moved (set_state sent, and read back on target).
	Moved int
	// Found: mice found on their target state without a write from this
	// run: their write landed before an interruption.
	Found int
	// Conflicts: mice on neither their source nor their target state (moved
	// by someone else since the plan), left alone.
	Conflicts []Problem
	// Checked: mice the reconciliation read back on their target state.
	Checked int
	// Wrong: mice the reconciliation found elsewhere.
	Wrong []Problem
	// Strays: mice on a state of the source regimen that the plan does not
	// hold (added since the plan was made).
	Strays []int
	// AlreadyFinished: the journal recorded a finished migration; only the
	// reconciliation ran.
	AlreadyFinished bool
}

// OK reports whether every planned mouse is on its target state and no
// mouse was left behind.
func (r *Result) OK() bool {
	return len(r.Conflicts) == 0 && len(r.Wrong) == 0 && len(r.Strays) == 0 && r.Checked == r.Planned
}

// HeaderFor makes a journal header for a ready plan.
func HeaderFor(p *Plan, server, user string) (Header, error) {
	if len(p.Unmapped) > 0 {
		return Header{}, fmt.Errorf("%d mice have no mapping", len(p.Unmapped))
	}
	if p.TargetMissing {
		return Header{}, fmt.Errorf("the regimen %s is not on the server", p.To.Name)
	}
	return Header{From: p.From.Name, To: p.To.Name, Server: server, User: user,
		SourceStates: p.SourceStates, Moves: p.Moves}, nil
}

// CheckTargetStates checks that the target regimen on the server still has
// the states a journal's plan sends mice to (a server whose data was reset
// and the regimen uploaded again would give them other ids).
func CheckTargetStates(h Header, target *mtrain.Regimen) error {
	if target == nil || target.Name != h.To {
		return fmt.Errorf("the regimen %s is not on the server", h.To)
	}
	for _, mv := range h.Moves {
		s := target.Stage(mv.ToStage)
		if s == nil || s.StateID != mv.ToState.ID || s.ID != mv.ToState.StageID || target.ID != mv.ToState.RegimenID {
			return fmt.Errorf("the plan sends mouse %d to state %d (stage %s of %s), which the server no longer holds as such: was its data reset?", mv.ID, mv.ToState.ID, mv.ToStage, h.To)
		}
	}
	return nil
}

// Apply carries out the journal's plan: every mouse not recorded done is
// moved to its target state and read back, each step recorded and synced
// before the next; a mouse found already on its target state is recorded
// without a write. Apply stops at the first write or read that fails, with
// an error: the journal then says where it stopped, and applying it again
// resumes there. After the last mouse, it reads every mouse back and, when
// all are where the plan put them, records the migration finished.
func Apply(ctx context.Context, c Client, j *Journal, opt Options) (*Result, error) {
	logf := opt.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	moves := j.Header.Moves
	res := &Result{Planned: len(moves), AlreadyFinished: j.Finished()}
	if j.Finished() {
		for _, mv := range moves {
			if j.Done(mv.ID) {
				res.Earlier++
			}
		}
	} else {
		names := stateNames(j.Header, opt.Regimens)
		for i, mv := range moves {
			if err := ctx.Err(); err != nil {
				return res, fmt.Errorf("interrupted after %d of %d mice: %w", i, len(moves), err)
			}
			if j.Done(mv.ID) {
				res.Earlier++
			} else if err := moveOne(ctx, c, j, mv, names, res, logf); err != nil {
				return res, err
			}
			if opt.Progress != nil {
				opt.Progress(i+1, len(moves))
			}
		}
	}
	if err := reconcile(ctx, c, j, res); err != nil {
		return res, err
	}
	if !j.Finished() && len(res.Conflicts) == 0 && len(res.Wrong) == 0 {
		if err := j.Append(Record{Type: "finish", Moved: res.Moved, Found: res.Found, Checked: res.Checked}); err != nil {
			return res, err
		}
	}
	return res, nil
}

// stateNames names the states of a journal's plan and of the regimens
// given, for messages.
func stateNames(h Header, regimens []*mtrain.Regimen) map[int]string {
	names := map[int]string{}
	for _, r := range regimens {
		if r == nil {
			continue
		}
		for _, s := range r.Stages {
			if s.StateID != 0 {
				names[s.StateID] = r.Name + "/" + s.Name
			}
		}
	}
	for _, mv := range h.Moves {
		names[mv.FromState.ID] = h.From + "/" + mv.FromStage
		names[mv.ToState.ID] = h.To + "/" + mv.ToStage
	}
	return names
}

func describeState(names map[int]string, id int) string {
	if n, ok := names[id]; ok {
		return fmt.Sprintf("state %d (%s)", id, n)
	}
	return fmt.Sprintf("state %d", id)
}

// moveOne handles one mouse not yet done. It reads the mouse immediately
// before writing: a mouse that is not on its planned source state was moved
// since the plan (a rig's session fired a transition, another operator or
// another migration moved it) and is left alone, as a conflict. The server
// has no compare-and-set, so a move landing between this read and the
// set_state is still overwritten; the read after the write catches a move
// that lands after it.
func moveOne(ctx context.Context, c Client, j *Journal, mv Move, names map[int]string, res *Result, logf func(string, ...any)) error {
	conflict := func(state int, reason string) error {
		res.Conflicts = append(res.Conflicts, Problem{ID: mv.ID, Stage: mv.FromStage, Reason: reason})
		logf("%d: conflict: %s", mv.ID, reason)
		return j.Append(Record{Type: "conflict", ID: mv.ID, State: state, Reason: reason})
	}
	s, err := c.Subject(ctx, mv.ID)
	switch {
	case errors.Is(err, mtrain.ErrNotFound):
		return conflict(0, "it is no longer on the server")
	case err != nil:
		return fmt.Errorf("mouse %d: reading it before moving it: %w", mv.ID, err)
	}
	cur := s.State.ID
	switch {
	case cur == mv.ToState.ID:
		// Its write landed before an interruption, or someone else moved it
		// to the same place: either way it is where the plan puts it.
		if err := j.Append(Record{Type: "done", ID: mv.ID, State: cur, How: "found"}); err != nil {
			return err
		}
		res.Found++
		logf("%d: found on %s (state %d)", mv.ID, mv.ToStage, cur)
		return nil
	case cur != mv.FromState.ID:
		return conflict(cur, fmt.Sprintf("it is on %s, not on its planned source %s: moved since the plan (by a rig's session, another operator or another migration); left alone",
			describeState(names, cur), describeState(names, mv.FromState.ID)))
	}
	if err := j.Append(Record{Type: "begin", ID: mv.ID}); err != nil {
		return err
	}
	if err := c.SetState(ctx, mv.ID, mv.ToState); err != nil {
		return fmt.Errorf("mouse %d (%s -> %s): %w", mv.ID, mv.FromStage, mv.ToStage, err)
	}
	s, err = c.Subject(ctx, mv.ID)
	if err != nil {
		return fmt.Errorf("mouse %d: reading it back after moving it: %w", mv.ID, err)
	}
	switch s.State.ID {
	case mv.ToState.ID:
	case mv.FromState.ID:
		return fmt.Errorf("mouse %d: after set_state to state %d (%s) the server still has it on its source state %d", mv.ID, mv.ToState.ID, mv.ToStage, s.State.ID)
	default:
		return conflict(s.State.ID, fmt.Sprintf("after this migration set it to %s, it was on %s: moved again by someone else at once; left there",
			describeState(names, mv.ToState.ID), describeState(names, s.State.ID)))
	}
	if err := j.Append(Record{Type: "done", ID: mv.ID, State: s.State.ID, How: "moved"}); err != nil {
		return err
	}
	res.Moved++
	logf("%d: moved %s -> %s", mv.ID, mv.FromStage, mv.ToStage)
	return nil
}

// reconcile reads every mouse back and checks each planned one.
func reconcile(ctx context.Context, c Client, j *Journal, res *Result) error {
	subjects, err := c.Subjects(ctx)
	if err != nil {
		return fmt.Errorf("reconciliation: reading every mouse back: %w", err)
	}
	now := map[int]int{}
	for _, s := range subjects {
		now[s.LabTracksID] = s.State.ID
	}
	conflicted := map[int]bool{}
	for _, p := range res.Conflicts {
		conflicted[p.ID] = true
	}
	planned := map[int]bool{}
	for _, mv := range j.Header.Moves {
		planned[mv.ID] = true
		if conflicted[mv.ID] {
			continue
		}
		cur, ok := now[mv.ID]
		switch {
		case !ok:
			res.Wrong = append(res.Wrong, Problem{ID: mv.ID, Stage: mv.ToStage, Reason: "it is no longer on the server"})
		case cur != mv.ToState.ID:
			res.Wrong = append(res.Wrong, Problem{ID: mv.ID, Stage: mv.ToStage, Reason: fmt.Sprintf("it is on state %d, not on its target state %d (%s)", cur, mv.ToState.ID, mv.ToStage)})
		default:
			res.Checked++
		}
	}
	source := map[int]bool{}
	for _, id := range j.Header.SourceStates {
		source[id] = true
	}
	for _, s := range subjects {
		if source[s.State.ID] && !planned[s.LabTracksID] {
			res.Strays = append(res.Strays, s.LabTracksID)
		}
	}
	sort.Ints(res.Strays)
	return nil
}
