package sandbox

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/regc/regc/mtrain"
)

// setBehaviorSession is POST /set_behavior_session/ with a raw JSON body
// {"data_list": [trial records], ...}: the sandbox stores the session on the
// mouse's current state and fires the progress trigger.
//
// The sandbox reads, beyond data_list: the mouse from "LabTracks_ID" (or
// "mouse_id") at the top level or in the first record; "date" (default now);
// "peak_dprime" and "engaged_trial_count", the session summaries the d′
// criteria need; and, sandbox only, "criteria": {"name": bool}, which fixes
// the value of criteria whose definitions are unknown (or any other).
func (s *Sandbox) setBehaviorSession(w http.ResponseWriter, r *http.Request, user string) {
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	var req struct {
		DataList    []map[string]json.RawMessage `json:"data_list"`
		LabTracksID json.RawMessage              `json:"LabTracks_ID"`
		MouseID     json.RawMessage              `json:"mouse_id"`
		Date        string                       `json:"date"`
		PeakDPrime  *float64                     `json:"peak_dprime"`
		Engaged     *int                         `json:"engaged_trial_count"`
		Criteria    map[string]bool              `json:"criteria"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.DataList == nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Unable to decode data: want {\"data_list\": [...]}"})
		return
	}
	raw := req.LabTracksID
	if raw == nil {
		raw = req.MouseID
	}
	if raw == nil && len(req.DataList) > 0 {
		raw = req.DataList[0]["LabTracks_ID"]
		if raw == nil {
			raw = req.DataList[0]["mouse_id"]
		}
	}
	id, err := labTracksID(raw)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
		return
	}
	date := req.Date
	if date == "" {
		date = timestamp(s.now())
	}
	sessionID := newSessionID()
	ctx := r.Context()
	var before, after int64
	var fired string
	err = s.writeTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "SELECT state_id FROM subjects WHERE LabTracks_ID = ?", id).Scan(&before); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("no subject %d: %w", id, mtrain.ErrNotFound)
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO behavior_sessions(id, LabTracks_ID, date, state_id, peak_dprime, engaged_trials, data)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, sessionID, id, date, before, req.PeakDPrime, req.Engaged, string(body)); err != nil {
			return err
		}
		after = before
		target, name, err := s.progress(ctx, tx, id, before, req.Criteria)
		if err != nil {
			return err
		}
		if target != 0 && target != before {
			if _, err := tx.ExecContext(ctx, "UPDATE subjects SET state_id = ? WHERE LabTracks_ID = ?", target, id); err != nil {
				return err
			}
			after, fired = target, name
			return s.event(ctx, tx, user, "progress", &id, &before, &after, name)
		}
		return nil
	})
	if err != nil {
		s.answerWrite(w, err, "", "")
		return
	}
	var st mtrain.State
	_ = s.db.QueryRowContext(ctx, "SELECT id, regimen_id, stage_id FROM states WHERE id = ?", after).Scan(&st.ID, &st.RegimenID, &st.StageID)
	writeJSON(w, http.StatusOK, map[string]any{"id": sessionID, "LabTracks_ID": id, "state_id": before,
		"state": st, "transitioned": after != before, "transition": fired})
}

// session is one stored session, for criteria.
type session struct {
	stateID    int64
	peakDPrime sql.NullFloat64
	engaged    sql.NullInt64
}

// progress fires the progress trigger: the current state's progress
// transitions, in written order; the first whose conditions all hold and
// whose unless criteria all fail moves the mouse.
func (s *Sandbox) progress(ctx context.Context, tx *sql.Tx, id int, state int64, fixed map[string]bool) (int64, string, error) {
	rows, err := tx.QueryContext(ctx, "SELECT state_id, peak_dprime, engaged_trials FROM behavior_sessions WHERE LabTracks_ID = ? ORDER BY date, rowid", id)
	if err != nil {
		return 0, "", err
	}
	var history []session
	for rows.Next() {
		var h session
		if err := rows.Scan(&h.stateID, &h.peakDPrime, &h.engaged); err != nil {
			rows.Close()
			return 0, "", err
		}
		history = append(history, h)
	}
	rows.Close()
	trows, err := tx.QueryContext(ctx, `SELECT target_state_id, conditions, "unless" FROM transitions
		WHERE source_state_id = ? AND "trigger" = 'progress' ORDER BY id`, state)
	if err != nil {
		return 0, "", err
	}
	defer trows.Close()
	for trows.Next() {
		var target int64
		var cond, unless sql.NullString
		if err := trows.Scan(&target, &cond, &unless); err != nil {
			return 0, "", err
		}
		cs, _, _ := mtrain.ParseCriteria(rawOrNull(cond))
		us, _, _ := mtrain.ParseCriteria(rawOrNull(unless))
		pass := true
		for _, c := range cs {
			pass = pass && criterion(c, state, history, fixed)
		}
		for _, u := range us {
			pass = pass && !criterion(u, state, history, fixed)
		}
		if pass {
			return target, "progress when " + strings.Join(cs, ", ") + " unless " + strings.Join(us, ", "), nil
		}
	}
	return 0, "", trows.Err()
}

// criterion evaluates one criterion on a mouse's history (oldest first).
// Criteria whose definitions are unknown are false unless fixed.
func criterion(name string, state int64, history []session, fixed map[string]bool) bool {
	if v, ok := fixed[name]; ok {
		return v
	}
	inStage := 0
	for _, h := range history {
		if h.stateID == state {
			inStage++
		}
	}
	last := func(n int) []session {
		if len(history) < n {
			return nil
		}
		return history[len(history)-n:]
	}
	good := func(h session, min float64) bool { return h.peakDPrime.Valid && h.peakDPrime.Float64 > min }
	switch name {
	case "one_complete":
		return inStage >= 1
	case "three_complete":
		return inStage >= 3
	case "four_complete":
		return inStage >= 4
	case "yesterday_was_good":
		l := last(1)
		return l != nil && good(l[0], 2)
	case "two_out_of_three_aint_bad":
		n := 0
		for _, h := range last(3) {
			if good(h, 2) {
				n++
			}
		}
		return n >= 2
	case "meets_engagement_criteria", "meets_engagement_criteria_logged":
		l := last(3)
		if l == nil {
			return false
		}
		for _, h := range l {
			if !good(h, 1) || !h.engaged.Valid || h.engaged.Int64 <= 100 {
				return false
			}
		}
		return true
	}
	return false
}

// newSessionID names a new behavior session; tests replace it to get
// answers that do not change from run to run.
var newSessionID = newUUID

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
