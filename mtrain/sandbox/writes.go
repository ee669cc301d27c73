package sandbox

// The write routes (set_regimen, add_subject, set_state) and the reads
// that take a body (get_state, get_script): what their bodies say, and how
// each is answered.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/regc/regc/internal/safetext"
	"github.com/regc/regc/mtrain"
	bolt "go.etcd.io/bbolt"
)

// labTracksID reads a LabTracks_ID written as a number or a numeric string.
func labTracksID(raw json.RawMessage) (int, error) {
	var f mtrain.FlexInt
	if len(raw) == 0 {
		return 0, errors.New("no LabTracks_ID")
	}
	if err := f.UnmarshalJSON(raw); err != nil || f <= 0 {
		return 0, fmt.Errorf("LabTracks_ID %s is not a positive integer", safetext.RedactCut(string(raw), 40))
	}
	if f == ReservedLabTracksID {
		return 0, fmt.Errorf("LabTracks_ID %d is reserved", ReservedLabTracksID)
	}
	return int(f), nil
}

// resolveState finds the state a body names: by id (and then regimen_id and
// stage_id, when given, must agree), or by regimen_id and stage_id. A state
// may also be written as a JSON string of the object.
func resolveState(tx *bolt.Tx, raw json.RawMessage) (mtrain.State, error) {
	if len(raw) == 0 || mtrain.IsNull(raw) {
		return mtrain.State{}, errors.New("no state")
	}
	var str string
	if json.Unmarshal(raw, &str) == nil {
		raw = json.RawMessage(str)
	}
	var want mtrain.State
	if err := json.Unmarshal(raw, &want); err != nil {
		return mtrain.State{}, fmt.Errorf("state: want an object {id, regimen_id, stage_id}: %v", mtrain.JSONError(err))
	}
	var got mtrain.State
	var err error
	switch {
	case want.ID != 0:
		got, err = state(tx, int64(want.ID))
	case want.RegimenID != 0 && want.StageID != 0:
		// stage_id is unique, and a state's id is its stage's.
		got, err = state(tx, int64(want.StageID))
		if err == nil && (got.RegimenID != want.RegimenID || got.StageID != want.StageID) {
			err = errNoRow
		}
	default:
		return mtrain.State{}, errors.New("state: no id")
	}
	if errors.Is(err, errNoRow) {
		return mtrain.State{}, fmt.Errorf("no state %s", want.JSON())
	}
	if err != nil {
		return mtrain.State{}, err
	}
	if (want.RegimenID != 0 && want.RegimenID != got.RegimenID) || (want.StageID != 0 && want.StageID != got.StageID) {
		return mtrain.State{}, fmt.Errorf("state %s does not match the server's %s", want.JSON(), got.JSON())
	}
	return got, nil
}

// setRegimen is POST /set_regimen/ with a raw JSON regimen document.
func (s *Sandbox) setRegimen(w http.ResponseWriter, r *http.Request, user string) {
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	doc, err := mtrain.ParseDocument(body)
	if err == nil {
		err = doc.Validate()
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "invalid regimen document: " + err.Error()})
		return
	}
	ctx := r.Context()
	var id int64
	err = s.st.update(ctx, func(tx *bolt.Tx) error {
		// The regimen's name is unique.
		if tx.Bucket(bRegimenName).Get([]byte(doc.Name)) != nil {
			return mtrain.ErrExists
		}
		var err error
		if id, err = nextID(tx, bRegimens); err != nil {
			return err
		}
		canon, _ := doc.MarshalJSON()
		reg := regimenRow{Name: doc.Name, Active: true, Document: string(canon), Created: timestamp(s.now())}
		stateOf := map[string]int64{}
		for _, st := range doc.Stages {
			row := stageRow{RegimenID: id, Name: st.Name, Script: &st.Script, ScriptMD5: &st.ScriptMD5}
			if st.Parameters != nil {
				p := string(st.Parameters)
				row.Parameters = &p
			}
			sid, err := nextID(tx, bStages)
			if err != nil {
				return err
			}
			if err := put(tx, bStages, itob(sid), row); err != nil {
				return err
			}
			// A state's id equals its stage's id, as some clients assume.
			if err := put(tx, bStates, itob(sid), stateRow{RegimenID: id, StageID: sid}); err != nil {
				return err
			}
			reg.Stages = append(reg.Stages, sid)
			stateOf[st.Name] = sid
		}
		if err := put(tx, bRegimens, itob(id), reg); err != nil {
			return err
		}
		if err := tx.Bucket(bRegimenName).Put([]byte(doc.Name), itob(id)); err != nil {
			return err
		}
		for _, t := range doc.Transitions {
			source, okS := stateOf[t.Source]
			target, okT := stateOf[t.Dest]
			if !okS || !okT {
				// Validate has checked this; the states are the transition's foreign keys.
				return fmt.Errorf("transition %s: %s -> %s: no such stage", t.Trigger, t.Source, t.Dest)
			}
			tid, err := nextID(tx, bTransitions)
			if err != nil {
				return err
			}
			row := transitionRow{RegimenID: id, Trigger: t.Trigger, Source: source, Target: target,
				Conditions: nullRaw(t.RawConditions), Unless: nullRaw(t.RawUnless)}
			if err := put(tx, bTransitions, itob(tid), row); err != nil {
				return err
			}
			if err := tx.Bucket(bTransSource).Put(pair(source, tid), nil); err != nil {
				return err
			}
		}
		return s.event(tx, user, "set_regimen", nil, nil, nil, doc.Name)
	})
	if errors.Is(err, mtrain.ErrExists) {
		writeJSON(w, http.StatusConflict, map[string]string{"message": fmt.Sprintf("a regimen named %s already exists", doc.Name)})
		return
	}
	if err != nil {
		failed(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"message": "regimen created", "id": id, "name": doc.Name})
}

