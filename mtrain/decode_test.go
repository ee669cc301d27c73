package mtrain

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/regc/regc/mtrain/mtraintest"
)

const loginPage = `<!DOCTYPE html><html><head><title>mtrain</title></head><body>
<form method="post"><input name="username"><input type="password" name="password"></form></body></html>`

// Every kind of unusable answer to a read becomes a clear error that says
// what came back.
func TestBadAnswers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		ctype  string
		body   string
		kind   error
		want   []string
	}{
		{"HTML login page", 200, "text/html; charset=utf-8", loginPage, ErrBadAnswer,
			[]string{"HTML login page", "200 text/html", "GET /api/v1/subjects"}},
		{"HTML page", 200, "text/html", "<html><body><h1>Maintenance</h1> back soon</body></html>", ErrBadAnswer,
			[]string{"got an HTML page", `"Maintenance back soon"`}},
		{"HTML with a JSON content type", 200, "application/json", "<!DOCTYPE html><html><body>oops</body></html>", ErrBadAnswer,
			[]string{"HTML page"}},
		{"truncated JSON", 200, "application/json", `{"num_results": 3, "objects": [{"LabTracks_ID": 1`, ErrBadAnswer,
			[]string{"truncated JSON", `"{\"num_results\": 3`}},
		{"invalid JSON", 200, "application/json", `{"num_results": 3,, }`, ErrBadAnswer, []string{"invalid JSON at byte"}},
		{"wrong content type", 200, "text/plain", `{"num_results": 0, "objects": [], "page": 1, "total_pages": 0}`, ErrBadAnswer,
			[]string{`content type "text/plain"`}},
		{"no content type", 200, "", `{"num_results": 0, "objects": []}`, ErrBadAnswer, []string{"no content type"}},
		{"empty body", 200, "application/json", "", ErrBadAnswer, []string{"empty body"}},
		{"a list", 200, "application/json", `[1, 2]`, ErrBadAnswer, []string{"unexpected JSON shape"}},
		{"no objects", 200, "application/json", `{"num_results": 0}`, ErrBadAnswer, []string{`no "objects"`}},
		{"objects not a list", 200, "application/json", `{"objects": {"a": 1}}`, ErrBadAnswer, []string{"unexpected JSON shape"}},
		{"a message", 200, "application/json", `{"message": "Unable to construct query"}`, ErrRefused, []string{"Unable to construct query"}},
		{"data after the value", 200, "application/json", `{"objects": []} {}`, ErrBadAnswer, []string{"data after the value"}},
		{"total_pages not a number", 200, "application/json", `{"objects": [], "total_pages": "x"}`, ErrBadAnswer, []string{"unexpected JSON content", "total_pages"}},
		{"wrong page", 200, "application/json", `{"objects": [{"LabTracks_ID": 1}], "page": 7, "total_pages": 9}`, ErrBadAnswer,
			[]string{"asked for page 1, got page 7"}},
		{"bad object", 200, "application/json", `{"objects": [{"LabTracks_ID": "x"}], "total_pages": 1}`, ErrBadAnswer,
			[]string{"want an integer"}},
		{"proxy 502", 502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>", ErrServer,
			[]string{"502", "502 Bad Gateway", "after 2 attempts"}},
		{"404 HTML", 404, "text/html", "<html><body>Not Found</body></html>", ErrNotFound, []string{"not found", "404"}},
		{"400 message", 400, "application/json", `{"message": "Unable to decode data"}`, ErrRefused, []string{`server says "Unable to decode data"`}},
		{"binary", 200, "application/octet-stream", "\x00\x01\xff\xfe", ErrBadAnswer, []string{"application/octet-stream"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := mtraintest.Server(t, func(w http.ResponseWriter, r *http.Request) {
				if tc.ctype != "" {
					w.Header().Set("Content-Type", tc.ctype)
				} else {
					w.Header()["Content-Type"] = nil
				}
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
			})
			c, err := New(Config{Server: srv.URL, User: mtraintest.User, Password: NewSecret(mtraintest.Password), Attempts: 2, Backoff: 1})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Subjects(context.Background())
			if err == nil {
				t.Fatalf("Subjects: got nil error, want one")
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("error %q: got kind %v, want %v", err, errors.Unwrap(err), tc.kind)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q: want %q in it", err, w)
				}
			}
		})
	}
}

// A transfer cut short (Content-Length promises more) is a clear error.
func TestCutOffAnswer(t *testing.T) {
	srv := mtraintest.Server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "1000")
		w.Write([]byte(`{"objects": [`))
	})
	c, _ := New(Config{Server: srv.URL, Attempts: 2, Backoff: 1})
	_, err := c.Subjects(context.Background())
	if err == nil || !strings.Contains(err.Error(), "cut off") {
		t.Fatalf("Subjects: got %v, want an error saying the answer was cut off", err)
	}
}

