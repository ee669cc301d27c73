package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/mtrain"
	"github.com/regc/regc/mtrain/migrate"
	"github.com/regc/regc/scripts"
	"github.com/spf13/pflag"
)

type migrateFlags struct {
	serverFlags
	from    string
	to      string
	mapFile string
	journal string
	dryRun  bool
	color   string
}

func migrateFlagSet(f *migrateFlags) *pflag.FlagSet {
	fs := newFlagSet("sync migrate")
	fs.StringVar(&f.from, "from", "", "the regimen the mice are on, by its name on the server")
	fs.StringVar(&f.to, "to", "", "the regimen file (.regimen or legacy .yml) to move them to; it must be uploaded first")
	fs.StringVar(&f.mapFile, "map", "", "a legacy migrations.yml (source regimen, target regimen, old stage: new stage; it replaces the target's migrate blocks)")
	fs.StringVar(&f.journal, "journal", "", "the journal file that makes the run resumable (default: regc-migrate-FROM-to-TO.journal in the current folder)")
	fs.BoolVar(&f.dryRun, "dry-run", true, "only print the plan; --dry-run=false moves the mice")
	colorFlag(fs, &f.color)
	addServerFlags(fs, &f.serverFlags)
	return fs
}

const migrateUsage = "regc sync migrate --from NAME --to FILE [--map migrations.yml] [--journal PATH] [--dry-run=false] [--server URL]"

func runMigrate(e *env, args []string) int {
	var f migrateFlags
	fs := migrateFlagSet(&f)
	if ok, code := parseSyncFlags(e, "sync migrate", migrateUsage, fs, args); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int {
		e.usagef(migrateUsage, "regc sync migrate: "+format, a...)
		return exitUsage
	}
	fail := func(format string, a ...any) int {
		e.errf("regc sync migrate: "+format+"\n", a...)
		return exitFail
	}
	switch {
	case fs.NArg() != 0:
		return usageErr("unexpected argument %q", fs.Arg(0))
	case f.from == "":
		return usageErr("--from NAME is required: the regimen the mice are on")
	case f.to == "":
		return usageErr("--to FILE is required: the regimen to move them to")
	}
	if _, err := f.serverURL(e); err != nil {
		return usageErr("%v", err)
	}
	res := compileForSync(e, "migrate", f.to, f.color)
	if res == nil {
		return exitFail
	}
	reg := res.Regimen
	if reg.Name == f.from {
		return usageErr("--from and --to are the same regimen, %s", reg.Name)
	}
	target := migrate.TargetOf(reg)
	var legacy *migrate.LegacyMap
	if f.mapFile != "" {
		src, err := compiler.ReadSource(f.mapFile)
		if err != nil {
			return fail("--map: %v", unwrapPath(err))
		}
		if legacy, err = migrate.ParseLegacyMap(f.mapFile, src); err != nil {
			return fail("--map: %v", err)
		}
	}
	journalPath := f.journal
	if journalPath == "" {
		journalPath = defaultJournal(f.from, reg.Name)
	}
	c, err := f.client(e, !f.dryRun)
	if err != nil {
		return fail("%v", err)
	}
	ctx, stop := signalContext()
	defer stop()
	if !f.dryRun {
		// A wrong password stops the run before anything is read or written.
		if err := c.Login(ctx); err != nil {
			return fail("%v", err)
		}
	}
	// The target on the server must be the regimen compiled from --to.
	_, want, err := wireDocument(reg)
	if err != nil {
		return fail("%v", err)
	}
	targetMissing := false
	got, err := c.Regimen(ctx, reg.Name)
	switch {
	case errors.Is(err, mtrain.ErrNotFound):
		targetMissing = true
	case err != nil:
		return fail("%v", err)
	default:
		if diffs := mtrain.DiffDocuments(want, got.Document()); len(diffs) > 0 {
			e.errf("regc sync migrate: the regimen %s on %s is not the one compiled from %s, so no mouse was moved:\n", reg.Name, c.Server(), f.to)
			printDiffs(e, diffs)
			return exitFail
		}
	}
	if f.dryRun {
		return migrateDryRun(e, c, f, target, legacy, journalPath, targetMissing)
	}
	if targetMissing {
		return fail("%s is not on %s: upload it first (regc sync upload %s --dry-run=false); no mouse was moved", reg.Name, c.Server(), f.to)
	}

	// One migration of a source at a time: a second regc (whatever its
	// journal or target) is refused, naming the first.
	lock, err := lockSource(e, c.Server(), f.from, reg.Name, journalPath)
	if err != nil {
		return fail("%v; no mouse was moved", err)
	}
	defer lock.Release()
	j, code := openOrPlanJournal(e, c, f, target, legacy, journalPath, got)
	if j == nil {
		return code
	}
	defer j.Close()
	opt := migrate.Options{Regimens: []*mtrain.Regimen{got}}
	if src, err := c.Regimen(ctx, f.from); err == nil {
		// Only to name the stages mice were moved to by others.
		opt.Regimens = append(opt.Regimens, src)
	}
	var bar *progressBar
	if e.isTerminal(e.stderr) {
		bar = newProgressBar(e.stderr, "migrating")
		opt.Progress = bar.update
	}
	if f.verbose {
		opt.Logf = func(format string, a ...any) { fmt.Fprintf(e.stderr, format+"\n", a...) }
	}
	result, err := migrate.Apply(ctx, c, j, opt)
	if bar != nil && err != nil {
		bar.finish()
	}
	return reportApply(e, j, result, err)
}

