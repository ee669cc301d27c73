package sandbox_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/regc/regc/mtrain/mtraintest"
	"github.com/regc/regc/mtrain/sandbox"
	"github.com/regc/regc/mtrain/sandbox/sandboxtest"
)

// loginCookie logs in to h (in-process) and returns the "session=..." cookie.
func loginCookie(t testing.TB, h http.Handler) string {
	t.Helper()
	form := url.Values{"username": {mtraintest.User}, "password": {mtraintest.Password}}.Encode()
	req := httptest.NewRequest("POST", "/", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusFound {
		t.Fatalf("login: got %d %q, want 302", rec.Code, rec.Body)
	}
	c := strings.SplitN(rec.Header().Get("Set-Cookie"), ";", 2)[0]
	if !strings.HasPrefix(c, sandbox.SessionCookie+"=") {
		t.Fatalf("login: cookie %q", c)
	}
	return c
}

// serve sends one request to h in-process.
func serve(h http.Handler, method, target, cookie, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// set_behavior_session/ moves mice, so it needs a login like every write.
func TestSandboxBehaviorSessionNeedsLogin(t *testing.T) {
	r := sandboxtest.NewRig(t)
	c := r.Client(t)
	st := r.Upload(t, c, "Sess_v1.0.0")
	if err := c.AddSubject(context.Background(), 123457, st["TRAINING_0"]); err != nil {
		t.Fatal(err)
	}
	h := r.SB.Handler()
	body := `{"data_list": [{"LabTracks_ID": 123457}]}`
	if a := serve(h, "POST", "/set_behavior_session/", "", body); a.Code != http.StatusUnauthorized {
		t.Errorf("set_behavior_session/ without a login: got %d %q, want 401", a.Code, a.Body)
	}
	if n := sandboxtest.CountEvents(t, r.SB, "progress", 123457); n != 0 {
		t.Errorf("set_behavior_session/ without a login moved the mouse %d times", n)
	}
	cookie := loginCookie(t, h)
	if a := serve(h, "POST", "/set_behavior_session/", cookie, body); a.Code != http.StatusOK {
		t.Errorf("set_behavior_session/ logged in: got %d %q, want 200", a.Code, a.Body)
	}
	if n := sandboxtest.CountEvents(t, r.SB, "progress", 123457); n != 1 {
		t.Errorf("set_behavior_session/ logged in: %d moves, want 1", n)
	}
}

func fileMode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// The database (and any file beside it the store might make) is the
// owner's alone, whatever the umask.
func TestSandboxFileModes(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	path := filepath.Join(dir, "mtrain.db")
	sb, err := sandbox.NewSandbox(path, mtraintest.User, mtraintest.Password)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	_ = loginCookie(t, sb.Handler()) // a write
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("ReadDir: %v, %d entries", err, len(entries))
	}
	for _, e := range entries {
		if m := fileMode(t, filepath.Join(dir, e.Name())); m != 0o600 {
			t.Errorf("%s: mode %04o, want 0600", e.Name(), m)
		}
	}
}

// An existing database that others can read is made the owner's alone (and
// said so); a path that is not a regular file is refused.
func TestSandboxDatabasePath(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mtrain.db")
	sb, err := sandbox.NewSandbox(path, mtraintest.User, mtraintest.Password)
	if err != nil {
		t.Fatal(err)
	}
	sb.Close()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	sb, err = sandbox.NewSandbox(path, mtraintest.User, mtraintest.Password)
	if err != nil {
		t.Fatal(err)
	}
	if m := fileMode(t, path); m != 0o600 {
		t.Errorf("a reopened 0644 database: mode %04o, want 0600", m)
	}
	if notes := strings.Join(sb.Notes(), "\n"); !strings.Contains(notes, "0644") || !strings.Contains(notes, "0600") || !strings.Contains(notes, "password") {
		t.Errorf("notes after tightening: %q, want the old and new modes and advice on the password", notes)
	}
	sb.Close()

	fifo := filepath.Join(dir, "fifo.db")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.db")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{dir, fifo, link} {
		done := make(chan error, 1)
		go func() {
			sb, err := sandbox.NewSandbox(p, mtraintest.User, mtraintest.Password)
			if err == nil {
				sb.Close()
			}
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("NewSandbox(%s): got %v, want a refusal naming a file that is not regular", filepath.Base(p), err)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("NewSandbox(%s) hangs", filepath.Base(p))
		}
	}
}

// What is on disk cannot forge a session; a logout ends the session.
func TestSandboxSessions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mtrain.db")
	sb, err := sandbox.NewSandbox(path, mtraintest.User, mtraintest.Password)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	h := sb.Handler()
	cookie := loginCookie(t, h)
	token := strings.TrimPrefix(cookie, sandbox.SessionCookie+"=")
	for _, p := range []string{path, path + "-wal"} {
		b, _ := os.ReadFile(p)
		if bytes.Contains(b, []byte(token)) {
			t.Errorf("%s holds the session cookie", filepath.Base(p))
		}
	}

	// Whatever the database holds, a cookie signed with it is refused.
	secrets, err := sandbox.MetaValues(sb)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := sandbox.UserHash(sb, mtraintest.User)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range secrets {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte("session-key"))
		m2 := hmac.New(sha256.New, m.Sum(nil))
		m2.Write([]byte(mtraintest.User))
		m2.Write([]byte{0})
		m2.Write(hash)
		payload, _ := json.Marshal(map[string]any{"u": mtraintest.User, "e": time.Now().Add(time.Hour).Unix()})
		m3 := hmac.New(sha256.New, m2.Sum(nil))
		m3.Write(payload)
		enc := base64.RawURLEncoding
		forged := sandbox.SessionCookie + "=" + enc.EncodeToString(payload) + "." + enc.EncodeToString(m3.Sum(nil))
		if a := serve(h, "GET", "/users/", forged, ""); strings.Contains(a.Body.String(), "Logged in as") {
			t.Errorf("a cookie forged from the database's meta table is accepted")
		}
	}

	if a := serve(h, "GET", "/users/", cookie, ""); !strings.Contains(a.Body.String(), "Logged in as "+mtraintest.User) {
		t.Fatalf("before logout: %q, want Logged in as %s", a.Body, mtraintest.User)
	}
	if a := serve(h, "GET", "/logout/", cookie, ""); a.Code != http.StatusFound {
		t.Errorf("logout: got %d, want 302", a.Code)
	}
	if a := serve(h, "GET", "/users/", cookie, ""); strings.Contains(a.Body.String(), "Logged in as") {
		t.Errorf("the cookie still logs in after logout")
	}
	doc := string(mtraintest.SampleDoc("Logout_v1.0.0"))
	if a := serve(h, "POST", "/set_regimen/", cookie, doc); a.Code != http.StatusUnauthorized {
		t.Errorf("a write with the cookie of a logged-out session: got %d, want 401", a.Code)
	}
}

