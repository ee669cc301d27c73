package faults

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		spec string
		want []Rule
		err  string
	}{
		{"500@3", []Rule{{Kind: Status500, Nth: 3}}, ""},
		{"drop-after@5:POST:/set_state, slow=250ms@1x2:GET", []Rule{
			{Kind: DropAfter, Nth: 5, Method: "POST", Path: "/set_state"},
			{Kind: Slow, Nth: 1, Times: 2, Method: "GET", Delay: 250 * time.Millisecond}}, ""},
		{"500-after@0,drop@2", []Rule{{Kind: Status500After}, {Kind: Drop, Nth: 2}}, ""},
		{"", nil, ""},
		{"boom@1", nil, "unknown kind"},
		{"500", nil, "want KIND@N"},
		{"slow@1", nil, "needs a delay"},
		{"slow=fast@1", nil, "bad delay"},
		{"500=1s@1", nil, "only slow"},
		{"500@-1", nil, "bad request number"},
		{"500@1x0", nil, "bad count"},
		{"500@1:post", nil, "bad qualifier"},
	} {
		got, err := Parse(tc.spec)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Parse(%q): got %v, want an error with %q", tc.spec, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.spec, err)
			continue
		}
		if len(got) != len(tc.want) {
			t.Errorf("Parse(%q): got %v, want %v", tc.spec, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("Parse(%q)[%d]: got %+v, want %+v", tc.spec, i, got[i], tc.want[i])
			}
			again, err := Parse(got[i].String())
			if err != nil || len(again) != 1 || again[0].Kind != got[i].Kind || again[0].Nth != got[i].Nth {
				t.Errorf("Parse(%q.String() = %q): got %v, %v", tc.spec, got[i].String(), again, err)
			}
		}
	}
}

func TestInjector(t *testing.T) {
	var handled atomic.Int32
	inj := New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handled.Add(1)
		io.WriteString(w, "ok")
	}))
	srv := httptest.NewServer(inj)
	defer srv.Close()
	get := func(method, path string, timeout time.Duration) (int, error) {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, method, srv.URL+path, strings.NewReader("body"))
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		io.ReadAll(resp.Body)
		return resp.StatusCode, nil
	}

	inj.Add(Rule{Kind: Status500, Nth: 2, Times: 2, Method: "POST", Path: "/w"})
	var codes []int
	for i := 0; i < 5; i++ {
		code, _ := get("POST", "//w/1", time.Second)
		codes = append(codes, code)
	}
	if got := codes; got[0] != 200 || got[1] != 500 || got[2] != 500 || got[3] != 200 || got[4] != 200 {
		t.Errorf("500@2x2: got %v, want 200 500 500 200 200", got)
	}
	if code, _ := get("GET", "/w/1", time.Second); code != 200 {
		t.Errorf("GET under a POST rule: got %d, want 200", code)
	}
	if handled.Load() != 4 {
		t.Errorf("handled: got %d, want 4 (500 runs nothing)", handled.Load())
	}

	inj.Reset()
	inj.Add(Rule{Kind: Status500After, Nth: 1})
	handled.Store(0)
	if code, _ := get("POST", "/x", time.Second); code != 500 || handled.Load() != 1 {
		t.Errorf("500-after: got %d with %d handled, want 500 with 1", code, handled.Load())
	}

	inj.Reset()
	inj.Add(Rule{Kind: Drop, Nth: 1})
	inj.Add(Rule{Kind: DropAfter, Nth: 2})
	handled.Store(0)
	if _, err := get("POST", "/x", time.Second); err == nil {
		t.Errorf("drop: got an answer, want a dropped connection")
	}
	if handled.Load() != 0 {
		t.Errorf("drop: handled %d, want 0", handled.Load())
	}
	if _, err := get("POST", "/x", time.Second); err == nil {
		t.Errorf("drop-after: got an answer, want a dropped connection")
	}
	if handled.Load() != 1 {
		t.Errorf("drop-after: handled %d, want 1", handled.Load())
	}

	inj.Reset()
	inj.Add(Rule{Kind: Slow, Nth: 1, Delay: 5 * time.Second})
	handled.Store(0)
	start := time.Now()
	if _, err := get("POST", "/x", 100*time.Millisecond); err == nil {
		t.Errorf("slow: got an answer within 100ms, want a timeout")
	}
	if code, _ := get("POST", "/x", time.Second); code != 200 {
		t.Errorf("after slow: got %d, want 200", code)
	}
	srv.Close() // waits for the slow handler
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the slow handler ran on for %v after its client left", d)
	}
	if handled.Load() != 1 {
		t.Errorf("slow: handled %d, want 1 (the abandoned request never runs)", handled.Load())
	}
	if n := len(inj.Injected()); n != 1 || inj.Requests() != 2 {
		t.Errorf("Injected: got %d of %d requests, want 1 of 2", n, inj.Requests())
	}
}
