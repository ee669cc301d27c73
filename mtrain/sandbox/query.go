package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"github.com/regc/regc/internal/lazy"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/regc/regc/mtrain"
	bolt "go.etcd.io/bbolt"
)

// The read API: GET /api/v1/<entity>[/<pk>] and /api/v1/join/states/<id>,
// with Flask-Restless paging and q (filters, order_by, limit, offset, single).
// A q is evaluated here, row by row, as SQLite evaluated the SQL it was once
// translated to (filter.go keeps SQLite's rules of comparison), so that
// every answer stays what it was (TestWireGolden).

type colKind int

const (
	kInt colKind = iota
	kText
	kBool
	kJSON
)

type entity struct {
	bucket []byte
	pk     string // the API field of the key
	pkInt  bool
	cols   map[string]colKind
	// values gives a row's fields (those of cols) from its stored value.
	values func(key, raw []byte) (map[string]sqlVal, error)
	load   func(tx *bolt.Tx, key any) (any, error)
}

// entities is built by its first use, not in every regc command's
// start-up.
var entities = lazy.Value[map[string]*entity]{Build: func() map[string]*entity {
	return map[string]*entity{
		"regimens": {bucket: bRegimens, pk: "id", pkInt: true, load: loadRegimen, values: regimenValues,
			cols: map[string]colKind{"id": kInt, "name": kText, "active": kBool, "default": kBool}},
		"stages": {bucket: bStages, pk: "id", pkInt: true, load: loadStage, values: stageValues,
			cols: map[string]colKind{"id": kInt, "name": kText, "script": kText, "script_md5": kText, "parameters": kJSON}},
		"states": {bucket: bStates, pk: "id", pkInt: true, load: loadState, values: stateValues,
			cols: map[string]colKind{"id": kInt, "regimen_id": kInt, "stage_id": kInt}},
		"subjects": {bucket: bSubjects, pk: "LabTracks_ID", pkInt: true, load: loadSubject, values: subjectValues,
			cols: map[string]colKind{"LabTracks_ID": kInt, "state_id": kInt}},
		"transitions": {bucket: bTransitions, pk: "id", pkInt: true, load: loadTransition, values: transitionValues,
			cols: map[string]colKind{"id": kInt, "trigger": kText, "source_state_id": kInt, "target_state_id": kInt,
				"conditions": kJSON, "unless": kJSON}},
		"behavior_sessions": {bucket: bBehavior, pk: "id", load: loadSession, values: sessionValues,
			cols: map[string]colKind{"id": kText, "LabTracks_ID": kInt, "date": kText, "state_id": kInt}},
	}
}}

func (s *Sandbox) readAPI(w http.ResponseWriter, r *http.Request, rest string) {
	parts := strings.Split(rest, "/")
	if len(parts) == 3 && parts[0] == "join" && parts[1] == "states" {
		var obj any
		err := s.st.view(func(tx *bolt.Tx) (err error) { obj, err = loadJoinState(tx, parts[2]); return err })
		s.answerOne(w, obj, err)
		return
	}
	e, ok := entities.Get()[parts[0]]
	if !ok || len(parts) > 2 {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "no such entity: " + rest})
		return
	}
	if len(parts) == 2 {
		var key any = queryValue(parts[1])
		if e.pkInt {
			n, err := strconv.ParseInt(parts[1], 10, 64)
			if err != nil {
				writeJSON(w, http.StatusNotFound, struct{}{})
				return
			}
			key = n
		}
		var obj any
		err := s.st.view(func(tx *bolt.Tx) (err error) { obj, err = e.load(tx, key); return err })
		s.answerOne(w, obj, err)
		return
	}
	s.search(w, r, e)
}

func (s *Sandbox) answerOne(w http.ResponseWriter, obj any, err error) {
	if errors.Is(err, errNoRow) {
		writeJSON(w, http.StatusNotFound, struct{}{})
		return
	}
	if err != nil {
		failed(w, err)
		return
	}
	writeJSON(w, http.StatusOK, obj)
}

// qSpec is Flask-Restless's search parameter.
type qSpec struct {
	Filters []any `json:"filters"`
	OrderBy []struct {
		Field     string `json:"field"`
		Direction string `json:"direction"`
	} `json:"order_by"`
	Limit  *int64 `json:"limit"`
	Offset *int64 `json:"offset"`
	Single bool   `json:"single"`
}

type queryError struct{ msg string }

func (e queryError) Error() string { return e.msg }

