package sandbox

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/regc/regc/mtrain"
	_ "modernc.org/sqlite" // the pure-Go SQLite driver: no cgo, one file, durable
)

// Sandbox is an mtrain-compatible server for rehearsals and tests. Its data
// lives in one SQLite file opened in WAL mode with synchronous=FULL, and
// every write is committed before it is answered, so a kill -9 loses no
// acknowledged write. Serve it with Handler.
type Sandbox struct {
	db   *sql.DB
	path string
	user string

	// wmu serialises writes (SQLite has one writer; this keeps the busy
	// timeout out of the way of the fault tests).
	wmu sync.Mutex

	// BodyTimeout bounds the time a request may take to send its body
	// (DefaultBodyTimeout when zero); a slower one is answered 408.
	BodyTimeout time.Duration

	notes []string
	now   func() time.Time
}

// DefaultBodyTimeout is the time a request has to send its body.
const DefaultBodyTimeout = 30 * time.Second

const schema = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, salt BLOB NOT NULL, hash BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS regimens (
	id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, active INTEGER NOT NULL DEFAULT 1,
	is_default INTEGER NOT NULL DEFAULT 0, document TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS stages (
	id INTEGER PRIMARY KEY, regimen_id INTEGER NOT NULL REFERENCES regimens(id), name TEXT NOT NULL,
	script TEXT, script_md5 TEXT, parameters TEXT);
CREATE TABLE IF NOT EXISTS states (
	id INTEGER PRIMARY KEY, regimen_id INTEGER NOT NULL REFERENCES regimens(id),
	stage_id INTEGER NOT NULL UNIQUE REFERENCES stages(id));
CREATE TABLE IF NOT EXISTS transitions (
	id INTEGER PRIMARY KEY, regimen_id INTEGER NOT NULL REFERENCES regimens(id), "trigger" TEXT NOT NULL,
	source_state_id INTEGER NOT NULL REFERENCES states(id), target_state_id INTEGER NOT NULL REFERENCES states(id),
	conditions TEXT, "unless" TEXT);
CREATE INDEX IF NOT EXISTS transitions_source ON transitions(source_state_id);
CREATE TABLE IF NOT EXISTS subjects (
	LabTracks_ID INTEGER PRIMARY KEY, state_id INTEGER NOT NULL REFERENCES states(id));
CREATE TABLE IF NOT EXISTS behavior_sessions (
	id TEXT PRIMARY KEY, LabTracks_ID INTEGER NOT NULL REFERENCES subjects(LabTracks_ID), date TEXT NOT NULL,
	state_id INTEGER NOT NULL, peak_dprime REAL, engaged_trials INTEGER, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS behavior_sessions_subject ON behavior_sessions(LabTracks_ID);
CREATE TABLE IF NOT EXISTS sessions (
	token_hash BLOB PRIMARY KEY, user TEXT NOT NULL, expires INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events (
	seq INTEGER PRIMARY KEY, at TEXT NOT NULL, user TEXT NOT NULL, route TEXT NOT NULL,
	LabTracks_ID INTEGER, from_state_id INTEGER, to_state_id INTEGER, detail TEXT NOT NULL);
`

const pbkdf2Iterations = 10000

// NewSandbox opens (creating if need be) the sandbox database at dbPath and
// makes user a login with password (created, or its password replaced).
// Users created earlier stay in the database.
func NewSandbox(dbPath, user, password string) (*Sandbox, error) {
	if strings.TrimSpace(user) == "" {
		return nil, errors.New("sandbox: no user name")
	}
	if password == "" {
		return nil, errors.New("sandbox: empty password")
	}
	s, err := openSandbox(dbPath, true)
	if err != nil {
		return nil, err
	}
	s.user = user
	if err := s.setUser(user, password); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// OpenSandbox opens an existing sandbox database without touching its
// users: for seeding it while a sandbox serves it, or before.
func OpenSandbox(dbPath string) (*Sandbox, error) {
	return openSandbox(dbPath, false)
}

func openSandbox(dbPath string, create bool) (*Sandbox, error) {
	if strings.TrimSpace(dbPath) == "" {
		return nil, errors.New("sandbox: no database path")
	}
	if strings.ContainsAny(dbPath, "?#") {
		return nil, fmt.Errorf("sandbox: database path %q must not contain ? or #", dbPath)
	}
	if !create {
		if _, err := os.Lstat(dbPath); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("sandbox: no database %s (regc sandbox --db %s creates it)", dbPath, dbPath)
		}
	}
	notes, err := prepareDatabaseFile(dbPath)
	if err != nil {
		return nil, err
	}
	// An absolute path, so that a name such as "file:x" is never read as
	// an SQLite URI.
	abs, err := filepath.Abs(dbPath)
	if err != nil {
		return nil, fmt.Errorf("sandbox: %s: %w", dbPath, err)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", abs+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sandbox: open %s: %w", dbPath, err)
	}
	s := &Sandbox{db: db, path: dbPath, now: time.Now, notes: notes}
	if err := s.init(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// The files SQLite keeps beside a database.
var databaseCompanions = []string{"-wal", "-shm", "-journal"}

// prepareDatabaseFile makes sure the database at path is a regular file only
// its owner can read: a new one is created with mode 0600 (SQLite gives its
// WAL and shared-memory files the database's mode); an existing one, or a
// companion file, that is not a regular file (a directory, a FIFO, a
// symbolic link) is refused; one that others may read or write is changed
// to 0600, and a note says so.
func prepareDatabaseFile(path string) ([]string, error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("sandbox: create %s: %w", path, err)
		}
		return nil, f.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	var notes []string
	check := func(p string, fi fs.FileInfo) error {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("sandbox: %s is not a regular file (%s); give --db the path of an SQLite file, or of one to create", p, fileKind(fi.Mode()))
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			if err := os.Chmod(p, perm&0o700|0o600); err != nil {
				return fmt.Errorf("sandbox: %s has mode %04o, readable by others, and cannot be made 0600: %w", p, perm, err)
			}
			notes = append(notes, fmt.Sprintf("%s had mode %04o; it is now 0600", p, perm))
		}
		return nil
	}
	if err := check(path, fi); err != nil {
		return nil, err
	}
	for _, suffix := range databaseCompanions {
		fi, err := os.Lstat(path + suffix)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("sandbox: %w", err)
		}
		if err := check(path+suffix, fi); err != nil {
			return nil, err
		}
	}
	if len(notes) > 0 {
		notes = append(notes, "others could read the user's password hash: choose a new password")
	}
	return notes, nil
}

func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a plain file"
}

// Notes returns what opening the database changed that its owner should
// know (a mode made stricter).
func (s *Sandbox) Notes() []string { return s.notes }

func (s *Sandbox) init() error {
	ctx := context.Background()
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("sandbox: open %s: %w", s.path, err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("sandbox: %s: journal mode is %s, want wal", s.path, mode)
	}
	var syncMode int
	if err := s.db.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&syncMode); err != nil {
		return fmt.Errorf("sandbox: %s: %w", s.path, err)
	}
	if syncMode < 2 {
		return fmt.Errorf("sandbox: %s: synchronous is %d, want 2 (FULL)", s.path, syncMode)
	}
	return s.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, schema); err != nil {
			return fmt.Errorf("sandbox: create tables in %s: %w", s.path, err)
		}
		// Sessions are kept as hashes of their tokens, so the database
		// holds nothing that makes a cookie; an older sandbox kept a
		// signing secret here.
		if _, err := tx.ExecContext(ctx, "DELETE FROM meta WHERE key = 'session_secret'"); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE expires < ?", s.now().Unix())
		return err
	})
}

// setUser makes user a login with password.
func (s *Sandbox) setUser(user, password string) error {
	ctx := context.Background()
	return s.writeTx(ctx, func(tx *sql.Tx) error {
		// Keep the stored hash when the password is unchanged, so that
		// sessions survive a restart; a new password ends them.
		var salt, stored []byte
		err := tx.QueryRowContext(ctx, "SELECT salt, hash FROM users WHERE name = ?", user).Scan(&salt, &stored)
		unchanged := false
		switch {
		case err == nil:
			h, herr := hashPassword(password, salt)
			unchanged = herr == nil && subtle.ConstantTimeCompare(h, stored) == 1
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("sandbox: read %s: %w", s.path, err)
		}
		if !unchanged {
			salt = make([]byte, 16)
			if _, err := rand.Read(salt); err != nil {
				return err
			}
			hash, err := hashPassword(password, salt)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO users(name, salt, hash) VALUES (?, ?, ?)
				ON CONFLICT(name) DO UPDATE SET salt = excluded.salt, hash = excluded.hash`, user, salt, hash); err != nil {
				return fmt.Errorf("sandbox: store user %s: %w", user, err)
			}
			// A new password ends the user's sessions.
			if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user = ?", user); err != nil {
				return err
			}
		}
		return nil
	})
}

