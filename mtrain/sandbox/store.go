package sandbox

// The store: one bbolt file (a B+tree with ACID transactions; every commit
// is written and fdatasync'd before Update returns), one bucket per table
// keyed as the table's primary key was (integer ids as 8-byte big-endian,
// so that a cursor walks them in id order), rows as JSON, and index
// buckets where a lookup needs one. Several processes may use one file, as
// they could the SQLite file before (a sandbox serving it and `regc sandbox
// seed`, or two sandboxes): the file is opened, and its lock taken, only
// while transactions run, and a process waits up to lockTimeout for the lock.

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/regc/regc/internal/atomicfile"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// The buckets, one per table, and the indexes.
var (
	bMeta        = []byte("meta")                         // key → value; "format" names the layout
	bUsers       = []byte("users")                        // name → userRow
	bRegimens    = []byte("regimens")                     // id → regimenRow
	bRegimenName = []byte("regimen_names")                // name → id (the UNIQUE name)
	bStages      = []byte("stages")                       // id → stageRow
	bStates      = []byte("states")                       // id → stateRow; a state's id is its stage's
	bTransitions = []byte("transitions")                  // id → transitionRow
	bTransSource = []byte("transitions_by_source")        // source state id + id → nothing
	bSubjects    = []byte("subjects")                     // LabTracks_ID → subjectRow
	bBehavior    = []byte("behavior_sessions")            // id (text) → behaviorRow
	bBehaviorSub = []byte("behavior_sessions_by_subject") // LabTracks_ID + rowid → id
	bSessions    = []byte("sessions")                     // sha256 of the cookie's token → sessionRow
	bEvents      = []byte("events")                       // seq → eventRow
)

var allBuckets = [][]byte{bMeta, bUsers, bRegimens, bRegimenName, bStages, bStates, bTransitions, bTransSource,
	bSubjects, bBehavior, bBehaviorSub, bSessions, bEvents}

// storeFormat is the meta "format" value of the layout above.
const storeFormat = "regc sandbox 1"

// sqliteMagic starts every SQLite database: the sandbox's store before bbolt.
const sqliteMagic = "SQLite format 3\x00"

// lockTimeout bounds the wait for another process's transaction (a seed, a
// second sandbox on the same file), as SQLite's busy timeout did.
var lockTimeout = 10 * time.Second

type userRow struct {
	Salt []byte `json:"salt"`
	Hash []byte `json:"hash"`
}

type regimenRow struct {
	Name     string `json:"name"`
	Active   bool   `json:"active"`
	Default  bool   `json:"default"`
	Document string `json:"document"`
	Created  string `json:"created"`
	// Stages are the ids of its stages (and so of its states), in upload
	// order, which is id order.
	Stages []int64 `json:"stages"`
}

type stageRow struct {
	RegimenID  int64   `json:"regimen_id"`
	Name       string  `json:"name"`
	Script     *string `json:"script"`
	ScriptMD5  *string `json:"script_md5"`
	Parameters *string `json:"parameters"` // JSON text; nil for none
}

type stateRow struct {
	RegimenID int64 `json:"regimen_id"`
	StageID   int64 `json:"stage_id"`
}

type transitionRow struct {
	RegimenID  int64   `json:"regimen_id"`
	Trigger    string  `json:"trigger"`
	Source     int64   `json:"source_state_id"`
	Target     int64   `json:"target_state_id"`
	Conditions *string `json:"conditions"` // JSON text; nil for none
	Unless     *string `json:"unless"`
}

type subjectRow struct {
	StateID int64 `json:"state_id"`
}

type behaviorRow struct {
	Rowid       int64    `json:"rowid"` // the order of insertion, which breaks ties of date
	LabTracksID int64    `json:"LabTracks_ID"`
	Date        string   `json:"date"`
	StateID     int64    `json:"state_id"`
	PeakDPrime  *float64 `json:"peak_dprime"`
	Engaged     *int64   `json:"engaged_trials"`
	Data        string   `json:"data"`
}

type sessionRow struct {
	User    string `json:"user"`
	Expires int64  `json:"expires"`
}

type eventRow struct {
	At          string `json:"at"`
	User        string `json:"user"`
	Route       string `json:"route"`
	LabTracksID *int64 `json:"LabTracks_ID"`
	From        *int64 `json:"from_state_id"`
	To          *int64 `json:"to_state_id"`
	Detail      string `json:"detail"`
}

// errNoRow is a lookup that found nothing (a 404 on the read API).
var errNoRow = errors.New("no such row")

// itob is an integer key: big-endian, so that keys sort as the integers
// (all ids are positive).
func itob(n int64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(n))
	return b[:]
}

func btoi(b []byte) int64 { return int64(binary.BigEndian.Uint64(b)) }

// pair is the key of an index entry: two integers.
func pair(a, b int64) []byte { return append(itob(a), itob(b)...) }

// get decodes the row at key of bucket into v; errNoRow when there is none.
func get(tx *bolt.Tx, bucket, key []byte, v any) error {
	raw := tx.Bucket(bucket).Get(key)
	if raw == nil {
		return errNoRow
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%s: a row does not decode: %w", bucket, err)
	}
	return nil
}

// put encodes v at key of bucket.
func put(tx *bolt.Tx, bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.Bucket(bucket).Put(key, raw)
}

// nextID is the next id of a table, as SQLite gave an INTEGER PRIMARY KEY
// (one more than the largest; rows are never deleted from these tables).
func nextID(tx *bolt.Tx, bucket []byte) (int64, error) {
	n, err := tx.Bucket(bucket).NextSequence()
	return int64(n), err
}

