package sandbox

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/regc/regc/internal/atomicfile"
	"github.com/regc/regc/mtrain"
	bolt "go.etcd.io/bbolt"
)

// Sandbox is an mtrain-compatible server for rehearsals and tests. Its data
// lives in one bbolt file (store.go), and every write is committed and
// synced to disk before it is answered, so a kill -9 loses no acknowledged
// write. Serve it with Handler.
type Sandbox struct {
	st   *store
	path string
	user string

	// BodyTimeout bounds the time a request may take to send its body
	// (DefaultBodyTimeout when zero); a slower one is answered 408.
	BodyTimeout time.Duration

	notes []string
	now   func() time.Time
}

// DefaultBodyTimeout is the time a request has to send its body.
const DefaultBodyTimeout = 30 * time.Second

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
		s.Close()
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
	ident, err := checkFormat(dbPath)
	if err != nil {
		return nil, err
	}
	s := &Sandbox{st: newStore(dbPath, ident), path: dbPath, now: time.Now, notes: notes}
	if err := s.init(); err != nil {
		s.st.close()
		return nil, err
	}
	return s, nil
}

// prepareDatabaseFile makes sure the database at path is a regular file only
// its owner can read: a new one is created with mode 0600 (and its
// directory synced, so that the file outlives a crash); an existing one that
// is not a regular file (a directory, a FIFO, a symbolic link) is refused;
// one that others may read or write is changed to 0600, and a note says so.
func prepareDatabaseFile(path string) ([]string, error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("sandbox: create %s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			return nil, fmt.Errorf("sandbox: create %s: %w", path, err)
		}
		if d, err := os.Open(filepath.Dir(path)); err == nil {
			_ = d.Sync()
			d.Close()
		}
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, notRegular(path, fi.Mode())
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		if err := os.Chmod(path, perm&0o700|0o600); err != nil {
			return nil, fmt.Errorf("sandbox: %s has mode %04o, readable by others, and cannot be made 0600: %w", path, perm, err)
		}
		return []string{fmt.Sprintf("%s had mode %04o; it is now 0600", path, perm),
			"others could read the user's password hash: choose a new password"}, nil
	}
	return nil, nil
}

// notRegular is the answer to a --db path that is not a regular file.
func notRegular(path string, mode fs.FileMode) error {
	return fmt.Errorf("sandbox: %s is not a regular file (%s); give --db the path of a sandbox database, or of one to create", path, atomicfile.Describe(mode))
}

// Notes returns what opening the database changed that its owner should
// know (a mode made stricter).
func (s *Sandbox) Notes() []string { return s.notes }

func (s *Sandbox) init() error {
	return s.st.update(context.Background(), func(tx *bolt.Tx) error {
		if err := initStore(tx, s.path); err != nil {
			return err
		}
		return deleteExpiredSessions(tx, s.now().Unix())
	})
}

// deleteExpiredSessions deletes the sessions that expired before now.
func deleteExpiredSessions(tx *bolt.Tx, now int64) error {
	return deleteSessionsWhere(tx, func(r sessionRow) bool { return r.Expires < now })
}

func deleteSessionsWhere(tx *bolt.Tx, match func(sessionRow) bool) error {
	var doomed [][]byte
	c := tx.Bucket(bSessions).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var r sessionRow
		if json.Unmarshal(v, &r) != nil || match(r) {
			doomed = append(doomed, append([]byte(nil), k...))
		}
	}
	for _, k := range doomed {
		if err := tx.Bucket(bSessions).Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// setUser makes user a login with password.
func (s *Sandbox) setUser(user, password string) error {
	return s.st.update(context.Background(), func(tx *bolt.Tx) error {
		// Keep the stored hash when the password is unchanged, so that
		// sessions survive a restart; a new password ends them.
		var u userRow
		err := get(tx, bUsers, []byte(user), &u)
		unchanged := false
		switch {
		case err == nil:
			h, herr := hashPassword(password, u.Salt)
			unchanged = herr == nil && subtle.ConstantTimeCompare(h, u.Hash) == 1
		case !errors.Is(err, errNoRow):
			return fmt.Errorf("sandbox: read %s: %w", s.path, err)
		}
		if unchanged {
			return nil
		}
		salt := make([]byte, 16)
		if _, err := rand.Read(salt); err != nil {
			return err
		}
		hash, err := hashPassword(password, salt)
		if err != nil {
			return err
		}
		if err := put(tx, bUsers, []byte(user), userRow{Salt: salt, Hash: hash}); err != nil {
			return fmt.Errorf("sandbox: store user %s: %w", user, err)
		}
		// A new password ends the user's sessions.
		return deleteSessionsWhere(tx, func(r sessionRow) bool { return r.User == user })
	})
}

func hashPassword(password string, salt []byte) ([]byte, error) {
	return pbkdf2.Key(sha256.New, password, salt, pbkdf2Iterations, 32)
}

// checkPassword reports whether user's password is password.
func (s *Sandbox) checkPassword(_ context.Context, user, password string) (bool, error) {
	var u userRow
	err := s.st.view(func(tx *bolt.Tx) error { return get(tx, bUsers, []byte(user), &u) })
	if errors.Is(err, errNoRow) {
		// Spend the same time as for a known user.
		_, _ = hashPassword(password, make([]byte, 16))
		return false, nil
	}
	if err != nil {
		return false, err
	}
	got, err := hashPassword(password, u.Salt)
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, u.Hash) == 1, nil
}

