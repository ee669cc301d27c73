package main

import (
	"github.com/regc/regc/compiler"
)

// compileForOutput compiles path for a command that writes something made
// from the regimen (build, graph), printing the diagnostics. It returns the
// compilation, or nil when the command must stop with exitFail: errors
// without force, or a library (nothing says "regimen"; noRegimen says what
// is missing). failed says there were errors, so the command ends with
// exitFail after writing.
func compileForOutput(e *env, cmd, path, color string, force bool, noRegimen string) (res *compiler.Result, failed bool) {
	return compileForOutputDeny(e, cmd, path, color, force, false, noRegimen)
}

// compileForOutputDeny is compileForOutput where, with deny, a warning
// fails as an error does (--deny-warnings).
func compileForOutputDeny(e *env, cmd, path, color string, force, deny bool, noRegimen string) (res *compiler.Result, failed bool) {
	res = e.compileReported(path, color, nil)
	failed = failing(res.Diagnostics, deny)
	if failed && (!force || res.Regimen == nil) {
		return nil, true
	}
	if res.Regimen == nil {
		e.errf("regc %s: %s is a library (it has no `regimen` header), so %s\n", cmd, path, noRegimen)
		return nil, failed
	}
	return res, failed
}

// writeResult writes data to standard output (out "" or "-") or to the -o
// file out (see writeOutput; never one of the compilation's sources), and
// returns the exit code: exitFail when the write fails or failed is set.
func writeResult(e *env, cmd, out string, data []byte, res *compiler.Result, failed bool) int {
	if out == "" || out == "-" {
		if _, err := e.stdout.Write(data); err != nil {
			e.errf("regc %s: %v\n", cmd, err)
			return exitFail
		}
	} else if code := writeOutput(e, cmd, out, data, sourcePaths(res.Sources)); code != exitOK {
		return code
	}
	if failed {
		return exitFail
	}
	return exitOK
}
