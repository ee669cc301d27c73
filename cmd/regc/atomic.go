package main

import (
	"sort"

	"github.com/regc/regc/internal/atomicfile"
	"github.com/regc/regc/internal/safetext"
)

// writeOutput writes data to the -o file out of command cmd (see
// atomicfile: atomically, through links, straight into a device or a
// pipe), after checking that out is none of inputs. It prints what went
// wrong and returns the exit code.
func writeOutput(e *env, cmd, out string, data []byte, inputs []string) int {
	if outputIsInput(e, cmd, out, inputs) {
		return exitUsage
	}
	if err := atomicfile.Write(out, data); err != nil {
		e.errf("regc %s: %s\n", cmd, safetext.Terminal(err.Error()))
		return exitFail
	}
	return exitOK
}

// outputIsInput reports whether the -o file out is one of inputs, and
// says so.
func outputIsInput(e *env, cmd, out string, inputs []string) bool {
	in, ok := atomicfile.SameAs(out, inputs)
	if ok {
		e.errf("regc %s: -o %s is an input (%s); give another output file\n", cmd, safetext.Terminal(out), safetext.Terminal(in))
	}
	return ok
}

// sourcePaths lists the files a compilation read, sorted.
func sourcePaths(sources map[string][]byte) []string {
	paths := make([]string, 0, len(sources))
	for p := range sources {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

func unwrapPath(err error) error { return atomicfile.Unwrap(err) }
