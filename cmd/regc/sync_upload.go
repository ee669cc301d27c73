package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/internal/safetext"
	"github.com/regc/regc/mtrain"
	"github.com/regc/regc/scripts"
	"github.com/spf13/pflag"
)

type uploadFlags struct {
	serverFlags
	dryRun        bool
	verifyScripts bool
	force         bool
	color         string
	rev           string
}

func uploadFlagSet(f *uploadFlags) *pflag.FlagSet {
	fs := newFlagSet("sync upload")
	fs.BoolVar(&f.dryRun, "dry-run", true, "only print what would be uploaded; --dry-run=false uploads")
	fs.BoolVar(&f.verifyScripts, "verify-scripts", true, "download every script and check its md5 first, as the old upload did")
	fs.BoolVar(&f.force, "force", false, "upload even when the regimen has errors (they are still printed): mtrain takes, for one, a parameters.stage that is not the stage's name")
	colorFlag(fs, &f.color)
	fs.StringVar(&f.rev, "rev", "", "compile FILE and its imports as of this git revision (a tag such as NAME_v1.2.0, a branch or a commit)")
	addServerFlags(fs, &f.serverFlags)
	return fs
}

const uploadUsage = "regc sync upload FILE [--rev REV] [--dry-run=false] [--force] [--server URL] [--user NAME] [--password-stdin]"

func runUpload(e *env, args []string) int {
	var f uploadFlags
	fs := uploadFlagSet(&f)
	if ok, code := parseSyncFlags(e, "sync upload", uploadUsage, fs, args); !ok {
		return code
	}
	fail := func(format string, a ...any) int {
		e.errf("regc sync upload: %s\n", safetext.Terminal(fmt.Sprintf(format, a...)))
		return exitFail
	}
	if fs.NArg() != 1 {
		e.usagef(uploadUsage, "regc sync upload: give exactly one regimen file")
		return exitUsage
	}
	if _, err := f.serverURL(e); err != nil {
		e.errf("regc sync upload: %v\n", err)
		return exitUsage
	}
	if fs.Changed("rev") && f.rev == "" {
		e.usagef(uploadUsage, "regc sync upload: --rev needs a git revision (a tag, a branch or a commit)")
		return exitUsage
	}
	path := fs.Arg(0)
	var rev *gitRev
	var opts *compiler.Options
	if f.rev != "" {
		g, err := resolveRev(path, f.rev)
		switch {
		case errors.Is(err, errNoGit):
			return fail("--rev needs git: %v", err)
		case errors.Is(err, errUnknownRev):
			e.errf("regc sync upload: %s\n", safetext.Terminal(fmt.Sprintf("%v (give a tag, a branch or a commit of the repository holding %s)", err, path)))
			return exitUsage
		case err != nil:
			return fail("--rev: %v", err)
		}
		rev, opts = g, &compiler.Options{ReadFile: g.readFile}
		e.errf("regc sync upload: compiling %s as of %s (commit %.12s)\n", safetext.Terminal(path), safetext.Terminal(f.rev), g.commit)
	}
	res := compileForSyncWith(e, "upload", path, f.color, opts, f.force)
	if res == nil {
		return exitFail
	}
	if msg := tagMismatch(path, rev, res.Regimen.Name); msg != "" {
		return fail("%s, so nothing was sent: a release tag names the regimen it holds (fix the regimen's name or the tag)", msg)
	}
	if ds := scripts.RemoteScripts(res); ds.HasErrors() {
		e.render(ds, res.Sources, f.color)
		summarize(e, ds)
		return fail("%s has a script that is not at an http(s) URL, so nothing was sent", path)
	}
	doc, want, err := wireDocument(res.Regimen)
	if err == nil {
		err = want.Validate()
	}
	if err != nil {
		return fail("%s: the document is not one mtrain accepts: %v", path, err)
	}
	ctx, stop := signalContext()
	defer stop()
	if f.verifyScripts {
		fetcher, err := newFetcher(e, false)
		if err != nil {
			e.errf("regc sync upload: %v\n", err)
			return exitUsage
		}
		ds := scripts.VerifyScripts(ctx, fetcher, res)
		e.render(ds, res.Sources, f.color)
		if ds.HasErrors() {
			summarize(e, ds)
			return fail("a script cannot be fetched or has the wrong md5, so nothing was sent (--verify-scripts=false skips this check)")
		}
	}
	c, err := f.client(e, !f.dryRun)
	if err != nil {
		return fail("%v", err)
	}
	name := want.Name
	// As the old upload did: the name must not be on the server yet.
	got, err := c.Regimen(ctx, name)
	switch {
	case errors.Is(err, mtrain.ErrNotFound):
	case err != nil:
		return fail("%v", err)
	default:
		if diffs := mtrain.DiffDocuments(want, got.Document()); len(diffs) > 0 {
			e.errf("regc sync upload: %s is already on %s with a different document, so nothing was sent:\n", name, c.Server())
			printDiffs(e, diffs)
			fmt.Fprintf(e.stderr, "a changed regimen needs a new version number\n")
			return exitFail
		}
		e.errf("regc sync upload: %s is already on the server, identical (%s holds the document %s compiles to); nothing was sent\n", name, c.Server(), path)
		return exitOK
	}
	if f.dryRun {
		// the document as it would be sent, without the passwords of URLs
		if _, err := io.WriteString(e.stdout, safetext.Redact(string(doc))); err != nil {
			return fail("%v", err)
		}
		e.errf("regc sync upload: dry run: would upload %s (%s, %s) to %s; nothing was sent (--dry-run=false uploads it)\n",
			name, plural(len(want.Stages), "stage"), plural(len(want.Transitions), "transition"), c.Server())
		return exitOK
	}
	if err := c.UploadRegimen(ctx, doc); err != nil {
		if errors.Is(err, mtrain.ErrExists) {
			return fail("%s appeared on %s while uploading (someone else uploaded it?): %v", name, c.Server(), err)
		}
		return fail("%v", err)
	}
	if code := verifyUpload(ctx, e, c, want); code != exitOK {
		return code
	}
	fmt.Fprintf(e.stdout, "uploaded %s to %s as %s; read back: the server holds the same document (%s, %s)\n",
		name, c.Server(), c.User(), plural(len(want.Stages), "stage"), plural(len(want.Transitions), "transition"))
	return exitOK
}

// verifyUpload reads the regimen back and compares it with what was sent.
func verifyUpload(ctx context.Context, e *env, c *mtrain.Client, want *mtrain.Document) int {
	got, err := c.Regimen(ctx, want.Name)
	if err != nil {
		e.errf("regc sync upload: %s was sent, but reading it back failed: %v\n", want.Name, err)
		return exitFail
	}
	if diffs := mtrain.DiffDocuments(want, got.Document()); len(diffs) > 0 {
		e.errf("regc sync upload: %s was uploaded, but the server holds a different document:\n", want.Name)
		printDiffs(e, diffs)
		return exitFail
	}
	return exitOK
}

func printDiffs(e *env, diffs []string) {
	const max = 40
	for i, d := range diffs {
		if i == max {
			fmt.Fprintf(e.stderr, "  ... and %d more\n", len(diffs)-max)
			break
		}
		fmt.Fprintf(e.stderr, "  %s\n", safetext.Terminal(d))
	}
}
