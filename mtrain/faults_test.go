package mtrain_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/regc/regc/mtrain"
	"github.com/regc/regc/mtrain/faults"
	"github.com/regc/regc/mtrain/mtraintest"
	"github.com/regc/regc/mtrain/sandbox/sandboxtest"
)

func TestReadRetries(t *testing.T) {
	for _, tc := range []struct {
		name string
		rule faults.Rule
	}{
		{"two 500s", faults.Rule{Kind: faults.Status500, Nth: 1, Times: 2, Method: "GET", Path: "/api/v1/subjects"}},
		{"dropped connection", faults.Rule{Kind: faults.Drop, Nth: 1, Method: "GET", Path: "/api/v1/subjects"}},
		{"slow answer", faults.Rule{Kind: faults.Slow, Nth: 1, Delay: 6 * time.Second, Method: "GET", Path: "/api/v1/subjects"}},
		{"500 on login", faults.Rule{Kind: faults.Status500, Nth: 1, Method: "POST", Path: "/"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := sandboxtest.NewRig(t)
			// a generous per-attempt timeout: the slow answer takes 6 s, so a
			// retry after 1 s is told apart from waiting it out even on a
			// loaded machine
			c := r.Client(t, func(cfg *mtrain.Config) { cfg.Timeout = time.Second })
			ctx := context.Background()
			st := r.Upload(t, c, "Reads_v1.0.0")
			if err := r.SB.AddSubjects(ctx, st["TRAINING_0"].ID, 1, 2, 3); err != nil {
				t.Fatal(err)
			}
			c = r.Client(t, func(cfg *mtrain.Config) { cfg.Timeout = time.Second })
			r.Inj.Add(tc.rule)
			start := time.Now()
			subs, err := c.Subjects(ctx)
			if err != nil || len(subs) != 3 {
				t.Fatalf("Subjects: got %d, %v; want 3 subjects after a retry", len(subs), err)
			}
			if err := c.Login(ctx); err != nil {
				t.Fatalf("Login: %v", err)
			}
			if d := time.Since(start); tc.rule.Kind == faults.Slow && d >= tc.rule.Delay {
				t.Errorf("took %v: the client waited out the slow answer instead of retrying", d)
			}
			if n := len(r.Inj.Injected()); n == 0 {
				t.Errorf("no fault was injected")
			}
			// Go's transport itself resends an idempotent GET whose reused
			// connection was dropped, so that case may log no retry.
			if tc.rule.Kind != faults.Drop && !strings.Contains(r.Logs.String(), "retry 1 of 2") {
				t.Errorf("logs %q: want a retry logged", r.Logs.String())
			}
		})
	}
}

func TestReadGivesUp(t *testing.T) {
	r := sandboxtest.NewRig(t)
	c := r.Client(t)
	r.Inj.Add(faults.Rule{Kind: faults.Status500, Nth: 0, Method: "GET", Path: "/api/v1/"})
	_, err := c.Subjects(context.Background())
	if !errors.Is(err, mtrain.ErrServer) {
		t.Fatalf("Subjects: got %v, want ErrServer", err)
	}
	for _, want := range []string{"GET /api/v1/subjects", "500", "text/html", "Internal Server Error", "after 3 attempts"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q: want %q in it", err, want)
		}
	}
	if got := len(r.Inj.Injected()); got != 3 {
		t.Errorf("requests: got %d, want 3", got)
	}
}

// Every write fault ends in a success with the write applied exactly once.
func TestWriteFaultsNeverDuplicate(t *testing.T) {
	kinds := []faults.Rule{
		{Kind: faults.Status500},
		{Kind: faults.Status500After},
		{Kind: faults.Drop},
		{Kind: faults.DropAfter},
		{Kind: faults.Slow, Delay: 6 * time.Second},
	}
	ops := []struct {
		name, path, route string
		run               func(c *mtrain.Client, st map[string]mtrain.State) error
		mouse             int
	}{
		{"set_state", "/set_state/", "set_state", func(c *mtrain.Client, st map[string]mtrain.State) error {
			return c.SetState(context.Background(), 700001, st["OPHYS_0"])
		}, 700001},
		{"add_subject", "/add_subject", "add_subject", func(c *mtrain.Client, st map[string]mtrain.State) error {
			return c.AddSubject(context.Background(), 700002, st["TRAINING_1"])
		}, 700002},
		{"set_regimen", "/set_regimen", "set_regimen", func(c *mtrain.Client, st map[string]mtrain.State) error {
			return c.UploadRegimen(context.Background(), mtraintest.SampleDoc("Faults_v2.0.0"))
		}, 0},
	}
	for _, op := range ops {
		for _, k := range kinds {
			t.Run(op.name+"/"+k.Kind.String(), func(t *testing.T) {
				r := sandboxtest.NewRig(t)
				c := r.Client(t, func(cfg *mtrain.Config) { cfg.Timeout = time.Second })
				st := r.Upload(t, c, "Faults_v1.0.0")
				if err := r.SB.AddSubjects(context.Background(), st["TRAINING_0"].ID, 700001); err != nil {
					t.Fatal(err)
				}
				rule := k
				rule.Nth, rule.Method, rule.Path = 1, http.MethodPost, op.path
				r.Inj.Add(rule)
				start := time.Now()
				if err := op.run(c, st); err != nil {
					t.Fatalf("%s with %s: %v", op.name, k.Kind, err)
				}
				if d := time.Since(start); k.Kind == faults.Slow && d >= k.Delay {
					t.Errorf("took %v: the client waited out the slow answer", d)
				}
				// Closing the server waits for every handler, so a write
				// that lands late is counted too.
				r.Srv.Close()
				if got := len(r.Inj.Injected()); got != 1 {
					t.Errorf("faults injected: got %d, want 1", got)
				}
				if n := sandboxtest.CountEvents(t, r.SB, op.route, op.mouse); n != 1 && op.route != "set_regimen" {
					t.Errorf("%s writes for %d: got %d, want 1", op.route, op.mouse, n)
				}
				if op.route == "set_regimen" {
					if n := sandboxtest.CountEvents(t, r.SB, "set_regimen", 0); n != 2 { // Faults_v1 and Faults_v2
						t.Errorf("set_regimen writes: got %d, want 2", n)
					}
				}
			})
		}
	}
}

