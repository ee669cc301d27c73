package main

import (
	"bytes"
	"fmt"
	"io"

	"github.com/spf13/pflag"
)

// parseFlags parses args with fs, printing usage errors (a --color other
// than auto, always or never among them). It returns false and
// the exit code when the command should stop.
func parseFlags(e *env, name, usage string, fs *pflag.FlagSet, args []string) (bool, int) {
	var buf bytes.Buffer
	fs.SetOutput(&buf)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if err == pflag.ErrHelp {
			fmt.Fprintf(e.stdout, "Usage:\n  %s\n\nFlags:\n%s", usage, fs.FlagUsages())
			return false, exitOK
		}
		e.usagef(usage, "regc %s: %v", name, err)
		return false, exitUsage
	}
	if c := fs.Lookup("color"); c != nil && !validColor(c.Value.String()) {
		e.usagef(usage, "regc %s: --color must be auto, always or never, not %q", name, c.Value.String())
		return false, exitUsage
	}
	return true, 0
}

func newFlagSet(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	return fs
}
