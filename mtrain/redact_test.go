package mtrain

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/regc/regc/mtrain/mtraintest"
)

// pieces reports a substring of secret of n bytes or more found in text.
func pieces(text, secret string, n int) string {
	for i := 0; i+n <= len(secret); i++ {
		if strings.Contains(text, secret[i:i+n]) {
			return secret[i : i+n]
		}
	}
	return ""
}

// A server answer that quotes the password where the error cuts it (at
// the snippet's length, or where the body excerpt is taken) shows no part
// of it: the answer is scrubbed before it is cut.
func TestCutAnswerHidesPassword(t *testing.T) {
	const pw = "Zq7!hvG2-Xk9wJpL3mB"
	for name, body := range map[string]string{
		"json at the cut":      `{"error": "` + strings.Repeat("y", 100) + pw + `"}`,
		"text at the cut":      strings.Repeat("y", 110) + pw + " and more",
		"after blank space":    strings.Repeat(" ", 470) + pw + " and more",
		"html at the cut":      "<html><body><p>" + strings.Repeat("y", 112) + html.EscapeString(pw) + "</p></body></html>",
		"message at the cut":   `{"message": "` + strings.Repeat("m", 195) + pw + `"}`,
		"url-encoded at a cut": strings.Repeat("y", 100) + "password=" + strings.ReplaceAll(pw, "!", "%21"),
	} {
		srv := mtraintest.Server(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			if strings.HasPrefix(body, "<html>") {
				w.Header().Set("Content-Type", "text/html")
			}
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte(body))
		})
		c, _ := New(Config{Server: srv.URL, User: mtraintest.User, Password: NewSecret(pw), Attempts: 1})
		err := c.Login(context.Background())
		if err == nil {
			t.Fatalf("%s: Login: no error", name)
		}
		if p := pieces(err.Error(), pw, 4); p != "" {
			t.Errorf("%s: the error shows %q of the password: %v", name, p, err)
		}
	}
}

// URL passwords holding / ? # are hidden in the server address's errors
// and in a Config's text.
func TestServerAddressPasswordHidden(t *testing.T) {
	for _, addr := range []string{"ftp://u:12/ss?x#y@h/", "http://u:p/w?d#x@h:5000/", "http://u:pa ss@h/"} {
		cfg := Config{Server: addr, User: "u"}
		_, err := New(cfg)
		for _, text := range []string{cfg.String(), err.Error()} {
			if strings.Contains(text, "12/ss") || strings.Contains(text, "p/w?d#x") {
				t.Errorf("%s: %q shows the password", addr, text)
			}
		}
	}
}

// Diffs of documents hide URL passwords in scripts and parameters.
func TestDiffHidesURLPasswords(t *testing.T) {
	want := &Document{Name: "R", Stages: []DocStage{{Name: "A", Script: "http://u:pw/1@stash/a.py", Parameters: []byte(`{"u": "http://v:pw/2@h/"}`)}}}
	got := &Document{Name: "R", Stages: []DocStage{{Name: "A", Script: "http://u:pw/3@stash/b.py", Parameters: []byte(`{"u": "http://v:pw/4@h/x"}`)}}}
	diffs := DiffDocuments(want, got)
	if len(diffs) == 0 {
		t.Fatal("no differences found")
	}
	for _, d := range diffs {
		if strings.Contains(d, "pw/") {
			t.Errorf("diff %q shows a URL password", d)
		}
	}
}
