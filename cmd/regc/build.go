package main

import (
	"fmt"

	"github.com/regc/regc/emit"
	"github.com/spf13/pflag"
)

type buildFlags struct {
	format string
	out    string
	color  string
	force  bool
}

func buildFlagSet(f *buildFlags) *pflag.FlagSet {
	fs := newFlagSet("build")
	fs.StringVar(&f.format, "format", "yaml", "output format: yaml or json")
	fs.StringVarP(&f.out, "output", "o", "", "write the document to this file (atomically) instead of standard output")
	fs.StringVar(&f.color, "color", "auto", "colour diagnostics: auto (on a terminal), always or never")
	fs.BoolVar(&f.force, "force", false, "write the document even when it has errors (the errors are still printed, and the exit code is 1)")
	return fs
}

const buildUsage = "regc build FILE [--format yaml|json] [-o OUT] [--force]"

func init() {
	register(&command{name: "build", summary: "compile a regimen to the mtrain document (YAML or JSON)", usage: buildUsage, run: runBuild})
	flagSets["build"] = func() *pflag.FlagSet { return buildFlagSet(&buildFlags{}) }
}

func runBuild(e *env, args []string) int {
	var f buildFlags
	fs := buildFlagSet(&f)
	if ok, code := parseFlags(e, "build", buildUsage, fs, args); !ok {
		return code
	}
	if f.format != "yaml" && f.format != "json" {
		fmt.Fprintf(e.stderr, "regc build: --format must be yaml or json, not %q\n", f.format)
		return exitUsage
	}
	if !validColor(f.color) {
		fmt.Fprintf(e.stderr, "regc build: --color must be auto, always or never, not %q\n", f.color)
		return exitUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(e.stderr, "regc build: give exactly one file\nusage: %s\n", buildUsage)
		return exitUsage
	}
	reg, failed := compileForOutput(e, "build", fs.Arg(0), f.color, f.force, "there is nothing to build")
	if reg == nil {
		return exitFail
	}
	doc, err := emit.Document(reg, f.format)
	if err != nil {
		fmt.Fprintf(e.stderr, "regc build: %v\n", err)
		return exitFail
	}
	return writeOutput(e, "build", f.out, doc, failed)
}
