package compiler

// The error-test suite. Each testdata/errors/NAME.regimen is a small broken
// program that teaches one mistake; its comments say which diagnostics the
// compiler must report, on the line they are written on (in the style of
// starlark's chunkedfile and go/types' ERROR marks):
//
//	progress A -> B when one_compete  // ERROR undefined-criterion "did you mean one_complete\?"
//	stage TRAINING_1b { script: cd }  // WARNING unreachable-stage
//	progress B -> C when two  // ERROR undefined-stage // ERROR undefined-criterion
//
// A mark is `// ERROR code` or `// WARNING code`, optionally followed by a
// regular expression in double quotes (written as is, `\"` for a quote) that
// the message must match. Several marks may share a line; each matches one
// diagnostic. A diagnostic without a mark on its line, or a mark without a
// diagnostic, fails the test. Marks in imported files (testdata/errors/lib/)
// count as well: a diagnostic reported in a library is marked there.
//
// `// BUG code "regexp"` marks a diagnostic the compiler reports today but
// should not (a follow-on of the real error, or one on the wrong line): it
// is tolerated, not required, and the file says what is wrong in a comment
// starting `// BUG(compiler):`. When the compiler is fixed, the BUG mark goes.
//
// Every diagnostic must also have a sane range (start before end, on a real
// line of a file that was read, offsets agreeing with line and column), and
// compiling must neither panic nor hang.
//
// For a handful of files the rendered text (lang.Render without colour) is
// kept in testdata/golden/NAME.txt; `go test ./compiler -run Golden -update`
// rewrites them.

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/regc/regc/lang"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// diagnosticCodes are every code the compiler reports, with its severity;
// the suite must produce each of them at least once.
var diagnosticCodes = map[string]lang.Severity{
	"syntax":                         lang.Error,
	"undefined-name":                 lang.Error,
	"undefined-stage":                lang.Error,
	"undefined-criterion":            lang.Error,
	"duplicate-definition":           lang.Error,
	"duplicate-stage":                lang.Error,
	"import-cycle":                   lang.Error,
	"type-mismatch":                  lang.Error,
	"unknown-field":                  lang.Error,
	"missing-field":                  lang.Error,
	"out-of-range":                   lang.Error,
	"unit-mismatch":                  lang.Error,
	"stage-param-mismatch":           lang.Error,
	"duplicate-transition":           lang.Error,
	"shadowed-transition":            lang.Warning,
	"unreachable-stage":              lang.Warning,
	"name-convention":                lang.Warning,
	"unknown-unit":                   lang.Error,
	"duplicate-key":                  lang.Error,
	"invalid-import":                 lang.Error,
	"reference-cycle":                lang.Error,
	"test-failed":                    lang.Error,
	"unused":                         lang.Warning,
	"too-large":                      lang.Error,
	lang.CodeTrapStage:               lang.Warning,
	lang.CodeNoFinalPath:             lang.Warning,
	lang.CodeProgressCycle:           lang.Warning,
	lang.CodeContradictoryTransition: lang.Warning,
}

// goldenFiles are the error files whose rendered diagnostics are pinned.
var goldenFiles = []string{
	"syntax_micro_sign",
	"undefined_stage_typo",
	"duplicate_stage",
	"unit_mismatch_volume_in_time",
	"out_of_range_reward",
	"shadowed_transition",
	"type_mismatch_int_for_float",
	"import_cycle_three",
	"name_convention_raw_header",
}

const errorsDir = "testdata/errors"

// An expectation is one mark written in a test input.
type expectation struct {
	file string
	line int
	kind string // ERROR, WARNING or BUG
	code string
	re   *regexp.Regexp // nil: any message
	used bool
}

func (e *expectation) String() string {
	s := fmt.Sprintf("%s:%d: %s %s", e.file, e.line, e.kind, e.code)
	if e.re != nil {
		s += fmt.Sprintf(" %q", e.re.String())
	}
	return s
}

// matches reports whether e accepts d (e and d are on the same line).
func (e *expectation) matches(d lang.Diagnostic) bool {
	if e.used || e.code != d.Code {
		return false
	}
	if e.kind == "ERROR" && d.Severity != lang.Error || e.kind == "WARNING" && d.Severity != lang.Warning {
		return false
	}
	return e.re == nil || e.re.MatchString(d.Message)
}

var markRE = regexp.MustCompile(`//\s*(ERROR|WARNING|BUG)\s+([a-z][a-z-]*)(?:\s+"((?:[^"\\]|\\.)*)")?`)

