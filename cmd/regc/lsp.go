package main

import (
	"os"
	"time"

	"github.com/regc/regc/lsp"
	"github.com/spf13/pflag"
)

const lspUsage = "regc lsp [--stdio] [--debounce DURATION] [--log FILE]"

func lspFlags() *pflag.FlagSet {
	fs := newFlagSet("lsp")
	fs.Bool("stdio", true, "talk over stdin and stdout (the only transport; accepted for editors that pass it)")
	fs.Duration("debounce", 150*time.Millisecond, "how long to wait after an edit before publishing diagnostics")
	fs.String("log", "", "append one line per request, with its duration, to this file")
	return fs
}

func runLSP(e *env, args []string) int {
	fs := lspFlags()
	if ok, code := parseFlags(e, "lsp", lspUsage, fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		e.usagef(lspUsage, "regc lsp: unexpected argument %q", fs.Arg(0))
		return exitUsage
	}
	debounce, _ := fs.GetDuration("debounce")
	logPath, _ := fs.GetString("log")
	opts := lsp.Options{Debounce: debounce}
	if logPath != "" {
		f, err := os.OpenFile(logPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			e.errf("regc lsp: %v\n", err)
			return exitFail
		}
		defer f.Close()
		opts.Log = f
	}
	stdin := e.stdin
	if stdin == nil {
		stdin = os.Stdin
	}
	if err := lsp.Serve(stdin, e.stdout, opts); err != nil {
		e.errf("regc lsp: %v\n", err)
		return exitFail
	}
	return exitOK
}