// The messages Flask-Restless answers with, which clients match.
var (
	errConstruct = queryError{"Unable to construct query"}
	errDecode    = queryError{"Unable to decode data"}
)

// searchAnswer is what search found: the objects of the page asked for, or
// the one object of a single search.
type searchAnswer struct {
	num     int64
	objects []any
	single  any
	status  int    // of a single search that found none or several
	message string // with status
}

func (s *Sandbox) search(w http.ResponseWriter, r *http.Request, e *entity) {
	qv := rawQuery(r.URL.RawQuery)
	var spec qSpec
	if v, ok := qv["q"]; ok && v != "" {
		raw, ok := queryJSON(v)
		if !ok {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Unable to decode data"})
			return
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&spec); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Unable to decode data"})
			return
		}
	}
	pageNum, perPage := int64(1), int64(10)
	if v := queryValue(qv["page"]); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "page must be a positive integer"})
			return
		}
		pageNum = n
	}
	if v := queryValue(qv["results_per_page"]); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "results_per_page must be an integer"})
			return
		}
		if n > 0 {
			perPage = min(n, mtrain.MaxPageSize)
		}
	}
	q, err := e.query(spec)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": errConstruct.msg})
		return
	}
	var ans searchAnswer
	// One read transaction, so that the count and the objects agree.
	err = s.st.view(func(tx *bolt.Tx) error {
		keys, err := q.keys(tx, e)
		if err != nil {
			return err
		}
		if spec.Single {
			switch len(keys) {
			case 0:
				ans.status, ans.message = http.StatusNotFound, "No result found"
			case 1:
				ans.single, err = e.load(tx, keys[0])
			default:
				ans.status, ans.message = http.StatusBadRequest, "Multiple results found"
			}
			return err
		}
		ans.num = int64(len(keys))
		total := (ans.num + perPage - 1) / perPage
		ans.objects = []any{}
		// A page past the end is empty; pageNum-1 < total keeps the
		// product below num, so it cannot overflow.
		start, end := int64(0), int64(0)
		if pageNum-1 < total {
			start = (pageNum - 1) * perPage
			end = min(start+perPage, ans.num)
		}
		for i := start; i < end; i++ {
			obj, err := e.load(tx, keys[i])
			if err != nil {
				return err
			}
			ans.objects = append(ans.objects, obj)
		}
		return nil
	})
	switch {
	case spec.Single && err == nil && ans.status != 0:
		writeJSON(w, ans.status, map[string]string{"message": ans.message})
	case spec.Single:
		s.answerOne(w, ans.single, err)
	case err != nil:
		failed(w, err)
	default:
		total := (ans.num + perPage - 1) / perPage
		writeJSON(w, http.StatusOK, map[string]any{"num_results": ans.num, "objects": ans.objects, "page": pageNum, "total_pages": total})
	}
}

// A row of an entity for a q: its key and its fields.
type qRow struct {
	key  any
	vals map[string]sqlVal
}

// keys returns the keys of the rows q selects, in its order.
func (q *query) keys(tx *bolt.Tx, e *entity) ([]any, error) {
	var rows []qRow
	c := tx.Bucket(e.bucket).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		vals, err := e.values(k, v)
		if err != nil {
			return nil, err
		}
		if q.where != nil && !q.where(vals) {
			continue
		}
		var key any = string(k)
		if e.pkInt {
			key = btoi(k)
		}
		rows = append(rows, qRow{key, vals})
	}
	// The bucket is in key order, which is the last ordering of all.
	sort.SliceStable(rows, func(i, j int) bool {
		for _, o := range q.order {
			c := compareSorted(rows[i].vals[o.field], rows[j].vals[o.field])
			if o.desc {
				c = -c
			}
			if c != 0 {
				return c < 0
			}
		}
		return false
	})
	if q.offset > 0 {
		rows = rows[min(q.offset, int64(len(rows))):]
	}
	if q.limit >= 0 && q.limit < int64(len(rows)) {
		rows = rows[:q.limit]
	}
	keys := make([]any, len(rows))
	for i, r := range rows {
		keys[i] = r.key
	}
	return keys, nil
}

// The objects of the read API. Field order follows mtrain-api.md.

type apiRegimenRef struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Active bool   `json:"active"`
}

type apiStage struct {
	mtrain.WireStage
	States   []mtrain.State  `json:"states"`
	Regimens []apiRegimenRef `json:"regimens"`
}

