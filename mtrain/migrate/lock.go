package migrate

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/regc/regc/internal/lazyre"
)

// ErrLocked is returned by LockSource when another process holds the lock.
var ErrLocked = errors.New("another regc is migrating mice from this regimen")

// SourceLock is an exclusive lock on migrating the mice of one source
// regimen on one server, held by one process until Release (or its end,
// even by kill -9). It is an advisory file lock (flock) in a folder on
// this machine: it keeps apart the regc processes that share the folder
// (one user account, by default), whatever journal each uses. Operators on
// other machines or accounts are not kept out by it; for them, Apply reads
// every mouse back before moving it.
type SourceLock struct {
	Path string
	f    *lockHandle
}

// LockInfo says who holds a lock; the holder writes it into the lock file.
type LockInfo struct {
	PID     int
	Started string
	Target  string
	Journal string
}

// LockSource takes the lock for migrating the mice of from on server, in
// dir (created, mode 0700, when missing). When another process holds it,
// the error wraps ErrLocked and names the holder's pid and journal.
func LockSource(dir, server, from string, info LockInfo) (*SourceLock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("the lock folder: %w", err)
	}
	path := filepath.Join(dir, lockName(server, from))
	f, err := openLock(path)
	if err != nil {
		return nil, fmt.Errorf("the lock %s: %w", path, err)
	}
	if err := f.tryLock(); err != nil {
		holder := readHolder(path)
		f.close()
		if errors.Is(err, errWouldBlock) {
			return nil, fmt.Errorf("%w (%s) on %s: %s; wait for it to end (the lock is %s)", ErrLocked, from, serverKey(server), holder, path)
		}
		return nil, fmt.Errorf("the lock %s: %w", path, err)
	}
	if info.PID == 0 {
		info.PID = os.Getpid()
	}
	if info.Started == "" {
		info.Started = stamp(time.Now())
	}
	text := fmt.Sprintf("pid %d\nstarted %s\nserver %s\nfrom %s\nto %s\njournal %s\n", info.PID, info.Started, serverKey(server), from, info.Target, info.Journal)
	if err := f.replace([]byte(text)); err != nil {
		f.close()
		return nil, fmt.Errorf("the lock %s: %w", path, err)
	}
	return &SourceLock{Path: path, f: &f}, nil
}

// Release gives the lock up. The file stays (removing it would let a
// process that opened it before the removal lock a file nobody else sees).
func (l *SourceLock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.close()
	l.f = nil
	return err
}

var holderLine = lazyre.New(`(?m)^(pid|started|journal|to) (.*)$`)

// readHolder describes the process that holds the lock at path, from what
// it wrote there.
func readHolder(path string) string {
	b, err := os.ReadFile(path)
	if err != nil || len(b) > 1<<16 {
		return "its pid is unknown"
	}
	got := map[string]string{}
	for _, m := range holderLine.Re().FindAllStringSubmatch(string(b), -1) {
		got[m[1]] = strings.TrimSpace(m[2])
	}
	pid, err := strconv.Atoi(got["pid"])
	if err != nil {
		return "its pid is unknown (it is still starting)"
	}
	out := fmt.Sprintf("pid %d", pid)
	if got["to"] != "" {
		out += ", moving them to " + got["to"]
	}
	if got["started"] != "" {
		out += ", since " + got["started"] + " UTC"
	}
	if got["journal"] != "" {
		out += ", with the journal " + got["journal"]
	}
	return out
}

// serverKey is a server's address as the lock knows it: scheme and host in
// lower case, the path without trailing slashes.
func serverKey(server string) string {
	u, err := url.Parse(server)
	if err != nil || u.Host == "" {
		return strings.TrimRight(server, "/")
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + strings.TrimRight(u.Path, "/")
}

// lockName is the lock file's name for a source regimen on a server: the
// regimen's name (made safe for a file name) and a hash of both.
func lockName(server, from string) string {
	sum := sha256.Sum256([]byte(serverKey(server) + "\x00" + from))
	safe := unsafeName.Re().ReplaceAllString(from, "_")
	if len(safe) > 80 {
		safe = safe[:80]
	}
	return "migrate-" + safe + "-" + hex.EncodeToString(sum[:8]) + ".lock"
}

var unsafeName = lazyre.New(`[^A-Za-z0-9._-]+`)
