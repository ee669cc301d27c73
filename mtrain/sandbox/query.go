package sandbox

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/regc/regc/mtrain"
)

// The read API: GET /api/v1/<entity>[/<pk>] and /api/v1/join/states/<id>,
// with Flask-Restless paging and q (filters, order_by, limit, offset, single).

type colKind int

const (
	kInt colKind = iota
	kText
	kBool
	kJSON
)

type column struct {
	sql  string
	kind colKind
}

type entity struct {
	table string
	pk    string // the API field of the key
	pkInt bool
	cols  map[string]column
	load  func(ctx context.Context, q queryer, key any) (any, error)
}

var entities = map[string]*entity{
	"regimens": {table: "regimens", pk: "id", pkInt: true, load: loadRegimen, cols: map[string]column{
		"id": {"id", kInt}, "name": {"name", kText}, "active": {"active", kBool}, "default": {"is_default", kBool}}},
	"stages": {table: "stages", pk: "id", pkInt: true, load: loadStage, cols: map[string]column{
		"id": {"id", kInt}, "name": {"name", kText}, "script": {"script", kText}, "script_md5": {"script_md5", kText},
		"parameters": {"parameters", kJSON}}},
	"states": {table: "states", pk: "id", pkInt: true, load: loadState, cols: map[string]column{
		"id": {"id", kInt}, "regimen_id": {"regimen_id", kInt}, "stage_id": {"stage_id", kInt}}},
	"subjects": {table: "subjects", pk: "LabTracks_ID", pkInt: true, load: loadSubject, cols: map[string]column{
		"LabTracks_ID": {"LabTracks_ID", kInt}, "state_id": {"state_id", kInt}}},
	"transitions": {table: "transitions", pk: "id", pkInt: true, load: loadTransition, cols: map[string]column{
		"id": {"id", kInt}, "trigger": {`"trigger"`, kText}, "source_state_id": {"source_state_id", kInt},
		"target_state_id": {"target_state_id", kInt}, "conditions": {"conditions", kJSON}, "unless": {`"unless"`, kJSON}}},
	"behavior_sessions": {table: "behavior_sessions", pk: "id", load: loadSession, cols: map[string]column{
		"id": {"id", kText}, "LabTracks_ID": {"LabTracks_ID", kInt}, "date": {"date", kText}, "state_id": {"state_id", kInt}}},
}

func (s *Sandbox) readAPI(w http.ResponseWriter, r *http.Request, rest string) {
	parts := strings.Split(rest, "/")
	ctx := r.Context()
	if len(parts) == 3 && parts[0] == "join" && parts[1] == "states" {
		obj, err := loadJoinState(ctx, s.db, parts[2])
		s.answerOne(w, obj, err)
		return
	}
	e, ok := entities[parts[0]]
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
		obj, err := e.load(ctx, s.db, key)
		s.answerOne(w, obj, err)
		return
	}
	s.search(w, r, e)
}

func (s *Sandbox) answerOne(w http.ResponseWriter, obj any, err error) {
	if errors.Is(err, sql.ErrNoRows) {
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
	sqlText, args, err := e.sql(spec)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": errConstruct.msg})
		return
	}
	ctx := r.Context()
	// One read transaction, so that the count and the objects agree.
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		failed(w, err)
		return
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, sqlText, args...)
	if err != nil {
		failed(w, err)
		return
	}
	var keys []any
	for rows.Next() {
		var k any
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			failed(w, err)
			return
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		failed(w, err)
		return
	}
	if spec.Single {
		switch len(keys) {
		case 0:
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "No result found"})
		case 1:
			obj, err := e.load(ctx, tx, keys[0])
			s.answerOne(w, obj, err)
		default:
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Multiple results found"})
		}
		return
	}
	num := int64(len(keys))
	total := (num + perPage - 1) / perPage
	objects := []any{}
	// A page past the end is empty; pageNum-1 < total keeps the product
	// below num, so it cannot overflow.
	start, end := int64(0), int64(0)
	if pageNum-1 < total {
		start = (pageNum - 1) * perPage
		end = min(start+perPage, num)
	}
	for i := start; i < end; i++ {
		obj, err := e.load(ctx, tx, keys[i])
		if err != nil {
			failed(w, err)
			return
		}
		objects = append(objects, obj)
	}
	writeJSON(w, http.StatusOK, map[string]any{"num_results": num, "objects": objects, "page": pageNum, "total_pages": total})
}

