package testtool

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// Need returns the path of the program name, or skips the test (fails it
// under CI) saying that it is missing and why the test needs it.
func Need(tb testing.TB, name, why string) string {
	tb.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(tb, "%s is not on PATH, so %s: %v", name, why, err)
	}
	return p
}

// Missing skips the test with the message, or fails it under CI.
func Missing(tb testing.TB, format string, args ...any) {
	tb.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") != "" {
		tb.Fatalf("under CI: %s", msg)
		return
	}
	tb.Skip(msg)
}
