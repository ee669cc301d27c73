package migrate

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regc/regc/mtrain"
	"github.com/regc/regc/mtrain/faults"
	"github.com/regc/regc/mtrain/sandbox"
)

const (
	testUser     = "alice"
	testPassword = `pw "with" &+% <chars>`
)

type rig struct {
	sb  *sandbox.Sandbox
	inj *faults.Injector
	srv *httptest.Server
	c   *mtrain.Client
}

func newRig(t *testing.T) *rig {
	t.Helper()
	sb, err := sandbox.NewSandbox(filepath.Join(t.TempDir(), "mtrain.db"), testUser, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	inj := faults.New(sb.Handler())
	srv := httptest.NewServer(inj)
	t.Cleanup(srv.Close)
	c, err := mtrain.New(mtrain.Config{Server: srv.URL, User: testUser, Password: mtrain.NewSecret(testPassword),
		Timeout: 2 * time.Second, Attempts: 3, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return &rig{sb: sb, inj: inj, srv: srv, c: c}
}

func doc(name string, stages ...string) []byte {
	var parts []string
	for _, s := range stages {
		parts = append(parts, fmt.Sprintf(`%q: {"script": "http://example.invalid/a.py", "script_md5": "0123456789abcdef0123456789abcdef", "parameters": {"stage": %q}}`, s, s))
	}
	return []byte(fmt.Sprintf(`{"name": %q, "stages": {%s}, "transitions": []}`, name, strings.Join(parts, ", ")))
}

// setup uploads T_v1.0.0 (A, B) and T_v2.0.0 (X, Y) and puts n mice on A
// (odd ids) and B (even ids), from id 1000.
func (r *rig) setup(t *testing.T, n int) Target {
	t.Helper()
	ctx := context.Background()
	for _, d := range [][]byte{doc("T_v1.0.0", "A", "B"), doc("T_v2.0.0", "X", "Y")} {
		if err := r.c.UploadRegimen(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := r.c.GetState(ctx, "T_v1.0.0", "A")
	b, _ := r.c.GetState(ctx, "T_v1.0.0", "B")
	var odd, even []int
	for i := 0; i < n; i++ {
		if i%2 == 0 {
			odd = append(odd, 1000+i)
		} else {
			even = append(even, 1000+i)
		}
	}
	if err := r.sb.AddSubjects(ctx, a.ID, odd...); err != nil {
		t.Fatal(err)
	}
	if len(even) > 0 {
		if err := r.sb.AddSubjects(ctx, b.ID, even...); err != nil {
			t.Fatal(err)
		}
	}
	return Target{Regimen: NewRegimen("T_v2.0.0", []string{"X", "Y"}),
		Rules: []Rule{{From: "T", Major: 1, Map: []Pair{{"A", "X"}, {"B", "Y"}}}}}
}

func (r *rig) journal(t *testing.T, tgt Target) (*Journal, string) {
	t.Helper()
	plan, _, err := Load(context.Background(), r.c, "T_v1.0.0", tgt, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !plan.Ready() {
		t.Fatalf("plan not ready: %+v", plan.Unmapped)
	}
	h, err := HeaderFor(plan, r.srv.URL, testUser)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m.journal")
	j, err := Create(path, h)
	if err != nil {
		t.Fatal(err)
	}
	return j, path
}

// checkExactlyOnce checks every planned mouse is on its target and was
// moved by exactly one set_state.
func (r *rig) checkExactlyOnce(t *testing.T, n int) {
	t.Helper()
	ctx := context.Background()
	moves := r.setCounts(t)
	mice, err := r.c.Mice(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(mice) != n {
		t.Fatalf("%d mice, want %d", len(mice), n)
	}
	bad := 0
	for _, m := range mice {
		want := "X"
		if (m.LabTracksID-1000)%2 == 1 {
			want = "Y"
		}
		if m.Regimen != "T_v2.0.0" || m.Stage != want || moves[m.LabTracksID] != 1 {
			if bad++; bad < 5 {
				t.Errorf("mouse %d: on %s/%s after %d moves; want T_v2.0.0/%s after exactly 1", m.LabTracksID, m.Regimen, m.Stage, moves[m.LabTracksID], want)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d mice wrong", bad, n)
	}
}

func TestApply(t *testing.T) {
	r := newRig(t)
	tgt := r.setup(t, 40)
	j, path := r.journal(t, tgt)
	var calls int
	res, err := Apply(context.Background(), r.c, j, Options{Progress: func(done, total int) { calls++ }})
	j.Close()
	if err != nil || !res.OK() || res.Moved != 40 || res.Checked != 40 || calls != 40 {
		t.Fatalf("Apply: %+v, %v (progress calls %d)", res, err, calls)
	}
	r.checkExactlyOnce(t, 40)
	// Applying a finished journal again only reconciles.
	j, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	res, err = Apply(context.Background(), r.c, j, Options{})
	if err != nil || !res.AlreadyFinished || res.Moved != 0 || res.Checked != 40 {
		t.Fatalf("second Apply: %+v, %v", res, err)
	}
	r.checkExactlyOnce(t, 40)
}

// Every kind of injected fault, on set_state and on the read-back, ends in
// a successful retry with each mouse moved exactly once.
func TestApplyFaultsRetried(t *testing.T) {
	for _, rule := range []faults.Rule{
		{Kind: faults.Status500, Nth: 3, Times: 2, Method: "POST", Path: "/set_state"},
		{Kind: faults.Status500After, Nth: 3, Times: 2, Method: "POST", Path: "/set_state"},
		{Kind: faults.Drop, Nth: 5, Method: "POST", Path: "/set_state"},
		{Kind: faults.DropAfter, Nth: 5, Times: 3, Method: "POST", Path: "/set_state"},
		{Kind: faults.Slow, Nth: 4, Delay: 3 * time.Second, Method: "POST", Path: "/set_state"},
		{Kind: faults.Status500, Nth: 6, Method: "GET", Path: "/api/v1/subjects/"},
		{Kind: faults.DropAfter, Nth: 2, Method: "GET", Path: "/api/v1/subjects"},
	} {
		t.Run(rule.String(), func(t *testing.T) {
			r := newRig(t)
			if rule.Kind == faults.Slow {
				c, err := mtrain.New(mtrain.Config{Server: r.srv.URL, User: testUser, Password: mtrain.NewSecret(testPassword),
					Timeout: time.Second, Attempts: 3, Backoff: time.Millisecond})
				if err != nil {
					t.Fatal(err)
				}
				r.c = c
			}
			tgt := r.setup(t, 12)
			j, _ := r.journal(t, tgt)
			defer j.Close()
			r.inj.Add(rule)
			res, err := Apply(context.Background(), r.c, j, Options{})
			if err != nil || !res.OK() {
				t.Fatalf("Apply: %+v, %v", res, err)
			}
			if len(r.inj.Injected()) == 0 {
				t.Fatal("no fault injected")
			}
			r.checkExactlyOnce(t, 12)
		})
	}
}

// A server that keeps failing stops the run with a clear error; the rerun
// from the journal finishes it, with no mouse moved twice.
func TestApplyStopsAndResumes(t *testing.T) {
	for _, kind := range []faults.Kind{faults.Status500, faults.Status500After, faults.DropAfter} {
		t.Run(kind.String(), func(t *testing.T) {
			r := newRig(t)
			tgt := r.setup(t, 20)
			j, path := r.journal(t, tgt)
			r.inj.Add(faults.Rule{Kind: kind, Nth: 8, Times: 1000, Method: "POST", Path: "/set_state"})
			if kind != faults.Status500 {
				// The client's read-back after the ambiguous answer fails too
				// (the 16th read of one mouse: each mouse before is read
				// before and after its move, and 1007 before it): the
				// outcome stays unknown.
				r.inj.Add(faults.Rule{Kind: faults.Status500, Nth: 16, Times: 1000, Method: "GET", Path: "/api/v1/subjects/"})
			}
			res, err := Apply(context.Background(), r.c, j, Options{})
			j.Close()
			if err == nil {
				t.Fatalf("Apply succeeded against a failing server: %+v", res)
			}
			msg := err.Error()
			if !strings.Contains(msg, "mouse 1007") || (!strings.Contains(msg, "500") && !strings.Contains(msg, "outcome unknown")) {
				t.Errorf("error %q: want the mouse and the failure named", msg)
			}
			if strings.Contains(msg, testPassword) {
				t.Errorf("the error carries the password")
			}
			if res.Moved != 7 {
				t.Errorf("moved %d before stopping, want 7", res.Moved)
			}
			r.inj.Reset()
			j, err = Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer j.Close()
			if !j.InFlight(1007) {
				t.Errorf("mouse 1007 is not recorded in flight")
			}
			res, err = Apply(context.Background(), r.c, j, Options{})
			if err != nil || !res.OK() || res.Earlier != 7 || res.Moved+res.Found != 13 {
				t.Fatalf("resumed Apply: %+v, %v", res, err)
			}
			if kind != faults.Status500 && res.Found != 1 {
				t.Errorf("found %d, want 1: the write that landed before the failure", res.Found)
			}
			r.checkExactlyOnce(t, 20)
		})
	}
}

// A mouse moved elsewhere by someone else is a conflict, left alone and
// reported; a mouse added to the source since the plan is reported too.
func TestApplyConflictsAndStrays(t *testing.T) {
	r := newRig(t)
	tgt := r.setup(t, 6)
	j, _ := r.journal(t, tgt)
	defer j.Close()
	ctx := context.Background()
	y, _ := r.c.GetState(ctx, "T_v2.0.0", "Y")
	a, _ := r.c.GetState(ctx, "T_v1.0.0", "A")
	if err := r.c.SetState(ctx, 1002, y); err != nil { // planned for X
		t.Fatal(err)
	}
	if err := r.sb.AddSubjects(ctx, a.ID, 5000); err != nil {
		t.Fatal(err)
	}
	res, err := Apply(ctx, r.c, j, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.OK() || len(res.Conflicts) != 1 || res.Conflicts[0].ID != 1002 || len(res.Strays) != 1 || res.Strays[0] != 5000 || res.Moved != 5 {
		t.Errorf("result: %+v", res)
	}
	if j.Finished() {
		t.Error("a run with a conflict is recorded finished")
	}
	s, _ := r.c.Subject(ctx, 1002)
	if s.State.ID != y.ID {
		t.Errorf("the conflicting mouse was moved")
	}
}

// The process died after a set_state landed but before its done record:
// the rerun finds the mouse on its target and does not write again.
func TestApplyFindsLandedWrite(t *testing.T) {
	r := newRig(t)
	tgt := r.setup(t, 4)
	j, _ := r.journal(t, tgt)
	defer j.Close()
	ctx := context.Background()
	mv := j.Header.Moves[2]
	j.Append(Record{Type: "begin", ID: mv.ID})
	if err := r.c.SetState(ctx, mv.ID, mv.ToState); err != nil {
		t.Fatal(err)
	}
	res, err := Apply(ctx, r.c, j, Options{})
	if err != nil || !res.OK() || res.Found != 1 || res.Moved != 3 {
		t.Fatalf("Apply: %+v, %v", res, err)
	}
	r.checkExactlyOnce(t, 4)
}

// Cancelling stops between two mice.
func TestApplyCancel(t *testing.T) {
	r := newRig(t)
	tgt := r.setup(t, 10)
	j, _ := r.journal(t, tgt)
	defer j.Close()
	ctx, cancel := context.WithCancel(context.Background())
	res, err := Apply(ctx, r.c, j, Options{Progress: func(done, total int) {
		if done == 3 {
			cancel()
		}
	}})
	if err == nil || !strings.Contains(err.Error(), "interrupted after 3 of 10") || res.Moved != 3 {
		t.Fatalf("Apply: %+v, %v", res, err)
	}
}

// A journal whose target states the server no longer holds is not resumed.
func TestCheckTargetStates(t *testing.T) {
	r := newRig(t)
	tgt := r.setup(t, 3)
	j, _ := r.journal(t, tgt)
	defer j.Close()
	reg, err := r.c.Regimen(context.Background(), "T_v2.0.0")
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckTargetStates(j.Header, reg); err != nil {
		t.Errorf("the same server: %v", err)
	}
	h := j.Header
	h.Moves = append([]Move(nil), h.Moves...)
	h.Moves[1].ToState.ID += 100
	if err := CheckTargetStates(h, reg); err == nil || !strings.Contains(err.Error(), "was its data reset") {
		t.Errorf("moved states: %v", err)
	}
	if err := CheckTargetStates(j.Header, nil); err == nil {
		t.Error("no target: no error")
	}
}

// interfering is a Client through which a test acts between a migration's
// steps: after is called after each set_state the migration sends.
type interfering struct {
	Client
	after func(id int)
}

func (c interfering) SetState(ctx context.Context, id int, st mtrain.State) error {
	err := c.Client.SetState(ctx, id, st)
	if c.after != nil {
		c.after(id)
	}
	return err
}

// setCounts counts each mouse's set_state events.
func (r *rig) setCounts(t *testing.T) map[int]int {
	t.Helper()
	evs, err := r.sb.Events(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := map[int]int{}
	for _, e := range evs {
		if e.Route == "set_state" {
			n[e.LabTracksID]++
		}
	}
	return n
}

// Mice moved by others while the migration runs (after the plan, before
// their turn, or right after the migration set them) are conflicts: read
// back before each set_state, never overwritten, never set twice.
func TestApplyReadsEachMouseBeforeMovingIt(t *testing.T) {
	r := newRig(t)
	tgt := r.setup(t, 12)
	j, _ := r.journal(t, tgt)
	defer j.Close()
	ctx := context.Background()
	other, err := mtrain.New(mtrain.Config{Server: r.srv.URL, User: testUser, Password: mtrain.NewSecret(testPassword)})
	if err != nil {
		t.Fatal(err)
	}
	st := func(regimen, stage string) mtrain.State {
		s, err := other.GetState(ctx, regimen, stage)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	a, b, x, y := st("T_v1.0.0", "A"), st("T_v1.0.0", "B"), st("T_v2.0.0", "X"), st("T_v2.0.0", "Y")
	move := func(id int, to mtrain.State) {
		if err := other.SetState(ctx, id, to); err != nil {
			t.Fatal(err)
		}
	}
	c := interfering{Client: r.c, after: func(id int) {
		switch id {
		case 1001:
			// While the migration is at 1001: 1004 progresses within the
			// source (A to B, as a rig's session would), 1007 is moved by
			// another operator to a stage that is not its target, 1008 to
			// its own target.
			move(1004, b)
			move(1007, x)
			move(1008, x)
		case 1003:
			// Right after the migration set it (to Y): moved on to X.
			move(1003, x)
		}
	}}
	res, err := Apply(ctx, c, j, Options{})
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	var ids []int
	reasons := map[int]string{}
	for _, p := range res.Conflicts {
		ids = append(ids, p.ID)
		reasons[p.ID] = p.Reason
	}
	if fmt.Sprint(ids) != "[1003 1004 1007]" || res.Found != 1 || res.Moved != 8 || res.OK() {
		t.Errorf("conflicts %v, found %d, moved %d; want conflicts [1003 1004 1007], found 1 (1008), moved 8\n%+v", ids, res.Found, res.Moved, res)
	}
	if r := reasons[1004]; !strings.Contains(r, fmt.Sprintf("it is on state %d (T_v1.0.0/B), not on its planned source state %d (T_v1.0.0/A)", b.ID, a.ID)) {
		t.Errorf("1004: %q", r)
	}
	if r := reasons[1003]; !strings.Contains(r, fmt.Sprintf("after this migration set it to state %d (T_v2.0.0/Y), it was on state %d (T_v2.0.0/X)", y.ID, x.ID)) {
		t.Errorf("1003: %q", r)
	}
	sets := r.setCounts(t)
	for id := 1000; id < 1012; id++ {
		want := 1 // by the migration, or, for 1004, 1007 and 1008, by the other
		if id == 1003 {
			want = 2 // by the migration, then by the other
		}
		if sets[id] != want {
			t.Errorf("mouse %d: set %d times, want %d", id, sets[id], want)
		}
	}
	for id, want := range map[int]mtrain.State{1004: b, 1007: x, 1003: x, 1008: x, 1010: x} {
		s, _ := r.c.Subject(ctx, id)
		if s.State.ID != want.ID {
			t.Errorf("mouse %d: on state %d, want %d", id, s.State.ID, want.ID)
		}
	}
}
