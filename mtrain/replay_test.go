package mtrain_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/regc/regc/mtrain/mtraintest"
	"github.com/regc/regc/mtrain/sandbox/sandboxtest"
)

// These tests replay, byte for byte, requests as the old Python scripts
// (requests library) sent them, and check the answers against
// ../shared/mtrain-api.md.

type rawAnswer struct {
	status int
	header http.Header
	body   string
}

// send sends one request as python-requests sent it (see mtraintest).
func send(t *testing.T, addr, method, target string, headers map[string]string, body string) rawAnswer {
	t.Helper()
	a, err := mtraintest.PythonRequest(addr, method, target, headers, body)
	if err != nil {
		t.Fatal(err)
	}
	return rawAnswer{a.Status, a.Header, a.Body}
}

func (a rawAnswer) json(t *testing.T) map[string]any {
	t.Helper()
	if ct := a.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("content type: got %q, want application/json (body %q)", ct, a.body)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(a.body), &m); err != nil {
		t.Fatalf("answer %q: %v", a.body, err)
	}
	return m
}

func keysOf(m map[string]any) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

// pyJSON is json.dumps's default layout: ", " and ": ".
func pyJSON(v any) string {
	b, _ := json.Marshal(v)
	var out strings.Builder
	inStr := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		out.WriteByte(c)
		switch {
		case c == '"' && (i == 0 || b[i-1] != '\\'):
			inStr = !inStr
		case !inStr && (c == ',' || c == ':'):
			out.WriteByte(' ')
		}
	}
	return out.String()
}

const formType = "application/x-www-form-urlencoded"