// lockSource takes the lock on migrating the mice of from on server. The
// locks live in $REGC_CACHE_DIR/locks, else regc/locks in the user's cache
// folder: the same folder for every regc run by one user on one machine.
func lockSource(e *env, server, from, to, journal string) (*migrate.SourceLock, error) {
	dir := e.getenv(scripts.CacheDirEnv)
	if dir == "" {
		d, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("no folder for the migration lock (set %s): %w", scripts.CacheDirEnv, err)
		}
		dir = filepath.Join(d, "regc")
	}
	if abs, err := filepath.Abs(journal); err == nil {
		journal = abs
	}
	return migrate.LockSource(filepath.Join(dir, "locks"), server, from, migrate.LockInfo{Target: to, Journal: journal})
}

func defaultJournal(from, to string) string {
	return fmt.Sprintf("regc-migrate-%s-to-%s.journal", fileSafe(from), fileSafe(to))
}

// fileSafe replaces each run of characters other than A-Z, a-z, 0-9, '.',
// '_' and '-' in s by one '_' (what ReplaceAllString of
// [^A-Za-z0-9._-]+ did: every byte of a character outside ASCII is
// outside the set, so runs of bytes are runs of characters).
func fileSafe(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	inRun := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' {
			b.WriteByte(c)
			inRun = false
		} else if !inRun {
			b.WriteByte('_')
			inRun = true
		}
	}
	return b.String()
}

// printUnmapped lists every mouse the plan cannot place.
func printUnmapped(e *env, plan *migrate.Plan) {
	e.errf("regc sync migrate: %s no mapping to a stage of %s, so nothing was changed:\n", pluralVerb(len(plan.Unmapped), "mouse has", "mice have"), plan.To.Name)
	for _, p := range plan.Unmapped {
		stage := p.Stage
		if stage == "" {
			stage = "?"
		}
		fmt.Fprintf(e.stderr, "  %d: %s/%s: %s\n", p.ID, plan.From.Name, stage, p.Reason)
	}
	fmt.Fprintf(e.stderr, "map these stages with a `migrate from %s` block in the target regimen, or with --map migrations.yml\n", plan.From.Base)
}