func nullRaw(raw json.RawMessage) *string {
	if len(raw) == 0 || mtrain.IsNull(raw) {
		return nil
	}
	s := string(raw)
	return &s
}

// getState is GET /get_state/ with a JSON body {regimen_name, stage_name}
// (query parameters of the same names are accepted too).
func (s *Sandbox) getState(w http.ResponseWriter, r *http.Request, _ string) {
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	var req struct {
		Regimen string `json:"regimen_name"`
		Stage   string `json:"stage_name"`
	}
	if t := bytes.TrimSpace(body); len(t) > 0 {
		m, err := fields(r, t)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Unable to decode data"})
			return
		}
		_ = json.Unmarshal(m["regimen_name"], &req.Regimen)
		_ = json.Unmarshal(m["stage_name"], &req.Stage)
	}
	qv := rawQuery(r.URL.RawQuery)
	if req.Regimen == "" {
		req.Regimen = queryValue(qv["regimen_name"])
	}
	if req.Stage == "" {
		req.Stage = queryValue(qv["stage_name"])
	}
	if req.Regimen == "" || req.Stage == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "want regimen_name and stage_name"})
		return
	}
	var st mtrain.State
	err := s.st.view(func(tx *bolt.Tx) (err error) { st, err = stateByName(tx, req.Regimen, req.Stage); return err })
	if errors.Is(err, errNoRow) {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": fmt.Sprintf("no stage %s in regimen %s", req.Stage, req.Regimen)})
		return
	}
	if err != nil {
		failed(w, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// getScript is GET /get_script/ with a JSON body {"LabTracks_ID": id}.
func (s *Sandbox) getScript(w http.ResponseWriter, r *http.Request, _ string) {
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	m, err := fields(r, body)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Unable to decode data"})
		return
	}
	raw := m["LabTracks_ID"]
	if raw == nil {
		if v := rawQuery(r.URL.RawQuery)["LabTracks_ID"]; v != "" {
			raw, _ = json.Marshal(queryValue(v))
		}
	}
	id, err := labTracksID(raw)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
		return
	}
	var stage stageRow
	err = s.st.view(func(tx *bolt.Tx) error {
		var sub subjectRow
		if err := get(tx, bSubjects, itob(int64(id)), &sub); err != nil {
			return err
		}
		var st stateRow
		if err := get(tx, bStates, itob(sub.StateID), &st); err != nil {
			return err
		}
		return get(tx, bStages, itob(st.StageID), &stage)
	})
	if errors.Is(err, errNoRow) {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": fmt.Sprintf("no subject %d", id)})
		return
	}
	if err != nil {
		failed(w, err)
		return
	}
	p := json.RawMessage("{}")
	if stage.Parameters != nil {
		p = json.RawMessage(*stage.Parameters)
	}
	script := ""
	if stage.Script != nil {
		script = *stage.Script
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"name": stage.Name, "script": script, "parameters": p}})
}

