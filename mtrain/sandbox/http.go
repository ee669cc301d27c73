package sandbox

// Routing, the login and its sessions, and reading a request's body.

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
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
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
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
		err := s.st.update(ctx, func(tx *bolt.Tx) error { return tx.Bucket(bSessions).Delete(tokenHash(c.Value)) })
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
	err := s.st.update(ctx, func(tx *bolt.Tx) error {
		if err := deleteExpiredSessions(tx, now.Unix()); err != nil {
			return err
		}
		return put(tx, bSessions, tokenHash(token), sessionRow{User: user, Expires: now.Add(sessionMaxAge).Unix()})
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
	now := s.now().Unix()
	_ = s.st.view(func(tx *bolt.Tx) error {
		var r sessionRow
		// The session must be live, and its user still a user.
		if get(tx, bSessions, tokenHash(c.Value), &r) == nil && r.Expires >= now && tx.Bucket(bUsers).Get([]byte(r.User)) != nil {
			user = r.User
		}
		return nil
	})
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