func TestReplayPythonClients(t *testing.T) {
	r := sandboxtest.NewRig(t)
	addr := strings.TrimPrefix(r.Srv.URL, "http://")
	ctx := context.Background()

	// Health probe: GET / without credentials, 200 HTML.
	home := send(t, addr, "GET", "/", nil, "")
	if home.status != 200 || !strings.HasPrefix(home.header.Get("Content-Type"), "text/html") {
		t.Errorf("GET /: got %d %s, want 200 text/html", home.status, home.header.Get("Content-Type"))
	}

	// Login: a bad one is 200 with an error page, a good one 302 to /users/ with a cookie.
	bad := send(t, addr, "POST", "/", map[string]string{"Content-Type": formType},
		url.Values{"username": {mtraintest.User}, "password": {"nope"}}.Encode())
	if bad.status != 200 || !strings.Contains(bad.body, "Invalid username or password") || len(bad.header["Set-Cookie"]) != 0 {
		t.Errorf("bad login: got %d, cookies %v, body %q; want 200, no cookie, an error page", bad.status, bad.header["Set-Cookie"], bad.body)
	}
	good := send(t, addr, "POST", "/", map[string]string{"Content-Type": formType},
		url.Values{"username": {mtraintest.User}, "password": {mtraintest.Password}}.Encode())
	if good.status != 302 || good.header.Get("Location") != "/users/" {
		t.Fatalf("good login: got %d to %q, want 302 to /users/", good.status, good.header.Get("Location"))
	}
	cookie := strings.Split(good.header.Get("Set-Cookie"), ";")[0]
	if !strings.HasPrefix(cookie, "session=") {
		t.Fatalf("good login: cookie %q, want session=...", cookie)
	}
	auth := func(h map[string]string) map[string]string {
		out := map[string]string{"Cookie": cookie}
		for k, v := range h {
			out[k] = v
		}
		return out
	}
	if users := send(t, addr, "GET", "/users/", auth(nil), ""); !strings.Contains(users.body, "Logged in as "+mtraintest.User) {
		t.Errorf("GET /users/: body %q, want Logged in as %s", users.body, mtraintest.User)
	}

	// set_regimen/: raw JSON, no Content-Type, anchor holders included.
	doc := string(mtraintest.SampleDoc("Replay_v1.0.0"))
	if a := send(t, addr, "POST", "/set_regimen/", nil, doc); a.status != 401 {
		t.Errorf("set_regimen/ without login: got %d, want 401", a.status)
	}
	if a := send(t, addr, "POST", "/set_regimen/", auth(nil), doc); a.status != 200 {
		t.Fatalf("set_regimen/: got %d %q, want 200", a.status, a.body)
	}
	if a := send(t, addr, "POST", "/set_regimen/", auth(nil), doc); a.status != 409 {
		t.Errorf("set_regimen/ again: got %d, want 409", a.status)
	}
	if a := send(t, addr, "POST", "/set_regimen/", auth(nil), `{"name": "X", "stages": {"A": {}}, "transitions": [{"trigger": "progress", "source": "A", "dest": "B"}]}`); a.status != 400 ||
		!strings.Contains(a.json(t)["message"].(string), `dest "B" is not a stage`) {
		t.Errorf("set_regimen/ with a bad document: got %d %q, want 400 with a message", a.status, a.body)
	}

	// get_state/: GET with a JSON body and no Content-Type.
	getState := func(stage string) map[string]any {
		a := send(t, addr, "GET", "/get_state/", nil, pyJSON(map[string]string{"regimen_name": "Replay_v1.0.0", "stage_name": stage}))
		if a.status != 200 {
			t.Fatalf("get_state/ %s: got %d %q", stage, a.status, a.body)
		}
		m := a.json(t)
		if keysOf(m) != "id,regimen_id,stage_id" {
			t.Errorf("get_state/: keys %s, want exactly id,regimen_id,stage_id", keysOf(m))
		}
		if m["id"] != m["stage_id"] {
			t.Errorf("get_state/: state id %v, stage id %v; want them equal", m["id"], m["stage_id"])
		}
		return m
	}
	t0, t1, o0 := getState("TRAINING_0"), getState("TRAINING_1"), getState("OPHYS_0")
	if a := send(t, addr, "GET", "/get_state/", nil, `{"regimen_name": "Replay_v1.0.0", "stage_name": "NOPE"}`); a.status != 404 {
		t.Errorf("get_state/ of an unknown pair: got %d, want 404", a.status)
	}

	// add_subject/: (A) form with the state as a JSON string; (B) raw JSON, no Content-Type.
	formA := url.Values{"LabTracks_ID": {"123456"}, "state": {pyJSON(t0)}}.Encode()
	if a := send(t, addr, "POST", "/add_subject/", map[string]string{"Content-Type": formType}, formA); a.status != 401 {
		t.Errorf("add_subject/ without login: got %d, want 401", a.status)
	}
	a := send(t, addr, "POST", "/add_subject/", auth(map[string]string{"Content-Type": formType}), formA)
	if a.status != 200 || strings.Contains(a.header.Get("Content-Type"), "json") {
		t.Errorf("add_subject/ (form): got %d %s, want 200 not JSON", a.status, a.header.Get("Content-Type"))
	}
	a = send(t, addr, "POST", "/add_subject/", auth(nil), pyJSON(map[string]any{"LabTracks_ID": "123457", "state": t0}))
	if a.status != 200 || strings.Contains(a.header.Get("Content-Type"), "json") {
		t.Errorf("add_subject/ (raw JSON): got %d %s, want 200 not JSON", a.status, a.header.Get("Content-Type"))
	}
	if a := send(t, addr, "POST", "/add_subject", auth(nil), pyJSON(map[string]any{"LabTracks_ID": 123457, "state": t0})); a.status != 409 {
		t.Errorf("add_subject (existing, no trailing slash): got %d, want 409", a.status)
	}
	if a := send(t, addr, "POST", "/add_subject/", auth(nil), pyJSON(map[string]any{"LabTracks_ID": "999999", "state": t0})); a.status != 400 {
		t.Errorf("add_subject/ 999999: got %d, want 400", a.status)
	}

	// set_state/<id>: (A) form; (B) raw JSON, no Content-Type; any state, no transition needed.
	a = send(t, addr, "POST", "/set_state/123456", auth(map[string]string{"Content-Type": formType}), url.Values{"state": {pyJSON(o0)}}.Encode())
	if a.status != 200 || strings.Contains(a.header.Get("Content-Type"), "json") {
		t.Errorf("set_state/ (form): got %d %s %q, want 200 not JSON", a.status, a.header.Get("Content-Type"), a.body)
	}
	a = send(t, addr, "POST", "//set_state/123457", auth(nil), pyJSON(map[string]any{"state": t1}))
	if a.status != 200 {
		t.Errorf("//set_state/ (raw JSON): got %d %q, want 200", a.status, a.body)
	}
	if a := send(t, addr, "POST", "/set_state/424242", auth(nil), pyJSON(map[string]any{"state": t1})); a.status != 404 {
		t.Errorf("set_state/ of an unknown mouse: got %d, want 404", a.status)
	}
	if a := send(t, addr, "POST", "/set_state/123456", nil, pyJSON(map[string]any{"state": t1})); a.status != 401 {
		t.Errorf("set_state/ without login: got %d, want 401", a.status)
	}

	// get_script/: GET with a JSON body, id as a string or an int.
	for _, id := range []any{"123456", 123456} {
		a := send(t, addr, "GET", "/get_script/", nil, pyJSON(map[string]any{"LabTracks_ID": id}))
		m := a.json(t)
		data, _ := m["data"].(map[string]any)
		if a.status != 200 || data["name"] != "OPHYS_0" || data["script"] != "http://example.invalid/b.py" || keysOf(data) != "name,parameters,script" {
			t.Errorf("get_script/ %v: got %d %q", id, a.status, a.body)
		}
	}
	if a := send(t, addr, "GET", "/get_script/", nil, `{"LabTracks_ID": "424242"}`); a.status != 404 {
		t.Errorf("get_script/ of an unknown mouse: got %d, want 404", a.status)
	}

	// The read API with q raw, requote-escaped (requests' URL handling), and URL-encoded.
	q := pyJSON(map[string]any{"filters": []any{map[string]any{"name": "LabTracks_ID", "op": "eq", "val": 123456}}})
	requoted := strings.NewReplacer("{", "%7B", "}", "%7D", `"`, "%22", " ", "%20").Replace(q)
	for name, target := range map[string]string{
		"raw":         "/api/v1/subjects?q=" + strings.ReplaceAll(q, " ", ""),
		"requoted":    "/api/v1/subjects?q=" + requoted,
		"url-encoded": "/api/v1/subjects?" + url.Values{"q": {q}}.Encode(),
	} {
		a := send(t, addr, "GET", target, nil, "")
		m := a.json(t)
		if a.status != 200 || keysOf(m) != "num_results,objects,page,total_pages" {
			t.Fatalf("%s q: got %d %q", name, a.status, a.body)
		}
		objs := m["objects"].([]any)
		if m["num_results"] != 1.0 || m["page"] != 1.0 || m["total_pages"] != 1.0 || len(objs) != 1 {
			t.Errorf("%s q: got %q, want one result on one page", name, a.body)
			continue
		}
		subj := objs[0].(map[string]any)
		state := subj["state"].(map[string]any)
		if keysOf(subj) != "LabTracks_ID,state" || subj["LabTracks_ID"] != 123456.0 || keysOf(state) != "id,regimen_id,stage_id" || state["id"] != o0["id"] {
			t.Errorf("%s q: subject %v, want 123456 on %v", name, subj, o0)
		}
	}
	empty := send(t, addr, "GET", "/api/v1/subjects?q="+url.QueryEscape(`{"filters":[{"name":"LabTracks_ID","op":"eq","val":1}]}`), nil, "")
	if m := empty.json(t); m["num_results"] != 0.0 || m["total_pages"] != 0.0 || m["page"] != 1.0 || len(m["objects"].([]any)) != 0 {
		t.Errorf("no results: got %q, want num_results 0, total_pages 0, page 1", empty.body)
	}
	past := send(t, addr, "GET", "/api/v1/subjects?page=5", nil, "")
	if m := past.json(t); past.status != 200 || len(m["objects"].([]any)) != 0 || m["page"] != 5.0 || m["total_pages"] != 1.0 {
		t.Errorf("a page past the end: got %d %q, want objects []", past.status, past.body)
	}
	for target, msg := range map[string]string{
		"/api/v1/subjects?q={bad": "Unable to decode data",
		"/api/v1/subjects?q=" + url.QueryEscape(`{"filters":[{"name":"nope","op":"eq","val":1}]}`):         "Unable to construct query",
		"/api/v1/subjects?q=" + url.QueryEscape(`{"filters":[{"name":"LabTracks_ID","op":"zz","val":1}]}`): "Unable to construct query",
	} {
		a := send(t, addr, "GET", target, nil, "")
		if m := a.json(t); a.status != 400 || m["message"] != msg {
			t.Errorf("GET %s: got %d %q, want 400 %q", target, a.status, a.body, msg)
		}
	}
	if a := send(t, addr, "GET", "/api/v1/subjects/424242", nil, ""); a.status != 404 || strings.TrimSpace(a.body) != "{}" {
		t.Errorf("unknown pk: got %d %q, want 404 {}", a.status, a.body)
	}
	if a := send(t, addr, "GET", "/api/v1/subjects/123456", nil, ""); a.status != 200 || a.json(t)["LabTracks_ID"] != 123456.0 {
		t.Errorf("one subject: got %d %q", a.status, a.body)
	}
	join := send(t, addr, "GET", fmt.Sprintf("/api/v1/join/states/%v", o0["id"]), nil, "").json(t)
	if keysOf(join) != "id,regimen,regimen_id,stage,stage_id" || join["stage"].(map[string]any)["name"] != "OPHYS_0" ||
		join["regimen"].(map[string]any)["name"] != "Replay_v1.0.0" {
		t.Errorf("join/states: got %v", join)
	}
	states := send(t, addr, "GET", "/api/v1/states", nil, "").json(t)
	for _, o := range states["objects"].([]any) {
		if k := keysOf(o.(map[string]any)); k != "id,regimen_id,stage_id" {
			t.Errorf("states object keys %s, want exactly id,regimen_id,stage_id", k)
		}
	}
	reg := send(t, addr, "GET", "/api/v1/regimens?q="+url.QueryEscape(`{"filters":[{"name":"name","op":"eq","val":"Replay_v1.0.0"}]}`), nil, "").json(t)
	regObj := reg["objects"].([]any)[0].(map[string]any)
	if keysOf(regObj) != "active,default,id,name,stages,states" || len(regObj["stages"].([]any)) != 3 || len(regObj["states"].([]any)) != 3 {
		t.Errorf("regimen object: got %v", regObj)
	}
	stage := send(t, addr, "GET", fmt.Sprintf("/api/v1/stages/%v", t0["stage_id"]), nil, "").json(t)
	if keysOf(stage) != "id,name,parameters,regimens,script,script_md5,states" || stage["regimens"].([]any)[0].(map[string]any)["name"] != "Replay_v1.0.0" {
		t.Errorf("stage object: got %v", stage)
	}
	trans := send(t, addr, "GET", "/api/v1/transitions?q="+url.QueryEscape(fmt.Sprintf(`{"filters":[{"name":"source_state_id","op":"eq","val":%v}]}`, t1["id"])), nil, "").json(t)
	tobjs := trans["objects"].([]any)
	if len(tobjs) != 2 || keysOf(tobjs[0].(map[string]any)) != "conditions,id,source_state_id,target_state_id,trigger,unless" {
		t.Fatalf("transitions of TRAINING_1: got %v", trans)
	}
	if c := tobjs[0].(map[string]any)["conditions"].([]any); len(c) != 2 {
		t.Errorf("conditions: got %v, want the list as uploaded", c)
	}
	if u := tobjs[1].(map[string]any)["unless"]; u != "meets_engagement_criteria" {
		t.Errorf("unless: got %v, want the string as uploaded", u)
	}

	// Flask-Restless extras: order_by, limit, offset, single, in; per-page cap.
	if err := r.SB.AddSubjects(ctx, int(t0["id"].(float64)), mtraintest.Seq(200001, 150)...); err != nil {
		t.Fatal(err)
	}
	big := send(t, addr, "GET", "/api/v1/subjects?results_per_page=1000", nil, "").json(t)
	if len(big["objects"].([]any)) != 100 || big["total_pages"] != 2.0 || big["num_results"] != 152.0 {
		t.Errorf("results_per_page 1000: got %d objects, %v pages, want 100 and 2", len(big["objects"].([]any)), big["total_pages"])
	}
	def := send(t, addr, "GET", "/api/v1/subjects", nil, "").json(t)
	if len(def["objects"].([]any)) != 10 {
		t.Errorf("default page size: got %d, want 10", len(def["objects"].([]any)))
	}
	ordered := send(t, addr, "GET", "/api/v1/subjects?q="+url.QueryEscape(`{"order_by":[{"field":"LabTracks_ID","direction":"desc"}],"limit":3,"offset":1}`), nil, "").json(t)
	if objs := ordered["objects"].([]any); len(objs) != 3 || objs[0].(map[string]any)["LabTracks_ID"] != 200149.0 {
		t.Errorf("order_by desc, limit 3, offset 1: got %v", ordered)
	}
	single := send(t, addr, "GET", "/api/v1/subjects?q="+url.QueryEscape(`{"filters":[{"name":"LabTracks_ID","op":"in","val":[123457]}],"single":true}`), nil, "")
	if m := single.json(t); single.status != 200 || m["LabTracks_ID"] != 123457.0 {
		t.Errorf("single: got %d %q, want the bare object", single.status, single.body)
	}

	// set_behavior_session/: stores the session and fires progress.
	// 123457 is on TRAINING_1; with one session (d′ 2.5) two_out_of_three
	// fails, and the unless transition back to TRAINING_0 passes.
	first := pyJSON(map[string]any{"data_list": []any{map[string]any{"LabTracks_ID": 123457, "trial": 1}}, "peak_dprime": 2.5})
	if a := send(t, addr, "POST", "/set_behavior_session/", nil, first); a.status != 401 {
		t.Errorf("set_behavior_session/ without login: got %d, want 401", a.status)
	}
	sess := send(t, addr, "POST", "/set_behavior_session/", auth(nil), first)
	if m := sess.json(t); sess.status != 200 || m["transitioned"] != true || m["state"].(map[string]any)["id"] != t0["id"] {
		t.Errorf("set_behavior_session/: got %d %q, want a move back to TRAINING_0", sess.status, sess.body)
	}
	sess = send(t, addr, "POST", "/set_behavior_session/", auth(nil), pyJSON(map[string]any{
		"data_list": []any{map[string]any{"mouse_id": "123457"}}}))
	if m := sess.json(t); m["state"].(map[string]any)["id"] != t1["id"] {
		t.Errorf("set_behavior_session/ on TRAINING_0 (one_complete): got %q, want a move to TRAINING_1", sess.body)
	}
	list := send(t, addr, "GET", "/api/v1/behavior_sessions", nil, "").json(t)
	if list["num_results"] != 2.0 || keysOf(list["objects"].([]any)[0].(map[string]any)) != "LabTracks_ID,date,id,state_id" {
		t.Errorf("behavior_sessions: got %v", list)
	}
}
