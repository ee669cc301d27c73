package mtrain_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/regc/regc/mtrain"
	"github.com/regc/regc/mtrain/mtraintest"
	"github.com/regc/regc/mtrain/sandbox"
	"github.com/regc/regc/mtrain/sandbox/sandboxtest"
)

func TestLoginConfirmed(t *testing.T) {
	r := sandboxtest.NewRig(t)
	c := r.Client(t)
	if err := c.Login(context.Background()); err != nil {
		t.Fatalf("Login: %v", err)
	}
	if !c.LoggedIn() {
		t.Errorf("LoggedIn() = false after a confirmed login, want true")
	}
}

func TestLoginRefused(t *testing.T) {
	r := sandboxtest.NewRig(t)
	for _, tc := range []struct{ name, user, password string }{
		{"wrong password", mtraintest.User, "not-" + mtraintest.Password},
		{"unknown user", "mallory", mtraintest.Password},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := r.Client(t, func(cfg *mtrain.Config) { cfg.User, cfg.Password = tc.user, mtrain.NewSecret(tc.password) })
			err := c.Login(context.Background())
			if !errors.Is(err, mtrain.ErrLoginRefused) {
				t.Fatalf("Login: got %v, want ErrLoginRefused", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, "wrong user or password") || !strings.Contains(msg, tc.user) {
				t.Errorf("error %q: want it to name the user and say wrong user or password", msg)
			}
			if strings.Contains(msg, tc.password) || strings.Contains(msg, mtraintest.Password) {
				t.Errorf("error %q carries the password", msg)
			}
			if c.LoggedIn() {
				t.Errorf("LoggedIn() = true after a refused login")
			}
		})
	}
}

// A server that answers 200 to everything must not be taken for a login.
func TestLoginNotTrustedOnStatus(t *testing.T) {
	cases := map[string]http.HandlerFunc{
		"200 page without confirmation": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html><body>Welcome to mtrain</body></html>"))
		},
		"redirect to a login form": func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				http.Redirect(w, r, "/users/", http.StatusFound)
				return
			}
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(`<html><body><form><input name="username"><input type="password" name="password"></form></body></html>`))
		},
		"someone else logged in": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html><body><p>Logged in as alice2</p></body></html>"))
		},
		"redirect to another host": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://127.0.0.2:1/users/", http.StatusFound)
		},
		"500": func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) },
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			srv := mtraintest.Server(t, h)
			c, err := mtrain.New(mtrain.Config{Server: srv.URL, User: mtraintest.User, Password: mtrain.NewSecret(mtraintest.Password), Attempts: 2, Backoff: 1})
			if err != nil {
				t.Fatal(err)
			}
			err = c.Login(context.Background())
			if err == nil {
				t.Fatalf("Login: got nil, want an error")
			}
			if name != "500" && !errors.Is(err, mtrain.ErrLoginRefused) {
				t.Errorf("Login: got %v, want ErrLoginRefused", err)
			}
			if strings.Contains(err.Error(), mtraintest.Password) {
				t.Errorf("error %q carries the password", err)
			}
		})
	}
}

func TestLoginConfirmedWithMarkup(t *testing.T) {
	for _, body := range []string{
		"<p>Logged in as <b>alice</b>.</p>",
		"<p>logged  in as\n alice</p>",
		"<span>Logged in as</span> <a href='/u'>alice</a>",
	} {
		if !mtrain.ConfirmsLogin([]byte(body), "alice") {
			t.Errorf("mtrain.ConfirmsLogin(%q) = false, want true", body)
		}
	}
	for _, body := range []string{"<p>Logged in as alicea</p>", "<p>alice</p>", "Logged in as", ""} {
		if mtrain.ConfirmsLogin([]byte(body), "alice") {
			t.Errorf("mtrain.ConfirmsLogin(%q) = true, want false", body)
		}
	}
}