// Close waits for the transactions running and closes the database.
// Every acknowledged write is already on disk.
func (s *Sandbox) Close() error { return s.st.close() }

// Path returns the database file.
func (s *Sandbox) Path() string { return s.path }

// String describes the sandbox (never its password).
func (s *Sandbox) String() string {
	return fmt.Sprintf("sandbox.Sandbox{db: %s, user: %q}", s.path, s.user)
}

// GoString is String.
func (s *Sandbox) GoString() string { return s.String() }

// timestamp formats t as mtrain does: ISO 8601 without a zone.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000") }

// event records a write in the audit trail, in tx.
func (s *Sandbox) event(tx *bolt.Tx, user, route string, id *int, from, to *int64, detail string) error {
	seq, err := nextID(tx, bEvents)
	if err != nil {
		return err
	}
	r := eventRow{At: timestamp(s.now()), User: user, Route: route, From: from, To: to, Detail: detail}
	if id != nil {
		n := int64(*id)
		r.LabTracksID = &n
	}
	return put(tx, bEvents, itob(seq), r)
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
func (s *Sandbox) Events(_ context.Context) ([]Event, error) {
	var out []Event
	err := s.st.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bEvents).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var r eventRow
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			out = append(out, Event{Seq: btoi(k), At: r.At, User: r.User, Route: r.Route, LabTracksID: int(deref(r.LabTracksID)),
				FromState: int(deref(r.From)), ToState: int(deref(r.To)), Detail: r.Detail})
		}
		return nil
	})
	return out, err
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// AddSubjects puts mice on a state in one transaction, without HTTP: for
// seeding large rehearsals quickly. A mouse already there is an error and
// nothing is added.
func (s *Sandbox) AddSubjects(ctx context.Context, stateID int, ids ...int) error {
	return s.st.update(ctx, func(tx *bolt.Tx) error {
		if tx.Bucket(bStates).Get(itob(int64(stateID))) == nil {
			return fmt.Errorf("sandbox: no state %d", stateID)
		}
		st := int64(stateID)
		for _, id := range ids {
			if id <= 0 || id == ReservedLabTracksID {
				return fmt.Errorf("sandbox: LabTracks_ID %d is not allowed", id)
			}
			if err := insertSubject(tx, id, st); err != nil {
				if errors.Is(err, mtrain.ErrExists) {
					return fmt.Errorf("sandbox: subject %d: %w", id, err)
				}
				return err
			}
			if err := s.event(tx, "", "seed", &id, nil, &st, "seeded"); err != nil {
				return err
			}
		}
		return nil
	})
}

// insertSubject adds a mouse on a state; mtrain.ErrExists when it is
// there (LabTracks_ID is the table's key).
func insertSubject(tx *bolt.Tx, id int, state int64) error {
	key := itob(int64(id))
	if tx.Bucket(bSubjects).Get(key) != nil {
		return mtrain.ErrExists
	}
	return put(tx, bSubjects, key, subjectRow{StateID: state})
}

// ReservedLabTracksID is treated specially by the real server; the sandbox refuses it.
const ReservedLabTracksID = 999999
