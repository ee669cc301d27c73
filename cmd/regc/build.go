package main

import (
	"errors"
	"fmt"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/emit"
	"github.com/regc/regc/lang"
	"github.com/regc/regc/legacy"
	"github.com/spf13/pflag"
)

type buildFlags struct {
	format string
	out    string
	color  string
	stage  string
	force  bool
}

func buildFlagSet(f *buildFlags) *pflag.FlagSet {
	fs := newFlagSet("build")
	fs.StringVar(&f.format, "format", "yaml", "output format: yaml or json")
	fs.StringVarP(&f.out, "output", "o", "", "write the document to this file (atomically) instead of standard output")
	fs.StringVar(&f.stage, "stage", "", "print only this stage's {script, script_md5, parameters}, as make_regimen_json.py --stage did (JSON unless --format yaml)")
	fs.StringVar(&f.color, "color", "auto", "colour diagnostics: auto (on a terminal), always or never")
	fs.BoolVar(&f.force, "force", false, "write the document even when it has errors (the errors are still printed, and the exit code is 1)")
	return fs
}

const buildUsage = "regc build FILE [--format yaml|json] [--stage NAME] [-o OUT] [--force]"

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
	path := fs.Arg(0)
	if f.out != "" && f.out != "-" && outputIsInput(e, "build", f.out, []string{path}) {
		return exitUsage
	}
	res := legacy.CompileFile(path, nil)
	lang.Render(e.stderr, res.Diagnostics, res.Sources, lang.RenderOptions{Color: e.useColor(f.color, e.stderr)})
	failed := res.Diagnostics.HasErrors()
	if failed {
		summarize(e, res.Diagnostics)
		if !f.force || res.Regimen == nil {
			return exitFail
		}
	}
	if res.Regimen == nil {
		fmt.Fprintf(e.stderr, "regc build: %s is a library (it has no `regimen` header), so there is nothing to build\n", path)
		return exitFail
	}
	var doc []byte
	var err error
	if f.stage != "" {
		format := "json"
		if fs.Changed("format") {
			format = f.format
		}
		doc, err = stageDocument(res.Regimen, f.stage, format)
	} else {
		doc, err = emit.Document(res.Regimen, f.format)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "regc build: %v\n", err)
		return exitFail
	}
	if f.out == "" || f.out == "-" {
		if _, err := e.stdout.Write(doc); err != nil {
			fmt.Fprintf(e.stderr, "regc build: %v\n", err)
			return exitFail
		}
	} else if code := writeOutput(e, "build", f.out, doc, sourcePaths(res.Sources)); code != exitOK {
		return code
	}
	if failed {
		return exitFail
	}
	return exitOK
}

// stageDocument is one stage of the document, as make_regimen_json.py
// --stage printed it: the stage's mapping ({script, script_md5,
// parameters}) in format json or yaml. A stage written twice is the later
// one, as PyYAML kept it.
func stageDocument(reg *compiler.Regimen, name, format string) ([]byte, error) {
	stages, _ := reg.Document().Get("stages")
	var stage *compiler.Value
	for i := range stages.Map {
		if stages.Map[i].Key == name {
			stage = &stages.Map[i].Value
		}
	}
	if stage == nil {
		msg := fmt.Sprintf("%s has no stage %s", reg.File, name)
		if s := nearestName(name, stageNames(reg)); s != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", s)
		}
		return nil, errors.New(msg)
	}
	if format == "yaml" {
		return emit.YAML(*stage), nil
	}
	return append(emit.JSON(*stage), '\n'), nil
}