func TestUploadReadBack(t *testing.T) {
	r := sandboxtest.NewRig(t)
	c := r.Client(t)
	ctx := context.Background()
	const name = "VisualBehavior_Task1A_v1.2.0"
	r.Upload(t, c, name)
	got, err := c.Regimen(ctx, name)
	if err != nil {
		t.Fatalf("Regimen: %v", err)
	}
	want, err := mtrain.ParseDocument(mtraintest.SampleDoc(name))
	if err != nil {
		t.Fatal(err)
	}
	if diffs := mtrain.DiffDocuments(want, got.Document()); len(diffs) > 0 {
		t.Errorf("read back differs:\n%s", strings.Join(diffs, "\n"))
	}
	var names []string
	for _, s := range got.Stages {
		names = append(names, s.Name)
		if s.StateID != s.ID {
			t.Errorf("stage %s: state id %d, stage id %d: want them equal", s.Name, s.StateID, s.ID)
		}
	}
	if g, w := strings.Join(names, ","), "TRAINING_0,TRAINING_1,OPHYS_0"; g != w {
		t.Errorf("stage order: got %s, want %s", g, w)
	}
	// Floats stay floats: 1.0 is not 1.
	p := string(got.Stage("TRAINING_0").Parameters)
	if !strings.Contains(p, `"f":1.0`) || !strings.Contains(p, `"n":1,`) || !strings.Contains(p, `"reward_volume":0.007`) {
		t.Errorf("parameters: got %s, want f 1.0, n 1, reward_volume 0.007 as written", p)
	}
	if len(got.Transitions) != 4 {
		t.Fatalf("transitions: got %d, want 4", len(got.Transitions))
	}
	if tr := got.Transitions[1]; tr.Source != "TRAINING_1" || tr.Dest != "OPHYS_0" || strings.Join(tr.Conditions, "+") != "two_out_of_three_aint_bad+yesterday_was_good" {
		t.Errorf("transition 2: got %+v", tr)
	}
	// A change is reported.
	changed := strings.Replace(string(mtraintest.SampleDoc(name)), `"reward_volume": 0.01`, `"reward_volume": 0.012`, 1)
	cd, _ := mtrain.ParseDocument([]byte(changed))
	if diffs := mtrain.DiffDocuments(cd, got.Document()); len(diffs) != 1 || !strings.Contains(diffs[0], "parameters.reward_volume: got 0.01, want 0.012") {
		t.Errorf("diff of a changed document: got %q, want one line about parameters.reward_volume", diffs)
	}
	if _, err := c.Regimen(ctx, "NoSuchRegimen_v1.0.0"); !errors.Is(err, mtrain.ErrNotFound) {
		t.Errorf("Regimen(unknown): got %v, want ErrNotFound", err)
	}
	all, err := c.ListRegimens(ctx)
	if err != nil || len(all) != 1 || all[0].Name != name || len(all[0].Stages) != 3 {
		t.Errorf("ListRegimens: got %v, %v; want one regimen with 3 stages", all, err)
	}
}

func TestUploadMap(t *testing.T) {
	r := sandboxtest.NewRig(t)
	c := r.Client(t)
	doc := map[string]any{
		"name":        "Map_v1.0.0",
		"stages":      map[string]any{"A": map[string]any{"script": "s", "parameters": map[string]any{"stage": "A"}}},
		"transitions": []any{},
	}
	if err := c.UploadRegimen(context.Background(), doc); err != nil {
		t.Fatalf("UploadRegimen(map): %v", err)
	}
	if _, err := c.Regimen(context.Background(), "Map_v1.0.0"); err != nil {
		t.Fatalf("Regimen: %v", err)
	}
}

