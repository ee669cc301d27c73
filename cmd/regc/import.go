package main

import (
	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
	"github.com/regc/regc/legacy"
	"github.com/spf13/pflag"
)

type importFlags struct {
	out   string
	color string
}

func importFlagSet(f *importFlags) *pflag.FlagSet {
	fs := newFlagSet("import")
	fs.StringVarP(&f.out, "output", "o", "", "write the source to this file (atomically) instead of standard output")
	colorFlag(fs, &f.color)
	return fs
}

const importUsage = "regc import FILE.yml [-o OUT.regimen]"

func runImport(e *env, args []string) int {
	var f importFlags
	fs := importFlagSet(&f)
	if ok, code := parseFlags(e, "import", importUsage, fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		e.usagef(importUsage, "regc import: give exactly one file")
		return exitUsage
	}
	path := fs.Arg(0)
	if !legacy.IsYAML(path) {
		e.usagef(importUsage, "regc import: %s is not a legacy regimen file (.yml or .yaml)", path)
		return exitUsage
	}
	if f.out != "" && f.out != "-" && outputIsInput(e, "import", f.out, []string{path}) {
		return exitUsage
	}
	src, err := compiler.ReadSource(path)
	if err != nil {
		e.errf("regc import: cannot read %s: %v\n", path, unwrapPath(err))
		return exitFail
	}
	out, diags, check := legacy.ImportChecked(path, src)
	e.render(diags, map[string][]byte{path: src}, f.color)
	if diags.HasErrors() || out == nil || check == nil {
		summarize(e, diags)
		return exitFail
	}
	if f.out == "" || f.out == "-" {
		if _, err := e.stdout.Write(out); err != nil {
			e.errf("regc import: %v\n", err)
			return exitFail
		}
	} else if code := writeOutput(e, "import", f.out, out, []string{path}); code != exitOK {
		return code
	}
	// the defects of the legacy file are kept in the source: say so, so
	// that a clean exit is not taken for a clean regimen
	if n := check.Diagnostics.Count(lang.Error); n > 0 {
		target := f.out
		if target == "" || target == "-" {
			target = legacy.ImportedPath(path)
		}
		e.errf("regc import: the source keeps the legacy file's defects (%s); run `regc check %s` to see them\n", plural(n, "error"), target)
	}
	return exitOK
}
