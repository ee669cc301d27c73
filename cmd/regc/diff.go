package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/internal/safetext"
	"github.com/regc/regc/legacy"
	"github.com/regc/regc/mtrain"
	"github.com/regc/regc/semdiff"
	"github.com/spf13/pflag"
)

// `regc diff OLD NEW`: the semantic diff between two versions of a regimen
// and the version bump it requires (the work is in package semdiff).
//
// Exit codes, as diff(1): 0 the documents are the same (apart from the
// version in the name), 1 they differ, 2 usage or trouble (a file that
// cannot be read or compiled, a server that cannot be asked), so that a
// script can tell "differ" from "could not compare".

type diffFlags struct {
	serverFlags
	format  string
	color   string
	suggest bool
	// againstServer: OLD is the copy the server holds under OLD's name.
	againstServer bool
}

func diffFlagSet(f *diffFlags) *pflag.FlagSet {
	fs := newFlagSet("diff")
	fs.StringVar(&f.format, "format", "text", "how to print the diff: text, json or markdown (a CHANGELOG entry)")
	fs.BoolVar(&f.suggest, "suggest-migrate", false, "print a `migrate` block mapping the stages NEW lacks, each guess commented with its evidence")
	fs.BoolVar(&f.againstServer, "against-server", false, "compare NEW with the copy of the regimen the server (--server or $"+serverEnv+") holds under OLD's name (OLD: a file, or a regimen name)")
	colorFlag(fs, &f.color)
	addServerFlags(fs, &f.serverFlags)
	fs.Lookup("server").Usage = "count the mice on each stage of OLD on this mtrain server (reads only; nothing is asked without it)"
	return fs
}

const diffUsage = "regc diff OLD NEW [--format text|json|markdown] [--suggest-migrate] [--server URL] [--against-server]"

func runDiff(e *env, args []string) int {
	var f diffFlags
	fs := diffFlagSet(&f)
	if ok, code := parseSyncFlags(e, "diff", diffUsage, fs, args); !ok {
		return code
	}
	if !slices.Contains(semdiff.Formats, f.format) {
		e.errf("regc diff: --format must be text, json or markdown, not %q\n", f.format)
		return exitUsage
	}
	var ok bool
	if fs.NArg() != 2 {
		e.usagef(diffUsage, "regc diff: give two regimen files, OLD and NEW (each FILE or FILE@REV)")
		return exitUsage
	}
	if f.againstServer {
		if _, err := f.serverURL(e); err != nil {
			e.errf("regc diff: --against-server: %v\n", err)
			return exitUsage
		}
	}
	var old *semdiff.Input
	if f.againstServer && !isRegimenFile(fs.Arg(0)) {
		old = &semdiff.Input{Regimen: &compiler.Regimen{Name: fs.Arg(0)}}
	} else if old, ok = loadVersion(e, "diff", fs.Arg(0), f.color); !ok {
		return exitUsage
	}
	new, ok := loadVersion(e, "diff", fs.Arg(1), f.color)
	if !ok {
		return exitUsage
	}
	var c *mtrain.Client
	if f.server != "" || f.againstServer {
		var err error
		if c, err = f.client(e, false); err != nil {
			e.errf("regc diff: %v\n", err)
			return exitUsage
		}
		ctx, stop := signalContext()
		defer stop()
		if f.againstServer {
			if old, err = serverVersion(ctx, c, old.Regimen.Name); err != nil {
				e.errf("regc diff: %v\n", err)
				return exitUsage
			}
		}
	}
	d := semdiff.Compare(*old, *new)
	if c != nil {
		ctx, stop := signalContext()
		defer stop()
		counts, err := miceOnStages(ctx, c, d.Old.Name)
		if err != nil {
			e.errf("regc diff: %v\n", err)
			return exitUsage
		}
		d.Mice = counts
	}
	var sugg []semdiff.Suggestion
	if f.suggest {
		sugg = semdiff.Suggest(old.Regimen, new.Regimen)
		if len(sugg) == 0 {
			e.errf("regc diff: every stage of %s is in %s or mapped by its migrate blocks; no migrate block is needed\n", safetext.Terminal(old.Label), safetext.Terminal(new.Label))
		}
	}
	if err := semdiff.Write(e.stdout, d, f.format, sugg, old); err != nil {
		e.errf("regc diff: %v\n", err)
		return exitUsage
	}
	if d.Same() {
		return exitOK
	}
	return exitFail
}