func TestUploadDuplicateRefused(t *testing.T) {
	r := sandboxtest.NewRig(t)
	c := r.Client(t)
	r.Upload(t, c, "Dup_v1.0.0")
	err := c.UploadRegimen(context.Background(), mtraintest.SampleDoc("Dup_v1.0.0"))
	if !errors.Is(err, mtrain.ErrExists) {
		t.Fatalf("second upload: got %v, want ErrExists", err)
	}
	if !strings.Contains(err.Error(), "409") {
		t.Errorf("error %q: want the status 409 in it", err)
	}
	if n := sandboxtest.CountEvents(t, r.SB, "set_regimen", 0); n != 1 {
		t.Errorf("set_regimen writes: got %d, want 1", n)
	}
}

func TestUploadInvalidRefused(t *testing.T) {
	r := sandboxtest.NewRig(t)
	c := r.Client(t)
	bad := strings.Replace(string(mtraintest.SampleDoc("Bad_v1.0.0")), `"dest": "OPHYS_0"`, `"dest": "OPHYS_9"`, 1)
	err := c.UploadRegimen(context.Background(), []byte(bad))
	if !errors.Is(err, mtrain.ErrRefused) || !strings.Contains(err.Error(), `dest \"OPHYS_9\" is not a stage`) {
		t.Fatalf("upload of a bad document: got %v, want ErrRefused naming OPHYS_9", err)
	}
	if err := c.UploadRegimen(context.Background(), []byte(`{"name": 3}`)); err == nil || !strings.Contains(err.Error(), "name: got a number, want a string") {
		t.Errorf("upload of a non-document: got %v, want a local error about the name", err)
	}
}

func TestListPaging(t *testing.T) {
	r := sandboxtest.NewRig(t)
	c := r.Client(t)
	ctx := context.Background()
	states := r.Upload(t, c, "Paging_v1.0.0")
	other := r.Upload(t, c, "Paging_v2.0.0")
	var ids []int
	for i := 0; i < 250; i++ {
		ids = append(ids, 100000+i*7)
	}
	if err := r.SB.AddSubjects(ctx, states["TRAINING_1"].ID, ids[:200]...); err != nil {
		t.Fatal(err)
	}
	if err := r.SB.AddSubjects(ctx, other["OPHYS_0"].ID, ids[200:]...); err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{100, 7, 250} {
		c := r.Client(t, func(cfg *mtrain.Config) { cfg.PageSize = size })
		before := r.Inj.Requests()
		subs, err := c.Subjects(ctx)
		if err != nil {
			t.Fatalf("Subjects (page size %d): %v", size, err)
		}
		if len(subs) != 250 {
			t.Fatalf("Subjects (page size %d): got %d, want 250", size, len(subs))
		}
		for i, s := range subs {
			if s.LabTracksID != ids[i] {
				t.Fatalf("subject %d: got %d, want %d (sorted)", i, s.LabTracksID, ids[i])
			}
		}
		eff := min(size, mtrain.MaxPageSize)
		if got, want := r.Inj.Requests()-before, (250+eff-1)/eff; got != want {
			t.Errorf("page size %d: %d requests, want %d", size, got, want)
		}
	}
	mice, err := c.Mice(ctx, "Paging_v2.0.0")
	if err != nil {
		t.Fatalf("Mice: %v", err)
	}
	if len(mice) != 50 || mice[0].LabTracksID != ids[200] || mice[0].Stage != "OPHYS_0" || mice[0].Regimen != "Paging_v2.0.0" {
		t.Errorf("Mice(Paging_v2.0.0): got %d mice, first %+v; want 50 on OPHYS_0", len(mice), mice[0])
	}
	all, err := c.Mice(ctx, "")
	if err != nil || len(all) != 250 || all[0].Stage != "TRAINING_1" {
		t.Errorf("Mice(all): got %d, %v", len(all), err)
	}
	// Filters.
	raws, err := c.List(ctx, "subjects", mtrain.Query{Filters: []mtrain.Filter{mtrain.Eq("LabTracks_ID", ids[3])}})
	if err != nil || len(raws) != 1 {
		t.Fatalf("List with an eq filter: got %d objects, %v; want 1", len(raws), err)
	}
	var s mtrain.Subject
	if err := json.Unmarshal(raws[0], &s); err != nil || s.LabTracksID != ids[3] || s.State != states["TRAINING_1"] {
		t.Errorf("filtered subject: got %+v, want %d on %+v", s, ids[3], states["TRAINING_1"])
	}
	if _, err := c.List(ctx, "subjects", mtrain.Query{Filters: []mtrain.Filter{mtrain.Eq("no_such_field", 1)}}); !errors.Is(err, mtrain.ErrRefused) ||
		!strings.Contains(err.Error(), "Unable to construct query") {
		t.Errorf("List with an unknown field: got %v, want ErrRefused with the server's message", err)
	}
	none, err := c.List(ctx, "subjects", mtrain.Query{Filters: []mtrain.Filter{mtrain.Eq("LabTracks_ID", 1)}})
	if err != nil || len(none) != 0 {
		t.Errorf("List with no match: got %d, %v; want 0, nil", len(none), err)
	}
}

