package migrate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// JournalVersion is the format of the journal this package writes.
const JournalVersion = 1

// Header is the journal's first record: the migration and its whole plan.
// A resumed run follows this plan, not a new one: the mice it already moved
// are no longer on the source regimen.
type Header struct {
	Type    string `json:"type"` // "plan"
	Version int    `json:"version"`
	From    string `json:"from"`
	To      string `json:"to"`
	Server  string `json:"server"`
	User    string `json:"user"`
	Created string `json:"created"`
	// SourceStates are the states of the source regimen.
	SourceStates []int  `json:"source_states"`
	Moves        []Move `json:"moves"`
}

// Record is one later line of the journal.
type Record struct {
	// Type is "begin" (a set_state is about to be sent), "done" (the mouse
	// was read back on its target state), "conflict" (the mouse is on
	// neither its source nor its target state: left alone), or "finish"
	// (the reconciliation found every mouse on its target state).
	Type string `json:"type"`
	At   string `json:"at"`
	ID   int    `json:"id,omitempty"`
	// State is the state the mouse was read back on.
	State int `json:"state,omitempty"`
	// How a done mouse got there: "moved" by this migration's write, or
	// "found" already there (its write landed before an interruption).
	How    string `json:"how,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Moved, Found and Checked summarise a finish record.
	Moved   int `json:"moved,omitempty"`
	Found   int `json:"found,omitempty"`
	Checked int `json:"checked,omitempty"`
}

// Journal is an append-only record of one migration, synced to disk after
// every record, so that it never claims a step that did not happen and loses
// at most the step in flight when the process dies. One process at a time
// may hold it.
type Journal struct {
	Header Header
	path   string
	f      *os.File
	now    func() time.Time

	// What earlier runs recorded.
	begun     map[int]bool
	done      map[int]Record
	conflicts map[int]Record
	finished  *Record
	// TornTail reports that the last line was not a whole record: a write
	// interrupted by a crash (the process died while writing it, or the
	// machine lost power and left the file's new length unwritten). Open
	// drops it; TailNote says what it was.
	TornTail bool
	tornLine int
	tornWhy  string
}

// ErrJournalExists is returned by Create when the path is already taken.
var ErrJournalExists = errors.New("the journal already exists")

// Create writes a new journal holding h, failing if the path exists. The
// file and its folder are synced before Create returns.
func Create(path string, h Header) (*Journal, error) {
	h.Type = "plan"
	h.Version = JournalVersion
	if h.Created == "" {
		h.Created = stamp(time.Now())
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("journal %s: %w", path, ErrJournalExists)
		}
		return nil, fmt.Errorf("journal: %w", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	j := &Journal{Header: h, path: path, f: f, now: time.Now, begun: map[int]bool{}, done: map[int]Record{}, conflicts: map[int]Record{}}
	if err := j.writeLine(h); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		f.Close()
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	return j, nil
}

// Open reads an existing journal to resume it. A last line that is not a
// whole record (a write a crash interrupted) is dropped, and the file
// truncated to the last whole record: that is safe because Apply reads
// every mouse back before moving it, so a lost "done" or "conflict" record
// is found again. Damage anywhere else is an error, never a guess.
func Open(path string) (*Journal, error) {
	if err := refuseSpecial(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	j, err := readJournal(path, f)
	if err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		f.Close()
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	j.f = f
	return j, nil
}

// Read reads a journal without opening it for writing (for a dry run's
// report). A torn last line is ignored (and left in the file).
func Read(path string) (*Journal, error) {
	if err := refuseSpecial(path); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	defer f.Close()
	j, _, err := parseJournal(path, f)
	return j, err
}

// refuseSpecial refuses a journal path that is there but is not a regular
// file: opening or reading a FIFO would wait for a writer for ever.
func refuseSpecial(path string) error {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return fmt.Errorf("journal %s: not a regular file (%s); give the path of a journal file", path, st.Mode().Type())
	}
	return nil
}

func readJournal(path string, f *os.File) (*Journal, error) {
	j, good, err := parseJournal(path, f)
	if err != nil {
		return nil, err
	}
	if j.TornTail {
		if err := f.Truncate(good); err != nil {
			return nil, fmt.Errorf("journal %s: dropping a torn last line: %w", path, err)
		}
		if err := f.Sync(); err != nil {
			return nil, fmt.Errorf("journal %s: %w", path, err)
		}
	}
	return j, nil
}

// parseJournal reads every record; it returns the journal and the length of
// its whole records.
func parseJournal(path string, r io.Reader) (*Journal, int64, error) {
	j := &Journal{path: path, now: time.Now, begun: map[int]bool{}, done: map[int]Record{}, conflicts: map[int]Record{}}
	br := bufio.NewReaderSize(r, 1<<16)
	var good int64
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if err == io.EOF {
			if len(line) > 0 {
				// A record without its line end: the process died writing it.
				j.TornTail, j.tornLine, j.tornWhy = true, n, "it has no line end"
			}
			break
		}
		if err != nil {
			return nil, 0, fmt.Errorf("journal %s: %w", path, err)
		}
		body := bytes.TrimSpace(line)
		if n == 1 {
			if err := json.Unmarshal(body, &j.Header); err != nil || j.Header.Type != "plan" {
				return nil, 0, fmt.Errorf("journal %s: line 1 is not a migration plan; is this a regc journal?", path)
			}
			if j.Header.Version != JournalVersion {
				return nil, 0, fmt.Errorf("journal %s: format version %d; this regc reads version %d", path, j.Header.Version, JournalVersion)
			}
			good += int64(len(line))
			continue
		}
		var rec Record
		if err := json.Unmarshal(body, &rec); err != nil {
			if _, perr := br.Peek(1); perr == io.EOF {
				// The last line, whole but not a record: a write interrupted
				// by a crash (a power loss can leave the file's new length
				// filled with zeros or old disk blocks).
				j.TornTail, j.tornLine, j.tornWhy = true, n, fmt.Sprintf("%d bytes that are not a record: %v", len(line), err)
				break
			}
			return nil, 0, fmt.Errorf("journal %s: line %d is damaged (%v), and lines follow it, so it is not a write interrupted by a crash: refusing to guess; fix or remove the line", path, n, err)
		}
		switch rec.Type {
		case "begin":
			j.begun[rec.ID] = true
		case "done":
			j.done[rec.ID] = rec
		case "conflict":
			j.conflicts[rec.ID] = rec
		case "finish":
			r := rec
			j.finished = &r
		default:
			return nil, 0, fmt.Errorf("journal %s: line %d: unknown record type %q", path, n, rec.Type)
		}
		good += int64(len(line))
	}
	if good == 0 {
		return nil, 0, fmt.Errorf("journal %s: empty (the process died before writing the plan?); remove it and run again", path)
	}
	return j, good, nil
}

// TailNote describes the last line TornTail reports dropped, or "".
func (j *Journal) TailNote() string {
	if !j.TornTail {
		return ""
	}
	return fmt.Sprintf("line %d, the last, was not a whole record (%s): taken as a write interrupted by a crash and dropped; every mouse is read back before it is moved, so nothing is lost", j.tornLine, j.tornWhy)
}

// Path returns the journal's file.
func (j *Journal) Path() string { return j.path }

// Done reports whether a mouse's move is recorded as done.
func (j *Journal) Done(id int) bool { _, ok := j.done[id]; return ok }

// InFlight reports whether a mouse's write was begun but not recorded done.
func (j *Journal) InFlight(id int) bool { return j.begun[id] && !j.Done(id) }

// Finished reports whether the journal records a finished migration.
func (j *Journal) Finished() bool { return j.finished != nil }

// Counts returns how many planned mice are done, in flight (begun, not
// done), in conflict, and not begun.
func (j *Journal) Counts() (done, inFlight, conflicts, todo int) {
	for _, m := range j.Header.Moves {
		switch {
		case j.Done(m.ID):
			done++
		case j.InFlight(m.ID):
			inFlight++
		case j.conflicts[m.ID].Type != "":
			conflicts++
		default:
			todo++
		}
	}
	return
}

// Append writes one record and syncs it to disk, except a "begin" record,
// which is written but synced with the record after it: it only tells an
// auditor which mouse was in flight, and a resumed run reads every mouse
// back rather than trusting it. (A process killed before the sync still
// leaves the record in the file; only a machine crash may lose it.)
func (j *Journal) Append(r Record) error {
	if j.f == nil {
		return fmt.Errorf("journal %s: opened read-only", j.path)
	}
	if r.At == "" {
		r.At = stamp(j.now())
	}
	if err := j.write(r, r.Type != "begin"); err != nil {
		return err
	}
	switch r.Type {
	case "begin":
		j.begun[r.ID] = true
	case "done":
		j.done[r.ID] = r
	case "conflict":
		j.conflicts[r.ID] = r
	case "finish":
		j.finished = &r
	}
	return nil
}

func (j *Journal) writeLine(v any) error { return j.write(v, true) }

func (j *Journal) write(v any, sync bool) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	b = append(b, '\n')
	if _, err := j.f.Write(b); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	if !sync {
		return nil
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	return nil
}

// Close releases the journal.
func (j *Journal) Close() error {
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	return err
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000") }

// syncDir makes a new file's name durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