// addSubject is POST /add_subject/: (A) form LabTracks_ID, state=<JSON>;
// (B) raw JSON {"LabTracks_ID": "<id>", "state": {...}}. 200 not JSON; 409
// when the mouse exists.
func (s *Sandbox) addSubject(w http.ResponseWriter, r *http.Request, user string) {
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	m, err := fields(r, body)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
		return
	}
	id, err := labTracksID(m["LabTracks_ID"])
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
		return
	}
	ctx := r.Context()
	err = s.st.update(ctx, func(tx *bolt.Tx) error {
		st, err := resolveState(tx, m["state"])
		if err != nil {
			return badRequest{err}
		}
		to := int64(st.ID)
		if err := insertSubject(tx, id, to); err != nil {
			return err
		}
		return s.event(tx, user, "add_subject", &id, nil, &to, "")
	})
	s.answerWrite(w, err, fmt.Sprintf("subject %d added", id), fmt.Sprintf("subject %d already exists", id))
}

// subjectState is the state a mouse is on; mtrain.ErrNotFound when the
// sandbox has no such mouse.
func subjectState(tx *bolt.Tx, id int) (int64, error) {
	var sub subjectRow
	err := get(tx, bSubjects, itob(int64(id)), &sub)
	if errors.Is(err, errNoRow) {
		return 0, fmt.Errorf("no subject %d: %w", id, mtrain.ErrNotFound)
	}
	return sub.StateID, err
}

// stateByName is the state of the stage of a regimen, both by name.
func stateByName(tx *bolt.Tx, regimen, stage string) (mtrain.State, error) {
	rid := tx.Bucket(bRegimenName).Get([]byte(regimen))
	if rid == nil {
		return mtrain.State{}, errNoRow
	}
	var reg regimenRow
	if err := get(tx, bRegimens, rid, &reg); err != nil {
		return mtrain.State{}, err
	}
	for _, sid := range reg.Stages {
		var st stageRow
		if err := get(tx, bStages, itob(sid), &st); err != nil {
			return mtrain.State{}, err
		}
		if st.Name == stage {
			return state(tx, sid)
		}
	}
	return mtrain.State{}, errNoRow
}

type badRequest struct{ error }

func (s *Sandbox) answerWrite(w http.ResponseWriter, err error, ok, exists string) {
	var bad badRequest
	switch {
	case err == nil:
		writeText(w, http.StatusOK, ok)
	case errors.Is(err, mtrain.ErrExists):
		writeJSON(w, http.StatusConflict, map[string]string{"message": exists})
	case errors.Is(err, mtrain.ErrNotFound):
		writeJSON(w, http.StatusNotFound, map[string]string{"message": err.Error()})
	case errors.As(err, &bad):
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": bad.Error()})
	default:
		failed(w, err)
	}
}

// setState is POST /set_state/<LabTracks_ID>: (A) form state=<JSON>; (B)
// raw JSON {"state": {...}}. Any state may be set; no transition is needed.
func (s *Sandbox) setState(w http.ResponseWriter, r *http.Request, user, idText string) {
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	m, err := fields(r, body)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
		return
	}
	raw := json.RawMessage(strconv.Quote(idText))
	if idText == "" {
		raw = m["LabTracks_ID"]
	}
	id, err := labTracksID(raw)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
		return
	}
	ctx := r.Context()
	err = s.st.update(ctx, func(tx *bolt.Tx) error {
		from, err := subjectState(tx, id)
		if err != nil {
			return err
		}
		st, err := resolveState(tx, m["state"])
		if err != nil {
			return badRequest{err}
		}
		to := int64(st.ID)
		if err := put(tx, bSubjects, itob(int64(id)), subjectRow{StateID: to}); err != nil {
			return err
		}
		return s.event(tx, user, "set_state", &id, &from, &to, "")
	})
	s.answerWrite(w, err, fmt.Sprintf("subject %d state set", id), "")
}

// rawQuery parses a query string leniently: values are URL-decoded when
// that works, and kept raw otherwise (one client sends q raw, with JSON
// punctuation unescaped). Semicolons are not separators.
func rawQuery(raw string) map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if _, seen := out[k]; seen {
			continue
		}
		out[k] = v
	}
	return out
}

// queryJSON decodes a query value that holds JSON, URL-encoded or raw.
func queryJSON(v string) (json.RawMessage, bool) {
	if dv, err := url.QueryUnescape(v); err == nil && json.Valid([]byte(dv)) {
		return json.RawMessage(dv), true
	}
	if dv, err := url.PathUnescape(v); err == nil && json.Valid([]byte(dv)) {
		return json.RawMessage(dv), true
	}
	if json.Valid([]byte(v)) {
		return json.RawMessage(v), true
	}
	return nil, false
}

func queryValue(v string) string {
	if dv, err := url.QueryUnescape(v); err == nil {
		return dv
	}
	return v
}