func TestWrites(t *testing.T) {
	for _, style := range []mtrain.BodyStyle{mtrain.FormBody, mtrain.JSONBody} {
		t.Run(map[mtrain.BodyStyle]string{mtrain.FormBody: "form", mtrain.JSONBody: "json"}[style], func(t *testing.T) {
			r := sandboxtest.NewRig(t)
			c := r.Client(t, func(cfg *mtrain.Config) { cfg.BodyStyle = style })
			ctx := context.Background()
			v1 := r.Upload(t, c, "Writes_v1.0.0")
			v2 := r.Upload(t, c, "Writes_v2.0.0")
			if err := c.AddSubject(ctx, 412345, v1["TRAINING_0"]); err != nil {
				t.Fatalf("AddSubject: %v", err)
			}
			if err := c.AddSubject(ctx, 412345, v1["TRAINING_0"]); !errors.Is(err, mtrain.ErrExists) {
				t.Errorf("AddSubject again: got %v, want ErrExists", err)
			}
			s, err := c.Subject(ctx, 412345)
			if err != nil || s.State != v1["TRAINING_0"] {
				t.Fatalf("Subject: got %+v, %v; want on %+v", s, err, v1["TRAINING_0"])
			}
			// Any state, in any regimen, without a transition.
			if err := c.SetState(ctx, 412345, v2["OPHYS_0"]); err != nil {
				t.Fatalf("SetState: %v", err)
			}
			if s, _ := c.Subject(ctx, 412345); s.State != v2["OPHYS_0"] {
				t.Errorf("after SetState: got %+v, want %+v", s.State, v2["OPHYS_0"])
			}
			mice, err := c.Mice(ctx, "")
			if err != nil || len(mice) != 1 || mice[0].Regimen != "Writes_v2.0.0" || mice[0].Stage != "OPHYS_0" {
				t.Errorf("Mice: got %+v, %v", mice, err)
			}
			if err := c.SetState(ctx, 499999, v2["OPHYS_0"]); !errors.Is(err, mtrain.ErrNotFound) {
				t.Errorf("SetState(unknown mouse): got %v, want ErrNotFound", err)
			}
			if err := c.SetState(ctx, 412345, mtrain.State{ID: 9999, RegimenID: 1, StageID: 9999}); !errors.Is(err, mtrain.ErrRefused) {
				t.Errorf("SetState(unknown state): got %v, want ErrRefused", err)
			}
			if err := c.AddSubject(ctx, sandbox.ReservedLabTracksID, v1["TRAINING_0"]); !errors.Is(err, mtrain.ErrRefused) {
				t.Errorf("AddSubject(999999): got %v, want ErrRefused", err)
			}
			sc, err := c.GetScript(ctx, 412345)
			if err != nil || sc.Stage != "OPHYS_0" || sc.Script != "http://example.invalid/b.py" || !strings.Contains(string(sc.Parameters), `"stage":"OPHYS_0"`) {
				t.Errorf("GetScript: got %+v, %v", sc, err)
			}
			if _, err := c.GetState(ctx, "Writes_v1.0.0", "NOPE"); !errors.Is(err, mtrain.ErrNotFound) {
				t.Errorf("GetState(unknown stage): got %v, want ErrNotFound", err)
			}
			if n := sandboxtest.CountEvents(t, r.SB, "set_state", 412345); n != 1 {
				t.Errorf("set_state writes: got %d, want 1", n)
			}
		})
	}
}

