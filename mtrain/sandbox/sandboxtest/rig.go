package sandboxtest

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/regc/regc/mtrain"
	"github.com/regc/regc/mtrain/faults"
	"github.com/regc/regc/mtrain/mtraintest"
	"github.com/regc/regc/mtrain/sandbox"
)

// NewSandbox opens a sandbox on a fresh database in the test's temp dir,
// closed when the test ends.
func NewSandbox(t testing.TB) *sandbox.Sandbox {
	t.Helper()
	sb, err := sandbox.NewSandbox(filepath.Join(t.TempDir(), "mtrain.db"), mtraintest.User, mtraintest.Password)
	if err != nil {
		t.Fatalf("NewSandbox: %v", err)
	}
	t.Cleanup(func() { sb.Close() })
	return sb
}

// Rig is a sandbox served on loopback behind a fault injector.
type Rig struct {
	SB   *sandbox.Sandbox
	Inj  *faults.Injector
	Srv  *httptest.Server
	Logs *mtraintest.LogBuf
}

// NewRig serves a new sandbox behind a fault injector until the test ends.
func NewRig(t testing.TB) *Rig {
	t.Helper()
	sb := NewSandbox(t)
	inj := faults.New(sb.Handler())
	srv := httptest.NewServer(inj)
	t.Cleanup(srv.Close)
	return &Rig{SB: sb, Inj: inj, Srv: srv, Logs: &mtraintest.LogBuf{}}
}

// Client returns a client for the rig with fast retries, its log lines
// going to r.Logs; edit changes its configuration first.
func (r *Rig) Client(t testing.TB, edit ...func(*mtrain.Config)) *mtrain.Client {
	t.Helper()
	cfg := mtrain.Config{Server: r.Srv.URL, User: mtraintest.User, Password: mtrain.NewSecret(mtraintest.Password),
		Timeout: 5 * time.Second, Attempts: 3, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond,
		Logf: r.Logs.Logf}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := mtrain.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// Upload puts mtraintest.SampleDoc(name) on the rig's sandbox through c and returns
// the state of each of its stages.
func (r *Rig) Upload(t testing.TB, c *mtrain.Client, name string) map[string]mtrain.State {
	t.Helper()
	ctx := context.Background()
	if err := c.UploadRegimen(ctx, mtraintest.SampleDoc(name)); err != nil {
		t.Fatalf("UploadRegimen(%s): %v", name, err)
	}
	out := map[string]mtrain.State{}
	for _, stage := range []string{"TRAINING_0", "TRAINING_1", "OPHYS_0"} {
		st, err := c.GetState(ctx, name, stage)
		if err != nil {
			t.Fatalf("GetState(%s, %s): %v", name, stage, err)
		}
		out[stage] = st
	}
	return out
}

// CountEvents counts the sandbox's applied writes of a route for a mouse.
func CountEvents(t testing.TB, sb *sandbox.Sandbox, route string, id int) int {
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
