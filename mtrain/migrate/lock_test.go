//go:build unix

package migrate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// One source regimen on one server is migrated by one process at a time,
// whatever journal each uses; the refusal names the holder.
func TestLockSource(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "locks")
	info := LockInfo{Target: "T_v2.0.0", Journal: "/home/alice/a.journal"}
	l, err := LockSource(dir, "http://mtrain:5000/", "T_v1.0.0", info)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(dir); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("lock folder: %v %v", st.Mode(), err)
	}
	// The same server written another way, another target and journal.
	_, err = LockSource(dir, "HTTP://MTRAIN:5000", "T_v1.0.0", LockInfo{Target: "T_v1.1.0", Journal: "b.journal"})
	want := fmt.Sprintf("another regc is migrating mice from this regimen (T_v1.0.0) on http://mtrain:5000: pid %d, moving them to T_v2.0.0, since ", os.Getpid())
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "with the journal /home/alice/a.journal; wait for it to end") {
		t.Errorf("second lock: %v\nwant %q", err, want)
	}
	for _, other := range [][2]string{{"http://mtrain:5000/", "T_v1.1.0"}, {"http://other:5000/", "T_v1.0.0"}} {
		o, err := LockSource(dir, other[0], other[1], info)
		if err != nil {
			t.Errorf("%v: %v", other, err)
			continue
		}
		o.Release()
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	l, err = LockSource(dir, "http://mtrain:5000", "T_v1.0.0", info)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	l.Release()
	// A symbolic link where the lock file goes is refused, not followed.
	victim := filepath.Join(t.TempDir(), "victim")
	os.WriteFile(victim, []byte("keep"), 0o600)
	path := filepath.Join(dir, lockName("http://mtrain:5000", "S_v1"))
	if err := os.Symlink(victim, path); err != nil {
		t.Fatal(err)
	}
	if _, err := LockSource(dir, "http://mtrain:5000", "S_v1", info); err == nil {
		t.Error("a symbolic link was taken as the lock")
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Errorf("the link's target was written: %q", b)
	}
}
