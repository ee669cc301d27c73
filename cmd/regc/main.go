package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/regc/regc/internal/spell"
	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// env is what a command may touch: its streams and environment. Tests
// substitute their own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// isTerminal reports whether w is an interactive terminal.
	isTerminal func(w io.Writer) bool
}

type command struct {
	name    string
	summary string
	usage   string
	run     func(e *env, args []string) int
	// flags builds the command's flag set, for help and completion (nil:
	// the command has no flags)
	flags func() *pflag.FlagSet
	// hidden: left out of help and of "did you mean" (a command for
	// scripts, such as completion's __complete-stages)
	hidden bool
}

func main() {
	growStack()
	tuneGC()
	e := &env{
		stdin:      os.Stdin,
		stdout:     os.Stdout,
		stderr:     os.Stderr,
		getenv:     os.Getenv,
		isTerminal: isTerminal,
	}
	os.Exit(run(e, os.Args[1:]))
}

// doc.go's //go:debug updatemaxprocs=0 sets GOMAXPROCS once, at start-up:
// a short-lived compiler has no use for the runtime's goroutine that
// follows changes to the CPU limit, and starting it woke a second thread
// before main (about 0.025x of a hello world's start-up, BenchmarkStartup).

// growStack grows the main goroutine's stack, while it is shallow, to the
// 16 KB that checking a regimen reaches. Grown where the parser first
// needed it, the stack was copied under some twenty frames, and finding
// their pointers read tables of the binary that nothing else touches
// (about 0.02x of a hello world's start-up, BenchmarkStartup); copied here,
// it holds two.
//
//go:noinline
func growStack() byte {
	var frame [12 << 10]byte
	return lastByte(frame[:])
}

//go:noinline
func lastByte(b []byte) byte { return b[len(b)-1] }

// tuneGC trades memory the compiler has for time: regc is a short-lived
// batch program whose parse allocates many small, short-lived AST nodes, so
// it collects less often (GOGC=300; GOGC in the environment overrides it).
// It sets no soft memory limit: a fixed one sent large regimens into
// collection after collection (a 100,000-stage build took 9 times as long),
// and what a source can make regc hold is bounded where it is read and
// compiled (compiler.MaxSourceSize, MaxValueNodes and the rest). GOMEMLIMIT
// in the environment still sets one.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(300)
	}
}

// run dispatches to a command and returns the exit code.
func run(e *env, args []string) int {
	if len(args) == 0 {
		printHelp(e.stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "--help":
		printHelp(e.stdout)
		return exitOK
	case "--version", "-version":
		name = "version"
	}
	c := lookupCommand(name)
	if c == nil {
		e.errf("regc: unknown command %q\n", name)
		if s := nearestCommand(name, visibleCommands()); s != "" {
			fmt.Fprintf(e.stderr, "did you mean %q?\n", s)
		}
		fmt.Fprintln(e.stderr, "run 'regc help' for the list of commands")
		return exitUsage
	}
	return c.run(e, args[1:])
}

// isTerminal reports whether w (or a reader: stdin) is an interactive
// terminal; /dev/null and other character devices are not.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	return term.IsTerminal(int(f.Fd()))
}

// useColor decides whether diagnostics written to w are coloured.
func (e *env) useColor(mode string, w io.Writer) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	return e.getenv("NO_COLOR") == "" && e.getenv("TERM") != "dumb" && e.isTerminal(w)
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, `regc compiles mouse-training regimens.

Usage:
  regc <command> [arguments]

Commands:
`)
	for _, n := range visibleCommands() {
		fmt.Fprintf(w, "  %-10s %s\n", n, lookupCommand(n).summary)
	}
	fmt.Fprint(w, `
Exit codes: 0 success (warnings allowed), 1 diagnostics or a failed operation, 2 usage.
Run 'regc help <command>' for a command's flags.
`)
}

func nearestCommand(name string, names []string) string {
	for _, n := range names {
		if strings.HasPrefix(n, name) && len(name) >= 2 {
			return n
		}
	}
	return spell.NearestWithin(name, names, 2)
}
