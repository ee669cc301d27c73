package mtrain_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regc/regc/mtrain"
	"github.com/regc/regc/mtrain/mtraintest"
	"github.com/regc/regc/mtrain/sandbox"
	"github.com/regc/regc/mtrain/sandbox/sandboxtest"
)

// follow returns a client for srv that carries on c's session: same cookie
// jar (cookies are kept per host, not per port), already logged in.
func follow(t *testing.T, r *sandboxtest.Rig, c *mtrain.Client, srv *httptest.Server) *mtrain.Client {
	t.Helper()
	r.Srv = srv
	c2 := r.Client(t)
	mtrain.Follow(c2, c)
	return c2
}

// The data survive a close and reopen, and so do sessions; a new password
// ends them.
func TestSandboxReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mtrain.db")
	ctx := context.Background()
	sb, err := sandbox.NewSandbox(path, mtraintest.User, mtraintest.Password)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	r := &sandboxtest.Rig{SB: sb, Srv: srv, Logs: &mtraintest.LogBuf{}}
	c := r.Client(t)
	st := r.Upload(t, c, "Reopen_v1.0.0")
	for i := 1; i <= 5; i++ {
		if err := c.AddSubject(ctx, 600000+i, st["TRAINING_0"]); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.SetState(ctx, 600003, st["OPHYS_0"]); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	if err := sb.Close(); err != nil {
		t.Fatal(err)
	}

	sb2, err := sandbox.NewSandbox(path, mtraintest.User, mtraintest.Password)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer sb2.Close()
	srv2 := httptest.NewServer(sb2.Handler())
	defer srv2.Close()
	c = follow(t, r, c, srv2)
	got, err := c.Regimen(ctx, "Reopen_v1.0.0")
	if err != nil || len(got.Stages) != 3 || len(got.Transitions) != 4 {
		t.Fatalf("regimen after reopen: got %+v, %v", got, err)
	}
	mice, err := c.Mice(ctx, "Reopen_v1.0.0")
	if err != nil || len(mice) != 5 || mice[2].Stage != "OPHYS_0" || mice[0].Stage != "TRAINING_0" {
		t.Fatalf("mice after reopen: got %+v, %v", mice, err)
	}
	before := strings.Count(r.Logs.String(), "logged in to")
	if err := c.SetState(ctx, 600004, st["TRAINING_1"]); err != nil {
		t.Fatalf("SetState after reopen: %v", err)
	}
	if before == 0 {
		t.Errorf("no login logged before the restart")
	}
	if after := strings.Count(r.Logs.String(), "logged in to"); after != before {
		t.Errorf("logins after reopen: got %d more, want the session to survive", after-before)
	}
	evs, err := sb2.Events(ctx)
	if err != nil || len(evs) != 8 { // set_regimen, 5 add_subject, 2 set_state
		t.Errorf("events after reopen: got %d, %v; want 8", len(evs), err)
	}
	sb2.Close()

	// A new password: old sessions and the old password are refused.
	sb3, err := sandbox.NewSandbox(path, mtraintest.User, "another password")
	if err != nil {
		t.Fatal(err)
	}
	defer sb3.Close()
	srv3 := httptest.NewServer(sb3.Handler())
	defer srv3.Close()
	c = follow(t, r, c, srv3)
	if err := c.SetState(ctx, 600004, st["TRAINING_0"]); !errors.Is(err, mtrain.ErrLoginRefused) {
		t.Errorf("SetState with the old password: got %v, want ErrLoginRefused", err)
	}
}
