package sandbox

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/regc/regc/mtrain/mtraintest"
)

var updateWire = flag.Bool("update-wire", false, "rewrite testdata/wire.golden.gz from the sandbox as it is")

// wireColumns are the filterable fields of each entity of the read API.
var wireColumns = map[string][]string{
	"regimens":          {"id", "name", "active", "default"},
	"stages":            {"id", "name", "script", "script_md5", "parameters"},
	"states":            {"id", "regimen_id", "stage_id"},
	"subjects":          {"LabTracks_ID", "state_id"},
	"transitions":       {"id", "trigger", "source_state_id", "target_state_id", "conditions", "unless"},
	"behavior_sessions": {"id", "LabTracks_ID", "date", "state_id"},
}

var wireKeys = map[string]string{"subjects": "LabTracks_ID"}

// TestWireGolden drives the sandbox through a fixed story of writes and then
// thousands of reads (every filter operator on every field with values of
// every JSON type, field-to-field comparisons, orderings, limits, pages) and
// compares every answer with testdata/wire.golden.gz. The golden file was
// recorded from the sandbox's first store (SQLite, whose SQL the q filters
// were translated to), so that any store keeps its answers, byte for byte
// where the whole body is recorded and result for result (which keys, in
// which order) for the filters.
//
//	go test ./mtrain/sandbox -run TestWireGolden -update-wire   # re-record
func TestWireGolden(t *testing.T) {
	count := 0
	oldID := newSessionID
	newSessionID = func() string { count++; return fmt.Sprintf("00000000-0000-4000-8000-%012d", 100-count) }
	t.Cleanup(func() { newSessionID = oldID })
	s, err := NewSandbox(filepath.Join(t.TempDir(), "mtrain.db"), "lab", "pw")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.now = func() time.Time { return time.Date(2026, 3, 4, 5, 6, 7, 890123000, time.UTC) }
	h := s.Handler()
	var out strings.Builder
	cookie := ""
	do := func(method, target, ctype, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	full := func(method, target, ctype, body string) {
		rec := do(method, target, ctype, body)
		fmt.Fprintf(&out, "> %s %s %s\n< %d %s\n%s\n", method, target, body, rec.Code, rec.Header().Get("Content-Type"), strings.TrimSuffix(rec.Body.String(), "\n"))
	}
	const form = "application/x-www-form-urlencoded"

	// Before a login.
	full("GET", "/", "", "")
	full("POST", "/set_regimen/", "", string(mtraintest.SampleDoc("Alpha_v1.0.0")))
	full("POST", "/", form, "username=lab&password=wrong")
	rec := do("POST", "/", form, "username=lab&password=pw")
	cookie = strings.SplitN(rec.Header().Get("Set-Cookie"), ";", 2)[0]
	fmt.Fprintf(&out, "> login\n< %d %s\n", rec.Code, rec.Header().Get("Location"))
	full("GET", "/users/", "", "")

	// The writes.
	full("POST", "/set_regimen/", "", string(mtraintest.SampleDoc("Alpha_v1.0.0")))
	full("POST", "/set_regimen/", "", `{"name": "12", "stages": {"A": {}, "b%_x": {"script": "s.py", "parameters": {"z": [1, 2], "a": "<&>"}},
		"Ünï": {"parameters": {}}}, "transitions": [{"trigger": "progress", "source": "A", "dest": "b%_x", "conditions": ["one_complete"]},
		{"trigger": "progress", "source": "b%_x", "dest": "Ünï", "unless": "three_complete"}, {"trigger": "manual", "source": "Ünï", "dest": "A", "conditions": null}]}`)
	full("POST", "/set_regimen/", "", string(mtraintest.SampleDoc("Alpha_v1.0.0")))
	full("POST", "/set_regimen/", "", `{"name": "x", "stages": {}}`)
	full("POST", "/set_regimen/", "", string(mtraintest.SampleDoc("Beta 2")))
	full("POST", "/add_subject/", form, `LabTracks_ID=1001&state={"id":1}`)
	full("POST", "/add_subject/", "", `{"LabTracks_ID": "1002", "state": {"regimen_id": 2, "stage_id": 4}}`)
	full("POST", "/add_subject/", "", `{"LabTracks_ID": 1001, "state": {"id": 2}}`)
	full("POST", "/add_subject/", "", `{"LabTracks_ID": 1009, "state": {"id": 99}}`)
	full("POST", "/add_subject/", "", `{"LabTracks_ID": 1009, "state": {"id": 2, "regimen_id": 2}}`)
	full("POST", "/add_subject/", "", `{"LabTracks_ID": 999999, "state": {"id": 2}}`)
	for _, m := range [][2]int{{1003, 2}, {1004, 3}, {1005, 5}, {20, 6}, {3, 4}, {77, 7}, {1006, 1}} {
		full("POST", "/add_subject/", "", fmt.Sprintf(`{"LabTracks_ID": %d, "state": "{\"id\": %d}"}`, m[0], m[1]))
	}
	full("POST", "/set_state/1003", "", `{"state": {"id": 1}}`)
	full("POST", "/set_state/4242", "", `{"state": {"id": 1}}`)
	full("POST", "/set_state/1004", "", `{"state": {"id": 1, "stage_id": 2}}`)
	full("POST", "/set_state/", form, `LabTracks_ID=77&state={"id":8}`)
	for _, b := range []string{
		`{"data_list": [{"LabTracks_ID": 1001}], "peak_dprime": 2.5, "engaged_trial_count": 150, "date": "2026-01-05"}`,
		`{"data_list": [{"mouse_id": "1001"}], "peak_dprime": 2.6, "engaged_trial_count": 150, "date": "2026-01-02"}`,
		`{"data_list": [], "LabTracks_ID": 1001, "peak_dprime": 0.5, "date": "2026-01-03"}`,
		`{"data_list": [], "LabTracks_ID": 1001, "criteria": {"yesterday_was_good": true, "two_out_of_three_aint_bad": true}}`,
		`{"data_list": [], "LabTracks_ID": 1005, "date": "2026-01-01"}`,
		`{"data_list": [], "LabTracks_ID": 1005, "date": "2026-01-01"}`,
		`{"data_list": [], "LabTracks_ID": 1006, "peak_dprime": 1.5, "engaged_trial_count": 101, "date": "2026-02-01"}`,
		`{"data_list": [], "LabTracks_ID": 1006, "peak_dprime": 1.5, "engaged_trial_count": 101, "date": "2026-02-02"}`,
		`{"data_list": [], "LabTracks_ID": 1006, "peak_dprime": 1.5, "engaged_trial_count": 101, "date": "2026-02-03"}`,
		`{"data_list": [], "LabTracks_ID": 4242}`,
		`{"LabTracks_ID": 1001}`,
	} {
		full("POST", "/set_behavior_session/", "", b)
	}
	for _, b := range []string{`{"regimen_name": "12", "stage_name": "Ünï"}`, `{"regimen_name": "12", "stage_name": "B%_X"}`,
		`{"regimen_name": "Beta 2", "stage_name": "OPHYS_0"}`, `{}`} {
		full("GET", "/get_state/", "", b)
	}
	full("GET", "/get_state/?regimen_name=Alpha_v1.0.0&stage_name=TRAINING_1", "", "")
	for _, b := range []string{`{"LabTracks_ID": 1005}`, `{"LabTracks_ID": "1002"}`, `{"LabTracks_ID": 4242}`, `{"LabTracks_ID": -1}`} {
		full("GET", "/get_script/", "", b)
	}
	full("GET", "/get_script/?LabTracks_ID=1001", "", "")

	// Whole answers of the read API.
	for _, e := range sortedNames() {
		full("GET", "/api/v1/"+e, "", "")
		full("GET", "/api/v1/"+e+"?results_per_page=3&page=2", "", "")
		for _, k := range []string{"1", "2", "4", "5", "1001", "99", "x", "00000000-0000-4000-8000-000000000099"} {
			full("GET", "/api/v1/"+e+"/"+k, "", "")
		}
	}
	for _, k := range []string{"1", "4", "6", "99", "x"} {
		full("GET", "/api/v1/join/states/"+k, "", "")
	}
	for _, target := range []string{"/api/v1/subjects?page=0", "/api/v1/subjects?page=x", "/api/v1/subjects?results_per_page=0",
		"/api/v1/subjects?results_per_page=-2", "/api/v1/subjects?results_per_page=x", "/api/v1/nothing", "/api/v1/subjects?q=%7B",
		"/api/v1/subjects?q=" + url.QueryEscape(`{"filters": 3}`), "/api/v1/subjects?q=" + url.QueryEscape(`{"single": true}`),
		"/api/v1/subjects?q=" + url.QueryEscape(`{"filters": [{"name": "LabTracks_ID", "op": "==", "val": 20}], "single": true}`),
		`/api/v1/subjects?q={"filters":[{"name":"state_id","op":"in","val":[1,2]}]}`} {
		full("GET", target, "", "")
	}

	// Filters, as keys.
	summary := func(e, q string) {
		rec := do("GET", "/api/v1/"+e+"?results_per_page=100&q="+url.QueryEscape(q), "", "")
		fmt.Fprintf(&out, "%s %s -> %d ", e, q, rec.Code)
		var m map[string]any
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &m) != nil {
			fmt.Fprintf(&out, "%s\n", strings.TrimSpace(rec.Body.String()))
			return
		}
		key := wireKeys[e]
		if key == "" {
			key = "id"
		}
		objs, ok := m["objects"].([]any)
		if !ok {
			fmt.Fprintf(&out, "single %v\n", m[key])
			return
		}
		var keys []string
		for _, o := range objs {
			keys = append(keys, fmt.Sprint(o.(map[string]any)[key]))
		}
		fmt.Fprintf(&out, "n=%v %s\n", m["num_results"], strings.Join(keys, ","))
	}
	values := []string{`1`, `2`, `0`, `-1`, `1.5`, `2.0`, `4.9999`, `1e300`, `9223372036854775807`, `9223372036854775808`, `"1"`, `" 2 "`,
		`"2.0"`, `"1e0"`, `"0x1"`, `"abc"`, `""`, `"A"`, `"TRAINING_0"`, `"Ünï"`, `"%a%"`, `"true"`, `"0"`, `true`, `false`, `null`, `[1,2]`,
		`{"stage":"OPHYS_0"}`, `"12"`, `"1001"`, `"2026-01-02"`, `1001`, `"s.py"`, `["one_complete"]`, `"[\"one_complete\"]"`}
	lists := []string{`[]`, `[1,2]`, `[1,"2",null]`, `["A","abc","12"]`, `[true]`, `[1.5,1001]`, `[{"stage":"OPHYS_0"}]`, `[" 3",20.0]`, `3`}
	likes := []string{`"%"`, `"t%"`, `"%_0"`, `"_"`, `"__"`, `"%ü%"`, `"%Ü%"`, `"%ÜNÏ"`, `"1%"`, `"%\"%"`, `"b\\%%"`, `"%.%"`, `"%2026-01-0_"`, `5`, `"%0%1"`}
	for _, e := range sortedNames() {
		cols := wireColumns[e]
		for _, c := range cols {
			for _, op := range []string{"==", "!=", ">", "<", ">=", "<=", "eq", "gt", "neq", "bogus"} {
				for _, v := range values {
					summary(e, fmt.Sprintf(`{"filters":[{"name":%q,"op":%q,"val":%s}]}`, c, op, v))
				}
			}
			for _, op := range []string{"in", "not_in"} {
				for _, v := range lists {
					summary(e, fmt.Sprintf(`{"filters":[{"name":%q,"op":%q,"val":%s}]}`, c, op, v))
				}
			}
			for _, op := range []string{"like", "ilike", "not_like"} {
				for _, v := range likes {
					summary(e, fmt.Sprintf(`{"filters":[{"name":%q,"op":%q,"val":%s}]}`, c, op, v))
				}
			}
			for _, op := range []string{"is_null", "is_not_null"} {
				summary(e, fmt.Sprintf(`{"filters":[{"name":%q,"op":%q}]}`, c, op))
			}
			for _, o := range cols {
				for _, op := range []string{"==", "!=", "<", ">=", "like"} {
					summary(e, fmt.Sprintf(`{"filters":[{"name":%q,"op":%q,"field":%q}]}`, c, op, o))
				}
			}
			for _, dir := range []string{"asc", "desc", "", "DESC", "up"} {
				summary(e, fmt.Sprintf(`{"order_by":[{"field":%q,"direction":%q}]}`, c, dir))
				summary(e, fmt.Sprintf(`{"order_by":[{"field":%q,"direction":%q},{"field":%q,"direction":"desc"}],"limit":4,"offset":1}`, c, dir, cols[0]))
			}
		}
		summary(e, `{"order_by":[{"field":"nope"}]}`)
		summary(e, `{"filters":[{"name":"nope","op":"==","val":1}]}`)
		for _, lo := range []string{`"limit":0`, `"limit":2`, `"offset":3`, `"limit":-1`, `"offset":-1`, `"limit":1,"offset":100`, `"limit":1.5`, `"limit":2,"single":true`, `"limit":1,"single":true`, `"single":true`} {
			summary(e, `{`+lo+`}`)
		}
		c := cols[1]
		summary(e, fmt.Sprintf(`{"filters":[{"or":[{"name":%q,"op":"==","val":1},{"name":%q,"op":"is_null"},{"name":%q,"op":">","val":"B"}]}]}`, cols[0], c, c))
		summary(e, fmt.Sprintf(`{"filters":[{"and":[{"name":%q,"op":">","val":1},{"or":[{"name":%q,"op":"like","val":"%%1%%"},{"name":%q,"op":"<","val":3}]}]},{"name":%q,"op":"!=","val":2}]}`, cols[0], c, cols[0], cols[0]))
		summary(e, `{"filters":[{"or":[]}]}`)
		summary(e, `{"filters":[{"and":3}]}`)
		summary(e, `{"filters":[[1]]}`)
		summary(e, `{"filters":[{"name":"`+cols[0]+`","op":"==","val":{"a":1}}]}`)
		summary(e, `{"filters":[{"name":"`+cols[0]+`","op":"==","val":1e999}]}`)
		summary(e, `{"filters":[{"name":"`+cols[0]+`","op":"==","field":"nope"}]}`)
		summary(e, strings.Repeat(`{"filters":[{"or":[`, 22)+`{"name":"`+cols[0]+`","op":"==","val":1}`+strings.Repeat(`]}]}`, 22))
	}

	// The audit trail.
	evs, err := s.Events(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		fmt.Fprintf(&out, "event %+v\n", e)
	}

	// Gzipped: the text is over a megabyte.
	golden := filepath.Join("testdata", "wire.golden.gz")
	if *updateWire {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write([]byte(out.String()))
		zw.Close()
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	zipped, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped))
	if err != nil {
		t.Fatal(err)
	}
	want, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(out.String(), "\n")
	wantLines := strings.Split(string(want), "\n")
	bad := 0
	for i := 0; i < max(len(got), len(wantLines)); i++ {
		g, w := "", ""
		if i < len(got) {
			g = got[i]
		}
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if g != w {
			if bad++; bad <= 20 {
				t.Errorf("line %d:\n got %s\nwant %s", i+1, g, w)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d lines differ from %s", bad, len(wantLines), golden)
	}
}

func sortedNames() []string {
	var names []string
	for e := range wireColumns {
		names = append(names, e)
	}
	sort.Strings(names)
	return names
}
