package migrate

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regc/regc/mtrain"
)

func testHeader() Header {
	return Header{From: "T_v1.0.0", To: "T_v2.0.0", Server: "http://127.0.0.1:1/", User: "alice",
		SourceStates: []int{1, 2},
		Moves: []Move{
			{ID: 1, FromStage: "A", ToStage: "X", FromState: mtrain.State{ID: 1, RegimenID: 1, StageID: 1}, ToState: mtrain.State{ID: 3, RegimenID: 2, StageID: 3}},
			{ID: 2, FromStage: "B", ToStage: "X", FromState: mtrain.State{ID: 2, RegimenID: 1, StageID: 2}, ToState: mtrain.State{ID: 3, RegimenID: 2, StageID: 3}},
			{ID: 3, FromStage: "B", ToStage: "X", FromState: mtrain.State{ID: 2, RegimenID: 1, StageID: 2}, ToState: mtrain.State{ID: 3, RegimenID: 2, StageID: 3}},
		}}
}

func TestJournalRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.journal")
	j, err := Create(path, testHeader())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []Record{{Type: "begin", ID: 1}, {Type: "done", ID: 1, State: 3, How: "moved"}, {Type: "begin", ID: 2}} {
		if err := j.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	// A second holder is refused while the first holds it.
	if _, err := Open(path); err == nil || !strings.Contains(err.Error(), "locked") {
		t.Errorf("second Open: got %v, want a lock error", err)
	}
	j.Close()
	if _, err := Create(path, testHeader()); !errors.Is(err, ErrJournalExists) {
		t.Errorf("Create over an existing journal: got %v", err)
	}
	j, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if !j.Done(1) || !j.InFlight(2) || j.Done(3) || j.InFlight(3) {
		t.Errorf("states: done(1)=%v inflight(2)=%v done(3)=%v", j.Done(1), j.InFlight(2), j.Done(3))
	}
	done, inFlight, conflicts, todo := j.Counts()
	if done != 1 || inFlight != 1 || conflicts != 0 || todo != 1 {
		t.Errorf("counts: %d %d %d %d", done, inFlight, conflicts, todo)
	}
	if j.Header.Moves[1].ToState != (mtrain.State{ID: 3, RegimenID: 2, StageID: 3}) || j.Header.User != "alice" {
		t.Errorf("header: %+v", j.Header)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
}

func TestJournalTornTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.journal")
	j, err := Create(path, testHeader())
	if err != nil {
		t.Fatal(err)
	}
	j.Append(Record{Type: "done", ID: 1, State: 3, How: "moved"})
	j.Close()
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"type":"done","id":2,"sta`) // the process died here
	f.Close()
	j, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if !j.TornTail || j.Done(2) || !j.Done(1) {
		t.Errorf("torn=%v done(1)=%v done(2)=%v", j.TornTail, j.Done(1), j.Done(2))
	}
	if err := j.Append(Record{Type: "done", ID: 2, State: 3, How: "found"}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	j, err = Open(path)
	if err != nil {
		t.Fatalf("reopen after repair: %v", err)
	}
	defer j.Close()
	if j.TornTail || !j.Done(2) {
		t.Errorf("after repair: torn=%v done(2)=%v", j.TornTail, j.Done(2))
	}
}

func TestJournalDamage(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, text, want string }{
		{"damaged middle", `{"type":"plan","version":1,"moves":[]}` + "\n" + "garbage\n" + `{"type":"begin","id":1}` + "\n", "line 2 is damaged"},
		{"not a journal", "hello\n", "not a migration plan"},
		{"empty", "", "empty"},
		{"other version", `{"type":"plan","version":99}` + "\n", "format version 99"},
		{"unknown record", `{"type":"plan","version":1}` + "\n" + `{"type":"teleport"}` + "\n", "unknown record type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_"))
			os.WriteFile(path, []byte(tc.text), 0o600)
			_, err := Open(path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}