func pluralVerb(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// printPlan writes one line per mouse and a summary.
func printPlan(e *env, plan *migrate.Plan) {
	for _, m := range plan.Moves {
		fmt.Fprintf(e.stdout, "%d: %s/%s -> %s/%s\n", m.ID, plan.From.Name, m.FromStage, plan.To.Name, m.ToStage)
	}
	fmt.Fprintf(e.stdout, "\n%s to move from %s to %s:\n", nMice(len(plan.Moves)), plan.From.Name, plan.To.Name)
	for _, c := range plan.Counts() {
		fmt.Fprintf(e.stdout, "  %6d  %s -> %s  (%s)\n", c.N, c.From, c.To, c.By)
	}
}

func migrateDryRun(e *env, c *mtrain.Client, f migrateFlags, target migrate.Target, legacy *migrate.LegacyMap, journalPath string, targetMissing bool) int {
	ctx, stop := signalContext()
	defer stop()
	plan, _, err := migrate.Load(ctx, c, f.from, target, legacy)
	if err != nil {
		e.errf("regc sync migrate: %v\n", err)
		return exitFail
	}
	if len(plan.Unmapped) > 0 {
		printUnmapped(e, plan)
		return exitFail
	}
	printPlan(e, plan)
	if j, err := migrate.Read(journalPath); err == nil {
		done, inFlight, conflicts, todo := j.Counts()
		fmt.Fprintf(e.stdout, "the journal %s records this migration begun: %d done, %d in flight, %d in conflict, %d to do; --dry-run=false resumes it\n",
			journalPath, done, inFlight, conflicts, todo)
	} else if !errors.Is(err, os.ErrNotExist) {
		e.errf("regc sync migrate: %v\n", err)
	}
	if targetMissing {
		fmt.Fprintf(e.stdout, "note: %s is not on %s yet: upload it (regc sync upload %s --dry-run=false) before --dry-run=false\n", plan.To.Name, c.Server(), f.to)
	}
	fmt.Fprintf(e.stdout, "dry run: nothing was changed; --dry-run=false moves the mice, with the journal %s\n", journalPath)
	return exitOK
}

// openOrPlanJournal resumes the journal at path, or plans the migration and
// writes a new one (see migrate.Begin), and says which. A nil journal comes
// with the exit code.
func openOrPlanJournal(e *env, c *mtrain.Client, f migrateFlags, target migrate.Target, legacy *migrate.LegacyMap, path string, onServer *mtrain.Regimen) (*migrate.Journal, int) {
	ctx, stop := signalContext()
	defer stop()
	b, err := migrate.Begin(ctx, c, c.Server(), c.User(), path, f.from, target, legacy, onServer)
	switch {
	case err != nil:
		e.errf("regc sync migrate: %v\n", err)
		return nil, exitFail
	case b.Resumed:
		j := b.Journal
		done, inFlight, conflicts, todo := j.Counts()
		if j.Finished() {
			e.errf("regc sync migrate: the journal %s records this migration finished; checking every mouse again\n", path)
		} else {
			e.errf("regc sync migrate: resuming from the journal %s: %d of %d mice done, %d in flight, %d in conflict, %d to do\n",
				path, done, len(j.Header.Moves), inFlight, conflicts, todo)
		}
		if j.TornTail {
			e.errf("regc sync migrate: the journal's %s\n", j.TailNote())
		}
		return j, exitOK
	case len(b.Plan.Unmapped) > 0:
		printUnmapped(e, b.Plan)
		return nil, exitFail
	case b.Journal == nil:
		fmt.Fprintf(e.stdout, "no mice on %s: nothing to do\n", f.from)
		return nil, exitOK
	}
	e.errf("regc sync migrate: moving %s from %s to %s; journal %s\n", nMice(len(b.Plan.Moves)), f.from, target.Name, path)
	return b.Journal, exitOK
}

// reportApply prints what a run did and returns the exit code.
func reportApply(e *env, j *migrate.Journal, r *migrate.Result, err error) int {
	h := j.Header
	if r != nil {
		fmt.Fprintf(e.stdout, "moved %d, found already on their target stage %d, done in earlier runs %d, of %d planned\n", r.Moved, r.Found, r.Earlier, r.Planned)
	}
	if err != nil {
		e.errf("regc sync migrate: stopped: %v\n", err)
		fmt.Fprintf(e.stderr, "the journal %s records every mouse handled so far; run the same command again to resume\n", j.Path())
		return exitFail
	}
	for _, p := range r.Conflicts {
		fmt.Fprintf(e.stderr, "conflict: %d (planned %s/%s): %s\n", p.ID, h.From, p.Stage, p.Reason)
	}
	for _, p := range r.Wrong {
		fmt.Fprintf(e.stderr, "reconciliation: %d: %s\n", p.ID, p.Reason)
	}
	if len(r.Strays) > 0 {
		e.errf("regc sync migrate: %s on %s not in this migration's plan (added since it began): %s\n",
			pluralVerb(len(r.Strays), "mouse is", "mice are"), h.From, joinInts(r.Strays, 20))
		fmt.Fprintf(e.stderr, "migrate them with a new journal (--journal NEW_PATH)\n")
	}
	fmt.Fprintf(e.stdout, "reconciliation: read every mouse back: %d of %d planned mice on their target stage of %s\n", r.Checked, r.Planned, h.To)
	if !r.OK() {
		return exitFail
	}
	return exitOK
}

func joinInts(ids []int, max int) string {
	var parts []string
	for i, id := range ids {
		if i == max {
			parts = append(parts, fmt.Sprintf("and %d more", len(ids)-max))
			break
		}
		parts = append(parts, strconv.Itoa(id))
	}
	return strings.Join(parts, ", ")
}
