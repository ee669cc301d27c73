package sandbox_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/regc/regc/mtrain"
	"github.com/regc/regc/mtrain/mtraintest"
	"github.com/regc/regc/mtrain/sandbox"
	"github.com/regc/regc/mtrain/sandbox/sandboxtest"
)

// Every commit is synced to disk before it is answered (what SQLite's
// synchronous=FULL was), and a lock held by another process is waited for
// a bounded time (its busy timeout).
func TestSandboxSyncs(t *testing.T) {
	sb := sandboxtest.NewSandbox(t)
	o := sandbox.BoltOptions(sb)
	if o.NoSync || o.NoGrowSync || o.NoFreelistSync || o.ReadOnly {
		t.Errorf("bbolt options %+v: want commits synced (NoSync, NoGrowSync, NoFreelistSync false), read-write", o)
	}
	if o.Timeout <= 0 {
		t.Errorf("bbolt lock timeout %v: want a bounded wait", o.Timeout)
	}
}

func TestNewSandboxRefuses(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ path, user, password, want string }{
		{"", "u", "p", "no database path"},
		{filepath.Join(dir, "a?b.db"), "u", "p", "must not contain"},
		{filepath.Join(dir, "x.db"), "", "p", "no user"},
		{filepath.Join(dir, "x.db"), "u", "", "empty password"},
		{filepath.Join(dir, "no", "such", "dir.db"), "u", "p", "sandbox"},
	} {
		sb, err := sandbox.NewSandbox(tc.path, tc.user, tc.password)
		if err == nil {
			sb.Close()
			t.Errorf("NewSandbox(%q, %q): got nil, want an error", tc.path, tc.user)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewSandbox(%q, %q): got %v, want %q in it", tc.path, tc.user, err, tc.want)
		}
	}
}

// TestSandboxProcess is the child of TestSandboxKill9: a sandbox in its own
// process, printing its address.
func TestSandboxProcess(t *testing.T) {
	path := os.Getenv("REGC_TEST_SANDBOX_DB")
	if path == "" {
		t.Skip("the child process of TestSandboxKill9")
	}
	sb, err := sandbox.NewSandbox(path, mtraintest.User, mtraintest.Password)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	ln, err := sandbox.ListenLoopback("127.0.0.1:0", false)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("listening", ln.Addr())
	_ = sandbox.Serve(context.Background(), ln, sb.Handler())
}

// kill -9 in the middle of a stream of writes loses none that was answered.
func TestSandboxKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	path := filepath.Join(t.TempDir(), "mtrain.db")
	ctx := context.Background()
	start := func() (*exec.Cmd, string) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSandboxProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), "REGC_TEST_SANDBOX_DB="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil || !strings.HasPrefix(line, "listening ") {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("child: got %q, %v", line, err)
		}
		return cmd, "http://" + strings.TrimSpace(strings.TrimPrefix(line, "listening "))
	}
	cmd, url := start()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	r := &sandboxtest.Rig{Logs: &mtraintest.LogBuf{}}
	r.Srv = &httptest.Server{URL: url}
	c := r.Client(t, func(cfg *mtrain.Config) { cfg.Attempts = 1 })
	st := r.Upload(t, c, "Kill_v1.0.0")

	// Four writers add mice; the process is killed after 60 answers.
	var mu sync.Mutex
	var acked []int
	killed := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				id := 100000 + w*10000 + i
				if err := c.AddSubject(ctx, id, st["TRAINING_0"]); err != nil {
					return
				}
				mu.Lock()
				acked = append(acked, id)
				n := len(acked)
				mu.Unlock()
				if n >= 60 {
					once.Do(func() {
						cmd.Process.Signal(syscall.SIGKILL)
						close(killed)
					})
				}
			}
		}(w)
	}
	<-killed
	wg.Wait()
	cmd.Wait()

	sb, err := sandbox.NewSandbox(path, mtraintest.User, mtraintest.Password)
	if err != nil {
		t.Fatalf("reopen after kill -9: %v", err)
	}
	defer sb.Close()
	mu.Lock()
	defer mu.Unlock()
	missing := 0
	h := sb.Handler()
	for _, id := range acked {
		if a := serve(h, "GET", fmt.Sprintf("/api/v1/subjects/%d", id), "", ""); a.Code != 200 {
			missing++
		}
	}
	if missing > 0 || len(acked) < 60 {
		t.Errorf("after kill -9: %d of %d acknowledged writes missing, want 0 of at least 60", missing, len(acked))
	}
	a := serve(h, "GET", "/api/v1/subjects", "", "")
	var page struct {
		Num int `json:"num_results"`
	}
	json.Unmarshal(a.Body.Bytes(), &page)
	t.Logf("acknowledged %d, stored %d", len(acked), page.Num)
}

func TestCheckLoopback(t *testing.T) {
	for _, tc := range []struct {
		addr  string
		force bool
		ok    bool
	}{
		{"127.0.0.1:0", false, true},
		{"127.1.2.3:8080", false, true},
		{"localhost:5000", false, true},
		{"[::1]:5000", false, true},
		{":5000", false, false},
		{"0.0.0.0:5000", false, false},
		{"[::]:5000", false, false},
		{"192.168.1.5:5000", false, false},
		{"mtrain:5000", false, false},
		{"0.0.0.0:5000", true, true},
		{"no-port", false, false},
		{"no-port", true, false},
	} {
		err := sandbox.CheckLoopback(tc.addr, tc.force)
		if (err == nil) != tc.ok {
			t.Errorf("CheckLoopback(%q, %v): got %v, want ok=%v", tc.addr, tc.force, err, tc.ok)
		}
	}
	if _, err := sandbox.ListenLoopback("0.0.0.0:0", false); err == nil || !strings.Contains(err.Error(), "not loopback") {
		t.Errorf("ListenLoopback(0.0.0.0:0): got %v, want a refusal", err)
	}
}

func TestServe(t *testing.T) {
	sb := sandboxtest.NewSandbox(t)
	ln, err := sandbox.ListenLoopback("127.0.0.1:0", false)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sandbox.Serve(ctx, ln, sb.Handler()) }()
	c, _ := mtrain.New(mtrain.Config{Server: "http://" + ln.Addr().String(), Attempts: 1})
	if err := c.Ping(context.Background()); err != nil {
		t.Errorf("Ping: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after cancel: got %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not stop")
	}
}