// Bounds on a query that keep it within SQLite's limits (32,766 bound
// values, expressions 1,000 deep, LIKE patterns of 50,000 bytes): a q past
// them is refused as "Unable to construct query", not failed as a 500.
const (
	maxQueryValues     = 10000
	maxQueryConditions = 500
	maxLikePattern     = 10000
)

// sql builds the query selecting the keys q asks for.
func (e *entity) sql(spec qSpec) (string, []any, error) {
	var b strings.Builder
	var args []any
	if conditions(spec.Filters) > maxQueryConditions || len(spec.OrderBy) > maxQueryConditions {
		return "", nil, errConstruct
	}
	fmt.Fprintf(&b, "SELECT %s FROM %s", e.cols[e.pk].sql, e.table)
	if len(spec.Filters) > 0 {
		var conds []string
		for _, f := range spec.Filters {
			c, a, err := e.cond(f, 0)
			if err != nil {
				return "", nil, err
			}
			conds = append(conds, c)
			args = append(args, a...)
		}
		b.WriteString(" WHERE " + strings.Join(conds, " AND "))
	}
	var order []string
	for _, o := range spec.OrderBy {
		col, ok := e.cols[o.Field]
		if !ok {
			return "", nil, errConstruct
		}
		switch strings.ToLower(o.Direction) {
		case "", "asc":
			order = append(order, col.sql+" ASC")
		case "desc":
			order = append(order, col.sql+" DESC")
		default:
			return "", nil, errConstruct
		}
	}
	order = append(order, e.cols[e.pk].sql+" ASC")
	b.WriteString(" ORDER BY " + strings.Join(order, ", "))
	if spec.Limit != nil || spec.Offset != nil {
		limit, offset := int64(-1), int64(0)
		if spec.Limit != nil {
			if *spec.Limit < 0 {
				return "", nil, errConstruct
			}
			limit = *spec.Limit
		}
		if spec.Offset != nil {
			if *spec.Offset < 0 {
				return "", nil, errConstruct
			}
			offset = *spec.Offset
		}
		b.WriteString(" LIMIT ? OFFSET ?")
		args = append(args, limit, offset)
	}
	if len(args) > maxQueryValues {
		return "", nil, errConstruct
	}
	return b.String(), args, nil
}

// conditions counts the filters of a q, those inside "or" and "and" too.
func conditions(filters []any) int {
	n := 0
	for _, f := range filters {
		n++
		if m, ok := f.(map[string]any); ok {
			for _, join := range []string{"or", "and"} {
				if items, ok := m[join].([]any); ok {
					n += conditions(items)
				}
			}
		}
	}
	return n
}

