package sandbox_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/regc/regc/mtrain/mtraintest"
	"github.com/regc/regc/mtrain/sandbox"
	bolt "go.etcd.io/bbolt"
)

// A file that is not a sandbox database (an earlier regc's SQLite one, any
// other file, another program's bbolt file) is refused with a message that
// says what to do, and left as it was.
func TestSandboxRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	sqlite := filepath.Join(dir, "old.db")
	other := filepath.Join(dir, "notes.txt")
	foreign := filepath.Join(dir, "foreign.db")
	if err := os.WriteFile(sqlite, append([]byte("SQLite format 3\x00"), make([]byte, 8192)...), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, bytes.Repeat([]byte("some notes\n"), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(foreign, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("theirs")); return err }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, tc := range []struct{ path, want string }{
		{sqlite, "is a sandbox database from an earlier regc (SQLite)"},
		{other, "is not a sandbox database"},
		{foreign, "is a bbolt file, but not a sandbox database"},
	} {
		before, _ := os.ReadFile(tc.path)
		for _, open := range []func() (*sandbox.Sandbox, error){
			func() (*sandbox.Sandbox, error) {
				return sandbox.NewSandbox(tc.path, mtraintest.User, mtraintest.Password)
			},
			func() (*sandbox.Sandbox, error) { return sandbox.OpenSandbox(tc.path) },
		} {
			sb, err := open()
			if err == nil {
				sb.Close()
				t.Errorf("%s: opened, want a refusal", filepath.Base(tc.path))
				continue
			}
			if msg := err.Error(); !strings.Contains(msg, tc.want) || !strings.Contains(msg, "give --db a new path, or remove it") {
				t.Errorf("%s: got %q, want %q and what to do", filepath.Base(tc.path), msg, tc.want)
			}
		}
		if after, _ := os.ReadFile(tc.path); !bytes.Equal(before, after) {
			t.Errorf("%s: changed by the refused open", filepath.Base(tc.path))
		}
	}
}

// Two sandboxes on one file, and a seed beside them, share it (as they
// shared the SQLite file): each sees the others' writes.
func TestSandboxSharedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mtrain.db")
	sb1, err := sandbox.NewSandbox(path, mtraintest.User, mtraintest.Password)
	if err != nil {
		t.Fatal(err)
	}
	defer sb1.Close()
	sb2, err := sandbox.NewSandbox(path, mtraintest.User, mtraintest.Password)
	if err != nil {
		t.Fatalf("a second sandbox on the file: %v", err)
	}
	defer sb2.Close()
	h1, h2 := sb1.Handler(), sb2.Handler()
	if a := serve(h1, "POST", "/set_regimen/", loginCookie(t, h1), string(mtraintest.SampleDoc("Shared_v1.0.0"))); a.Code != http.StatusOK {
		t.Fatalf("set_regimen/ on the first: %d %s", a.Code, a.Body)
	}
	seeder, err := sandbox.OpenSandbox(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := seeder.Seed(context.Background(), []sandbox.SeedMouse{{Where: "x:1", LabTracksID: 700001, Regimen: "Shared_v1.0.0", Stage: "OPHYS_0"}})
	seeder.Close()
	if err != nil || res.Added != 1 {
		t.Fatalf("seed beside two sandboxes: %+v, %v", res, err)
	}
	for i, h := range []http.Handler{h1, h2} {
		if a := serve(h, "GET", "/api/v1/subjects/700001", "", ""); a.Code != http.StatusOK || !strings.Contains(a.Body.String(), `"stage_id":3`) {
			t.Errorf("sandbox %d: the seeded mouse: %d %s", i+1, a.Code, a.Body)
		}
	}
}

// A process that keeps the file locked makes the sandbox wait a bounded
// time and then say so; a file removed under a sandbox is said to be gone,
// not silently made anew.
func TestSandboxLockedOrRemoved(t *testing.T) {
	defer sandbox.SetLockTimeout(300 * time.Millisecond)()
	defer sandbox.SetLinger(0)() // the file is closed after each transaction
	path := filepath.Join(t.TempDir(), "mtrain.db")
	sb, err := sandbox.NewSandbox(path, mtraintest.User, mtraintest.Password)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	if sb2, err := sandbox.NewSandbox(path, mtraintest.User, mtraintest.Password); err == nil || !strings.Contains(err.Error(), "in use by another process") {
		if err == nil {
			sb2.Close()
		}
		t.Errorf("NewSandbox on a locked file: got %v, want in use by another process", err)
	}
	if a := serve(sb.Handler(), "GET", "/api/v1/subjects", "", ""); a.Code != http.StatusInternalServerError || !strings.Contains(a.Body.String(), "in use by another process") {
		t.Errorf("a read while another process holds the file: %d %s, want 500 naming the cause", a.Code, a.Body)
	}
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	if a := serve(sb.Handler(), "GET", "/api/v1/subjects", "", ""); a.Code != http.StatusOK {
		t.Errorf("a read once the lock is free: %d %s", a.Code, a.Body)
	}

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if a := serve(sb.Handler(), "GET", "/api/v1/subjects", "", ""); a.Code != http.StatusInternalServerError || !strings.Contains(a.Body.String(), "was removed") {
		t.Errorf("a read after the file was removed: %d %s, want 500 saying so", a.Code, a.Body)
	}
	if _, err := os.Lstat(path); err == nil {
		t.Errorf("the removed file was made anew")
	}
}