func hashPassword(password string, salt []byte) ([]byte, error) {
	return pbkdf2.Key(sha256.New, password, salt, pbkdf2Iterations, 32)
}

// checkPassword reports whether user's password is password.
func (s *Sandbox) checkPassword(ctx context.Context, user, password string) (bool, error) {
	var salt, hash []byte
	err := s.db.QueryRowContext(ctx, "SELECT salt, hash FROM users WHERE name = ?", user).Scan(&salt, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		// Spend the same time as for a known user.
		_, _ = hashPassword(password, make([]byte, 16))
		return false, nil
	}
	if err != nil {
		return false, err
	}
	got, err := hashPassword(password, salt)
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, hash) == 1, nil
}

// Close closes the database. Every acknowledged write is already on disk.
func (s *Sandbox) Close() error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return s.db.Close()
}

// Path returns the database file.
func (s *Sandbox) Path() string { return s.path }

// String describes the sandbox (never its password).
func (s *Sandbox) String() string {
	return fmt.Sprintf("sandbox.Sandbox{db: %s, user: %q}", s.path, s.user)
}

// GoString is String.
func (s *Sandbox) GoString() string { return s.String() }

// writeTx runs fn in one immediate transaction and commits it: the caller
// answers only after writeTx returns nil.
func (s *Sandbox) writeTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// timestamp formats t as mtrain does: ISO 8601 without a zone.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000") }