// cond translates one filter: {"name", "op", "val"} or {"name", "op",
// "field"}, or {"or": [...]} / {"and": [...]}.
func (e *entity) cond(f any, depth int) (string, []any, error) {
	m, ok := f.(map[string]any)
	if !ok || depth > 20 {
		return "", nil, errConstruct
	}
	for _, join := range []string{"or", "and"} {
		if list, ok := m[join]; ok {
			items, ok := list.([]any)
			if !ok || len(items) == 0 {
				return "", nil, errConstruct
			}
			var parts []string
			var args []any
			for _, it := range items {
				c, a, err := e.cond(it, depth+1)
				if err != nil {
					return "", nil, err
				}
				parts = append(parts, c)
				args = append(args, a...)
			}
			return "(" + strings.Join(parts, " "+strings.ToUpper(join)+" ") + ")", args, nil
		}
	}
	name, _ := m["name"].(string)
	op, _ := m["op"].(string)
	col, ok := e.cols[name]
	if !ok {
		return "", nil, errConstruct
	}
	if other, ok := m["field"]; ok {
		oname, _ := other.(string)
		ocol, ok := e.cols[oname]
		sym, known := comparisons[op]
		if !ok || !known {
			return "", nil, errConstruct
		}
		return col.sql + " " + sym + " " + ocol.sql, nil, nil
	}
	val := m["val"]
	switch op {
	case "is_null":
		return col.sql + " IS NULL", nil, nil
	case "is_not_null":
		return col.sql + " IS NOT NULL", nil, nil
	case "in", "not_in":
		items, ok := val.([]any)
		if !ok || len(items) > maxQueryValues {
			return "", nil, errConstruct
		}
		if len(items) == 0 {
			if op == "in" {
				return "0", nil, nil
			}
			return "1", nil, nil
		}
		var args []any
		for _, it := range items {
			a, err := bind(col, it)
			if err != nil {
				return "", nil, err
			}
			args = append(args, a)
		}
		neg := ""
		if op == "not_in" {
			neg = "NOT "
		}
		return col.sql + " " + neg + "IN (" + strings.TrimSuffix(strings.Repeat("?,", len(items)), ",") + ")", args, nil
	case "like", "ilike", "not_like":
		s, ok := val.(string)
		if !ok || len(s) > maxLikePattern {
			return "", nil, errConstruct
		}
		if op == "not_like" {
			return col.sql + " NOT LIKE ?", []any{s}, nil
		}
		return col.sql + " LIKE ?", []any{s}, nil
	}
	sym, ok := comparisons[op]
	if !ok {
		return "", nil, errConstruct
	}
	if val == nil {
		switch sym {
		case "=":
			return col.sql + " IS NULL", nil, nil
		case "!=":
			return col.sql + " IS NOT NULL", nil, nil
		}
		return "", nil, errConstruct
	}
	a, err := bind(col, val)
	if err != nil {
		return "", nil, err
	}
	return col.sql + " " + sym + " ?", []any{a}, nil
}

var comparisons = map[string]string{
	"==": "=", "eq": "=", "equals": "=", "equal_to": "=",
	"!=": "!=", "neq": "!=", "does_not_equal": "!=", "not_equal_to": "!=",
	">": ">", "gt": ">", "<": "<", "lt": "<",
	">=": ">=", "ge": ">=", "gte": ">=", "geq": ">=",
	"<=": "<=", "le": "<=", "lte": "<=", "leq": "<=",
}

// bind turns a JSON value into an SQL argument for a column.
func bind(col column, v any) (any, error) {
	if col.kind == kJSON {
		b, err := json.Marshal(v)
		return string(b), err
	}
	switch x := v.(type) {
	case nil:
		return nil, nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n, nil
		}
		f, err := x.Float64()
		if err != nil {
			return nil, errConstruct
		}
		return f, nil
	case string:
		if col.kind == kBool {
			switch strings.ToLower(x) {
			case "true", "1":
				return 1, nil
			case "false", "0":
				return 0, nil
			}
			return nil, errConstruct
		}
		return x, nil
	}
	return nil, errConstruct
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

func rawOrNull(ns sql.NullString) json.RawMessage {
	if !ns.Valid {
		return nil
	}
	return json.RawMessage(ns.String)
}

func strPtr(ns sql.NullString) *string {
	if !ns.Valid {
		return nil
	}
	return &ns.String
}

const stageCols = "id, name, script, script_md5, parameters"

func scanStage(sc interface{ Scan(...any) error }) (mtrain.WireStage, error) {
	var st mtrain.WireStage
	var script, md5, params sql.NullString
	if err := sc.Scan(&st.ID, &st.Name, &script, &md5, &params); err != nil {
		return st, err
	}
	st.Script, st.ScriptMD5, st.Parameters = strPtr(script), strPtr(md5), rawOrNull(params)
	return st, nil
}

