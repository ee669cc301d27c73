package main

import (
	"fmt"
	"github.com/regc/regc/internal/testtool"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// rehearsalBlocks returns the ```sh blocks of the README's section on
// rehearsing with the sandbox.
func rehearsalBlocks(t *testing.T) []string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	i := strings.Index(s, "\n## Rehearsing an upload and a migration with the sandbox")
	if i < 0 {
		t.Fatal("README.md has no section on rehearsing with the sandbox")
	}
	s = s[i+1:]
	if j := strings.Index(s, "\n## "); j >= 0 {
		s = s[:j]
	}
	var blocks []string
	for _, part := range strings.Split(s, "```sh\n")[1:] {
		end := strings.Index(part, "```")
		if end < 0 {
			t.Fatal("a shell block of the rehearsal section does not end")
		}
		blocks = append(blocks, part[:end])
	}
	if len(blocks) == 0 {
		t.Fatal("the rehearsal section has no shell block")
	}
	return blocks
}

// rehearsalStep is one command of the README's blocks and the lines the
// README shows it printing (its full-line comments, "# ..." aside).
type rehearsalStep struct {
	command string
	want    []string
}

func rehearsalSteps(blocks []string) []rehearsalStep {
	var steps []rehearsalStep
	for _, b := range blocks {
		for _, line := range strings.Split(b, "\n") {
			switch trimmed := strings.TrimSpace(line); {
			case trimmed == "":
			case strings.HasPrefix(trimmed, "#"):
				out := strings.TrimPrefix(strings.TrimPrefix(trimmed, "#"), " ")
				if out != "..." && len(steps) > 0 {
					steps[len(steps)-1].want = append(steps[len(steps)-1].want, out)
				}
			default:
				steps = append(steps, rehearsalStep{command: line})
			}
		}
	}
	return steps
}

func normalizeSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// The README's rehearsal runs as written, in one bash, with the regc binary
// on PATH and examples/ beside its scratch folder, and prints what the
// README shows. The one change: the sandbox's port 5000 becomes a free one,
// so that the test never meets another server.
func testReadmeRehearsal(t *testing.T, bin string) {
	bash := testtool.Need(t, "bash", "the README's shell blocks cannot run")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	steps := rehearsalSteps(rehearsalBlocks(t))
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "examples"), 0o755); err != nil {
		t.Fatal(err)
	}
	examples, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*"))
	for _, p := range examples {
		if b, err := os.ReadFile(p); err == nil {
			os.WriteFile(filepath.Join(dir, "examples", filepath.Base(p)), b, 0o644)
		}
	}
	var script strings.Builder
	for i, st := range steps {
		cmd := strings.ReplaceAll(st.command, "127.0.0.1:5000", "127.0.0.1:"+port)
		fmt.Fprintf(&script, "echo '@@step %d'\n%s\necho \"@@rc %d $?\"\n", i, cmd, i)
	}
	// After the README's last line: wait for the sandbox it stopped.
	script.WriteString("echo '@@end'\nwait\n")
	if err := os.WriteFile(filepath.Join(dir, "rehearsal.sh"), []byte(script.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bash, "rehearsal.sh")
	cmd.Dir = dir
	cmd.Env = childEnv(map[string]string{"PATH": filepath.Dir(bin) + string(os.PathListSeparator) + os.Getenv("PATH"), "HOME": dir})
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// Its own process group, so that the sandbox it starts in the
	// background goes with it if the rehearsal stops early.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pgid := cmd.Process.Pid
	t.Cleanup(func() { syscall.Kill(-pgid, syscall.SIGKILL) })
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(3 * time.Minute):
		syscall.Kill(-pgid, syscall.SIGKILL)
		<-done
		t.Fatalf("the rehearsal still ran after 3 minutes:\n%s", out.String())
	}
	all := out.String()
	if !strings.Contains(all, "regc sandbox: stopped; every write is in rehearsal.db") {
		t.Errorf("the sandbox did not stop cleanly at the end of the rehearsal:\n%s", all)
	}
	end := strings.Index(all, "@@end")
	if end < 0 {
		t.Fatalf("the rehearsal did not run to its end:\n%s", all)
	}
	for i, st := range steps {
		seg := all
		if a := strings.Index(seg, fmt.Sprintf("@@step %d\n", i)); a >= 0 {
			seg = seg[a:]
		} else {
			t.Fatalf("step %d (%s) did not run:\n%s", i, st.command, all)
		}
		rc := regexp.MustCompile(fmt.Sprintf(`@@rc %d (\d+)`, i)).FindStringSubmatchIndex(seg)
		if rc == nil {
			t.Fatalf("step %d (%s) did not finish:\n%s", i, st.command, seg)
		}
		if code := seg[rc[2]:rc[3]]; code != "0" {
			t.Errorf("%s\nexit %s, want 0:\n%s", st.command, code, seg[:rc[1]])
		}
		lines := map[string]bool{}
		for _, l := range strings.Split(seg[:rc[0]], "\n") {
			lines[normalizeSpace(l)] = true
		}
		for _, w := range st.want {
			w = strings.ReplaceAll(w, "127.0.0.1:5000", "127.0.0.1:"+port)
			if !lines[normalizeSpace(w)] {
				t.Errorf("%s\nprints no line %q; it printed:\n%s", st.command, w, seg[:rc[0]])
			}
		}
	}
}
