package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/internal/atomicfile"
	"github.com/regc/regc/internal/safetext"
	"github.com/regc/regc/lang"
	"github.com/regc/regc/legacy"
	"github.com/regc/regc/scripts"
	"github.com/spf13/pflag"
)

type freezeFlags struct {
	color string
}

func freezeFlagSet(f *freezeFlags) *pflag.FlagSet {
	fs := newFlagSet("freeze")
	colorFlag(fs, &f.color)
	return fs
}

const freezeUsage = "regc freeze FILE.regimen"

func runFreeze(e *env, args []string) int {
	var f freezeFlags
	fs := freezeFlagSet(&f)
	if ok, code := parseFlags(e, "freeze", freezeUsage, fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		e.usagef(freezeUsage, "regc freeze: give exactly one regimen file")
		return exitUsage
	}
	path := fs.Arg(0)
	if legacy.IsYAML(path) {
		e.errf("regc freeze: %s is a legacy regimen.yml; freeze edits .regimen sources (regc import converts a legacy file)\n", path)
		return exitUsage
	}
	res := legacy.CompileFile(path, nil)
	e.render(res.Diagnostics, res.Sources, f.color)
	if res.Regimen == nil {
		if res.IsLibrary && !res.Diagnostics.HasErrors() {
			e.errf("regc freeze: %s is a library (it has no `regimen` header); freeze the regimen that imports it\n", path)
		} else {
			summarize(e, res.Diagnostics)
			e.errf("regc freeze: %s does not compile, so nothing was changed\n", path)
		}
		return exitFail
	}
	fetcher, err := newFetcher(e, false)
	if err != nil {
		e.usagef(freezeUsage, "regc freeze: %v", err)
		return exitUsage
	}
	results, sources, err := scripts.Freeze(context.Background(), fetcher, res)
	if err != nil {
		e.errf("regc freeze: %v\nnothing was changed\n", err)
		return exitFail
	}
	files := make([]atomicfile.File, len(sources))
	for i, s := range sources {
		files[i] = atomicfile.File{Path: s.Path, Data: s.Text}
	}
	// every script was fetched and every new text checked: now write
	// them all, or none when one cannot be written
	written, err := atomicfile.WriteAll(files)
	if err != nil {
		e.errf("regc freeze: %s\n", safetext.Terminal(err.Error()))
		if len(written) == 0 {
			fmt.Fprintf(e.stderr, "nothing was changed\n")
		} else {
			fmt.Fprintf(e.stderr, "these were written before that: %s; the others were not changed\n", safetext.Terminal(strings.Join(written, ", ")))
		}
		return exitFail
	}
	for _, r := range results {
		switch {
		case r.Old == "":
			fmt.Fprintf(e.stdout, "%s: md5 %s added\n", r.Script.Name, r.New)
		case r.Changed():
			fmt.Fprintf(e.stdout, "%s: md5 %s corrected (it said %s)\n", r.Script.Name, r.New, safetext.Terminal(r.Old))
		default:
			fmt.Fprintf(e.stdout, "%s: md5 %s unchanged\n", r.Script.Name, r.New)
		}
	}
	for _, s := range sources {
		fmt.Fprintf(e.stdout, "wrote %s\n", safetext.Terminal(s.Path))
	}
	return exitOK
}

// verifyScripts is check --verify-scripts: it fetches every script of a
// compiled regimen and returns diagnostics for the unreachable ones and the
// wrong md5s.
func verifyScripts(e *env, res *compiler.Result) lang.Diagnostics {
	fetcher, err := newFetcher(e, false)
	if err != nil {
		e.errf("regc check: warning: %v\n", err)
	}
	return scripts.VerifyScripts(context.Background(), fetcher, res)
}
