package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/emit"
	"github.com/regc/regc/internal/safetext"
	"github.com/regc/regc/internal/spell"
	"github.com/regc/regc/scripts"
	"github.com/spf13/pflag"
)

// Hooks the tests replace: the clock that stamps file names, and the
// transport that carries script downloads (nil: the real network).
var (
	emitNow        = time.Now
	fetchTransport http.RoundTripper
)

// Environment variables of the commands that fetch scripts.
const (
	mouseDirEnv     = "REGC_MOUSE_DIR"     // the mouse folder template
	fetchTimeoutEnv = "REGC_FETCH_TIMEOUT" // a Go duration bounding each download
)

type emitFlags struct {
	stage      string
	out        string
	mouse      string
	mouseDir   string
	paramsOnly bool
	offline    bool
	force      bool
	color      string
}

func emitFlagSet(f *emitFlags) *pflag.FlagSet {
	fs := newFlagSet("emit")
	fs.StringVar(&f.stage, "stage", "", "the stage to emit (without it: a prompt on a terminal, else the list of stages)")
	fs.StringVar(&f.out, "out", "", "write the files into this folder (default: the current folder)")
	fs.StringVar(&f.mouse, "mouse", "", "write into this mouse's folder: parameters to adjustment/, the script to scriptlog/")
	fs.StringVar(&f.mouseDir, "mouse-dir", "", "the mouse folder, {mouse} standing for the id (default: $"+mouseDirEnv+", else "+emit.DefaultMouseDir+")")
	fs.BoolVar(&f.paramsOnly, "params-only", false, "write only the parameters file")
	fs.BoolVar(&f.offline, "offline", false, "never use the network: take the script from the cache or a local file")
	fs.BoolVar(&f.force, "force", false, "write the files even when the regimen has errors (the errors are still printed, and the exit code is 1)")
	colorFlag(fs, &f.color)
	return fs
}

const emitUsage = "regc emit FILE [--stage NAME] [--out DIR | --mouse ID [--mouse-dir TEMPLATE]] [--params-only] [--offline] [--force]"

func runEmit(e *env, args []string) int {
	var f emitFlags
	fs := emitFlagSet(&f)
	if ok, code := parseFlags(e, "emit", emitUsage, fs, args); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int {
		e.usagef(emitUsage, "regc emit: "+format, a...)
		return exitUsage
	}
	switch {
	case fs.NArg() != 1:
		return usageErr("give exactly one regimen file")
	case fs.Changed("stage") && f.stage == "":
		return usageErr("--stage needs a stage name")
	case fs.Changed("out") && f.out == "":
		return usageErr("--out needs a folder")
	case fs.Changed("mouse") && f.mouse == "":
		return usageErr("--mouse needs a mouse id")
	case f.out != "" && f.mouse != "":
		return usageErr("give --out or --mouse, not both")
	case fs.Changed("mouse-dir") && f.mouse == "":
		return usageErr("--mouse-dir needs --mouse")
	}
	path := fs.Arg(0)
	res := e.compileReported(path, f.color, nil)
	failed := res.Diagnostics.HasErrors()
	if failed {
		if !f.force || res.Regimen == nil {
			e.errf("regc emit: %s has errors, so nothing was written (--force emits anyway)\n", path)
			return exitFail
		}
	}
	reg := res.Regimen
	if reg == nil {
		e.errf("regc emit: %s is a library (it has no `regimen` header), so it has no stages\n", path)
		return exitFail
	}
	if len(reg.Stages) == 0 {
		e.errf("regc emit: %s has no stages\n", path)
		return exitFail
	}
	stage, code := chooseStage(e, path, reg, f.stage)
	if stage == nil {
		return code
	}
	scriptDir, paramsDir := f.out, f.out
	if f.out == "" {
		scriptDir, paramsDir = ".", "."
	}
	if f.mouse != "" {
		tmpl := f.mouseDir
		if tmpl == "" {
			tmpl = e.getenv(mouseDirEnv)
		}
		if tmpl == "" {
			tmpl = emit.DefaultMouseDir
		}
		dir, err := emit.MouseDir(tmpl, f.mouse)
		if err != nil {
			return usageErr("%v", err)
		}
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			e.errf("regc emit: the folder of mouse %s, %s, does not exist (is the id right? --mouse-dir or $%s sets where mouse folders are)\n", f.mouse, dir, mouseDirEnv)
			return exitFail
		}
		scriptDir, paramsDir = emit.MouseFolders(dir)
	}
	opts := emit.CamstimOptions{Time: emitNow(), ScriptDir: scriptDir, ParamsDir: paramsDir, ParamsOnly: f.paramsOnly}
	if !f.paramsOnly {
		fetcher, err := newFetcher(e, f.offline)
		if err != nil {
			return usageErr("%v", err)
		}
		opts.Scripts = fetcher
	}
	out, err := emit.Camstim(context.Background(), reg, stage, opts)
	if err != nil {
		e.errf("regc emit: %v\n", err)
		if errors.Is(err, scripts.ErrNotCached) {
			fmt.Fprintf(e.stderr, "run regc emit once without --offline where the network reaches the script\n")
		}
		fmt.Fprintf(e.stderr, "nothing was written\n")
		return exitFail
	}
	for _, w := range out.Warnings {
		e.errf("regc emit: warning: %s\n", w)
	}
	files, n, err := emit.WriteNumbered(out.Files)
	if err != nil {
		e.errf("regc emit: %s\nnothing was written\n", safetext.Terminal(err.Error()))
		return exitFail
	}
	if n > 1 {
		e.errf("regc emit: files of stage %s stamped %s are there already (an emit in the same second), so these are numbered -%d\n",
			safetext.Terminal(stage.Name), opts.Time.Format(emit.CamstimTimeLayout), n)
	}
	for _, file := range files {
		fmt.Fprintf(e.stdout, "wrote %s\n", safetext.Terminal(file.Path))
	}
	if failed {
		// --force writes the files, as build --force writes the document,
		// and the errors still count: exit 1 on both
		e.errf("regc emit: %s has errors: written anyway (--force); the exit status is 1\n", path)
		return exitFail
	}
	return exitOK
}

