package internal_test

import (
	"os"
	"os/exec"
	"testing"
)

// TestCrossBuild: regc builds for the systems a lab uses besides Linux
// (Windows, where the rigs run; macOS). The sandbox's store once opened
// its file with a flag only Unix has, and nothing built there noticed.
func TestCrossBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: cross-compiling takes a minute")
	}
	for _, target := range [][2]string{{"windows", "amd64"}, {"darwin", "arm64"}} {
		cmd := exec.Command("go", "build", "./...")
		cmd.Dir = ".."
		cmd.Env = append(os.Environ(), "GOOS="+target[0], "GOARCH="+target[1], "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("GOOS=%s GOARCH=%s go build ./...: %v\n%s", target[0], target[1], err, out)
		}
	}
}
