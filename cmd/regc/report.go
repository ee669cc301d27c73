package main

import (
	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
	"github.com/regc/regc/legacy"
	"github.com/spf13/pflag"
)

// colorFlag defines the one --color flag, on every command that prints
// diagnostics; parseFlags checks its value.
func colorFlag(fs *pflag.FlagSet, mode *string) {
	fs.StringVar(mode, "color", "auto", "colour diagnostics: auto (on a terminal), always or never")
}

// render is the one place diagnostics are printed as text: to standard
// error, coloured as mode (the --color value) asks.
func (e *env) render(ds lang.Diagnostics, sources map[string][]byte, mode string) {
	if len(ds) == 0 {
		return // nothing to write, and no terminal to ask about colour
	}
	lang.Render(e.stderr, ds, sources, lang.RenderOptions{Color: e.useColor(mode, e.stderr)})
}

// compileReported is the common path of the commands that compile one file:
// compile it (opts nil: read the files from disk), render its diagnostics
// once, and summarise them when they hold errors. The caller decides what
// errors or a library mean for it.
func (e *env) compileReported(path, mode string, opts *compiler.Options) *compiler.Result {
	res := legacy.CompileFile(path, opts)
	e.render(res.Diagnostics, res.Sources, mode)
	if res.Diagnostics.HasErrors() {
		summarize(e, res.Diagnostics)
	}
	return res
}