// newFetcher makes the script fetcher the environment asks for: the cache
// folder ($REGC_CACHE_DIR, else the user cache) and the download time limit
// ($REGC_FETCH_TIMEOUT). When that is not a duration it says so, and still
// returns a fetcher, with the default limit.
func newFetcher(e *env, offline bool) (*scripts.Fetcher, error) {
	f := &scripts.Fetcher{Offline: offline, Transport: fetchTransport}
	if dir, err := scripts.ScriptCacheDir(e.getenv); err == nil {
		f.CacheDir = dir
	} else {
		e.errf("regc: warning: %v\n", err)
	}
	if s := e.getenv(fetchTimeoutEnv); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return f, fmt.Errorf("$%s must be a duration such as 30s, not %q", fetchTimeoutEnv, s)
		}
		f.Timeout = d
	}
	return f, nil
}

// chooseStage finds the stage called name; without a name it prompts on a
// terminal and lists the stages otherwise. A nil stage comes with the exit
// code.
func chooseStage(e *env, path string, reg *compiler.Regimen, name string) (*compiler.Stage, int) {
	if name != "" {
		if s := reg.Stage(name); s != nil {
			return s, exitOK
		}
		e.errf("regc emit: %s has no stage %s", path, name)
		if s := spell.Nearest(name, stageNames(reg)); s != "" {
			fmt.Fprintf(e.stderr, " (did you mean %s?)", s)
		}
		fmt.Fprintf(e.stderr, "\nrun regc emit %s without --stage to list the stages\n", path)
		return nil, exitFail
	}
	term, ok := e.stdin.(io.Writer)
	if !ok || !e.isTerminal(term) {
		// Standard input is a pipe or a file: its first line names the stage.
		if name := readStageName(e.stdin); name != "" {
			return chooseStage(e, path, reg, name)
		}
		e.errf("regc emit: no --stage given; the stages of %s are:\n", path)
		listStages(e.stderr, reg)
		fmt.Fprintf(e.stderr, "usage: %s\n", emitUsage)
		return nil, exitUsage
	}
	return promptStage(e, reg)
}

// maxStageLine bounds the line a stage name is read from.
const maxStageLine = 64 << 10

// readStageName returns the first line of r, trimmed; "" when r holds
// nothing (or no line shorter than maxStageLine).
func readStageName(r io.Reader) string {
	line, err := bufio.NewReaderSize(io.LimitReader(r, maxStageLine), maxStageLine).ReadString('\n')
	if err != nil && err != io.EOF || len(line) >= maxStageLine {
		return ""
	}
	return strings.TrimSpace(line)
}

// promptStage lists the stages, numbered, and reads a number or a name
// from the terminal until it names a stage.
func promptStage(e *env, reg *compiler.Regimen) (*compiler.Stage, int) {
	fmt.Fprintf(e.stderr, "stages of %s:\n", reg.Name)
	listStages(e.stderr, reg)
	in := bufio.NewReader(e.stdin)
	for {
		fmt.Fprintf(e.stderr, "stage to emit (1-%d or a name): ", len(reg.Stages))
		line, err := in.ReadString('\n')
		answer := strings.TrimSpace(line)
		if answer == "" && err != nil {
			fmt.Fprintf(e.stderr, "\nregc emit: no stage chosen\n")
			return nil, exitUsage
		}
		if n, convErr := strconv.Atoi(answer); convErr == nil && n >= 1 && n <= len(reg.Stages) {
			return reg.Stages[n-1], exitOK
		}
		if s := reg.Stage(answer); s != nil {
			return s, exitOK
		}
		switch s := spell.Nearest(answer, stageNames(reg)); {
		case answer == "":
		case s != "":
			fmt.Fprintf(e.stderr, "no stage %s (did you mean %s?)\n", answer, s)
		default:
			fmt.Fprintf(e.stderr, "no stage %s\n", answer)
		}
		if err != nil {
			e.errf("regc emit: no stage chosen\n")
			return nil, exitUsage
		}
	}
}

func listStages(w io.Writer, reg *compiler.Regimen) {
	width := len(strconv.Itoa(len(reg.Stages)))
	for i, s := range reg.Stages {
		fmt.Fprintf(w, "  %*d  %s\n", width, i+1, s.Name)
	}
}

func stageNames(reg *compiler.Regimen) []string {
	names := make([]string, len(reg.Stages))
	for i, s := range reg.Stages {
		names[i] = s.Name
	}
	return names
}