// parseMarks returns the marks written in src, in order.
func parseMarks(file string, src []byte) ([]*expectation, error) {
	var out []*expectation
	for i, line := range strings.Split(string(src), "\n") {
		for _, m := range markRE.FindAllStringSubmatch(line, -1) {
			e := &expectation{file: file, line: i + 1, kind: m[1], code: m[2]}
			if _, ok := diagnosticCodes[e.code]; !ok {
				return nil, fmt.Errorf("%s:%d: mark names unknown code %q", file, i+1, e.code)
			}
			if m[3] != "" {
				re, err := regexp.Compile(strings.ReplaceAll(m[3], `\"`, `"`))
				if err != nil {
					return nil, fmt.Errorf("%s:%d: bad regexp in mark: %v", file, i+1, err)
				}
				e.re = re
			}
			out = append(out, e)
		}
	}
	return out, nil
}

// compileChecked compiles path, failing the test if the compiler panics or
// takes more than a few seconds.
func compileChecked(t *testing.T, path string) *Result {
	t.Helper()
	type outcome struct {
		res   *Result
		panic any
		stack []byte
	}
	ch := make(chan outcome, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				ch <- outcome{panic: r, stack: debug.Stack()}
			}
		}()
		ch <- outcome{res: Compile(path, nil)}
	}()
	select {
	case o := <-ch:
		if o.panic != nil {
			t.Fatalf("%s: the compiler panicked: %v\n%s", path, o.panic, o.stack)
		}
		return o.res
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: the compiler did not finish in 10s", path)
		return nil
	}
}

// checkRange reports what is wrong with r, a range of a diagnostic in
// sources, or "".
func checkRange(r lang.Range, sources map[string][]byte) string {
	src, ok := sources[r.File]
	switch {
	case !ok:
		return fmt.Sprintf("file %q was not read", r.File)
	case r.Start.Line < 1 || r.Start.Column < 1 || r.End.Line < 1 || r.End.Column < 1:
		return fmt.Sprintf("invalid position %d:%d-%d:%d", r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
	case r.End.Before(r.Start) || r.End.Offset < r.Start.Offset:
		return fmt.Sprintf("end %d:%d (offset %d) before start %d:%d (offset %d)", r.End.Line, r.End.Column, r.End.Offset, r.Start.Line, r.Start.Column, r.Start.Offset)
	case r.Start.Offset > len(src):
		return fmt.Sprintf("start offset %d past the end of the file (%d bytes)", r.Start.Offset, len(src))
	}
	if p := lang.PosAt(src, r.Start.Offset); p != r.Start {
		return fmt.Sprintf("start %d:%d disagrees with its offset %d (which is %d:%d)", r.Start.Line, r.Start.Column, r.Start.Offset, p.Line, p.Column)
	}
	// An end one past the last byte marks the end of the file.
	if r.End.Offset <= len(src) {
		if p := lang.PosAt(src, r.End.Offset); p != r.End {
			return fmt.Sprintf("end %d:%d disagrees with its offset %d (which is %d:%d)", r.End.Line, r.End.Column, r.End.Offset, p.Line, p.Column)
		}
	} else if r.End.Offset > len(src)+1 {
		return fmt.Sprintf("end offset %d past the end of the file (%d bytes)", r.End.Offset, len(src))
	}
	return ""
}

// runsPastToken reports whether r ends after the space or comment that
// follows its last token: a range ends with a token.
func runsPastToken(r lang.Range, src []byte) bool {
	return r.End.Offset > r.Start.Offset && r.End.Offset <= len(src) && strings.ContainsRune(" \t\r\n", rune(src[r.End.Offset-1]))
}

// errorFiles returns the test inputs, in order.
func errorFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(errorsDir, "*.regimen"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

func TestErrors(t *testing.T) {
	files := errorFiles(t)
	if len(files) < 45 {
		t.Errorf("%d error files in %s, want at least 45", len(files), errorsDir)
	}
	covered := map[string]int{} // code -> ERROR/WARNING marks matched
	loaded := map[string]bool{} // every file some test read
	var nMarks, nBugs, nDiags int
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".regimen")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(src, []byte("//")) {
				t.Errorf("%s: the first line should be a comment saying what mistake the file teaches", path)
			}
			res := compileChecked(t, path)
			nDiags += len(res.Diagnostics)

			// every file read, including imports, may carry marks
			var names []string
			for f := range res.Sources {
				names = append(names, f)
				loaded[filepath.Clean(f)] = true
			}
			sort.Strings(names)
			byLine := map[string][]*expectation{}
			var marks []*expectation
			for _, f := range names {
				ms, err := parseMarks(f, res.Sources[f])
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range ms {
					k := fmt.Sprintf("%s:%d", m.file, m.line)
					byLine[k] = append(byLine[k], m)
				}
				marks = append(marks, ms...)
			}
			if len(marks) == 0 {
				t.Errorf("%s: no ERROR or WARNING marks", path)
			}

			for _, d := range res.Diagnostics {
				if d.Code == "internal" {
					t.Errorf("%s: the compiler panicked: %s", path, d.Message)
					continue
				}
				ranges := []lang.Range{d.Range}
				if d.Related != nil {
					ranges = append(ranges, d.Related.Range)
				}
				for i, r := range ranges {
					what := []string{"range", "related range"}[i]
					if msg := checkRange(r, res.Sources); msg != "" {
						t.Errorf("%s: %s [%s]: bad %s: %s", d.Range, d.Message, d.Code, what, msg)
					} else if runsPastToken(r, res.Sources[r.File]) {
						t.Errorf("%s: %s [%s]: the %s %d:%d-%d:%d runs past its last token", d.Range, d.Message, d.Code, what, r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
					}
				}
				if d.Message == "" {
					t.Errorf("%s: [%s] has no message", d.Range, d.Code)
				}
				if e := match(byLine[fmt.Sprintf("%s:%d", d.Range.File, d.Range.Start.Line)], d); e != nil {
					e.used = true
					if e.kind == "BUG" {
						nBugs++
						t.Logf("known bug still present: %s: %s: %s [%s]", d.Range, d.Severity, d.Message, d.Code)
					}
					continue
				}
				t.Errorf("%s: unexpected %s: %s [%s]", d.Range, d.Severity, d.Message, d.Code)
			}
			for _, e := range marks {
				switch {
				case e.kind == "BUG" && !e.used:
					t.Errorf("%s: the known bug is no longer reported: remove the mark", e)
				case e.kind == "BUG":
				case !e.used:
					t.Errorf("%s: missing diagnostic", e)
				default:
					nMarks++
					covered[e.code]++
				}
			}
		})
	}

	// every library under testdata/errors/lib is imported by some test,
	// so its marks are checked
	libs, _ := filepath.Glob(filepath.Join(errorsDir, "lib", "*.regimen"))
	for _, l := range libs {
		if !loaded[filepath.Clean(l)] {
			t.Errorf("%s is imported by no test: its marks are never checked", l)
		}
	}

	var codes []string
	for code := range diagnosticCodes {
		codes = append(codes, code)
		if covered[code] == 0 {
			t.Errorf("no test in %s produces a diagnostic with code %s", errorsDir, code)
		}
	}
	sort.Strings(codes)
	var summary []string
	for _, c := range codes {
		summary = append(summary, fmt.Sprintf("%s %d", c, covered[c]))
	}
	t.Logf("%d files, %d diagnostics: %d matched marks covering %d/%d codes, %d known-bug diagnostics tolerated",
		len(files), nDiags, nMarks, len(covered), len(diagnosticCodes), nBugs)
	t.Logf("marks per code: %s", strings.Join(summary, ", "))
}