// Custom routes may answer JSON as text/html (Flask's default); the client
// accepts a body that parses, and refuses HTML.
func TestCustomRouteContentType(t *testing.T) {
	body := `{"id": 5, "regimen_id": 2, "stage_id": 5}`
	srv := mtraintest.Server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(body))
	})
	c, _ := New(Config{Server: srv.URL, Attempts: 1})
	st, err := c.GetState(context.Background(), "R", "S")
	if err != nil || st != (State{5, 2, 5}) {
		t.Errorf("GetState with JSON as text/html: got %+v, %v; want {5 2 5}", st, err)
	}
	body = loginPage
	if _, err := c.GetState(context.Background(), "R", "S"); !errors.Is(err, ErrBadAnswer) || !strings.Contains(err.Error(), "login page") {
		t.Errorf("GetState with a login page: got %v, want ErrBadAnswer naming the login page", err)
	}
	body = `{"id": "7", "regimen_id": "2", "stage_id": 7.0}`
	if st, err := c.GetState(context.Background(), "R", "S"); err != nil || st != (State{7, 2, 7}) {
		t.Errorf("GetState with ids as strings: got %+v, %v; want {7 2 7}", st, err)
	}
	body = `{"message": "nothing"}`
	if _, err := c.GetState(context.Background(), "R", "S"); !errors.Is(err, ErrBadAnswer) {
		t.Errorf("GetState without an id: got %v, want ErrBadAnswer", err)
	}
}

// A write that answers 200 with a login page was not applied: the client
// logs in again once, then gives a clear error.
func TestWriteAnsweredWithLoginPage(t *testing.T) {
	posts := 0
	srv := mtraintest.Server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		switch {
		case r.URL.Path == "/" && r.Method == "POST":
			http.Redirect(w, r, "/users/", http.StatusFound)
		case r.URL.Path == "/users/":
			w.Write([]byte("<p>Logged in as " + mtraintest.User + "</p>"))
		default:
			posts++
			w.Write([]byte(loginPage))
		}
	})
	c, _ := New(Config{Server: srv.URL, User: mtraintest.User, Password: NewSecret(mtraintest.Password), Attempts: 3, Backoff: 1})
	err := c.SetState(context.Background(), 5, State{ID: 1})
	if !errors.Is(err, ErrNotLoggedIn) {
		t.Fatalf("SetState: got %v, want ErrNotLoggedIn", err)
	}
	if posts != 2 {
		t.Errorf("writes sent: got %d, want 2 (one, and one after logging in again)", posts)
	}
}

func FuzzCheckJSON(f *testing.F) {
	for _, s := range []string{`{"objects": []}`, loginPage, `{"a": [1, 2`, "", "null", `[{"x": 1e999}]`, "\xff\xfe{", `{"objects": [] } x`} {
		f.Add("application/json", []byte(s))
		f.Add("text/html", []byte(s))
	}
	f.Fuzz(func(t *testing.T, ctype string, body []byte) {
		var pg page
		reason, _ := checkJSON(ctype, body, true, &pg)
		if reason == "" && !json.Valid(body) {
			t.Errorf("checkJSON accepted invalid JSON %q", body)
		}
		var st State
		if reason, _ := checkJSON(ctype, body, false, &st); reason == "" && !json.Valid(body) {
			t.Errorf("checkJSON (lenient) accepted invalid JSON %q", body)
		}
		e := (&Client{cfg: Config{Password: NewSecret("pw")}}).errFor(request{method: "GET", route: "x"}, &response{status: 200, ctype: ctype, body: body}, ErrBadAnswer, reason, nil)
		_ = e.Error()
	})
}