// loadVersion compiles one side of a diff or of `check --against`: FILE,
// or FILE@REV (the file and its imports as of a git revision; a file whose
// own name holds an @ is read as it is). Diagnostics are printed; it fails
// when the file has no regimen, or a .regimen source has errors (its model
// would be partial). A legacy file's defects (a transition to a missing
// stage, ...) are kept in its document, as mtrain got it, so they are
// printed and the diff goes on.
func loadVersion(e *env, cmd, arg, color string) (*semdiff.Input, bool) {
	path, rev := arg, ""
	if _, err := os.Stat(arg); err != nil {
		if i := strings.LastIndex(arg, "@"); i > 0 {
			path, rev = arg[:i], arg[i+1:]
		}
	}
	label := safetext.Terminal(arg)
	var res *compiler.Result
	if rev != "" {
		g, err := resolveRev(path, rev)
		if err != nil {
			e.errf("regc %s: %s: %s\n", cmd, label, safetext.Terminal(err.Error()))
			return nil, false
		}
		res = compileAtRev(path, g)
	} else {
		res = legacy.CompileFile(path, nil)
	}
	e.render(res.Diagnostics, res.Sources, color)
	switch {
	case res.Regimen == nil && res.IsLibrary && !res.Diagnostics.HasErrors():
		e.errf("regc %s: %s is a library (it has no `regimen` header)\n", cmd, label)
		return nil, false
	case res.Regimen == nil:
		e.errf("regc %s: %s could not be compiled\n", cmd, label)
		return nil, false
	case res.Diagnostics.HasErrors() && !legacy.IsYAML(path):
		summarize(e, res.Diagnostics)
		e.errf("regc %s: %s has errors, so it cannot be compared\n", cmd, label)
		return nil, false
	}
	return &semdiff.Input{Regimen: res.Regimen, Sources: res.Sources, Label: arg}, true
}

// isRegimenFile reports whether arg names a regimen file (FILE or
// FILE@REV) rather than a regimen's name on a server.
func isRegimenFile(arg string) bool {
	if _, err := os.Stat(arg); err == nil {
		return true
	}
	path := arg
	if i := strings.LastIndex(arg, "@"); i > 0 {
		path = arg[:i]
	}
	return legacy.IsYAML(path) || strings.HasSuffix(path, ".regimen")
}

// serverVersion reads the regimen the server holds under name, as one side
// of a diff.
func serverVersion(ctx context.Context, c *mtrain.Client, name string) (*semdiff.Input, error) {
	if err := regimenOnServer(ctx, c, name); err != nil {
		return nil, err
	}
	got, err := c.Regimen(ctx, name)
	if err != nil {
		return nil, err
	}
	reg, err := semdiff.FromDocument(got.Document())
	if err != nil {
		return nil, fmt.Errorf("%s on %s: %w", name, c.Server(), err)
	}
	return &semdiff.Input{Regimen: reg, Label: "server:" + name}, nil
}

// miceOnStages counts the mice on each stage of the regimen called name,
// reading the server as `sync status` does (no login).
func miceOnStages(ctx context.Context, c *mtrain.Client, name string) (map[string]int, error) {
	if err := regimenOnServer(ctx, c, name); err != nil {
		return nil, err
	}
	mice, err := c.Mice(ctx, name)
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	for _, m := range mice {
		counts[m.Stage]++
	}
	return counts, nil
}