func TestWriteGivesUp(t *testing.T) {
	r := sandboxtest.NewRig(t)
	c := r.Client(t)
	ctx := context.Background()
	st := r.Upload(t, c, "GiveUp_v1.0.0")
	if err := r.SB.AddSubjects(ctx, st["TRAINING_0"].ID, 800001); err != nil {
		t.Fatal(err)
	}
	r.Inj.Add(faults.Rule{Kind: faults.Status500, Nth: 0, Method: "POST", Path: "/set_state"})
	err := c.SetState(ctx, 800001, st["OPHYS_0"])
	if !errors.Is(err, mtrain.ErrServer) || !strings.Contains(err.Error(), "after 3 attempts") || !strings.Contains(err.Error(), "POST /set_state/800001") {
		t.Fatalf("SetState against a failing server: got %v, want ErrServer after 3 attempts", err)
	}
	if s, _ := c.Subject(ctx, 800001); s.State != st["TRAINING_0"] {
		t.Errorf("mouse moved to %+v, want it left on %+v", s.State, st["TRAINING_0"])
	}
	if n := sandboxtest.CountEvents(t, r.SB, "set_state", 800001); n != 0 {
		t.Errorf("set_state writes: got %d, want 0", n)
	}
}

// A write whose answer is lost while reads fail too: the outcome is unknown,
// and the error says so rather than guessing or writing again.
func TestWriteOutcomeUnknown(t *testing.T) {
	r := sandboxtest.NewRig(t)
	c := r.Client(t)
	ctx := context.Background()
	st := r.Upload(t, c, "Unknown_v1.0.0")
	if err := r.SB.AddSubjects(ctx, st["TRAINING_0"].ID, 800002); err != nil {
		t.Fatal(err)
	}
	r.Inj.Add(faults.Rule{Kind: faults.DropAfter, Nth: 1, Method: "POST", Path: "/set_state"})
	r.Inj.Add(faults.Rule{Kind: faults.Status500, Nth: 0, Method: "GET", Path: "/api/v1/"})
	err := c.SetState(ctx, 800002, st["OPHYS_0"])
	if !errors.Is(err, mtrain.ErrOutcomeUnknown) {
		t.Fatalf("SetState: got %v, want ErrOutcomeUnknown", err)
	}
	if !strings.Contains(err.Error(), "may or may not have been applied") {
		t.Errorf("error %q: want it to say the write may or may not have been applied", err)
	}
	if n := sandboxtest.CountEvents(t, r.SB, "set_state", 800002); n != 1 {
		t.Errorf("set_state writes: got %d, want 1 (no second write)", n)
	}
}

func TestServerDown(t *testing.T) {
	r := sandboxtest.NewRig(t)
	c := r.Client(t)
	r.Srv.Close()
	err := c.SetState(context.Background(), 1, mtrain.State{ID: 1})
	if err == nil || !strings.Contains(err.Error(), "no answer") || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("SetState against a closed server: got %v, want a clear connection error", err)
	}
	if _, err := c.Subjects(context.Background()); err == nil || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("Subjects against a closed server: got %v, want an error after 3 attempts", err)
	}
}

func TestCancelStopsRetries(t *testing.T) {
	r := sandboxtest.NewRig(t)
	c := r.Client(t, func(cfg *mtrain.Config) { cfg.Backoff, cfg.MaxBackoff, cfg.Attempts = time.Hour, time.Hour, 5 })
	r.Inj.Add(faults.Rule{Kind: faults.Status500, Nth: 0, Method: "GET"})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := c.Subjects(ctx); err == nil {
		t.Fatalf("Subjects: got nil, want an error")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v, want the cancellation to end the wait", d)
	}
}
