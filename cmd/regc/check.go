package main

import (
	"encoding/json"
	"fmt"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
	"github.com/regc/regc/legacy"
	"github.com/regc/regc/semdiff"
	"github.com/spf13/pflag"
)

type checkFlags struct {
	format string
	color  string
	// verifyScripts: fetch every script and check its md5 (see freeze.go).
	verifyScripts bool
	// against: an earlier version (FILE or FILE@REV) to check the version
	// bump and migration coverage against (see diff.go).
	against string
	// denyWarnings: a warning fails the check (exit 1), for CI
	denyWarnings bool
}

func checkFlagSet(f *checkFlags) *pflag.FlagSet {
	fs := newFlagSet("check")
	fs.StringVar(&f.format, "format", "text", "how to print diagnostics: text or json")
	colorFlag(fs, &f.color)
	fs.BoolVar(&f.verifyScripts, "verify-scripts", false, "download every script and report an unreachable url or a wrong md5")
	denyWarningsFlag(fs, &f.denyWarnings)
	fs.StringVar(&f.against, "against", "", "an earlier version, FILE or FILE@REV: report a version bump too small (`version-bump`) and, on a major bump, stages it has that are not mapped (`migrate-coverage`)")
	return fs
}

const checkUsage = "regc check [--format text|json] [--against OLD] [--deny-warnings] FILE..."

func runCheck(e *env, args []string) int {
	var f checkFlags
	fs := checkFlagSet(&f)
	if ok, code := parseFlags(e, "check", checkUsage, fs, args); !ok {
		return code
	}
	if f.format != "text" && f.format != "json" {
		e.errf("regc check: --format must be text or json, not %q\n", f.format)
		return exitUsage
	}
	if fs.NArg() == 0 {
		e.usagef(checkUsage, "regc check: no files given")
		return exitUsage
	}
	var all lang.Diagnostics
	sources := map[string][]byte{}
	seen := map[string]bool{}
	var against *semdiff.Input
	if f.against != "" {
		var ok bool
		if against, ok = loadVersion(e, "check --against", f.against, f.color); !ok {
			return exitFail
		}
	}
	for _, path := range fs.Args() {
		// a file named twice (x.regimen ./x.regimen) is checked once
		if fs.NArg() > 1 {
			key := compiler.SourceKey(path)
			if seen[key] {
				continue
			}
			seen[key] = true
		}
		res := legacy.CompileFile(path, nil)
		all = append(all, res.Diagnostics...)
		all = append(all, compiler.LintScriptURLs(res.Regimen)...)
		if against != nil && res.Regimen != nil {
			_, ds := semdiff.Check(*against, semdiff.Input{Regimen: res.Regimen, Sources: res.Sources, Label: path})
			all = append(all, ds...)
		}
		if f.verifyScripts {
			all = append(all, verifyScripts(e, res)...)
		}
		for k, v := range res.Sources {
			sources[k] = v
		}
	}
	all = all.Normalize()
	if f.format == "json" {
		writeDiagnosticsJSON(e, all)
	} else {
		e.render(all, sources, f.color)
		summarize(e, all)
	}
	if failing(all, f.denyWarnings) {
		return exitFail
	}
	return exitOK
}

func denyWarningsFlag(fs *pflag.FlagSet, deny *bool) {
	fs.BoolVar(deny, "deny-warnings", false, "fail (exit 1) on a warning as on an error, for CI")
}

// failing reports whether ds fail a command: an error, or with deny a
// warning.
func failing(ds lang.Diagnostics, deny bool) bool {
	return ds.HasErrors() || deny && ds.Count(lang.Warning) > 0
}

func validColor(s string) bool { return s == "auto" || s == "always" || s == "never" }

func summarize(e *env, ds lang.Diagnostics) {
	errs, warns := ds.Count(lang.Error), ds.Count(lang.Warning)
	if errs+warns == 0 {
		return
	}
	fmt.Fprintf(e.stderr, "%s, %s\n", plural(errs, "error"), plural(warns, "warning"))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// jsonDiagnostic is the shape `check --format json` prints.
type jsonDiagnostic struct {
	Code       string        `json:"code"`
	Severity   string        `json:"severity"`
	File       string        `json:"file"`
	Line       int           `json:"line"`
	Column     int           `json:"column"`
	EndLine    int           `json:"end_line"`
	EndColumn  int           `json:"end_column"`
	Message    string        `json:"message"`
	Suggestion string        `json:"suggestion,omitempty"`
	Related    []jsonRelated `json:"related,omitempty"`
}

// jsonRelated is a second place a diagnostic concerns.
type jsonRelated struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

func writeDiagnosticsJSON(e *env, ds lang.Diagnostics) {
	out := make([]jsonDiagnostic, 0, len(ds))
	for _, d := range ds {
		j := jsonDiagnostic{
			Code: d.Code, Severity: d.Severity.String(), File: d.Range.File,
			Line: d.Range.Start.Line, Column: d.Range.Start.Column,
			EndLine: d.Range.End.Line, EndColumn: d.Range.End.Column,
			Message: d.Message, Suggestion: d.Suggestion,
		}
		if r := d.Related; r != nil {
			j.Related = []jsonRelated{{File: r.Range.File, Line: r.Range.Start.Line, Column: r.Range.Start.Column, Message: r.Message}}
		}
		out = append(out, j)
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	fmt.Fprintf(e.stdout, "%s\n", b)
}
