package main

import (
	"bytes"
	"context"
	"fmt"
	"github.com/regc/regc/internal/testtool"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/regc/regc/mtrain"
	"github.com/regc/regc/mtrain/sandbox"
)

// TestSyncProcesses builds the regc binary once and runs regc and the
// sandbox as separate processes: the end-to-end scenario, kill -9 of the
// sandbox in the middle of a 2,000-mouse migration, kill -9 of regc itself,
// the password never shown, the Python clients' requests replayed, and the
// sandbox's signals and loopback rule.
func TestSyncProcesses(t *testing.T) {
	testtool.Need(t, "go", "the regc binary cannot be built")
	bin := filepath.Join(t.TempDir(), "regc")
	start := time.Now()
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built regc in %v", time.Since(start).Round(time.Millisecond))
	t.Run("scenario", func(t *testing.T) { testProcessScenario(t, bin) })
	t.Run("kill -9 sandbox", func(t *testing.T) { testKillSandbox(t, bin) })
	t.Run("kill -9 regc", func(t *testing.T) { testKillRegc(t, bin) })
	t.Run("password", func(t *testing.T) { testPasswordNeverShown(t, bin) })
	t.Run("password prompt", func(t *testing.T) { testPasswordPrompt(t, bin) })
	t.Run("replay", func(t *testing.T) { testSandboxReplay(t, bin) })
	t.Run("sandbox signals and loopback", func(t *testing.T) { testSandboxSignals(t, bin) })
	t.Run("sandbox --faults", func(t *testing.T) { testSandboxFaults(t, bin) })
	t.Run("concurrent migrations", func(t *testing.T) { testConcurrentMigration(t, bin) })
	t.Run("README rehearsal", func(t *testing.T) { testReadmeRehearsal(t, bin) })
	t.Run("start-up work", func(t *testing.T) { testStartupWork(t, bin) })
}

// lockedBuffer is a bytes.Buffer safe to read while a process writes it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// proc is a child process of regc.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr *lockedBuffer
	// cmdline is /proc/<pid>/cmdline, read as soon as the process started
	// (empty where there is no /proc).
	cmdline string
	done    chan struct{}
	code    int
}

// childEnv is this process's environment without any REGC_ variable, plus
// extra.
func childEnv(extra map[string]string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "REGC_") {
			env = append(env, kv)
		}
	}
	for k, v := range extra {
		env = append(env, k+"="+v)
	}
	return env
}

