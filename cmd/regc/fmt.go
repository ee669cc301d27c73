package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/internal/atomicfile"
	"github.com/regc/regc/internal/safetext"
	"github.com/regc/regc/lang"
	"github.com/spf13/pflag"
)

// regc fmt: .regimen source in the one canonical layout of lang.Print.

type fmtFlags struct {
	write, check, diff bool
	color              string
}

const fmtUsage = "regc fmt [-w | --check] [--diff] [FILE|DIR...|-]"

func fmtFlagSet(f *fmtFlags) *pflag.FlagSet {
	fs := newFlagSet("fmt")
	fs.BoolVarP(&f.write, "write", "w", false, "write the result to each file (atomically) instead of printing it")
	fs.BoolVar(&f.check, "check", false, "print the files whose layout would change, and exit 1 when there are any; write nothing")
	fs.BoolVar(&f.diff, "diff", false, "print what would change as a unified diff")
	colorFlag(fs, &f.color)
	return fs
}

// stdinName labels standard input in messages and diffs.
const stdinName = "<standard input>"

func runFmt(e *env, args []string) int {
	var f fmtFlags
	fs := fmtFlagSet(&f)
	if ok, code := parseFlags(e, "fmt", fmtUsage, fs, args); !ok {
		return code
	}
	usage := func(msg string) int {
		e.usagef(fmtUsage, "regc fmt: %s", msg)
		return exitUsage
	}
	if f.write && f.check {
		return usage("-w and --check do not go together: --check only reports, -w writes")
	}
	paths := fs.Args()
	if len(paths) == 0 {
		if in, ok := e.stdin.(io.Writer); ok && e.isTerminal(in) {
			return usage("no files given: name the files or folders to format, or - to read standard input")
		}
		paths = []string{"-"}
	}
	for _, p := range paths {
		if p == "-" && len(paths) > 1 {
			return usage("- (standard input) cannot be formatted together with files")
		}
		if p == "-" && f.write {
			return usage("-w cannot write standard input back: the result is printed to standard output without -w")
		}
	}
	code := exitOK
	fail := func(c int) {
		code = max(code, c)
	}
	if paths[0] == "-" {
		src, err := io.ReadAll(io.LimitReader(e.stdin, compiler.MaxSourceSize+1))
		if err == nil && len(src) > compiler.MaxSourceSize {
			err = compiler.ErrTooLarge
		}
		if err != nil {
			e.errf("regc fmt: reading standard input: %s\n", safetext.Terminal(err.Error()))
			return exitFail
		}
		fail(e.fmtSource(&f, stdinName, "", src))
		return code
	}
	for _, p := range paths {
		files, err := fmtFiles(p)
		if err != nil {
			e.errf("regc fmt: %s\n", safetext.Terminal(err.Error()))
			fail(exitFail)
			continue
		}
		for _, file := range files {
			src, err := compiler.ReadSource(file)
			if err != nil {
				e.errf("regc fmt: %s\n", safetext.Terminal(err.Error()))
				fail(exitFail)
				continue
			}
			fail(e.fmtSource(&f, file, file, src))
		}
	}
	return code
}

// fmtFiles is the files an argument names: the file itself, or the
// .regimen files under a folder (folders whose name starts with a dot left
// out), in lexical order. A legacy YAML file is refused: regc import turns
// it into source.
func fmtFiles(p string) ([]string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		if ext := strings.ToLower(filepath.Ext(p)); ext == ".yml" || ext == ".yaml" {
			return nil, fmt.Errorf("%s is a legacy YAML file; fmt formats .regimen source (regc import %s -o FILE.regimen writes it as source)", p, p)
		}
		return []string{p}, nil
	}
	var files []string
	err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != p && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".regimen") {
			files = append(files, path)
		}
		return nil
	})
	return files, err
}

// fmtSource formats one source, named name, and writes it back to path
// (with -w; path is "" for standard input) or reports it; it returns the
// exit code.
func (e *env) fmtSource(f *fmtFlags, name, path string, src []byte) int {
	out, diags := formatSource(name, src)
	if out == nil {
		e.render(diags, map[string][]byte{name: src}, f.color)
		summarize(e, diags)
		return exitFail
	}
	changed := !bytes.Equal(src, out)
	if f.diff && changed {
		e.stdout.Write(unifiedDiff(name, name+" (formatted)", src, out))
	}
	switch {
	case f.check:
		if changed {
			if !f.diff {
				fmt.Fprintln(e.stdout, safetext.Terminal(name))
			}
			return exitFail
		}
	case f.write:
		if changed {
			if err := atomicfile.Write(path, out); err != nil {
				e.errf("regc fmt: %s\n", safetext.Terminal(err.Error()))
				return exitFail
			}
		}
	case !f.diff:
		e.stdout.Write(out)
	}
	return exitOK
}

// formatSource returns src in the canonical layout, or nil and the
// diagnostics of a source that does not parse. The result is parsed again
// and must keep every comment: a printer defect is reported, never
// written.
func formatSource(name string, src []byte) ([]byte, lang.Diagnostics) {
	tree, diags := lang.Parse(name, src)
	if tree == nil {
		return nil, diags
	}
	out := lang.Print(tree)
	again, _ := lang.Parse(name, out)
	if again == nil || countComments(again) != countComments(tree) {
		var ds lang.Diagnostics
		ds.Errorf(lang.CodeInternal, lang.Range{File: name, Start: lang.Pos{Line: 1, Column: 1}, End: lang.Pos{Line: 1, Column: 1}},
			"internal formatter error: the formatted source would not read back the same (please report this with the input); the file is left as it is")
		return nil, ds
	}
	return out, nil
}

func countComments(f *lang.File) int {
	n := 0
	for _, g := range f.Comments {
		n += len(g.List)
	}
	return n
}
