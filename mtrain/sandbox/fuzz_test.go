package sandbox_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/regc/regc/mtrain/mtraintest"
	"github.com/regc/regc/mtrain/sandbox"
)

// FuzzSandboxHandler drives the sandbox's handler in-process with arbitrary
// methods, paths, queries, bodies, content types and cookies, against a
// database that holds a regimen and mice. No request may panic, answer 5xx
// (the handler injects no faults of its own) or take more than 10 s.
//
//	go test ./mtrain/sandbox -run XXX -fuzz FuzzSandboxHandler -fuzztime 5m
func FuzzSandboxHandler(f *testing.F) {
	sb, err := sandbox.NewSandbox(f.TempDir()+"/mtrain.db", mtraintest.User, mtraintest.Password)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { sb.Close() })
	h := sb.Handler()
	cookie := loginCookie(f, h)
	if a := serve(h, "POST", "/set_regimen/", cookie, string(mtraintest.SampleDoc("Fuzz_v1.0.0"))); a.Code != http.StatusOK {
		f.Fatalf("set_regimen/: %d %s", a.Code, a.Body)
	}
	if err := sb.AddSubjects(context.Background(), 1, mtraintest.Seq(400001, 25)...); err != nil {
		f.Fatal(err)
	}

	const form = "application/x-www-form-urlencoded"
	for _, s := range []struct {
		method, path, query, ctype, body string
		cookie                           byte
	}{
		{"GET", "/", "", "", "", 0},
		{"POST", "/", "", form, "username=alice&password=x", 0},
		{"GET", "/users/", "", "", "", 1},
		{"GET", "/logout/", "", "", "", 1},
		{"POST", "/set_regimen/", "", "", `{"name": "F2", "stages": {"A": {"parameters": {"stage": "B"}}}}`, 1},
		{"GET", "/get_state/", "", "", `{"regimen_name": "Fuzz_v1.0.0", "stage_name": "TRAINING_0"}`, 0},
		{"GET", "/get_script/", "LabTracks_ID=400001", "", "", 0},
		{"POST", "/add_subject/", "", form, `LabTracks_ID=1&state={"id":1}`, 1},
		{"POST", "/set_state/400002", "", "", `{"state": {"id": 2, "regimen_id": 1, "stage_id": 2}}`, 1},
		{"POST", "/set_behavior_session/", "", "", `{"data_list": [{"LabTracks_ID": 400003}], "peak_dprime": 3}`, 1},
		{"POST", "/set_state/400004", "", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"state\"\r\n\r\n{\"id\": 3}\r\n--x--\r\n", 1},
		{"GET", "/api/v1/subjects", `q={"filters":[{"name":"LabTracks_ID","op":"in","val":[400001,2]}],"order_by":[{"field":"state_id","direction":"desc"}]}`, "", "", 0},
		{"GET", "/api/v1/subjects", "page=9223372036854775807&results_per_page=-1", "", "", 0},
		{"GET", "/api/v1/regimens", `q={"filters":[{"or":[{"name":"name","op":"like","val":"F%"},{"name":"active","op":"eq","val":"true"}]}],"limit":1,"offset":0,"single":true}`, "", "", 0},
		{"GET", "/api/v1/join/states/1", "", "", "", 0},
		{"GET", "/api/v1/behavior_sessions/x", "", "", "", 0},
		{"DELETE", "/api/v1/stages/1", "", "", "", 2},
	} {
		f.Add(s.method, s.path, s.query, s.ctype, []byte(s.body), s.cookie)
	}
	f.Fuzz(func(t *testing.T, method, path, query, ctype string, body []byte, cookieKind byte) {
		req := httptest.NewRequest("GET", "/", nil)
		req.Method = method
		req.URL.Path = "/" + strings.TrimPrefix(path, "/")
		req.URL.RawQuery = query
		req.RequestURI = req.URL.RequestURI()
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		switch cookieKind % 3 {
		case 1:
			req.Header.Set("Cookie", cookie)
		case 2:
			req.Header.Set("Cookie", sandbox.SessionCookie+"="+query)
		}
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s %s?%.100s took %v", method, path, query, d)
		}
		if rec.Code >= 500 {
			t.Errorf("%q %q?%.200q (body %.200q): got %d %.300q", method, path, query, body, rec.Code, rec.Body)
		}
		if sandbox.CleanPath(req.URL.Path) == "/logout" {
			cookie = loginCookie(t, h) // the fuzzed request may have ended the session
		}
	})
}
