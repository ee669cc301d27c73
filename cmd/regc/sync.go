package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/emit"
	"github.com/regc/regc/mtrain"
	"github.com/spf13/pflag"
)

// A sync subcommand: `regc sync upload|status|mice|migrate`.
type syncCommand struct {
	name, summary, usage string
	flags                func() *pflag.FlagSet
	run                  func(e *env, args []string) int
}

const syncUsage = "regc sync upload|status|mice|migrate [flags]"

func runSync(e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		w := e.stderr
		code := exitUsage
		if len(args) > 0 {
			w, code = e.stdout, exitOK
		}
		printSyncHelp(w)
		return code
	}
	c := lookupSync(args[0])
	if c == nil {
		e.errf("regc sync: unknown subcommand %q\n", args[0])
		if s := nearestCommand(args[0], syncNames()); s != "" {
			fmt.Fprintf(e.stderr, "did you mean %q?\n", s)
		}
		fmt.Fprintf(e.stderr, "usage: %s\n", syncUsage)
		return exitUsage
	}
	return c.run(e, args[1:])
}

func printSyncHelp(w io.Writer) {
	fmt.Fprintf(w, "Usage:\n  %s\n\nSubcommands:\n", syncUsage)
	for _, n := range syncNames() {
		c := lookupSync(n)
		fmt.Fprintf(w, "  %-8s %s\n           %s\n", n, c.summary, c.usage)
	}
	fmt.Fprintf(w, `
Every subcommand takes --server (default $%s) and --user (default $%s, else
your login name). Writes log in with the password from $%s, from
--password-stdin, or from a prompt that does not echo; there is no password
flag. Dry run is the default for upload and migrate: --dry-run=false acts.
Run 'regc sync SUBCOMMAND --help' for its flags.
`, serverEnv, userEnv, passwordEnv)
}

// parseSyncFlags parses the flags of a command that logs in (name is the
// whole command: "sync upload", "diff"), pointing a --password flag at the
// ways a password may be given.
func parseSyncFlags(e *env, name, usage string, fs *pflag.FlagSet, args []string) (bool, int) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "--password" || strings.HasPrefix(a, "--password=") || a == "-p" {
			// The value is never echoed back.
			e.errf("regc %s: there is no --password flag (process arguments are visible to every user of the machine): set $%s, pass --password-stdin, or type it at the prompt\n", name, passwordEnv)
			return false, exitUsage
		}
	}
	return parseFlags(e, name, usage, fs, args)
}

// compileForSync compiles the regimen file a sync subcommand reads, printing
// its diagnostics; nil when it has errors or is a library.
func compileForSync(e *env, cmd, path, color string) *compiler.Result {
	return compileForSyncWith(e, cmd, path, color, nil, false)
}

// compileForSyncWith is compileForSync with compiler options (nil: read the
// files from disk) and, with force, a regimen with errors still returned
// (upload --force).
func compileForSyncWith(e *env, cmd, path, color string, opts *compiler.Options, force bool) *compiler.Result {
	res := e.compileReported(path, color, opts)
	if res.Diagnostics.HasErrors() {
		if !force || res.Regimen == nil {
			e.errf("regc sync %s: %s has errors, so nothing was sent\n", cmd, path)
			return nil
		}
		e.errf("regc sync %s: %s has errors; uploading anyway (--force)\n", cmd, path)
	}
	if res.Regimen == nil {
		e.errf("regc sync %s: %s is a library (it has no `regimen` header)\n", cmd, path)
		return nil
	}
	return res
}

// wireDocument is the document compiled from reg as the mtrain client
// sends and compares it: emit's JSON, and that read back as the wire type.
func wireDocument(reg *compiler.Regimen) ([]byte, *mtrain.Document, error) {
	doc, err := emit.Document(reg, "json")
	if err != nil {
		return nil, nil, err
	}
	want, err := mtrain.ParseDocument(doc)
	return doc, want, err
}

// signalContext is a context cancelled by SIGINT or SIGTERM, so that a
// command stops between two steps rather than in the middle of one.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// progressBar draws "  123/2000 [=====>    ] 6%" on a terminal, at most every
// 100 ms, and a final line when done.
type progressBar struct {
	w     io.Writer
	label string
	last  time.Time
	width int
}

func newProgressBar(w io.Writer, label string) *progressBar {
	return &progressBar{w: w, label: label, width: 30}
}

func (p *progressBar) update(done, total int) {
	if total <= 0 {
		return
	}
	now := time.Now()
	if done < total && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	filled := done * p.width / total
	bar := strings.Repeat("=", filled)
	if filled < p.width {
		bar += ">" + strings.Repeat(" ", p.width-filled-1)
	}
	fmt.Fprintf(p.w, "\r%s %*d/%d [%s] %3d%%", p.label, len(fmt.Sprint(total)), done, total, bar, done*100/total)
	if done == total {
		fmt.Fprintln(p.w)
	}
}

// finish ends the bar's line if it was interrupted.
func (p *progressBar) finish() {
	if !p.last.IsZero() {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// nMice is "1 mouse" or "N mice".
func nMice(n int) string {
	if n == 1 {
		return "1 mouse"
	}
	return fmt.Sprintf("%d mice", n)
}
