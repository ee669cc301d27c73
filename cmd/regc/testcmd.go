package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/internal/safetext"
	"github.com/regc/regc/lang"
	"github.com/regc/regc/legacy"
	"github.com/spf13/pflag"
)

// regc test: plays the `test` blocks of regimen files and prints a line a
// test, the trajectory of a failing one, and a summary.

type testFlags struct {
	run   string
	color string
}

const testUsage = "regc test [--run REGEXP] FILE|DIR..."

func testFlagSet(f *testFlags) *pflag.FlagSet {
	fs := newFlagSet("test")
	fs.StringVar(&f.run, "run", "", "run only the tests whose title matches this regular expression")
	colorFlag(fs, &f.color)
	return fs
}

// testTally counts what regc test saw.
type testTally struct {
	passed, failed, notRun, files, broken int
}

func runTest(e *env, args []string) int {
	var f testFlags
	fs := testFlagSet(&f)
	if ok, code := parseFlags(e, "test", testUsage, fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		e.usagef(testUsage, "regc test: no files given")
		return exitUsage
	}
	var filter *regexp.Regexp
	if f.run != "" {
		var err error
		if filter, err = regexp.Compile(f.run); err != nil {
			e.errf("regc test: --run %q is not a regular expression: %s\n", f.run, safetext.Terminal(err.Error()))
			return exitUsage
		}
	}
	var t testTally
	for _, arg := range fs.Args() {
		paths := []string{arg}
		if st, err := os.Stat(arg); err == nil && st.IsDir() {
			var err error
			if paths, err = fmtFiles(arg); err != nil {
				e.errf("regc test: %s\n", safetext.Terminal(err.Error()))
				t.broken++
				continue
			}
		}
		for _, p := range paths {
			e.testFile(p, filter, f.color, &t)
		}
	}
	total := t.passed + t.failed + t.notRun
	summary := fmt.Sprintf("%s: %d passed, %d failed", plural(total, "test"), t.passed, t.failed)
	if t.notRun > 0 {
		summary += fmt.Sprintf(", %d not run", t.notRun)
	}
	if t.broken > 0 {
		summary += fmt.Sprintf("; %s with errors", plural(t.broken, "file"))
	}
	if total == 0 && filter != nil {
		summary += fmt.Sprintf(" (no test title matches --run %q)", f.run)
	}
	fmt.Fprintln(e.stdout, summary)
	if t.failed+t.notRun+t.broken > 0 {
		return exitFail
	}
	return exitOK
}

// testFile compiles one file and plays its tests. Errors other than a
// failing test are rendered, and make the file count as broken.
func (e *env) testFile(path string, filter *regexp.Regexp, color string, t *testTally) {
	res := legacy.CompileFile(path, nil)
	t.files++
	var others lang.Diagnostics
	for _, d := range res.Diagnostics {
		if d.Severity == lang.Error && d.Code != lang.CodeTestFailed {
			others = append(others, d)
		}
	}
	if len(others) > 0 {
		e.render(others, res.Sources, color)
		t.broken++
	}
	name := safetext.Terminal(path)
	for i := range res.Tests {
		r := &res.Tests[i]
		if filter != nil && !filter.MatchString(r.Title) {
			continue
		}
		title := safetext.Terminal(r.Title)
		switch {
		case r.NotRun:
			t.notRun++
			fmt.Fprintf(e.stdout, "FAIL  %s:%d: %s (not run: a name in it is wrong, see the errors above)\n", name, r.Range.Start.Line, title)
		case r.Passed():
			t.passed++
			fmt.Fprintf(e.stdout, "ok    %s:%d: %s (%s)\n", name, r.Range.Start.Line, title, plural(len(r.Steps), "step"))
		default:
			t.failed++
			fmt.Fprintf(e.stdout, "FAIL  %s:%d: %s\n", name, r.Range.Start.Line, title)
			writeTrajectory(e, path, r)
		}
	}
}

// writeTrajectory prints the steps of a failed test, the last the one
// that went elsewhere.
func writeTrajectory(e *env, path string, r *compiler.TestResult) {
	lines := []string{"start " + r.Start}
	for _, s := range r.Steps {
		lines = append(lines, fmt.Sprintf("%s [%s] => %s", s.Trigger, strings.Join(s.Criteria, ", "), s.Want))
	}
	width := 0
	for _, l := range lines {
		width = max(width, len(l))
	}
	for i, l := range lines {
		note := "at " + r.Start
		if i > 0 {
			s := r.Steps[i-1]
			note = "went to " + s.Got
			if i-1 == r.Failed {
				note = fmt.Sprintf("went to %s, not %s  <- %s:%d:%d", s.Got, s.Want, path, s.Range.Start.Line, s.Range.Start.Column)
				if s.Got == s.From {
					note = fmt.Sprintf("stayed on %s: no %s transition from it fires with [%s]  <- %s:%d:%d", s.From, s.Trigger, strings.Join(s.Criteria, ", "), path, s.Range.Start.Line, s.Range.Start.Column)
				}
			}
		}
		fmt.Fprintf(e.stdout, "      %-*s  # %s\n", width, safetext.Terminal(l), safetext.Terminal(note))
	}
}