// linger is how long the file stays open after the last transaction, so
// that a stream of requests does not reopen it for each: another process
// (a seed, a second sandbox) gets its turn once this one is idle that long.
var linger = 20 * time.Millisecond

// store is the database file, opened while transactions run.
type store struct {
	path  string
	ident os.FileInfo // the file opened first: a file put in its place is refused

	mu     sync.Mutex
	idle   *sync.Cond // signalled when users drops to 0
	db     *bolt.DB
	users  int    // transactions running
	idles  uint64 // times users dropped to 0: a timer closes db only if none since
	closed bool
}

func newStore(path string, ident os.FileInfo) *store {
	st := &store{path: path, ident: ident}
	st.idle = sync.NewCond(&st.mu)
	return st
}

// boltOptions are the options the file is opened with: commits synced
// (NoSync and NoGrowSync false), a bounded wait for the lock, and no file
// but the one first opened.
func (st *store) boltOptions() *bolt.Options {
	return &bolt.Options{Timeout: lockTimeout, OpenFile: st.openFile}
}

// openFile opens the database file for bbolt: never through a symbolic
// link, never creating it, and only the file first opened.
func (st *store) openFile(name string, flag int, perm os.FileMode) (*os.File, error) {
	f, err := os.OpenFile(name, flag&^os.O_CREATE|openNoFollow, perm)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s was removed while in use; its data is gone with it", st.path)
	}
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("%s was replaced by something that is not a regular file (%s) while in use", st.path, atomicfile.Describe(fi.Mode()))
	} else if err == nil && st.ident != nil && !os.SameFile(fi, st.ident) {
		err = fmt.Errorf("%s was replaced by another file while in use; restart with the --db you mean", st.path)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// acquire opens the file (or shares the open file) for one transaction.
func (st *store) acquire() (*bolt.DB, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed {
		return nil, errors.New("sandbox: the database is closed")
	}
	if st.db == nil {
		db, err := bolt.Open(st.path, 0o600, st.boltOptions())
		if err != nil {
			return nil, st.openErr(err)
		}
		st.db = db
	}
	st.users++
	return st.db, nil
}

// release ends acquire: the file is closed, so that another process can
// take its turn, when no transaction has begun for linger.
func (st *store) release() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.users--
	if st.users > 0 {
		return nil
	}
	st.idle.Broadcast()
	st.idles++
	if linger <= 0 || st.closed {
		return st.closeFile()
	}
	n := st.idles
	time.AfterFunc(linger, func() {
		st.mu.Lock()
		defer st.mu.Unlock()
		if st.idles == n && st.users == 0 {
			_ = st.closeFile()
		}
	})
	return nil
}

// closeFile closes the file, if open; st.mu is held.
func (st *store) closeFile() error {
	if st.db == nil {
		return nil
	}
	db := st.db
	st.db = nil
	return db.Close()
}

// close waits for the transactions running, closes the file and refuses
// new transactions.
func (st *store) close() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.closed = true
	for st.users > 0 {
		st.idle.Wait()
	}
	return st.closeFile()
}

func (st *store) openErr(err error) error {
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return fmt.Errorf("sandbox: %s is in use by another process (a regc sandbox or seed on the same file) and was not free within %v", st.path, lockTimeout)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrChecksum):
		return fmt.Errorf("sandbox: %s is not a sandbox database (%v); give --db a new path, or remove it", st.path, err)
	}
	return fmt.Errorf("sandbox: open %s: %w", st.path, err)
}

// view runs fn in a read transaction.
func (st *store) view(fn func(tx *bolt.Tx) error) error {
	db, err := st.acquire()
	if err != nil {
		return err
	}
	err = db.View(fn)
	if rerr := st.release(); err == nil {
		err = rerr
	}
	return err
}

// update runs fn in a write transaction and commits it, synced to disk,
// unless fn fails or ctx ends first: the caller answers only after update
// returns nil.
func (st *store) update(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	db, err := st.acquire()
	if err != nil {
		return err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		// The client went away: apply nothing, as nobody hears the answer.
		return ctx.Err()
	})
	if rerr := st.release(); err == nil {
		err = rerr
	}
	return err
}

// checkFormat refuses a file that holds an earlier sandbox's SQLite
// database, before bbolt reads it, and anything but a regular file (a FIFO
// put in the path's place is not waited on); it returns the file's
// identity, which every later open must match.
func checkFormat(path string) (os.FileInfo, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|openNoFollow|openNonBlock, 0)
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	defer f.Close()
	// the file opened is the one the sandbox keeps to: a regular file
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, notRegular(path, fi.Mode())
	}
	head := make([]byte, len(sqliteMagic))
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("sandbox: read %s: %w", path, err)
	}
	if bytes.Equal(head[:n], []byte(sqliteMagic)) {
		return nil, fmt.Errorf("sandbox: %s is a sandbox database from an earlier regc (SQLite), which this regc does not read; give --db a new path, or remove it", path)
	}
	return fi, nil
}

// initStore makes the buckets of a new file, and refuses a bbolt file that
// something else wrote.
func initStore(tx *bolt.Tx, path string) error {
	meta := tx.Bucket(bMeta)
	if meta == nil {
		empty := true
		_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
		if !empty {
			return fmt.Errorf("sandbox: %s is a bbolt file, but not a sandbox database; give --db a new path, or remove it", path)
		}
	} else if f := meta.Get([]byte("format")); string(f) != storeFormat {
		return fmt.Errorf("sandbox: %s is a sandbox database of another layout (%q); give --db a new path, or remove it", path, f)
	}
	for _, b := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	if meta == nil {
		return tx.Bucket(bMeta).Put([]byte("format"), []byte(storeFormat))
	}
	return nil
}
