package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/regc/regc/internal/testtool"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/regc/regc/compiler/compilertest"
)

// buildBinary builds regc for tests that must see the process itself: its
// exit code when the runtime would have died, and no stack dump.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a binary: skipped with -short")
	}
	gobin := testtool.Need(t, "go", "no binary can be built")
	bin := filepath.Join(t.TempDir(), "regc")
	if out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// runBinary runs bin with a deadline and returns its exit code and streams;
// a process still running at the deadline fails the test.
func runBinary(t *testing.T, bin string, args ...string) runResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out, errs bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errs
	cmd.Env = append(os.Environ(), "GOMEMLIMIT=", "GOGC=")
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("regc %s did not finish in 2 minutes", strings.Join(args, " "))
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
		return runResult{0, out.String(), errs.String()}
	case errors.As(err, &exit):
		return runResult{exit.ExitCode(), out.String(), errs.String()}
	}
	t.Fatalf("running %s: %v", bin, err)
	return runResult{}
}

// A bomb is a too-large diagnostic and exit 1 from check and build alike,
// never the runtime's "out of memory" and a stack dump (exit 2).
func TestValueBombsCLI(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	for name, bomb := range compilertest.Bombs() {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(bomb.Source), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range []string{"check", "build"} {
			r := runBinary(t, bin, cmd, path)
			if r.code != exitFail || !strings.Contains(r.stderr, "[too-large]") || strings.Contains(r.stderr, "goroutine") {
				t.Errorf("regc %s %s: exit %d, want 1 with a too-large error; stderr:\n%.2000s", cmd, name, r.code, r.stderr)
			}
		}
	}
}

// The soft memory limit is not set: a hard-coded one made large builds
// collect garbage without end. GOMEMLIMIT still sets one.
func TestNoHardCodedMemoryLimit(t *testing.T) {
	if os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOMEMLIMIT is set in this environment")
	}
	oldLimit := debug.SetMemoryLimit(math.MaxInt64)
	oldGC := debug.SetGCPercent(100)
	defer func() {
		debug.SetMemoryLimit(oldLimit)
		debug.SetGCPercent(oldGC)
	}()
	tuneGC()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("tuneGC set a memory limit of %d MiB", got>>20)
	}
}

// A main file that does not exist has its own code, and exit 1.
func TestCheckMissingFileCode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.regimen")
	for _, p := range []string{path, strings.TrimSuffix(path, ".regimen") + ".yml"} {
		r := runRegc(t, "check", p)
		want := fmt.Sprintf("error: cannot read %s: no such file [file-not-found]", p)
		if r.code != exitFail || !strings.Contains(r.stderr, want) {
			t.Errorf("check %s: exit %d, stderr %q; want 1 and %q", p, r.code, r.stderr, want)
		}
	}
}

// One file named twice on the command line is checked once.
func TestCheckSameFileTwice(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.regimen")
	if err := os.WriteFile(path, []byte(badRegimen), 0o644); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	once := runRegc(t, "check", "--format", "json", "x.regimen")
	twice := runRegc(t, "check", "--format", "json", "x.regimen", "./x.regimen", path)
	if once.code != exitFail || once.stdout != twice.stdout || once.code != twice.code {
		t.Errorf("checked once:\n%s\nnamed three ways:\n%s", once.stdout, twice.stdout)
	}
}
