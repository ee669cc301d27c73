package sandbox

import (
	"time"

	bolt "go.etcd.io/bbolt"
)

// What the external tests (package sandbox_test, which share the rig of
// package sandboxtest with the client's tests) need of the sandbox's
// insides.

const SessionCookie = sessionCookie

var CleanPath = cleanPath

// BoltOptions returns the options sb opens its database file with.
func BoltOptions(sb *Sandbox) *bolt.Options { return sb.st.boltOptions() }

// SetLockTimeout sets the wait for another process's lock on the file and
// returns a function that puts the old one back.
func SetLockTimeout(d time.Duration) func() {
	old := lockTimeout
	lockTimeout = d
	return func() { lockTimeout = old }
}

// SetLinger sets how long the file stays open after a transaction and
// returns a function that puts the old value back.
func SetLinger(d time.Duration) func() {
	old := linger
	linger = d
	return func() { linger = old }
}

// MetaValues returns the values of sb's meta table.
func MetaValues(sb *Sandbox) ([][]byte, error) {
	var out [][]byte
	err := sb.st.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bMeta).ForEach(func(_, v []byte) error {
			out = append(out, append([]byte(nil), v...))
			return nil
		})
	})
	return out, err
}

// UserHash returns the stored password hash of user.
func UserHash(sb *Sandbox, user string) ([]byte, error) {
	var u userRow
	err := sb.st.view(func(tx *bolt.Tx) error { return get(tx, bUsers, []byte(user), &u) })
	return u.Hash, err
}
