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

// journalWithTail writes a journal with the plan and one done record, then
// tail; it returns the path and the file's text before tail.
func journalWithTail(t *testing.T, tail string) (string, []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "j.journal")
	j, err := Create(path, testHeader())
	if err != nil {
		t.Fatal(err)
	}
	j.Append(Record{Type: "done", ID: 1, State: 3, How: "moved"})
	j.Close()
	whole, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(whole, tail...), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, whole
}

func TestJournalTornTail(t *testing.T) {
	path, _ := journalWithTail(t, `{"type":"done","id":2,"sta`) // the process died here
	j, err := Open(path)
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

// A last line that is not a record, newline or not, is what a write cut
// short by a crash leaves (a power loss may leave the file's new length
// filled with zeros): it is dropped and described as such, never called a
// line in the middle.
func TestJournalGarbageLastLine(t *testing.T) {
	for _, tc := range []struct{ name, tail string }{
		{"garbage with a newline", "garbage\n"},
		{"zeros from a power loss", "\x00\x00\x00\x00\n"},
		{"half a record with a newline", `{"type":"done","id":2,` + "\n"},
		{"a blank line", "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, whole := journalWithTail(t, tc.tail)
			if r, err := Read(path); err != nil || !r.TornTail {
				t.Errorf("Read: torn=%v, %v", r != nil && r.TornTail, err)
			}
			j, err := Open(path)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer j.Close()
			note := j.TailNote()
			if !j.TornTail || !j.Done(1) || !strings.Contains(note, "line 3, the last,") || !strings.Contains(note, "interrupted") || strings.Contains(note, "not the last line") {
				t.Errorf("torn=%v done(1)=%v note %q", j.TornTail, j.Done(1), note)
			}
			if now, _ := os.ReadFile(path); string(now) != string(whole) {
				t.Errorf("the file was not cut back to its whole records:\n%q\nwant\n%q", now, whole)
			}
		})
	}
}