// match returns the unused mark among marks that accepts d: an ERROR or
// WARNING mark with a regexp before one without, and a BUG mark last.
func match(marks []*expectation, d lang.Diagnostic) *expectation {
	for _, pass := range []func(*expectation) bool{
		func(e *expectation) bool { return e.kind != "BUG" && e.re != nil },
		func(e *expectation) bool { return e.kind != "BUG" && e.re == nil },
		func(e *expectation) bool { return e.kind == "BUG" },
	} {
		for _, e := range marks {
			if pass(e) && e.matches(d) {
				return e
			}
		}
	}
	return nil
}

func TestParseMarks(t *testing.T) {
	src := []byte(`stage A { script: cd }
progress B -> C when two  // ERROR undefined-stage // ERROR undefined-criterion "undefined criterion two"
let s = "http://x"  // WARNING unused "constant s \"is\" unused"
// BUG(compiler): prose, not a mark
let t = 1  // BUG type-mismatch
`)
	marks, err := parseMarks("x.regimen", src)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range marks {
		got = append(got, m.String())
	}
	want := []string{
		`x.regimen:2: ERROR undefined-stage`,
		`x.regimen:2: ERROR undefined-criterion "undefined criterion two"`,
		`x.regimen:3: WARNING unused "constant s \"is\" unused"`,
		`x.regimen:5: BUG type-mismatch`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("parseMarks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := parseMarks("y.regimen", []byte("x // ERROR no-such-code\n")); err == nil {
		t.Errorf("a mark with an unknown code was accepted")
	}
}

func TestErrorsGolden(t *testing.T) {
	for _, name := range goldenFiles {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(errorsDir, name+".regimen")
			res := compileChecked(t, path)
			var b bytes.Buffer
			if err := lang.Render(&b, res.Diagnostics, res.Sources, lang.RenderOptions{}); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", name+".txt")
			if *updateGolden {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run `go test ./compiler -run Golden -update` to create it)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("rendered diagnostics of %s differ from %s (-update rewrites it)\ngot:\n%s\nwant:\n%s", path, golden, got, want)
			}
		})
	}
}
