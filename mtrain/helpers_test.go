package mtrain

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regc/regc/mtrain/faults"
)

const (
	testUser = "alice"
	// Characters that forms, URLs, HTML and JSON all escape differently.
	testPassword = `s3cr3t "pw" &+%<x>`
)

// newSandbox opens a sandbox on a fresh database in the test's temp dir.
func newSandbox(t *testing.T) *Sandbox {
	t.Helper()
	sb, err := NewSandbox(filepath.Join(t.TempDir(), "mtrain.db"), testUser, testPassword)
	if err != nil {
		t.Fatalf("NewSandbox: %v", err)
	}
	t.Cleanup(func() { sb.Close() })
	return sb
}

// rig is a sandbox served on loopback behind a fault injector.
type rig struct {
	sb   *Sandbox
	inj  *faults.Injector
	srv  *httptest.Server
	logs *logBuf
}

func newRig(t *testing.T) *rig {
	t.Helper()
	sb := newSandbox(t)
	inj := faults.New(sb.Handler())
	srv := httptest.NewServer(inj)
	t.Cleanup(srv.Close)
	return &rig{sb: sb, inj: inj, srv: srv, logs: &logBuf{}}
}

// client returns a client for the rig with fast retries.
func (r *rig) client(t *testing.T, edit ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{Server: r.srv.URL, User: testUser, Password: NewSecret(testPassword),
		Timeout: 5 * time.Second, Attempts: 3, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond,
		Logf: r.logs.logf}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// logBuf collects a client's log lines.
type logBuf struct {
	mu    sync.Mutex
	lines []string
}

func (l *logBuf) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, sprintf(format, args...))
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// sampleDoc is a small regimen document, with an anchor holder the server
// must ignore, criteria in all three shapes, and int and float parameters.
func sampleDoc(name string) []byte {
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

// upload puts sampleDoc(name) on the rig's sandbox and returns the state of
// each of its stages.
func (r *rig) upload(t *testing.T, c *Client, name string) map[string]State {
	t.Helper()
	ctx := context.Background()
	if err := c.UploadRegimen(ctx, sampleDoc(name)); err != nil {
		t.Fatalf("UploadRegimen(%s): %v", name, err)
	}
	out := map[string]State{}
	for _, stage := range []string{"TRAINING_0", "TRAINING_1", "OPHYS_0"} {
		st, err := c.GetState(ctx, name, stage)
		if err != nil {
			t.Fatalf("GetState(%s, %s): %v", name, stage, err)
		}
		out[stage] = st
	}
	return out
}

// countEvents counts the sandbox's applied writes of a route for a mouse.
func countEvents(t *testing.T, sb *Sandbox, route string, id int) int {
	t.Helper()
	evs, err := sb.Events(context.Background())
	if err != nil {
		t.Fatalf("Events: %v", err)
	}
	n := 0
	for _, e := range evs {
		if e.Route == route && e.LabTracksID == id {
			n++
		}
	}
	return n
}

// htmlServer serves fixed answers, for tests of bad answers.
func htmlServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func newBenchServer(b *testing.B, sb *Sandbox) *httptest.Server {
	srv := httptest.NewServer(sb.Handler())
	b.Cleanup(srv.Close)
	return srv
}
