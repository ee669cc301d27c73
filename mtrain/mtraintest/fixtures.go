package mtraintest

// Fixtures the client and server tests share: the test user, a sample
// regimen document, a log collector, and a server of fixed answers.

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

const (
	// User is the sandbox user of the tests.
	User = "alice"
	// Password is User's password: characters that forms, URLs, HTML and
	// JSON all escape differently.
	Password = `s3cr3t "pw" &+%<x>`
)

// LogBuf collects a client's log lines.
type LogBuf struct {
	mu    sync.Mutex
	lines []string
}

// Logf adds a line.
func (l *LogBuf) Logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

// String returns the lines so far, one a line.
func (l *LogBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// SampleDoc is a small regimen document, with an anchor holder the server
// must ignore, criteria in all three shapes, and int and float parameters.
func SampleDoc(name string) []byte {
	return []byte(`{"name": "` + name + `", "_script": {"script": "http://example.invalid/a.py"},
 "stages": {
  "TRAINING_0": {"script": "http://example.invalid/a.py", "script_md5": "0123456789abcdef0123456789abcdef",
                 "parameters": {"stage": "TRAINING_0", "reward_volume": 0.007, "n": 1, "f": 1.0, "flash": null, "ori": [0, 180]}},
  "TRAINING_1": {"script": "http://example.invalid/a.py", "script_md5": "0123456789abcdef0123456789abcdef",
                 "parameters": {"stage": "TRAINING_1", "reward_volume": 0.01}},
  "OPHYS_0": {"script": "http://example.invalid/b.py", "script_md5": "fedcba9876543210fedcba9876543210",
              "parameters": {"stage": "OPHYS_0"}}
 },
 "transitions": [
  {"trigger": "progress", "source": "TRAINING_0", "dest": "TRAINING_1", "conditions": "one_complete", "unless": null},
  {"trigger": "progress", "source": "TRAINING_1", "dest": "OPHYS_0", "conditions": ["two_out_of_three_aint_bad", "yesterday_was_good"]},
  {"trigger": "progress", "source": "TRAINING_1", "dest": "TRAINING_0", "unless": "meets_engagement_criteria"},
  {"trigger": "manual", "source": "OPHYS_0", "dest": "TRAINING_0"}
 ]}`)
}

// Server serves h until the test ends, for tests of answers no sandbox
// gives.
func Server(t testing.TB, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// Seq returns the n integers from from on.
func Seq(from, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = from + i
	}
	return out
}