// startRegc starts the regc binary in dir.
func startRegc(t *testing.T, bin, dir string, env map[string]string, stdin io.Reader, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, done: make(chan struct{})}
	p.cmd.Dir = dir
	p.cmd.Env = childEnv(env)
	p.cmd.Stdin = stdin
	p.cmd.Stdout = p.stdout
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.cmdline = readCmdline(p.cmd.Process.Pid, p.cmd.Path)
	go func() {
		err := p.cmd.Wait()
		p.code = p.cmd.ProcessState.ExitCode()
		if err != nil && p.code == 0 {
			p.code = -1
		}
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// readCmdline reads /proc/<pid>/cmdline. Right after the fork the child
// may not have exec'd yet, and its cmdline is then empty or the test's own:
// read again (a bounded number of times) until it is the binary's.
func readCmdline(pid int, bin string) string {
	var cmdline string
	for i := 0; i < 200; i++ {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		if err != nil {
			return cmdline // no /proc, or the process has ended
		}
		cmdline = strings.ReplaceAll(string(b), "\x00", " ")
		if strings.HasPrefix(cmdline, bin) {
			return cmdline
		}
		time.Sleep(5 * time.Millisecond)
	}
	return cmdline
}

// wait waits for the process to end (at most a minute) and returns what it
// printed.
func (p *proc) wait(t *testing.T) runResult {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(60 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
		t.Fatalf("%s: still running after a minute; killed\nstdout:\n%s\nstderr:\n%s", p.cmd.Args, p.stdout, p.stderr)
	}
	return runResult{p.code, p.stdout.String(), p.stderr.String()}
}

// sandboxProc is `regc sandbox` running as a process.
type sandboxProc struct {
	*proc
	url, db string
}

var servingRE = regexp.MustCompile(`serving (http://127\.0\.0\.1:\d+/)`)

// startSandbox starts `regc sandbox` on addr and waits until it serves.
func startSandbox(t *testing.T, bin, dir, db, addr string, extra ...string) *sandboxProc {
	t.Helper()
	args := append([]string{"sandbox", "--listen", addr, "--db", db, "--user", e2eUser}, extra...)
	p := startRegc(t, bin, dir, map[string]string{sandboxPasswordEnv: e2ePassword}, nil, args...)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := servingRE.FindStringSubmatch(p.stderr.String()); m != nil {
			return &sandboxProc{proc: p, url: m[1], db: db}
		}
		select {
		case <-p.done:
			t.Fatalf("regc sandbox exited %d before serving\nstdout:\n%s\nstderr:\n%s", p.code, p.stdout, p.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("regc sandbox did not say it serves\nstdout:\n%s\nstderr:\n%s", p.stdout, p.stderr)
	return nil
}

// stop sends sig and checks the sandbox stops cleanly.
func (s *sandboxProc) stop(t *testing.T, sig os.Signal) {
	t.Helper()
	s.cmd.Process.Signal(sig)
	r := s.wait(t)
	if r.code != 0 || !strings.Contains(r.stderr, "stopped") {
		t.Errorf("sandbox after %v: exit %d\nstdout:\n%s\nstderr:\n%s", sig, r.code, r.stdout, r.stderr)
	}
}

// kill9 kills the sandbox with SIGKILL.
func (s *sandboxProc) kill9(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
}

// events opens the database of a stopped sandbox and returns its events.
func sandboxEvents(t *testing.T, db string) []sandbox.Event {
	t.Helper()
	sb, err := sandbox.NewSandbox(db, e2eUser, e2ePassword)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	evs, err := sb.Events(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func processRun(bin, dir, url string) func(t *testing.T, stdin string, env map[string]string, args ...string) runResult {
	return func(t *testing.T, stdin string, extra map[string]string, args ...string) runResult {
		t.Helper()
		vars := map[string]string{serverEnv: url, userEnv: e2eUser, passwordEnv: e2ePassword, "REGC_CACHE_DIR": filepath.Join(dir, ".cache")}
		for k, v := range extra {
			vars[k] = v
		}
		return startRegc(t, bin, dir, vars, strings.NewReader(stdin), args...).wait(t)
	}
}

func testProcessScenario(t *testing.T, bin string) {
	dir := t.TempDir()
	sb := startSandbox(t, bin, dir, filepath.Join(dir, "sandbox.db"), "127.0.0.1:0")
	h := &harness{url: sb.url, dir: dir, run: processRun(bin, dir, sb.url), client: newE2EClient(t, sb.url)}
	moves := scenario(t, h)
	sb.stop(t, syscall.SIGTERM)
	checkMoves(t, sandboxEvents(t, sb.db), moves)
}

// seedMigration makes a sandbox database holding Mig_v1.0.0 and
// Mig_v2.0.0 and n mice on Mig_v1.0.0 (ids from 300000, on its three stages
// in turn), through an in-process sandbox that is closed before returning.
func seedMigration(t *testing.T, dir, db string, n int) {
	t.Helper()
	fixtures(t, dir)
	sb, err := sandbox.NewSandbox(db, e2eUser, e2ePassword)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	srvURL, closeSrv := serveSandbox(t, sb)
	defer closeSrv()
	runIn := inProcessRun(srvURL)
	for _, f := range []string{"mig_v1.regimen", "mig_v2.regimen"} {
		expect(t, runIn(t, "", nil, "sync", "upload", "--dry-run=false", filepath.Join(dir, f)), 0, "uploaded")
	}
	c := newE2EClient(t, srvURL)
	ctx := context.Background()
	byStage := map[string][]int{}
	stages := []string{"0_hab", "1_grat", "2_img"}
	for i := 0; i < n; i++ {
		byStage[stages[i%3]] = append(byStage[stages[i%3]], 300000+i)
	}
	for stage, ids := range byStage {
		st, err := c.GetState(ctx, "Mig_v1.0.0", stage)
		if err != nil {
			t.Fatal(err)
		}
		if err := sb.AddSubjects(ctx, st.ID, ids...); err != nil {
			t.Fatal(err)
		}
	}
}

// checkMigrated checks every mouse 300000.. is on its mapped Mig_v2.0.0
// stage and was moved by exactly one set_state.
func checkMigrated(t *testing.T, c *mtrain.Client, events []sandbox.Event, n int) {
	t.Helper()
	want := map[int]string{}
	to := map[string]string{"0_hab": "HAB", "1_grat": "TASK", "2_img": "TASK"}
	stages := []string{"0_hab", "1_grat", "2_img"}
	moves := map[int]int{}
	for i := 0; i < n; i++ {
		want[300000+i] = to[stages[i%3]]
		moves[300000+i] = 1
	}
	if c != nil {
		placedOn(t, c, "Mig_v2.0.0", want)
	}
	if events != nil {
		checkMoves(t, events, moves)
	}
}

// countDone counts the done records of a journal.
func countDone(path string) int {
	b, _ := os.ReadFile(path)
	return bytes.Count(b, []byte(`"type":"done"`))
}

func migrateArgs(dir, journal string) []string {
	return []string{"sync", "migrate", "--from", "Mig_v1.0.0", "--to", filepath.Join(dir, "mig_v2.regimen"), "--journal", journal, "--dry-run=false"}
}

// The sandbox is killed with kill -9 in the middle of a 2,000-mouse
// migration and restarted; the rerun resumes from the journal, and every
// mouse ends on its target stage, moved exactly once.
//
// With -short, 400 mice.
func testKillSandbox(t *testing.T, bin string) {
	n := 2000
	if testing.Short() {
		n = 400
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "sandbox.db")
	seedMigration(t, dir, db, n)
	sb := startSandbox(t, bin, dir, db, "127.0.0.1:0")
	addr := strings.TrimSuffix(strings.TrimPrefix(sb.url, "http://"), "/")
	journal := filepath.Join(dir, "kill.journal")
	runEnv := map[string]string{serverEnv: sb.url, userEnv: e2eUser, passwordEnv: e2ePassword}

	start := time.Now()
	first := startRegc(t, bin, dir, runEnv, nil, migrateArgs(dir, journal)...)
	killAt := 0
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if killAt = countDone(journal); killAt >= n/3 {
			break
		}
		select {
		case <-first.done:
			t.Fatalf("the migration ended before the kill: %+v", first.wait(t))
		default:
		}
	}
	sb.kill9(t)
	killed := time.Since(start)
	r := first.wait(t)
	expect(t, r, 1, "stopped", "run the same command again to resume")
	doneBefore := countDone(journal)
	t.Logf("sandbox killed with kill -9 after %v with %d mice done in the journal; regc stopped with exit %d after %v: %s",
		killed.Round(time.Millisecond), killAt, r.code, time.Since(start).Round(time.Millisecond), lastLine(r.stderr, "stopped"))

	// Restart on the same address; rerun the same command.
	sb = startSandbox(t, bin, dir, db, addr)
	restart := time.Now()
	r = startRegc(t, bin, dir, runEnv, nil, migrateArgs(dir, journal)...).wait(t)
	expect(t, r, 0, "resuming from the journal", fmt.Sprintf("done in earlier runs %d", doneBefore), fmt.Sprintf("%d of %d planned mice on their target stage", n, n))
	t.Logf("rerun: %v; %s", time.Since(restart).Round(time.Millisecond), lastLine(r.stdout, "moved"))
	checkMigrated(t, newE2EClient(t, sb.url), nil, n)
	sb.stop(t, syscall.SIGTERM)
	events := sandboxEvents(t, db)
	checkMigrated(t, nil, events, n)
	sets := 0
	for _, e := range events {
		if e.Route == "set_state" {
			sets++
		}
	}
	t.Logf("after kill -9 and rerun: %d set_state events for %d mice (each exactly once); whole migration %v", sets, n, time.Since(start).Round(time.Millisecond))
}

// regc itself is killed with kill -9 mid-run; the rerun resumes.
func testKillRegc(t *testing.T, bin string) {
	const n = 300
	dir := t.TempDir()
	db := filepath.Join(dir, "sandbox.db")
	seedMigration(t, dir, db, n)
	sb := startSandbox(t, bin, dir, db, "127.0.0.1:0")
	journal := filepath.Join(dir, "kill.journal")
	runEnv := map[string]string{serverEnv: sb.url, userEnv: e2eUser, passwordEnv: e2ePassword}
	first := startRegc(t, bin, dir, runEnv, nil, migrateArgs(dir, journal)...)
	for deadline := time.Now().Add(30 * time.Second); countDone(journal) < 100 && time.Now().Before(deadline); time.Sleep(time.Millisecond) {
	}
	first.cmd.Process.Signal(syscall.SIGKILL)
	<-first.done
	killAt := countDone(journal)
	r := startRegc(t, bin, dir, runEnv, nil, migrateArgs(dir, journal)...).wait(t)
	expect(t, r, 0, "resuming from the journal", fmt.Sprintf("%d of %d planned mice on their target stage", n, n))
	t.Logf("regc killed with kill -9 at %d done; rerun: %s", killAt, lastLine(r.stdout, "moved"))
	sb.stop(t, syscall.SIGTERM)
	checkMigrated(t, nil, sandboxEvents(t, db), n)
}

func lastLine(s, containing string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], containing) {
			return lines[i]
		}
	}
	return ""
}

// The sandbox stops cleanly on SIGINT and SIGTERM, keeps its data across
// restarts, and refuses a non-loopback address without --allow-remote.
func testSandboxSignals(t *testing.T, bin string) {
	dir := t.TempDir()
	db := filepath.Join(dir, "sandbox.db")
	sb := startSandbox(t, bin, dir, db, "127.0.0.1:0")
	fixtures(t, dir)
	expect(t, processRun(bin, dir, sb.url)(t, "", nil, "sync", "upload", "--dry-run=false", filepath.Join(dir, "mig_v1.regimen")), 0, "uploaded")
	sb.stop(t, os.Interrupt)
	sb = startSandbox(t, bin, dir, db, "127.0.0.1:0")
	c := newE2EClient(t, sb.url)
	if _, err := c.Regimen(context.Background(), "Mig_v1.0.0"); err != nil {
		t.Errorf("after a restart: %v", err)
	}
	sb.stop(t, syscall.SIGTERM)

	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:5000"} {
		r := startRegc(t, bin, dir, map[string]string{sandboxPasswordEnv: e2ePassword}, nil, "sandbox", "--listen", addr, "--db", db).wait(t)
		expect(t, r, 2, "--allow-remote")
		if strings.Contains(r.stdout+r.stderr, "serving") {
			t.Errorf("%s: it served", addr)
		}
	}
	r := startRegc(t, bin, dir, nil, nil, "sandbox", "--listen", "127.0.0.1:0", "--db", db).wait(t)
	expect(t, r, 2, sandboxPasswordEnv)
	r = startRegc(t, bin, dir, map[string]string{sandboxPasswordEnv: e2ePassword}, nil, "sandbox", "--listen", "127.0.0.1:0").wait(t)
	expect(t, r, 2, "--db PATH is required")
}

