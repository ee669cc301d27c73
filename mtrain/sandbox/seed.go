package sandbox

import (
	"context"
	"errors"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
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
	err := s.st.update(ctx, func(tx *bolt.Tx) error {
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
				st, err := stateByName(tx, m.Regimen, m.Stage)
				if err != nil && !errors.Is(err, errNoRow) {
					return err
				}
				state = int64(st.ID)
				states[key] = state // 0: not on the sandbox
			}
			if state == 0 {
				if tx.Bucket(bRegimenName).Get([]byte(m.Regimen)) == nil {
					problem(m, "regimen %q is not on the sandbox (upload it first: regc sync upload FILE --dry-run=false)", m.Regimen)
				} else {
					problem(m, "regimen %s has no stage %q", m.Regimen, m.Stage)
				}
				continue
			}
			var sub subjectRow
			err := get(tx, bSubjects, itob(int64(m.LabTracksID)), &sub)
			switch {
			case errors.Is(err, errNoRow):
			case err != nil:
				return err
			case sub.StateID == state:
				res.Present++
				continue
			default:
				curRegimen, curStage, err := stateNames(tx, sub.StateID)
				if err != nil {
					return err
				}
				problem(m, "mouse %d is already on the sandbox on %s/%s, not %s/%s", m.LabTracksID, curRegimen, curStage, m.Regimen, m.Stage)
				continue
			}
			if len(problems) > 0 {
				continue // nothing will be added; just look for more problems
			}
			id := m.LabTracksID
			if err := insertSubject(tx, id, state); err != nil {
				return err
			}
			if err := s.event(tx, "", "seed", &id, nil, &state, "seeded from "+m.Where); err != nil {
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

// stateNames names the regimen and the stage of a state.
func stateNames(tx *bolt.Tx, id int64) (regimen, stage string, err error) {
	var st stateRow
	if err := get(tx, bStates, itob(id), &st); err != nil {
		return "", "", err
	}
	var reg regimenRow
	if err := get(tx, bRegimens, itob(st.RegimenID), &reg); err != nil {
		return "", "", err
	}
	var stg stageRow
	err = get(tx, bStages, itob(st.StageID), &stg)
	return reg.Name, stg.Name, err
}
