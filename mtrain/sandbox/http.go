package sandbox

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/regc/regc/internal/safetext"
	"github.com/regc/regc/mtrain"
)

const (
	sessionCookie = "session"
	sessionMaxAge = 12 * time.Hour
	maxRequest    = 16 << 20
)

// Handler returns the sandbox's HTTP handler: every route of mtrain-api.md.
// Paths are matched after collapsing repeated slashes and ignoring a
// trailing slash, as careless clients join them.
func (s *Sandbox) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

func cleanPath(p string) string {
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	if len(p) > 1 {
		p = strings.TrimSuffix(p, "/")
	}
	if p == "" {
		p = "/"
	}
	return p
}

func (s *Sandbox) serveHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			writeJSON(w, http.StatusInternalServerError, map[string]string{"message": fmt.Sprintf("internal error: %v", v)})
		}
	}()
	p := cleanPath(r.URL.Path)
	switch {
	case p == "/":
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			s.home(w, r)
		case http.MethodPost:
			s.login(w, r)
		default:
			methodNotAllowed(w, "GET, POST")
		}
	case p == "/users":
		s.home(w, r)
	case p == "/logout":
		s.logout(w, r)
	case p == "/set_regimen":
		s.needs(w, r, http.MethodPost, true, s.setRegimen)
	case p == "/get_state":
		s.needs(w, r, "", false, s.getState)
	case p == "/get_script":
		s.needs(w, r, "", false, s.getScript)
	case p == "/add_subject":
		s.needs(w, r, http.MethodPost, true, s.addSubject)
	case p == "/set_state" || strings.HasPrefix(p, "/set_state/"):
		s.needs(w, r, http.MethodPost, true, func(w http.ResponseWriter, r *http.Request, user string) {
			s.setState(w, r, user, strings.TrimPrefix(strings.TrimPrefix(p, "/set_state"), "/"))
		})
	case p == "/set_behavior_session":
		s.needs(w, r, http.MethodPost, true, s.setBehaviorSession)
	case strings.HasPrefix(p, "/api/v1/"):
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			methodNotAllowed(w, "GET")
			return
		}
		s.readAPI(w, r, strings.TrimPrefix(p, "/api/v1/"))
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "no such route: " + p})
	}
}

func methodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"message": "method not allowed"})
}

// needs checks the method (any when empty) and, for writes, the session.
func (s *Sandbox) needs(w http.ResponseWriter, r *http.Request, method string, auth bool, h func(http.ResponseWriter, *http.Request, string)) {
	if method != "" && r.Method != method {
		methodNotAllowed(w, method)
		return
	}
	user := s.sessionUser(r)
	if auth && user == "" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, htmlPage("Login required", `<p>Login required.</p>`+loginForm))
		return
	}
	h(w, r, user)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"message":"cannot encode the answer"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
	_, _ = w.Write([]byte("\n"))
}

// writeText answers a write the way the real server does: 200, not JSON.
func writeText(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprint(w, html.EscapeString(text))
}

func failed(w http.ResponseWriter, err error) {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// The client went away before the commit: nothing was applied and
		// nobody is listening.
		return
	}
	writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "database error: " + err.Error()})
}

const loginForm = `<form method="post" action="/">
<label>Username <input name="username" type="text"></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Log in</button>
</form>`

