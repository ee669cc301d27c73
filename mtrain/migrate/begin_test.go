package migrate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
)

func TestBeginCreatesThenResumes(t *testing.T) {
	r := newRig(t)
	tgt := r.setup(t, 4)
	ctx := context.Background()
	onServer, err := r.c.Regimen(ctx, "T_v2.0.0")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m.journal")
	b, err := Begin(ctx, r.c, r.srv.URL, testUser, path, "T_v1.0.0", tgt, nil, onServer)
	if err != nil || b.Resumed || b.Journal == nil || len(b.Plan.Moves) != 4 {
		t.Fatalf("first Begin: %+v, %v; want a new journal of 4 moves", b, err)
	}
	b.Journal.Close()

	b, err = Begin(ctx, r.c, r.srv.URL, testUser, path, "T_v1.0.0", tgt, nil, onServer)
	if err != nil || !b.Resumed || b.Journal == nil || b.Plan != nil {
		t.Fatalf("second Begin: %+v, %v; want the journal resumed", b, err)
	}
	b.Journal.Close()

	// the same journal for another migration is refused, naming both
	_, err = Begin(ctx, r.c, "http://elsewhere.invalid", testUser, path, "T_v1.0.0", tgt, nil, onServer)
	if err == nil || !strings.Contains(err.Error(), "is for moving mice from T_v1.0.0 to T_v2.0.0 on "+r.srv.URL) {
		t.Errorf("Begin on another server: %v", err)
	}
}

func TestBeginStopsBeforeAJournal(t *testing.T) {
	r := newRig(t)
	tgt := r.setup(t, 0)
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "m.journal")
	b, err := Begin(ctx, r.c, r.srv.URL, testUser, path, "T_v1.0.0", tgt, nil, nil)
	if err != nil || b.Journal != nil || b.Plan == nil || len(b.Plan.Moves) != 0 {
		t.Fatalf("Begin without mice: %+v, %v; want a plan and no journal", b, err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("a journal was written for no mice: %v", err)
	}
	a, err := r.c.GetState(ctx, "T_v1.0.0", "A")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.sb.AddSubjects(ctx, a.ID, 1000, 1002); err != nil {
		t.Fatal(err)
	}
	_, err = Begin(ctx, r.c, r.srv.URL, testUser, filepath.Join(dir, "missing", "m.journal"), "T_v1.0.0", tgt, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "the journal's folder") {
		t.Errorf("Begin into a missing folder: %v", err)
	}
}

func TestTargetOf(t *testing.T) {
	reg := &compiler.Regimen{Name: "T_v2.1.0", Base: "T", Version: "2.1.0",
		Stages: []*compiler.Stage{{Name: "X"}, {Name: "Y"}},
		Migrations: []*compiler.Migration{{From: "T", Major: 1,
			Range: lang.Range{File: "t.regimen", Start: lang.Pos{Line: 3, Column: 1}, End: lang.Pos{Line: 3, Column: 9}},
			Map:   []compiler.StageMapping{{From: "A", To: "X"}}}}}
	tgt := TargetOf(reg)
	if tgt.Name != "T_v2.1.0" || tgt.Base != "T" || tgt.Major != 2 || strings.Join(tgt.Stages, ",") != "X,Y" {
		t.Errorf("TargetOf: %+v", tgt)
	}
	if len(tgt.Rules) != 1 || tgt.Rules[0].Where != "t.regimen:3:1" || tgt.Rules[0].Map[0] != (Pair{"A", "X"}) {
		t.Errorf("TargetOf rules: %+v", tgt.Rules)
	}
}