// serveSandbox serves an in-process sandbox on loopback.
func serveSandbox(t testing.TB, sb *sandbox.Sandbox) (string, func()) {
	t.Helper()
	srv := httptest.NewServer(sb.Handler())
	return srv.URL, srv.Close
}

// faultySandbox seeds a database with n mice to migrate (seedMigration) and
// serves it with `regc sandbox --faults spec`.
func faultySandbox(t *testing.T, bin string, n int, spec string) (dir, db string, sb *sandboxProc) {
	t.Helper()
	dir = t.TempDir()
	db = filepath.Join(dir, "sandbox.db")
	seedMigration(t, dir, db, n)
	return dir, db, startSandbox(t, bin, dir, db, "127.0.0.1:0", "--faults", spec)
}

// `regc sandbox --faults` injects failures for a rehearsal; the migration
// retries through them, moving each mouse once.
func testSandboxFaults(t *testing.T, bin string) {
	const n = 30
	dir, db, sb := faultySandbox(t, bin, n, "500-after@3:POST:/set_state,drop-after@7:POST:/set_state,500@2x2:GET:/api/v1/subjects")
	if !strings.Contains(sb.stderr.String(), "injecting 500-after@3:POST:/set_state") {
		t.Errorf("the sandbox does not say what it injects:\n%s", sb.stderr)
	}
	runEnv := map[string]string{serverEnv: sb.url, userEnv: e2eUser, passwordEnv: e2ePassword}
	r := startRegc(t, bin, dir, runEnv, nil, append(migrateArgs(dir, filepath.Join(dir, "f.journal")), "-v")...).wait(t)
	expect(t, r, 0, "30 of 30 planned mice on their target stage", "the write was applied despite the failed answer")
	sb.stop(t, syscall.SIGTERM)
	checkMigrated(t, nil, sandboxEvents(t, db), n)
}
