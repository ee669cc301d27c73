package sandbox

// The write routes (set_regimen, add_subject, set_state) and the reads
// that take a body (get_state, get_script): what their bodies say, and how
// each is answered.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/regc/regc/internal/safetext"
	"github.com/regc/regc/mtrain"
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

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// resolveState finds the state a body names: by id (and then regimen_id and
// stage_id, when given, must agree), or by regimen_id and stage_id. A state
// may also be written as a JSON string of the object.
func resolveState(ctx context.Context, q queryer, raw json.RawMessage) (mtrain.State, error) {
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
		err = q.QueryRowContext(ctx, "SELECT id, regimen_id, stage_id FROM states WHERE id = ?", want.ID).Scan(&got.ID, &got.RegimenID, &got.StageID)
	case want.RegimenID != 0 && want.StageID != 0:
		err = q.QueryRowContext(ctx, "SELECT id, regimen_id, stage_id FROM states WHERE regimen_id = ? AND stage_id = ?",
			want.RegimenID, want.StageID).Scan(&got.ID, &got.RegimenID, &got.StageID)
	default:
		return mtrain.State{}, errors.New("state: no id")
	}
	if errors.Is(err, sql.ErrNoRows) {
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
	err = s.writeTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM regimens WHERE name = ?", doc.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return mtrain.ErrExists
		}
		canon, _ := doc.MarshalJSON()
		res, err := tx.ExecContext(ctx, "INSERT INTO regimens(name, active, is_default, document, created) VALUES (?, 1, 0, ?, ?)",
			doc.Name, string(canon), timestamp(s.now()))
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		stateOf := map[string]int64{}
		for _, st := range doc.Stages {
			var params any
			if st.Parameters != nil {
				params = string(st.Parameters)
			}
			res, err := tx.ExecContext(ctx, "INSERT INTO stages(regimen_id, name, script, script_md5, parameters) VALUES (?, ?, ?, ?, ?)",
				id, st.Name, st.Script, st.ScriptMD5, params)
			if err != nil {
				return err
			}
			sid, _ := res.LastInsertId()
			// A state's id equals its stage's id, as some clients assume.
			if _, err := tx.ExecContext(ctx, "INSERT INTO states(id, regimen_id, stage_id) VALUES (?, ?, ?)", sid, id, sid); err != nil {
				return err
			}
			stateOf[st.Name] = sid
		}
		for _, t := range doc.Transitions {
			if _, err := tx.ExecContext(ctx, `INSERT INTO transitions(regimen_id, "trigger", source_state_id, target_state_id, conditions, "unless")
				VALUES (?, ?, ?, ?, ?, ?)`, id, t.Trigger, stateOf[t.Source], stateOf[t.Dest], nullRaw(t.RawConditions), nullRaw(t.RawUnless)); err != nil {
				return err
			}
		}
		return s.event(ctx, tx, user, "set_regimen", nil, nil, nil, doc.Name)
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

func nullRaw(raw json.RawMessage) any {
	if len(raw) == 0 || mtrain.IsNull(raw) {
		return nil
	}
	return string(raw)
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
	err := s.db.QueryRowContext(r.Context(), `SELECT states.id, states.regimen_id, states.stage_id FROM states
		JOIN regimens ON regimens.id = states.regimen_id JOIN stages ON stages.id = states.stage_id
		WHERE regimens.name = ? AND stages.name = ?`, req.Regimen, req.Stage).Scan(&st.ID, &st.RegimenID, &st.StageID)
	if errors.Is(err, sql.ErrNoRows) {
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
	var name string
	var script, params sql.NullString
	err = s.db.QueryRowContext(r.Context(), `SELECT stages.name, stages.script, stages.parameters FROM subjects
		JOIN states ON states.id = subjects.state_id JOIN stages ON stages.id = states.stage_id
		WHERE subjects.LabTracks_ID = ?`, id).Scan(&name, &script, &params)
	if errors.Is(err, sql.ErrNoRows) {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": fmt.Sprintf("no subject %d", id)})
		return
	}
	if err != nil {
		failed(w, err)
		return
	}
	p := json.RawMessage("{}")
	if params.Valid {
		p = json.RawMessage(params.String)
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"name": name, "script": script.String, "parameters": p}})
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
	err = s.writeTx(ctx, func(tx *sql.Tx) error {
		st, err := resolveState(ctx, tx, m["state"])
		if err != nil {
			return badRequest{err}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO subjects(LabTracks_ID, state_id) VALUES (?, ?)", id, st.ID); err != nil {
			if isUniqueErr(err) {
				return mtrain.ErrExists
			}
			return err
		}
		to := int64(st.ID)
		return s.event(ctx, tx, user, "add_subject", &id, nil, &to, "")
	})
	s.answerWrite(w, err, fmt.Sprintf("subject %d added", id), fmt.Sprintf("subject %d already exists", id))
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
	err = s.writeTx(ctx, func(tx *sql.Tx) error {
		var from int64
		if err := tx.QueryRowContext(ctx, "SELECT state_id FROM subjects WHERE LabTracks_ID = ?", id).Scan(&from); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("no subject %d: %w", id, mtrain.ErrNotFound)
			}
			return err
		}
		st, err := resolveState(ctx, tx, m["state"])
		if err != nil {
			return badRequest{err}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE subjects SET state_id = ? WHERE LabTracks_ID = ?", st.ID, id); err != nil {
			return err
		}
		to := int64(st.ID)
		return s.event(ctx, tx, user, "set_state", &id, &from, &to, "")
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