func FuzzParseDocument(f *testing.F) {
	f.Add(mtraintest.SampleDoc("F_v1.0.0"))
	f.Add([]byte(`{"name": "x", "stages": {}, "transitions": null}`))
	f.Add([]byte(`{"name": "x", "stages": {"a": {}, "a": {}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseDocument(data)
		if err != nil {
			return
		}
		out, err := d.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON: %v", err)
		}
		d2, err := ParseDocument(out)
		if err != nil {
			t.Fatalf("reparse of %s: %v", out, err)
		}
		if diffs := DiffDocuments(d, d2); len(diffs) > 0 {
			t.Errorf("round trip differs: %v", diffs)
		}
		_ = d.Validate()
	})
}

func TestParseDocument(t *testing.T) {
	for _, tc := range []struct{ doc, err string }{
		{`[]`, "want an object"},
		{`{"stages": {}}`, "no name"},
		{`{"name": "x"}`, "no stages"},
		{`{"name": "x", "stages": {"a": 1}}`, `stage "a": want an object`},
		{`{"name": "x", "stages": {"a": {"parameters": [1]}}}`, "parameters: want an object"},
		{`{"name": "x", "stages": {"a": {}, "a": {}}}`, `duplicate stage "a"`},
		{`{"name": "x", "name": "y", "stages": {}}`, `duplicate key "name"`},
		{`{"name": "x", "stages": {}, "transitions": [{"trigger": "progress", "source": "a"}]}`, "transition 1: no dest"},
		{`{"name": "x", "stages": {}, "transitions": [{"trigger": "progress", "source": "a", "dest": "b", "conditions": 3}]}`, "conditions: want a string"},
		{`{"name": "x", "stages": {}`, "truncated JSON"},
		{`{"name": "x", "stages": {}} []`, "data after the document"},
	} {
		_, err := ParseDocument([]byte(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("ParseDocument(%s): got %v, want an error with %q", tc.doc, err, tc.err)
		}
	}
	d, err := ParseDocument([]byte(`{"name": "x", "_anchor": {"deep": [1]}, "stages": {"b": {"script": "s"}, "a": {"parameters": null}},
		"transitions": [{"trigger": "progress", "source": "a", "dest": "b", "conditions": "[\"c1\", \"c2\"]", "unless": []}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if d.Stages[0].Name != "b" || d.Stages[1].Parameters != nil || strings.Join(d.Transitions[0].Conditions, "+") != "c1+c2" || d.Transitions[0].Unless != nil {
		t.Errorf("ParseDocument: got %+v", d)
	}
	for _, tc := range []struct{ doc, err string }{
		{`{"name": "", "stages": {"a": {}}}`, "name is empty"},
		{`{"name": "x", "stages": {}}`, "no stages"},
		{`{"name": "x", "stages": {"a": {"parameters": [1]}}}`, `parameters: want an object`},
		{`{"name": "x", "stages": {"a": {}}, "transitions": [{"trigger": "", "source": "a", "dest": "a"}]}`, "trigger is empty"},
		{`{"name": "x", "stages": {"a": {}}, "transitions": [{"trigger": "t", "source": "z", "dest": "a"}]}`, `source "z" is not a stage`},
	} {
		d, err := ParseDocument([]byte(tc.doc))
		if err == nil {
			err = d.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("Validate(%s): got %v, want an error with %q", tc.doc, err, tc.err)
		}
	}
	// mtrain took a parameters.stage other than the stage's name.
	d, err = ParseDocument([]byte(`{"name": "x", "stages": {"a": {"parameters": {"stage": "b"}}}}`))
	if err == nil {
		err = d.Validate()
	}
	if err != nil {
		t.Errorf("Validate of a parameters.stage mismatch: got %v, want it accepted", err)
	}
}

func TestDiffDocuments(t *testing.T) {
	base := `{"name": "R", "stages": {"a": {"script": "s", "script_md5": "m", "parameters": {"stage": "a", "v": 1, "w": [1, 2]}}, "b": {}},
		"transitions": [{"trigger": "progress", "source": "a", "dest": "b", "conditions": ["c"]}]}`
	other := `{"name": "R2", "stages": {"a": {"script": "s2", "script_md5": "m", "parameters": {"stage": "a", "v": 1.0, "x": 3}}, "c": {}},
		"transitions": [{"trigger": "progress", "source": "a", "dest": "b", "conditions": "c"}, {"trigger": "manual", "source": "a", "dest": "c"}]}`
	want, _ := ParseDocument([]byte(base))
	got, _ := ParseDocument([]byte(other))
	diffs := DiffDocuments(want, got)
	expect := []string{
		`name: got "R2", want "R"`,
		`stage a: script: got "s2", want "s"`,
		`stage a: parameters.v: got 1.0, want 1`,
		`stage a: parameters.w: missing on the server, want [1,2]`,
		`stage a: parameters.x: got 3, not wanted`,
		`stage b: missing on the server`,
		`stage c: on the server only`,
		`transition 2 (manual a -> c): on the server only`,
	}
	if strings.Join(diffs, "\n") != strings.Join(expect, "\n") {
		t.Errorf("DiffDocuments:\ngot\n%s\nwant\n%s", strings.Join(diffs, "\n"), strings.Join(expect, "\n"))
	}
	if d := DiffDocuments(want, want); len(d) != 0 {
		t.Errorf("DiffDocuments(same): got %v, want none", d)
	}
	out, _ := want.MarshalJSON()
	if !strings.HasPrefix(string(out), `{"name":"R","stages":{"a":{"script":"s","script_md5":"m","parameters":{"stage":"a","v":1,"w":[1,2]}},"b":{}}`) {
		t.Errorf("MarshalJSON: got %s", out)
	}
	if _, err := strconv.Unquote(`"` + strings.ReplaceAll(string(out), `"`, `\"`) + `"`); err != nil {
		t.Error(err)
	}
}

// The document goes up spelt as the old Python upload script's json.dumps
// spelt it: ASCII only, with <, & and > as themselves.
func TestDocumentMarshalPythonStrings(t *testing.T) {
	d := &Document{Name: "é<&>", Stages: []DocStage{{Name: "😀"}}}
	out, err := d.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"name":"\u00e9<&>","stages":{"\ud83d\ude00":{}}`; !strings.HasPrefix(string(out), want) {
		t.Errorf("MarshalJSON = %s, want it to start %s", out, want)
	}
}