// A write whose session the server no longer accepts logs in again, once.
func TestReloginOnLostSession(t *testing.T) {
	r := sandboxtest.NewRig(t)
	c := r.Client(t)
	ctx := context.Background()
	st := r.Upload(t, c, "Relogin_v1.0.0")
	u, _ := url.Parse(r.Srv.URL)
	jar, _ := cookiejar.New(nil)
	jar.SetCookies(u, []*http.Cookie{{Name: "session", Value: "forged.value", Path: "/"}})
	mtrain.HTTPClient(c).Jar = jar // the server forgot us
	logins := 0
	before := r.Inj.Requests()
	if err := c.AddSubject(ctx, 500001, st["TRAINING_0"]); err != nil {
		t.Fatalf("AddSubject with a lost session: %v", err)
	}
	for _, l := range strings.Split(r.Logs.String(), "\n") {
		if strings.Contains(l, "logged in to") {
			logins++
		}
	}
	if logins != 2 {
		t.Errorf("logins: got %d, want 2 (the first, and one after the 401)", logins)
	}
	if got := r.Inj.Requests() - before; got != 4 {
		t.Errorf("requests: got %d, want 4 (write, login, login page, write)", got)
	}
	if n := sandboxtest.CountEvents(t, r.SB, "add_subject", 500001); n != 1 {
		t.Errorf("add_subject writes: got %d, want 1", n)
	}
}

func TestNewRefusesBadServers(t *testing.T) {
	for _, s := range []string{"", "http://bob:hunter2@mtrain:5000", "ftp://mtrain", "http://"} {
		_, err := mtrain.New(mtrain.Config{Server: s, User: "bob", Password: mtrain.NewSecret("hunter2")})
		if err == nil {
			t.Errorf("New(%q): got nil, want an error", s)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("New(%q): error %q carries the password", s, err)
		}
	}
	c, err := mtrain.New(mtrain.Config{Server: "mtrain:5000/"})
	if err != nil || c.Server() != "http://mtrain:5000/" {
		t.Errorf("New(mtrain:5000/): got %v, %v; want http://mtrain:5000/", c, err)
	}
	if got := mtrain.URL(c, "/api/v1//subjects"); got != "http://mtrain:5000/api/v1//subjects" {
		t.Errorf("url: got %s", got)
	}
	if got := mtrain.URL(c, "set_state/5"); got != "http://mtrain:5000/set_state/5" {
		t.Errorf("url: got %s, want http://mtrain:5000/set_state/5", got)
	}
}

// A server that cannot be reached is what the error says first, for reads
// and writes, and the error is still the request's *Error.
func TestCannotConnectFirst(t *testing.T) {
	r := sandboxtest.NewRig(t)
	c := r.Client(t)
	r.Srv.Close()
	want := "cannot connect to " + c.Server() + ": "
	ctx := context.Background()
	_, readErr := c.Subjects(ctx)
	writeErr := c.SetState(ctx, 1, mtrain.State{ID: 1})
	for what, err := range map[string]error{"Subjects": readErr, "SetState": writeErr} {
		var e *mtrain.Error
		if err == nil || !strings.HasPrefix(err.Error(), want) || !errors.As(err, &e) {
			t.Errorf("%s against a closed server: got %v, want an *Error starting with %q", what, err, want)
		}
	}
	if !strings.Contains(readErr.Error(), "GET /api/v1/subjects") || !strings.Contains(readErr.Error(), "after 3 attempts") {
		t.Errorf("the read's error %q does not name the request and its attempts", readErr)
	}
}