// A client that sends its headers and then trickles the body is cut off.
func TestSandboxSlowBody(t *testing.T) {
	sb := sandboxtest.NewSandbox(t)
	sb.BodyTimeout = 300 * time.Millisecond
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /get_state/ HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{")
	// Trickle a byte every 100 ms: each arrives before any per-read timeout.
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
				if _, err := conn.Write([]byte(" ")); err != nil {
					return
				}
			}
		}
	}()
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	start := time.Now()
	answer, _ := io.ReadAll(conn)
	if time.Since(start) > 25*time.Second {
		t.Fatalf("a trickled body held the handler for %v", time.Since(start))
	}
	if !strings.Contains(string(answer), " 408 ") {
		t.Errorf("a trickled body: answer %q, want 408", answer)
	}

	// Behind a ResponseWriter that cannot set deadlines, the handler
	// still stops waiting.
	pr, pw := io.Pipe()
	defer pw.Close()
	req := httptest.NewRequest("POST", "/", pr)
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { sb.Handler().ServeHTTP(rec, req); close(done) }()
	select {
	case <-done:
		if rec.Code != http.StatusRequestTimeout {
			t.Errorf("a body that never comes, in-process: got %d %q, want 408", rec.Code, rec.Body)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a body that never comes holds the in-process handler")
	}
}

// A page far past the end is an empty page; a filter with too many values
// is refused with 400, not a 500.
func TestSandboxQueryBounds(t *testing.T) {
	sb := sandboxtest.NewSandbox(t)
	h := sb.Handler()
	if a := serve(h, "POST", "/set_regimen/", loginCookie(t, h), string(mtraintest.SampleDoc("Bounds_v1.0.0"))); a.Code != http.StatusOK {
		t.Fatalf("set_regimen/: got %d %q", a.Code, a.Body)
	}
	if err := sb.AddSubjects(context.Background(), 1, mtraintest.Seq(300001, 15)...); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/api/v1/subjects?page=9223372036854775807", "/api/v1/subjects?page=9223372036854775807&results_per_page=100",
		"/api/v1/subjects?page=4611686018427387904"} {
		a := serve(h, "GET", target, "", "")
		var m map[string]any
		json.Unmarshal(a.Body.Bytes(), &m)
		if objs, ok := m["objects"].([]any); a.Code != 200 || !ok || len(objs) != 0 {
			t.Errorf("GET %s: got %d %q, want 200 with no objects", target, a.Code, a.Body)
		}
	}
	vals := make([]string, 40000)
	for i := range vals {
		vals[i] = fmt.Sprint(i + 1)
	}
	for _, q := range []string{
		`{"filters":[{"name":"LabTracks_ID","op":"in","val":[` + strings.Join(vals, ",") + `]}]}`,
		`{"filters":[{"or":[` + strings.Repeat(`{"name":"LabTracks_ID","op":"eq","val":1},`, 5000) + `{"name":"LabTracks_ID","op":"eq","val":1}]}]}`,
		`{"filters":[{"name":"state_id","op":"like","val":"` + strings.Repeat("%a", 40000) + `"}]}`,
	} {
		a := serve(h, "GET", "/api/v1/subjects?q="+url.QueryEscape(q), "", "")
		if a.Code != http.StatusBadRequest || !strings.Contains(a.Body.String(), "Unable to construct query") {
			t.Errorf("GET a q of %d bytes: got %d %.200q, want 400 Unable to construct query", len(q), a.Code, a.Body)
		}
	}
}

// mtrain took documents whose parameters.stage differs from the stage's
// name (four tagged historic releases have one); the sandbox does too.
func TestSandboxAcceptsStageMismatch(t *testing.T) {
	sb := sandboxtest.NewSandbox(t)
	h := sb.Handler()
	cookie := loginCookie(t, h)
	doc := `{"name": "Mismatch_v1.0.0", "stages": {"A": {"script": "s", "parameters": {"stage": "B"}}, "B": {}},
		"transitions": [{"trigger": "progress", "source": "A", "dest": "B"}]}`
	if a := serve(h, "POST", "/set_regimen/", cookie, doc); a.Code != http.StatusOK {
		t.Errorf("set_regimen/ with parameters.stage B on stage A: got %d %q, want 200", a.Code, a.Body)
	}
	a := serve(h, "GET", "/get_state/", "", `{"regimen_name": "Mismatch_v1.0.0", "stage_name": "A"}`)
	if a.Code != http.StatusOK {
		t.Errorf("get_state/ of stage A: got %d %q", a.Code, a.Body)
	}
}