func htmlPage(title, body string) string {
	return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>mtrain sandbox: ` + html.EscapeString(title) + `</title></head>
<body><h1>mtrain (regc sandbox)</h1>
` + body + `
</body></html>
`
}

// home is GET / (the health probe) and GET /users/.
func (s *Sandbox) home(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if user := s.sessionUser(r); user != "" {
		fmt.Fprint(w, htmlPage("Home", `<p>Logged in as `+html.EscapeString(user)+`</p><p><a href="/logout/">Log out</a></p>`))
		return
	}
	fmt.Fprint(w, htmlPage("Log in", loginForm))
}

// login is POST / with form fields username and password: 302 to /users/
// with a session cookie when they are right, 200 with the form and an
// error otherwise.
func (s *Sandbox) login(w http.ResponseWriter, r *http.Request) {
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		writeText(w, http.StatusBadRequest, "cannot read the login form")
		return
	}
	user, password := form.Get("username"), form.Get("password")
	ok, err = s.checkPassword(r.Context(), user, password)
	if err != nil {
		failed(w, err)
		return
	}
	if !ok {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, htmlPage("Log in", `<p class="error">Invalid username or password.</p>`+loginForm))
		return
	}
	cookie, err := s.newSession(r.Context(), user)
	if err != nil {
		failed(w, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: cookie, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, MaxAge: int(sessionMaxAge / time.Second)})
	http.Redirect(w, r, "/users/", http.StatusFound)
}

// logout ends the session of the request's cookie, on the server too.
func (s *Sandbox) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		ctx := r.Context()
		err := s.writeTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ?", tokenHash(c.Value))
			return err
		})
		if err != nil {
			failed(w, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
	http.Redirect(w, r, "/", http.StatusFound)
}

// A session's cookie is a random token; the database keeps only its hash,
// so that reading the database gives no way to make a cookie.
func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

func (s *Sandbox) newSession(ctx context.Context, user string) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := s.now()
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE expires < ?", now.Unix()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO sessions(token_hash, user, expires) VALUES (?, ?, ?)",
			tokenHash(token), user, now.Add(sessionMaxAge).Unix())
		return err
	})
	return token, err
}

// sessionUser returns the user of a live session cookie, or "".
func (s *Sandbox) sessionUser(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 256 {
		return ""
	}
	var user string
	err = s.db.QueryRowContext(r.Context(), `SELECT sessions.user FROM sessions JOIN users ON users.name = sessions.user
		WHERE token_hash = ? AND expires >= ?`, tokenHash(c.Value), s.now().Unix()).Scan(&user)
	if err != nil {
		return ""
	}
	return user
}

// readBody reads a request body whatever its Content-Type says, within
// maxRequest bytes and the BodyTimeout: 413 for a bigger body, 408 for a
// slower one.
func (s *Sandbox) readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	timeout := s.BodyTimeout
	if timeout <= 0 {
		timeout = DefaultBodyTimeout
	}
	// Where the connection allows it (not behind every wrapper), the
	// deadline is the connection's; the timer below covers the rest.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(timeout))
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	// No ResponseWriter here: the reader may outlive the handler when the
	// connection ignores the deadline.
	body := http.MaxBytesReader(nil, r.Body, maxRequest)
	go func() {
		b, err := io.ReadAll(body)
		done <- result{b, err}
	}()
	var res result
	timer := time.NewTimer(timeout + time.Second)
	defer timer.Stop()
	select {
	case res = <-done:
	case <-timer.C:
		res.err = os.ErrDeadlineExceeded
	}
	var tooBig *http.MaxBytesError
	switch {
	case res.err == nil:
		// Lift the deadline only for a body read in time; after a slow one
		// the connection is closed, not drained.
		_ = rc.SetReadDeadline(time.Time{})
		return res.b, true
	case errors.As(res.err, &tooBig):
		w.Header().Set("Connection", "close")
		writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"message": fmt.Sprintf("the request body is over %d bytes", maxRequest)})
	case errors.Is(res.err, os.ErrDeadlineExceeded):
		w.Header().Set("Connection", "close")
		writeJSON(w, http.StatusRequestTimeout, map[string]string{"message": fmt.Sprintf("the request body took over %v to arrive", timeout)})
	default:
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "cannot read the request body"})
	}
	return nil, false
}

// fields reads a write's body as a set of fields: a form when the
// Content-Type says so or the body is not JSON, raw JSON otherwise (Python
// clients send raw JSON with no Content-Type). Form values are JSON-decoded
// when they hold JSON (state=<JSON string>), else kept as strings.
func fields(r *http.Request, body []byte) (map[string]json.RawMessage, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	t := bytes.TrimSpace(body)
	if len(t) > 0 && t[0] == '{' {
		// A form body cannot start with "{": this is JSON, whatever the
		// Content-Type says.
		var m map[string]json.RawMessage
		if err := json.Unmarshal(t, &m); err != nil {
			return nil, errDecode
		}
		return m, nil
	}
	if mt == "multipart/form-data" {
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err := r.ParseMultipartForm(maxRequest); err != nil {
			return nil, errDecode
		}
		return formFields(r.MultipartForm.Value), nil
	}
	vals, err := url.ParseQuery(string(t))
	if err != nil {
		return nil, errDecode
	}
	// A JSON body sent as a form would arrive as one odd key; refuse it
	// rather than guess.
	return formFields(vals), nil
}

func formFields(vals map[string][]string) map[string]json.RawMessage {
	m := map[string]json.RawMessage{}
	for k, vs := range vals {
		if len(vs) == 0 {
			continue
		}
		v := vs[0]
		if json.Valid([]byte(v)) {
			trimmed := strings.TrimSpace(v)
			if strings.HasPrefix(trimmed, "{") || strings.HasPrefix(trimmed, "[") {
				m[k] = json.RawMessage(trimmed)
				continue
			}
		}
		q, _ := json.Marshal(v)
		m[k] = q
	}
	return m
}

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