type apiSubject struct {
	LabTracksID int64         `json:"LabTracks_ID"`
	State       *mtrain.State `json:"state"`
}

type apiTransition struct {
	ID            int64           `json:"id"`
	Trigger       string          `json:"trigger"`
	SourceStateID int64           `json:"source_state_id"`
	TargetStateID int64           `json:"target_state_id"`
	Conditions    json.RawMessage `json:"conditions"`
	Unless        json.RawMessage `json:"unless"`
}

type apiSession struct {
	ID          string `json:"id"`
	LabTracksID int64  `json:"LabTracks_ID"`
	Date        string `json:"date"`
	StateID     int64  `json:"state_id"`
}

type apiJoinState struct {
	ID        int64            `json:"id"`
	RegimenID int64            `json:"regimen_id"`
	StageID   int64            `json:"stage_id"`
	Stage     mtrain.WireStage `json:"stage"`
	Regimen   apiRegimenRef    `json:"regimen"`
}

func strPtr(p *string) *string {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func rawOrNull(p *string) json.RawMessage {
	if p == nil {
		return nil
	}
	return json.RawMessage(*p)
}

// The fields of each entity's rows, for q.

func intVal(n int64) sqlVal { return sqlVal{kind: vInt, i: n} }

func textVal(p *string) sqlVal {
	if p == nil {
		return sqlVal{}
	}
	return sqlVal{kind: vText, s: *p}
}

func boolVal(b bool) sqlVal {
	if b {
		return intVal(1)
	}
	return intVal(0)
}

func regimenValues(k, raw []byte) (map[string]sqlVal, error) {
	var r regimenRow
	err := json.Unmarshal(raw, &r)
	return map[string]sqlVal{"id": intVal(btoi(k)), "name": textVal(&r.Name), "active": boolVal(r.Active), "default": boolVal(r.Default)}, err
}

func stageValues(k, raw []byte) (map[string]sqlVal, error) {
	var r stageRow
	err := json.Unmarshal(raw, &r)
	return map[string]sqlVal{"id": intVal(btoi(k)), "name": textVal(&r.Name), "script": textVal(r.Script),
		"script_md5": textVal(r.ScriptMD5), "parameters": textVal(r.Parameters)}, err
}

func stateValues(k, raw []byte) (map[string]sqlVal, error) {
	var r stateRow
	err := json.Unmarshal(raw, &r)
	return map[string]sqlVal{"id": intVal(btoi(k)), "regimen_id": intVal(r.RegimenID), "stage_id": intVal(r.StageID)}, err
}

func subjectValues(k, raw []byte) (map[string]sqlVal, error) {
	var r subjectRow
	err := json.Unmarshal(raw, &r)
	return map[string]sqlVal{"LabTracks_ID": intVal(btoi(k)), "state_id": intVal(r.StateID)}, err
}

func transitionValues(k, raw []byte) (map[string]sqlVal, error) {
	var r transitionRow
	err := json.Unmarshal(raw, &r)
	return map[string]sqlVal{"id": intVal(btoi(k)), "trigger": textVal(&r.Trigger), "source_state_id": intVal(r.Source),
		"target_state_id": intVal(r.Target), "conditions": textVal(r.Conditions), "unless": textVal(r.Unless)}, err
}

func sessionValues(k, raw []byte) (map[string]sqlVal, error) {
	var r behaviorRow
	err := json.Unmarshal(raw, &r)
	id := string(k)
	return map[string]sqlVal{"id": textVal(&id), "LabTracks_ID": intVal(r.LabTracksID), "date": textVal(&r.Date), "state_id": intVal(r.StateID)}, err
}

// The objects, by key.

func intKey(key any) ([]byte, bool) {
	n, ok := key.(int64)
	return itob(n), ok
}

func wireStage(tx *bolt.Tx, id int64) (mtrain.WireStage, error) {
	var r stageRow
	if err := get(tx, bStages, itob(id), &r); err != nil {
		return mtrain.WireStage{}, err
	}
	return mtrain.WireStage{ID: mtrain.FlexInt(id), Name: r.Name, Script: strPtr(r.Script), ScriptMD5: strPtr(r.ScriptMD5),
		Parameters: rawOrNull(r.Parameters)}, nil
}

func state(tx *bolt.Tx, id int64) (mtrain.State, error) {
	var r stateRow
	if err := get(tx, bStates, itob(id), &r); err != nil {
		return mtrain.State{}, err
	}
	return mtrain.State{ID: int(id), RegimenID: int(r.RegimenID), StageID: int(r.StageID)}, nil
}

// stateOfStage is the state of a stage (stage_id is UNIQUE; the state's
// id is its stage's), if there is one.
func stateOfStage(tx *bolt.Tx, stageID int64) ([]mtrain.State, error) {
	st, err := state(tx, stageID)
	if errors.Is(err, errNoRow) || err == nil && int64(st.StageID) != stageID {
		return []mtrain.State{}, nil
	}
	if err != nil {
		return nil, err
	}
	return []mtrain.State{st}, nil
}

func loadRegimen(tx *bolt.Tx, key any) (any, error) {
	k, ok := intKey(key)
	if !ok {
		return nil, errNoRow
	}
	var row regimenRow
	if err := get(tx, bRegimens, k, &row); err != nil {
		return nil, err
	}
	active, def := row.Active, row.Default
	r := mtrain.WireRegimen{ID: mtrain.FlexInt(btoi(k)), Name: row.Name, Active: &active, Default: &def,
		Stages: []mtrain.WireStage{}, States: []mtrain.State{}}
	for _, id := range row.Stages {
		st, err := wireStage(tx, id)
		if err != nil {
			return nil, err
		}
		r.Stages = append(r.Stages, st)
		states, err := stateOfStage(tx, id)
		if err != nil {
			return nil, err
		}
		r.States = append(r.States, states...)
	}
	return r, nil
}

func loadStage(tx *bolt.Tx, key any) (any, error) {
	k, ok := intKey(key)
	if !ok {
		return nil, errNoRow
	}
	cols, err := wireStage(tx, btoi(k))
	if err != nil {
		return nil, err
	}
	st := apiStage{WireStage: cols, Regimens: []apiRegimenRef{}}
	if st.States, err = stateOfStage(tx, btoi(k)); err != nil {
		return nil, err
	}
	for _, s := range st.States {
		ref, err := regimenRef(tx, int64(s.RegimenID))
		if err != nil {
			return nil, err
		}
		st.Regimens = append(st.Regimens, ref)
	}
	return st, nil
}

func regimenRef(tx *bolt.Tx, id int64) (apiRegimenRef, error) {
	var r regimenRow
	err := get(tx, bRegimens, itob(id), &r)
	return apiRegimenRef{ID: id, Name: r.Name, Active: r.Active}, err
}

func loadState(tx *bolt.Tx, key any) (any, error) {
	k, ok := intKey(key)
	if !ok {
		return nil, errNoRow
	}
	return state(tx, btoi(k))
}

func loadSubject(tx *bolt.Tx, key any) (any, error) {
	k, ok := intKey(key)
	if !ok {
		return nil, errNoRow
	}
	var r subjectRow
	if err := get(tx, bSubjects, k, &r); err != nil {
		return nil, err
	}
	sub := apiSubject{LabTracksID: btoi(k)}
	st, err := state(tx, r.StateID)
	switch {
	case err == nil:
		sub.State = &st
	case !errors.Is(err, errNoRow):
		return nil, err
	}
	return sub, nil
}

func loadTransition(tx *bolt.Tx, key any) (any, error) {
	k, ok := intKey(key)
	if !ok {
		return nil, errNoRow
	}
	var r transitionRow
	if err := get(tx, bTransitions, k, &r); err != nil {
		return nil, err
	}
	return apiTransition{ID: btoi(k), Trigger: r.Trigger, SourceStateID: r.Source, TargetStateID: r.Target,
		Conditions: rawOrNull(r.Conditions), Unless: rawOrNull(r.Unless)}, nil
}

func loadSession(tx *bolt.Tx, key any) (any, error) {
	id, _ := key.(string)
	var r behaviorRow
	if err := get(tx, bBehavior, []byte(id), &r); err != nil {
		return nil, err
	}
	return apiSession{ID: id, LabTracksID: r.LabTracksID, Date: r.Date, StateID: r.StateID}, nil
}

func loadJoinState(tx *bolt.Tx, idText string) (any, error) {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return nil, errNoRow
	}
	st, err := state(tx, id)
	if err != nil {
		return nil, err
	}
	j := apiJoinState{ID: id, RegimenID: int64(st.RegimenID), StageID: int64(st.StageID)}
	if j.Stage, err = wireStage(tx, j.StageID); err != nil {
		return nil, err
	}
	j.Regimen, err = regimenRef(tx, j.RegimenID)
	return j, err
}
