package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// openPTY opens a pseudo-terminal pair: the master, and the slave a child
// uses as its terminal.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		m.Close()
		t.Skipf("TIOCGPTN: %v", e)
	}
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		m.Close()
		t.Skipf("TIOCSPTLCK: %v", e)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Skipf("opening the pty's slave: %v", err)
	}
	return m, s
}

// On a terminal, with no $REGC_PASSWORD, regc asks for the password and
// does not echo it; the upload then goes through.
func testPasswordPrompt(t *testing.T, bin string) {
	dir := t.TempDir()
	sb := startSandbox(t, bin, dir, filepath.Join(dir, "sandbox.db"), "127.0.0.1:0")
	fixtures(t, dir)
	master, slave := openPTY(t)
	defer master.Close()
	cmd := exec.Command(bin, "sync", "upload", "--dry-run=false", filepath.Join(dir, "mig_v1.regimen"))
	cmd.Dir = dir
	cmd.Env = childEnv(map[string]string{serverEnv: sb.url, userEnv: e2eUser, "REGC_CACHE_DIR": filepath.Join(dir, ".cache"), "TERM": "xterm"})
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	screen := &lockedBuffer{}
	go io.Copy(screen, master) // ends with EIO when the child has gone
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(screen.String(), "Password for alice at ") {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no prompt; the terminal shows:\n%s", screen)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", cmd.Process.Pid)); err == nil {
		assertNoPassword(t, "process arguments", string(b), e2ePassword)
	}
	io.WriteString(master, e2ePassword+"\n")
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("regc: %v\n%s", err, screen)
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("regc did not finish; the terminal shows:\n%s", screen)
	}
	time.Sleep(50 * time.Millisecond)
	out := screen.String()
	if !strings.Contains(out, "uploaded Mig_v1.0.0") {
		t.Errorf("the terminal shows no upload:\n%s", out)
	}
	assertNoPassword(t, "the terminal (echo)", out, e2ePassword)
	sb.stop(t, syscall.SIGTERM)
}
