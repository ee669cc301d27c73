package mtrain

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/regc/regc/internal/safetext"
	"github.com/regc/regc/mtrain/mtraintest"
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
	s := NewSecret(mtraintest.Password)
	cfg := Config{Server: "http://mtrain:5000", User: mtraintest.User, Password: s}
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
		if leaks(o, mtraintest.Password) {
			t.Errorf("printed form %q carries the password", o)
		}
	}
	if s.reveal() != mtraintest.Password || s.IsZero() || !NewSecret("").IsZero() || !(Secret{}).IsZero() {
		t.Errorf("Secret does not hold its value")
	}
}

// A server that echoes the submitted form back: the error quotes the page
// but not the password.
func TestEchoedPasswordScrubbed(t *testing.T) {
	srv := mtraintest.Server(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, "<html><body>Bad login for %s with %s (raw %s)</body></html>",
			html.EscapeString(form.Get("username")), html.EscapeString(form.Get("password")), body)
	})
	c, _ := New(Config{Server: srv.URL, User: mtraintest.User, Password: NewSecret(mtraintest.Password), Attempts: 1})
	err := c.Login(context.Background())
	if err == nil {
		t.Fatal("Login: got nil, want an error")
	}
	if leaks(err.Error(), mtraintest.Password) {
		t.Errorf("error %q carries the password", err)
	}
	if !strings.Contains(err.Error(), "Bad login for alice with [redacted]") {
		t.Errorf("error %q: want the page quoted with the password redacted", err)
	}
}