func (s *Sandbox) event(ctx context.Context, tx *sql.Tx, user, route string, id *int, from, to *int64, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO events(at, user, route, LabTracks_ID, from_state_id, to_state_id, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, timestamp(s.now()), user, route, id, from, to, detail)
	return err
}

// Event is one write the sandbox applied, kept for audits: a rehearsal (or
// a test) can check that every mouse was moved exactly once.
type Event struct {
	Seq         int64
	At          string // ISO 8601, UTC, no zone
	User        string // the logged-in user, or "" for unauthenticated routes
	Route       string // set_regimen, add_subject, set_state, progress
	LabTracksID int    // 0 for set_regimen
	FromState   int    // 0 when none
	ToState     int    // 0 when none
	Detail      string
}

// Events returns every write the sandbox has applied, in order.
func (s *Sandbox) Events(ctx context.Context) ([]Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, at, user, route, coalesce(LabTracks_ID, 0),
		coalesce(from_state_id, 0), coalesce(to_state_id, 0), detail FROM events ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.Seq, &e.At, &e.User, &e.Route, &e.LabTracksID, &e.FromState, &e.ToState, &e.Detail); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// AddSubjects puts mice on a state in one transaction, without HTTP: for
// seeding large rehearsals quickly. A mouse already there is an error and
// nothing is added.
func (s *Sandbox) AddSubjects(ctx context.Context, stateID int, ids ...int) error {
	return s.writeTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM states WHERE id = ?", stateID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("sandbox: no state %d", stateID)
		}
		st := int64(stateID)
		for _, id := range ids {
			if id <= 0 || id == ReservedLabTracksID {
				return fmt.Errorf("sandbox: LabTracks_ID %d is not allowed", id)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO subjects(LabTracks_ID, state_id) VALUES (?, ?)", id, stateID); err != nil {
				if isUniqueErr(err) {
					return fmt.Errorf("sandbox: subject %d: %w", id, mtrain.ErrExists)
				}
				return err
			}
			if err := s.event(ctx, tx, "", "seed", &id, nil, &st, "seeded"); err != nil {
				return err
			}
		}
		return nil
	})
}

func isUniqueErr(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// ReservedLabTracksID is treated specially by the real server; the sandbox refuses it.
const ReservedLabTracksID = 999999
