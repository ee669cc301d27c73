package sandbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// SeedMouse puts one mouse on a stage of a regimen the sandbox holds. Where
// names the mouse's source (FILE:LINE) in messages.
type SeedMouse struct {
	Where       string
	LabTracksID int
	Regimen     string
	Stage       string
}

// SeedResult counts what Seed did.
type SeedResult struct {
	Added   int // mice added
	Present int // mice already on the stage they were given
}

// SeedError lists every mouse Seed could not place; nothing was added.
type SeedError struct{ Problems []string }

func (e *SeedError) Error() string {
	return fmt.Sprintf("%d mice cannot be seeded, so none was:\n%s", len(e.Problems), strings.Join(e.Problems, "\n"))
}

// maxSeedProblems bounds the problems a SeedError lists.
const maxSeedProblems = 50

// Seed puts mice on stages by name, in one transaction: every mouse's
// regimen and stage must be on the sandbox, and a mouse already there must
// be on the stage it is given (it is then left alone, so seeding twice is
// harmless). If any mouse cannot be placed, nothing is added and the error
// is a *SeedError naming each.
func (s *Sandbox) Seed(ctx context.Context, mice []SeedMouse) (SeedResult, error) {
	var res SeedResult
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		var problems []string
		problem := func(m SeedMouse, format string, a ...any) {
			if len(problems) < maxSeedProblems {
				problems = append(problems, m.Where+": "+fmt.Sprintf(format, a...))
			} else if len(problems) == maxSeedProblems {
				problems = append(problems, "... (more problems not listed)")
			}
		}
		type stateKey struct{ regimen, stage string }
		states := map[stateKey]int64{}
		given := map[int]SeedMouse{}
		for _, m := range mice {
			if m.LabTracksID <= 0 || m.LabTracksID == ReservedLabTracksID {
				problem(m, "LabTracks_ID %d is not allowed", m.LabTracksID)
				continue
			}
			if prev, dup := given[m.LabTracksID]; dup {
				if prev.Regimen != m.Regimen || prev.Stage != m.Stage {
					problem(m, "mouse %d is also given %s/%s at %s", m.LabTracksID, prev.Regimen, prev.Stage, prev.Where)
				}
				continue
			}
			given[m.LabTracksID] = m
			key := stateKey{m.Regimen, m.Stage}
			state, known := states[key]
			if !known {
				err := tx.QueryRowContext(ctx, `SELECT states.id FROM states JOIN regimens ON regimens.id = states.regimen_id
					JOIN stages ON stages.id = states.stage_id WHERE regimens.name = ? AND stages.name = ?`, m.Regimen, m.Stage).Scan(&state)
				if err != nil && !errors.Is(err, sql.ErrNoRows) {
					return err
				}
				states[key] = state // 0: not on the sandbox
			}
			if state == 0 {
				var n int
				if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM regimens WHERE name = ?", m.Regimen).Scan(&n); err != nil {
					return err
				}
				if n == 0 {
					problem(m, "regimen %q is not on the sandbox (upload it first: regc sync upload FILE --dry-run=false)", m.Regimen)
				} else {
					problem(m, "regimen %s has no stage %q", m.Regimen, m.Stage)
				}
				continue
			}
			var cur int64
			var curRegimen, curStage string
			err := tx.QueryRowContext(ctx, `SELECT subjects.state_id, regimens.name, stages.name FROM subjects
				JOIN states ON states.id = subjects.state_id JOIN regimens ON regimens.id = states.regimen_id
				JOIN stages ON stages.id = states.stage_id WHERE subjects.LabTracks_ID = ?`, m.LabTracksID).Scan(&cur, &curRegimen, &curStage)
			switch {
			case errors.Is(err, sql.ErrNoRows):
			case err != nil:
				return err
			case cur == state:
				res.Present++
				continue
			default:
				problem(m, "mouse %d is already on the sandbox on %s/%s, not %s/%s", m.LabTracksID, curRegimen, curStage, m.Regimen, m.Stage)
				continue
			}
			if len(problems) > 0 {
				continue // nothing will be added; just look for more problems
			}
			id := m.LabTracksID
			if _, err := tx.ExecContext(ctx, "INSERT INTO subjects(LabTracks_ID, state_id) VALUES (?, ?)", id, state); err != nil {
				return err
			}
			if err := s.event(ctx, tx, "", "seed", &id, nil, &state, "seeded from "+m.Where); err != nil {
				return err
			}
			res.Added++
		}
		if len(problems) > 0 {
			return &SeedError{problems}
		}
		return nil
	})
	if err != nil {
		return SeedResult{}, err
	}
	return res, nil
}
