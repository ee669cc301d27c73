package sandbox

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/regc/regc/mtrain"
	bolt "go.etcd.io/bbolt"
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
	var st mtrain.State
	err = s.st.update(ctx, func(tx *bolt.Tx) error {
		var err error
		if before, err = subjectState(tx, id); err != nil {
			return err
		}
		// The session's id is its key (a PRIMARY KEY); its rowid orders
		// sessions of one date.
		if tx.Bucket(bBehavior).Get([]byte(sessionID)) != nil {
			return fmt.Errorf("behavior session %s exists", sessionID)
		}
		rowid, err := nextID(tx, bBehavior)
		if err != nil {
			return err
		}
		row := behaviorRow{Rowid: rowid, LabTracksID: int64(id), Date: date, StateID: before, PeakDPrime: req.PeakDPrime, Data: string(body)}
		if req.Engaged != nil {
			n := int64(*req.Engaged)
			row.Engaged = &n
		}
		if err := put(tx, bBehavior, []byte(sessionID), row); err != nil {
			return err
		}
		if err := tx.Bucket(bBehaviorSub).Put(pair(int64(id), rowid), []byte(sessionID)); err != nil {
			return err
		}
		after = before
		target, name, err := s.progress(tx, id, before, req.Criteria)
		if err != nil {
			return err
		}
		if target != 0 && target != before {
			if err := put(tx, bSubjects, itob(int64(id)), subjectRow{StateID: target}); err != nil {
				return err
			}
			after, fired = target, name
			if err := s.event(tx, user, "progress", &id, &before, &after, name); err != nil {
				return err
			}
		}
		st, _ = state(tx, after)
		return nil
	})
	if err != nil {
		s.answerWrite(w, err, "", "")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": sessionID, "LabTracks_ID": id, "state_id": before,
		"state": st, "transitioned": after != before, "transition": fired})
}

// session is one stored session, for criteria.
type session struct {
	stateID    int64
	peakDPrime *float64
	engaged    *int64
}

// progress fires the progress trigger: the current state's progress
// transitions, in written order; the first whose conditions all hold and
// whose unless criteria all fail moves the mouse.
func (s *Sandbox) progress(tx *bolt.Tx, id int, state int64, fixed map[string]bool) (int64, string, error) {
	// The mouse's sessions, by date, then in the order they came.
	type dated struct {
		date  string
		rowid int64
		h     session
	}
	var sessions []dated
	prefix := itob(int64(id))
	c := tx.Bucket(bBehaviorSub).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var r behaviorRow
		if err := get(tx, bBehavior, v, &r); err != nil {
			return 0, "", err
		}
		sessions = append(sessions, dated{r.Date, r.Rowid, session{r.StateID, r.PeakDPrime, r.Engaged}})
	}
	sort.SliceStable(sessions, func(i, j int) bool {
		if sessions[i].date != sessions[j].date {
			return sessions[i].date < sessions[j].date
		}
		return sessions[i].rowid < sessions[j].rowid
	})
	history := make([]session, len(sessions))
	for i, d := range sessions {
		history[i] = d.h
	}
	// Its state's progress transitions, in id order.
	prefix = itob(state)
	c = tx.Bucket(bTransSource).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		var t transitionRow
		if err := get(tx, bTransitions, k[8:], &t); err != nil {
			return 0, "", err
		}
		if t.Trigger != "progress" {
			continue
		}
		cs, _, _ := mtrain.ParseCriteria(rawOrNull(t.Conditions))
		us, _, _ := mtrain.ParseCriteria(rawOrNull(t.Unless))
		pass := true
		for _, c := range cs {
			pass = pass && criterion(c, state, history, fixed)
		}
		for _, u := range us {
			pass = pass && !criterion(u, state, history, fixed)
		}
		if pass {
			return t.Target, "progress when " + strings.Join(cs, ", ") + " unless " + strings.Join(us, ", "), nil
		}
	}
	return 0, "", nil
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
	good := func(h session, min float64) bool { return h.peakDPrime != nil && *h.peakDPrime > min }
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
			if !good(h, 1) || h.engaged == nil || *h.engaged <= 100 {
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
