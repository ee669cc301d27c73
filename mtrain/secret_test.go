package mtrain

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/regc/regc/internal/safetext"
	"github.com/regc/regc/mtrain/faults"
)

// leaks reports whether text holds the password in any of its encodings.
func leaks(text, password string) bool {
	for _, f := range safetext.Forms(password) {
		if f != "" && strings.Contains(text, f) {
			return true
		}
	}
	return false
}

func TestSecretNeverPrints(t *testing.T) {
	s := NewSecret(testPassword)
	cfg := Config{Server: "http://mtrain:5000", User: testUser, Password: s}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	holder := struct {
		name string
		pw   Secret
	}{"x", s}
	var outs []string
	for _, v := range []any{s, &s, cfg, &cfg, c, holder, &holder, struct{ C *Client }{c}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%T %d"} {
			outs = append(outs, fmt.Sprintf(verb, v))
		}
	}
	b, err := json.Marshal(s)
	if err != nil || string(b) != `"[redacted]"` {
		t.Errorf("json.Marshal(secret): got %s, %v; want \"[redacted]\"", b, err)
	}
	b, _ = json.Marshal(struct{ P Secret }{s})
	outs = append(outs, string(b))
	for _, o := range outs {
		if leaks(o, testPassword) {
			t.Errorf("printed form %q carries the password", o)
		}
	}
	if s.reveal() != testPassword || s.IsZero() || !NewSecret("").IsZero() || !(Secret{}).IsZero() {
		t.Errorf("Secret does not hold its value")
	}
}

// A whole session of work, including faults and a refused login, leaves the
// password in no error and no log line.
func TestPasswordNeverLogged(t *testing.T) {
	r := newRig(t)
	c := r.client(t)
	ctx := context.Background()
	var errs []string
	st := r.upload(t, c, "Secret_v1.0.0")
	r.inj.Add(faults.Rule{Kind: faults.Status500, Nth: 1, Method: "POST", Path: "/"})
	r.inj.Add(faults.Rule{Kind: faults.DropAfter, Nth: 1, Method: "POST", Path: "/add_subject"})
	c2 := r.client(t)
	if err := c2.AddSubject(ctx, 900001, st["TRAINING_0"]); err != nil {
		t.Fatal(err)
	}
	errs = append(errs, fmt.Sprint(c2.UploadRegimen(ctx, sampleDoc("Secret_v1.0.0"))))
	bad := r.client(t, func(cfg *Config) { cfg.Password = NewSecret(testPassword + "x") })
	errs = append(errs, fmt.Sprint(bad.Login(ctx)), fmt.Sprint(bad.SetState(ctx, 900001, st["OPHYS_0"])))
	all := r.logs.String() + "\n" + strings.Join(errs, "\n")
	if leaks(all, testPassword) {
		t.Errorf("logs or errors carry the password:\n%s", all)
	}
	if !strings.Contains(all, "logged in to") || !strings.Contains(all, "login refused") && !strings.Contains(all, "wrong user or password") {
		t.Errorf("logs and errors %q: want a login and a refusal in them", all)
	}
	// Nor the session cookie.
	u, _ := url.Parse(r.srv.URL)
	for _, ck := range c2.hc.Jar.Cookies(u) {
		if strings.Contains(all, ck.Value) {
			t.Errorf("logs carry the session cookie")
		}
	}
	// The sandbox keeps a salted hash, never the password.
	r.sb.Close()
	data, err := os.ReadFile(r.sb.Path())
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(r.sb.Path() + "-wal")
	if leaks(string(data)+string(wal), testPassword) {
		t.Errorf("the sandbox database holds the password")
	}
	if leaks(fmt.Sprintf("%v %#v", r.sb, r.sb), testPassword) {
		t.Errorf("the sandbox prints the password")
	}
}

// A server that echoes the submitted form back: the error quotes the page
// but not the password.
func TestEchoedPasswordScrubbed(t *testing.T) {
	srv := htmlServer(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, "<html><body>Bad login for %s with %s (raw %s)</body></html>",
			html.EscapeString(form.Get("username")), html.EscapeString(form.Get("password")), body)
	})
	c, _ := New(Config{Server: srv.URL, User: testUser, Password: NewSecret(testPassword), Attempts: 1})
	err := c.Login(context.Background())
	if err == nil {
		t.Fatal("Login: got nil, want an error")
	}
	if leaks(err.Error(), testPassword) {
		t.Errorf("error %q carries the password", err)
	}
	if !strings.Contains(err.Error(), "Bad login for alice with [redacted]") {
		t.Errorf("error %q: want the page quoted with the password redacted", err)
	}
}
