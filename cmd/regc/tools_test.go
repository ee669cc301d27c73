package main

import (
	"os"
	"os/exec"
	"testing"
)

// needTool returns the path of a program the tests run that CI always
// has (go, git, bash: CI clones the repository and runs .ci/run with
// them). Where it is missing the test is skipped, saying why, except under
// CI, where it fails: a CI run cannot pass without what it checks.
func needTool(tb testing.TB, name, why string) string {
	tb.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		tb.Fatalf("%s is not on PATH under CI, so %s: %v", name, why, err)
	}
	tb.Skipf("%s is not on PATH, so %s: %v", name, why, err)
	return ""
}
