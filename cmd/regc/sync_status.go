package main

import (
	"errors"
	"fmt"

	"github.com/regc/regc/internal/safetext"
	"github.com/regc/regc/mtrain"
	"github.com/spf13/pflag"
)

type statusFlags struct {
	serverFlags
	color string
}

func statusFlagSet(f *statusFlags) *pflag.FlagSet {
	fs := newFlagSet("sync status")
	colorFlag(fs, &f.color)
	addServerFlags(fs, &f.serverFlags)
	return fs
}

const statusUsage = "regc sync status FILE [--server URL]"

func runStatus(e *env, args []string) int {
	var f statusFlags
	fs := statusFlagSet(&f)
	if ok, code := parseSyncFlags(e, "sync status", statusUsage, fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		e.usagef(statusUsage, "regc sync status: give exactly one regimen file")
		return exitUsage
	}
	if _, err := f.serverURL(e); err != nil {
		e.errf("regc sync status: %v\n", err)
		return exitUsage
	}
	res := compileForSync(e, "status", fs.Arg(0), f.color)
	if res == nil {
		return exitFail
	}
	_, want, err := wireDocument(res.Regimen)
	if err != nil {
		e.errf("regc sync status: %v\n", err)
		return exitFail
	}
	c, err := f.client(e, false)
	if err != nil {
		e.errf("regc sync status: %v\n", err)
		return exitFail
	}
	ctx, stop := signalContext()
	defer stop()
	got, err := c.Regimen(ctx, want.Name)
	if errors.Is(err, mtrain.ErrNotFound) {
		fmt.Fprintf(e.stdout, "%s: not on %s\n", want.Name, c.Server())
		return exitFail
	}
	if err != nil {
		e.errf("regc sync status: %v\n", err)
		return exitFail
	}
	mice, err := c.Mice(ctx, want.Name)
	if err != nil {
		e.errf("regc sync status: %v\n", err)
		return exitFail
	}
	diffs := mtrain.DiffDocuments(want, got.Document())
	if len(diffs) == 0 {
		fmt.Fprintf(e.stdout, "%s: on %s (regimen id %d), the same document; %s on it\n", want.Name, c.Server(), got.ID, nMice(len(mice)))
		return exitOK
	}
	fmt.Fprintf(e.stdout, "%s: on %s (regimen id %d, %s on it), but it differs from %s:\n", want.Name, c.Server(), got.ID, nMice(len(mice)), fs.Arg(0))
	for _, d := range diffs {
		fmt.Fprintf(e.stdout, "  %s\n", safetext.Terminal(d))
	}
	return exitFail
}