func statesWhere(ctx context.Context, q queryer, where string, arg any) ([]mtrain.State, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, regimen_id, stage_id FROM states WHERE "+where+" ORDER BY id", arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []mtrain.State{}
	for rows.Next() {
		var st mtrain.State
		if err := rows.Scan(&st.ID, &st.RegimenID, &st.StageID); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

func loadRegimen(ctx context.Context, q queryer, key any) (any, error) {
	var r mtrain.WireRegimen
	if err := q.QueryRowContext(ctx, "SELECT id, name, active, is_default FROM regimens WHERE id = ?", key).
		Scan(&r.ID, &r.Name, &r.Active, &r.Default); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, "SELECT "+stageCols+" FROM stages WHERE regimen_id = ? ORDER BY id", r.ID)
	if err != nil {
		return nil, err
	}
	r.Stages = []mtrain.WireStage{}
	for rows.Next() {
		st, err := scanStage(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		r.Stages = append(r.Stages, st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if r.States, err = statesWhere(ctx, q, "regimen_id = ?", r.ID); err != nil {
		return nil, err
	}
	return r, nil
}

func loadStage(ctx context.Context, q queryer, key any) (any, error) {
	cols, err := scanStage(q.QueryRowContext(ctx, "SELECT "+stageCols+" FROM stages WHERE id = ?", key))
	if err != nil {
		return nil, err
	}
	st := apiStage{WireStage: cols, Regimens: []apiRegimenRef{}}
	if st.States, err = statesWhere(ctx, q, "stage_id = ?", cols.ID); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT regimens.id, regimens.name, regimens.active FROM regimens
		JOIN states ON states.regimen_id = regimens.id WHERE states.stage_id = ? ORDER BY regimens.id`, cols.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ref apiRegimenRef
		if err := rows.Scan(&ref.ID, &ref.Name, &ref.Active); err != nil {
			return nil, err
		}
		st.Regimens = append(st.Regimens, ref)
	}
	return st, rows.Err()
}

func loadState(ctx context.Context, q queryer, key any) (any, error) {
	var st mtrain.State
	err := q.QueryRowContext(ctx, "SELECT id, regimen_id, stage_id FROM states WHERE id = ?", key).Scan(&st.ID, &st.RegimenID, &st.StageID)
	return st, err
}

func loadSubject(ctx context.Context, q queryer, key any) (any, error) {
	var sub apiSubject
	var st mtrain.State
	var sid, rid, stid sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT subjects.LabTracks_ID, states.id, states.regimen_id, states.stage_id FROM subjects
		LEFT JOIN states ON states.id = subjects.state_id WHERE subjects.LabTracks_ID = ?`, key).Scan(&sub.LabTracksID, &sid, &rid, &stid)
	if err != nil {
		return nil, err
	}
	if sid.Valid {
		st = mtrain.State{ID: int(sid.Int64), RegimenID: int(rid.Int64), StageID: int(stid.Int64)}
		sub.State = &st
	}
	return sub, nil
}

func loadTransition(ctx context.Context, q queryer, key any) (any, error) {
	var t apiTransition
	var cond, unless sql.NullString
	err := q.QueryRowContext(ctx, `SELECT id, "trigger", source_state_id, target_state_id, conditions, "unless" FROM transitions WHERE id = ?`, key).
		Scan(&t.ID, &t.Trigger, &t.SourceStateID, &t.TargetStateID, &cond, &unless)
	t.Conditions, t.Unless = rawOrNull(cond), rawOrNull(unless)
	return t, err
}

func loadSession(ctx context.Context, q queryer, key any) (any, error) {
	var s apiSession
	err := q.QueryRowContext(ctx, "SELECT id, LabTracks_ID, date, state_id FROM behavior_sessions WHERE id = ?", key).
		Scan(&s.ID, &s.LabTracksID, &s.Date, &s.StateID)
	return s, err
}

func loadJoinState(ctx context.Context, q queryer, idText string) (any, error) {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return nil, sql.ErrNoRows
	}
	var j apiJoinState
	if err := q.QueryRowContext(ctx, "SELECT id, regimen_id, stage_id FROM states WHERE id = ?", id).Scan(&j.ID, &j.RegimenID, &j.StageID); err != nil {
		return nil, err
	}
	if j.Stage, err = scanStage(q.QueryRowContext(ctx, "SELECT "+stageCols+" FROM stages WHERE id = ?", j.StageID)); err != nil {
		return nil, err
	}
	err = q.QueryRowContext(ctx, "SELECT id, name, active FROM regimens WHERE id = ?", j.RegimenID).Scan(&j.Regimen.ID, &j.Regimen.Name, &j.Regimen.Active)
	return j, err
}
