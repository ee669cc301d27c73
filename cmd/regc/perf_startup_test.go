package main

// Start-up against Go's floor (issue 14): the regc binary's `version` and
// `check examples/quickstart.regimen` beside a Go hello world, run
// alternately, each pair's ratio taken and the median reported. It builds
// both binaries first (so it is a benchmark, not a test), and asserts
// nothing about time.

import (
	"github.com/regc/regc/internal/testtool"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// buildStartupBinaries builds regc as the README installs it
// (CGO_ENABLED=0: a static binary), regc as a plain `go build` builds it
// where a C compiler is installed (with cgo, package net links the C
// library dynamically, and the dynamic loader's work before main is about
// a third of `regc version`), and a hello world (static either way) into dir.
func buildStartupBinaries(b *testing.B, dir string) (regc, regcCgo, hello string) {
	b.Helper()
	regc, regcCgo, hello = filepath.Join(dir, "regc"), filepath.Join(dir, "regc-cgo"), filepath.Join(dir, "hello")
	src := filepath.Join(dir, "hello.go")
	if err := os.WriteFile(src, []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello, world\") }\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		env  string
		args []string
	}{{"CGO_ENABLED=0", []string{"build", "-o", regc, "."}}, {"", []string{"build", "-o", regcCgo, "."}}, {"", []string{"build", "-o", hello, src}}} {
		cmd := exec.Command("go", c.args...)
		if c.env != "" {
			cmd.Env = append(os.Environ(), c.env)
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%s go %v: %v\n%s", c.env, c.args, err, out)
		}
	}
	return regc, regcCgo, hello
}

func timeRun(b *testing.B, name string, args ...string) float64 {
	t0 := time.Now()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		b.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return time.Since(t0).Seconds()
}

// BenchmarkStartup: -bench Startup -benchtime 800x gives 800 pairs each.
// The -cgo cases are the same commands from a binary built with cgo.
func BenchmarkStartup(b *testing.B) {
	testtool.Need(b, "go", "the binaries cannot be built")
	regc, regcCgo, hello := buildStartupBinaries(b, b.TempDir())
	quickstart := filepath.Join("..", "..", "examples", "quickstart.regimen")
	for _, c := range []struct {
		name, bin string
		args      []string
	}{
		{"version", regc, []string{"version"}},
		{"check-quickstart", regc, []string{"check", quickstart}},
		{"version-cgo", regcCgo, []string{"version"}},
		{"check-quickstart-cgo", regcCgo, []string{"check", quickstart}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var hs, rs, ratios []float64
			for range b.N {
				h := timeRun(b, hello)
				r := timeRun(b, c.bin, c.args...)
				hs, rs, ratios = append(hs, h), append(rs, r), append(ratios, r/h)
			}
			b.ReportMetric(median(hs)*1e3, "hello-ms")
			b.ReportMetric(median(rs)*1e3, "regc-ms")
			b.ReportMetric(median(ratios), "x-hello")
		})
	}
}

// testStartupWork runs `regc version` with GODEBUG=inittrace=1 and checks
// what regc's own packages do before main: the language's parser and its
// specification lexer are built by their first use, and regular expressions
// are compiled by theirs (internal/lazyre), not at start-up (the parser
// allocated about 1 MB in package lang at init, then the lexer and the
// package-level regexps about 420 KB across regc's packages). Small tables
// are switches, static lists or internal/lazy values, so regc's library
// packages allocate nothing at init (they allocated 13 KB in 156
// allocations before that), and must stay under 1 KB. Package main builds
// nothing at init either: its commands are a table the compiler lays out
// (commandTable), where 21 init functions filled maps of commands and flag
// sets (6,208 bytes in 57 allocations).
// Bytes, not times: they do not depend on the machine's load.
func testStartupWork(t *testing.T, bin string) {
	cmd := exec.Command(bin, "version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("regc version: %v\n%s", err, out)
	}
	var own, main int64
	traced := false
	for _, line := range strings.Split(string(out), "\n") {
		// init github.com/regc/regc/lang @2.4 ms, 0.26 ms clock, 97224 bytes, 1290 allocs
		f := strings.Fields(line)
		if len(f) < 8 || f[0] != "init" {
			continue
		}
		traced = true
		if f[1] != "main" && !strings.HasPrefix(f[1], "github.com/regc/regc/") {
			continue
		}
		n, err := strconv.ParseInt(f[7], 10, 64)
		if err != nil {
			t.Fatalf("cannot read %q: %v", line, err)
		}
		// a package with nothing to do at init has no line at all
		if f[1] == "main" {
			main = n
		} else {
			own += n
		}
	}
	if !traced {
		t.Fatalf("no init trace in:\n%s", out)
	}
	if main > 512 {
		t.Errorf("package main (cmd/regc) allocates %d bytes at init; want under 512 (no func init and no package-level map or call in cmd/regc: add a command to commandTable, and look small tables up with a switch)", main)
	}
	if own > 1<<10 {
		t.Errorf("regc's library packages allocate %d bytes at init; want under 1 KB (a package-level map, sync.OnceValue or call runs before main in every command: use a switch, a static list, internal/lazy.Value or internal/lazyre)", own)
	}
}

// TestOnlyNetNeedsCgo: of the packages regc links, only net has cgo files
// (its C resolver, which CGO_ENABLED=0 replaces with Go's own). Another
// (os/user was one) would make even a CGO_ENABLED=0 build lose a feature,
// and a cgo build pay the dynamic loader for it.
func TestOnlyNetNeedsCgo(t *testing.T) {
	testtool.Need(t, "go", "the packages cannot be listed")
	cmd := exec.Command("go", "list", "-deps", "-f", "{{if .CgoFiles}}{{.ImportPath}}{{end}}", ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, p := range strings.Fields(string(out)) {
		if p != "net" && p != "runtime/cgo" {
			t.Errorf("package %s has cgo files; regc should link only net's (use a pure-Go way)", p)
		}
	}
}
