package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regc/regc/internal/lazyre"
)

// TestCheckQuickstartCompilesNoRegexp: `regc check` of the quickstart
// compiles no regular expression on the way (each cost start-up tens of
// microseconds). It runs in a fresh process, as other tests compile them.
func TestCheckQuickstartCompilesNoRegexp(t *testing.T) {
	const child = "REGC_CHECK_LAZY_CHILD"
	if os.Getenv(child) == "1" {
		res := runRegc(t, "check", filepath.Join("..", "..", "examples", "quickstart.regimen"))
		if res.code != exitOK {
			t.Fatalf("check quickstart: exit %d\n%s", res.code, res.stderr)
		}
		if n := lazyre.Compiled(); n != 0 {
			t.Fatalf("check quickstart compiled %d regular expressions", n)
		}
		fmt.Println("CHILD-PASSED")
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCheckQuickstartCompilesNoRegexp$", "-test.v")
	cmd.Env = append(os.Environ(), child+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "CHILD-PASSED") {
		t.Fatalf("the child test failed (%v):\n%s", err, out)
	}
}
