package main

import (
	"fmt"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
)

// compileForOutput compiles path for a command that writes something made
// from the regimen (build, graph), printing the diagnostics. It returns the
// regimen, or nil when the command must stop with exitFail: errors without
// force, or a library (nothing says "regimen"; noRegimen says what is
// missing). failed says there were errors, so the command ends with exitFail
// after writing.
func compileForOutput(e *env, cmd, path, color string, force bool, noRegimen string) (reg *compiler.Regimen, failed bool) {
	res := compileFile(path)
	lang.Render(e.stderr, res.Diagnostics, res.Sources, lang.RenderOptions{Color: e.useColor(color, e.stderr)})
	failed = res.Diagnostics.HasErrors()
	if failed {
		summarize(e, res.Diagnostics)
		if !force || res.Regimen == nil {
			return nil, true
		}
	}
	if res.Regimen == nil {
		fmt.Fprintf(e.stderr, "regc %s: %s is a library (it has no `regimen` header), so %s\n", cmd, path, noRegimen)
		return nil, failed
	}
	return res.Regimen, failed
}

// writeOutput writes data to standard output (out "" or "-") or atomically
// to the file out, and returns the exit code: exitFail when the write fails
// or failed is set.
func writeOutput(e *env, cmd, out string, data []byte, failed bool) int {
	var err error
	if out == "" || out == "-" {
		_, err = e.stdout.Write(data)
	} else {
		err = writeFileAtomic(out, data)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "regc %s: %v\n", cmd, err)
		return exitFail
	}
	if failed {
		return exitFail
	}
	return exitOK
}
