package main

import (
	"github.com/regc/regc/emit"
	"github.com/spf13/pflag"
)

type buildFlags struct {
	format string
	out    string
	color  string
	stage  string
	force  bool
	deny   bool
}

func buildFlagSet(f *buildFlags) *pflag.FlagSet {
	fs := newFlagSet("build")
	fs.StringVar(&f.format, "format", "yaml", "output format: yaml or json")
	fs.StringVarP(&f.out, "output", "o", "", "write the document to this file (atomically) instead of standard output")
	fs.StringVar(&f.stage, "stage", "", "print only this stage's {script, script_md5, parameters}, as make_regimen_json.py --stage did (JSON unless --format yaml)")
	colorFlag(fs, &f.color)
	fs.BoolVar(&f.force, "force", false, "write the document even when it has errors (the errors are still printed, and the exit code is 1)")
	denyWarningsFlag(fs, &f.deny)
	return fs
}

const buildUsage = "regc build FILE [--format yaml|json] [--stage NAME] [-o OUT] [--force] [--deny-warnings]"

func runBuild(e *env, args []string) int {
	var f buildFlags
	fs := buildFlagSet(&f)
	if ok, code := parseFlags(e, "build", buildUsage, fs, args); !ok {
		return code
	}
	if f.format != "yaml" && f.format != "json" {
		e.errf("regc build: --format must be yaml or json, not %q\n", f.format)
		return exitUsage
	}
	if fs.NArg() != 1 {
		e.usagef(buildUsage, "regc build: give exactly one file")
		return exitUsage
	}
	path := fs.Arg(0)
	if f.out != "" && f.out != "-" && outputIsInput(e, "build", f.out, []string{path}) {
		return exitUsage
	}
	res, failed := compileForOutputDeny(e, "build", path, f.color, f.force, f.deny, "there is nothing to build")
	if res == nil {
		return exitFail
	}
	var doc []byte
	var err error
	if f.stage != "" {
		format := "json"
		if fs.Changed("format") {
			format = f.format
		}
		doc, err = emit.StageDocument(res.Regimen, f.stage, format)
	} else {
		doc, err = emit.Document(res.Regimen, f.format)
	}
	if err != nil {
		e.errf("regc build: %v\n", err)
		return exitFail
	}
	return writeResult(e, "build", f.out, doc, res, failed)
}
