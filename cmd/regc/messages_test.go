package main

import (
	"errors"
	"strings"
	"testing"
)

// regc's own messages escape what comes from outside: an argument naming a
// code, a file or a stage cannot set the terminal's title or reverse text.
func TestMessagesEscapeArguments(t *testing.T) {
	hostile := "x\x1b]0;owned\a\u202e"
	for _, args := range [][]string{
		{"explain", hostile},
		{"import", hostile + ".txt"},
		{"freeze", hostile + ".yml"},
	} {
		r := runRegc(t, args...)
		if r.code == 0 || strings.ContainsAny(r.stderr, "\x1b\a\u202e") {
			t.Errorf("regc %q: exit %d, stderr %q: want a failure with the argument escaped", args, r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "]0;owned") {
			t.Errorf("regc %q: stderr %q does not name the argument", args, r.stderr)
		}
	}
	got := terminalArgs([]any{"a\x1bb", errors.New("c\u202ed"), 3})
	if got[0] != `a\x1bb` || got[1] != `c\u202ed` || got[2] != 3 {
		t.Errorf("terminalArgs: %q", got)
	}
}

// A usage error prints the command's usage as it is written: a usage of
// two lines keeps its line break (it was escaped as \x0a with the message's
// arguments), while the message's arguments are still escaped.
func TestUsageKeepsItsLines(t *testing.T) {
	r := runRegc(t, "graph")
	if r.code != exitUsage || strings.Contains(r.stderr, `\x0a`) || !strings.Contains(r.stderr, "usage: "+graphUsage+"\n") {
		t.Errorf("regc graph: exit %d, stderr %q: want exit 2 and the usage on its two lines", r.code, r.stderr)
	}
	r = runRegc(t, "lsp", "x\x1b[7m")
	if r.code != exitUsage || strings.Contains(r.stderr, "\x1b") || !strings.Contains(r.stderr, "usage: "+lspUsage+"\n") {
		t.Errorf("regc lsp ESC: exit %d, stderr %q: want exit 2, the argument escaped and the usage", r.code, r.stderr)
	}
}
