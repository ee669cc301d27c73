package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/regc/regc/mtrain/mtraintest"
)

type rawAnswer struct {
	status int
	header http.Header
	body   string
}

// rawSend sends one request as python-requests sent it (see mtraintest).
func rawSend(t *testing.T, addr, method, target string, headers map[string]string, body string) rawAnswer {
	t.Helper()
	a, err := mtraintest.PythonRequest(addr, method, target, headers, body)
	if err != nil {
		t.Fatal(err)
	}
	return rawAnswer{a.Status, a.Header, a.Body}
}

func (a rawAnswer) object(t *testing.T, what string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(a.body), &m); err != nil {
		t.Fatalf("%s: answer %d %q is not a JSON object: %v", what, a.status, a.body, err)
	}
	return m
}

func replayKeys(m map[string]any) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

// `regc sandbox`, as a process, answers the requests of the old Python
// scripts as ../shared/mtrain-api.md says.
func testSandboxReplay(t *testing.T, bin string) {
	dir := t.TempDir()
	sb := startSandbox(t, bin, dir, filepath.Join(dir, "sandbox.db"), "127.0.0.1:0")
	addr := strings.TrimSuffix(strings.TrimPrefix(sb.url, "http://"), "/")
	const form = "application/x-www-form-urlencoded"
	check := func(what string, a rawAnswer, status int) {
		t.Helper()
		if a.status != status {
			t.Errorf("%s: got %d %q, want %d", what, a.status, a.body, status)
		}
	}

	// The health probe, and a write before logging in.
	home := rawSend(t, addr, "GET", "/", nil, "")
	check("GET /", home, 200)
	if !strings.HasPrefix(home.header.Get("Content-Type"), "text/html") {
		t.Errorf("GET /: content type %q, want HTML", home.header.Get("Content-Type"))
	}
	check("set_regimen/ without a login", rawSend(t, addr, "POST", "/set_regimen/", nil, `{"name": "x"}`), 401)

	// Login: a bad one is 200 with an error page; a good one 302 to /users/.
	bad := rawSend(t, addr, "POST", "/", map[string]string{"Content-Type": form}, url.Values{"username": {e2eUser}, "password": {"nope"}}.Encode())
	check("a bad login", bad, 200)
	good := rawSend(t, addr, "POST", "/", map[string]string{"Content-Type": form}, url.Values{"username": {e2eUser}, "password": {e2ePassword}}.Encode())
	check("a good login", good, 302)
	if loc := good.header.Get("Location"); !strings.HasSuffix(loc, "/users/") {
		t.Errorf("login redirects to %q, want /users/", loc)
	}
	cookie := strings.SplitN(good.header.Get("Set-Cookie"), ";", 2)[0]
	if !strings.HasPrefix(cookie, "session=") {
		t.Fatalf("login cookie %q", cookie)
	}
	auth := map[string]string{"Cookie": cookie}

	// The old upload: the YAML dictionary as raw JSON, anchor holder
	// included, no Content-Type; careless joining of the base URL.
	doc := `{"name": "Replay_v1.0.0", "_script": {"script": "http://x/a.py"}, "stages": {"A": {"script": "http://x/a.py", "script_md5": "0123456789abcdef0123456789abcdef", "parameters": {"stage": "A", "n": 1}}, "B": {"script": "http://x/a.py", "script_md5": "0123456789abcdef0123456789abcdef", "parameters": {"stage": "B"}}}, "transitions": [{"trigger": "progress", "source": "A", "dest": "B", "conditions": "one_complete", "unless": null}]}`
	check("set_regimen/", rawSend(t, addr, "POST", "//set_regimen/", auth, doc), 200)
	check("set_regimen/ again", rawSend(t, addr, "POST", "/set_regimen", auth, doc), 409)

	// get_state/: a GET with a JSON body and no Content-Type.
	a := rawSend(t, addr, "GET", "/get_state/", nil, `{"regimen_name": "Replay_v1.0.0", "stage_name": "A"}`)
	check("get_state/", a, 200)
	stA := a.object(t, "get_state/")
	if replayKeys(stA) != "id,regimen_id,stage_id" {
		t.Errorf("get_state/ keys: %s, want exactly id, regimen_id, stage_id", replayKeys(stA))
	}
	stB := rawSend(t, addr, "GET", "/get_state/", nil, `{"regimen_name": "Replay_v1.0.0", "stage_name": "B"}`).object(t, "get_state/ B")
	check("get_state/ unknown", rawSend(t, addr, "GET", "/get_state/", nil, `{"regimen_name": "Replay_v1.0.0", "stage_name": "Z"}`), 404)
	jsA, _ := json.Marshal(stA)
	jsB, _ := json.Marshal(stB)

	// add_subject/: (A) a form with the state as a JSON string; (B) raw JSON.
	a = rawSend(t, addr, "POST", "/add_subject/", map[string]string{"Content-Type": form, "Cookie": cookie}, url.Values{"LabTracks_ID": {"111111"}, "state": {string(jsA)}}.Encode())
	check("add_subject/ (form)", a, 200)
	if json.Valid([]byte(a.body)) {
		t.Errorf("add_subject/ answered JSON %q; the real server answers something else", a.body)
	}
	check("add_subject/ (raw JSON)", rawSend(t, addr, "POST", "/add_subject/", auth, `{"LabTracks_ID": "222222", "state": `+string(jsA)+`}`), 200)
	check("add_subject/ again", rawSend(t, addr, "POST", "/add_subject/", auth, `{"LabTracks_ID": "222222", "state": `+string(jsA)+`}`), 409)

	// set_state/<id>: (A) a form; (B) raw JSON without a Content-Type.
	check("set_state/ (form)", rawSend(t, addr, "POST", "/set_state/111111", map[string]string{"Content-Type": form, "Cookie": cookie}, url.Values{"state": {string(jsB)}}.Encode()), 200)
	check("set_state/ (raw JSON)", rawSend(t, addr, "POST", "/set_state/222222", auth, `{"state": `+string(jsB)+`}`), 200)
	check("set_state/ unknown mouse", rawSend(t, addr, "POST", "/set_state/333333", auth, `{"state": `+string(jsB)+`}`), 404)

	// The read API with q written raw in the URL (one client does), and
	// URL-encoded (another does).
	q := `{"filters":[{"name":"LabTracks_ID","op":"eq","val":111111}]}`
	for _, target := range []string{"/api/v1/subjects?q=" + q, "/api/v1/subjects?q=" + url.QueryEscape(q) + "&results_per_page=100&page=1"} {
		a = rawSend(t, addr, "GET", target, nil, "")
		check(target, a, 200)
		page := a.object(t, target)
		if replayKeys(page) != "num_results,objects,page,total_pages" || page["num_results"] != 1.0 {
			t.Errorf("%s: %s", target, a.body)
			continue
		}
		sub := page["objects"].([]any)[0].(map[string]any)
		state, _ := json.Marshal(sub["state"])
		if string(state) != string(jsB) {
			t.Errorf("%s: the mouse's state %s, want %s", target, state, jsB)
		}
	}
	a = rawSend(t, addr, "GET", "/api/v1/subjects?q={not-json", nil, "")
	check("bad q", a, 400)
	if a.object(t, "bad q")["message"] != "Unable to decode data" {
		t.Errorf("bad q: %s", a.body)
	}
	check("an unknown subject", rawSend(t, addr, "GET", "/api/v1/subjects/999", nil, ""), 404)

	// get_script/: a GET with a JSON body, the id as a string.
	a = rawSend(t, addr, "GET", "/get_script/", nil, `{"LabTracks_ID": "222222"}`)
	check("get_script/", a, 200)
	if data, _ := a.object(t, "get_script/")["data"].(map[string]any); data == nil || data["name"] != "B" {
		t.Errorf("get_script/: %s", a.body)
	}
	sb.stop(t, syscall.SIGTERM)
}
