package main

import (
	"fmt"

	"github.com/regc/regc/internal/safetext"
)

// errf prints a message of regc's own to standard error. Its string and
// error arguments come from outside (file and stage names, git's and a
// server's answers) and are escaped for the terminal (safetext.Terminal),
// so none can move the cursor, set the title or reverse the text; the
// format, regc's own text, keeps its line breaks.
func (e *env) errf(format string, args ...any) {
	fmt.Fprintf(e.stderr, format, terminalArgs(args)...)
}

// usagef prints a usage error: the message, its arguments escaped as errf
// escapes them, then the command's usage, which is regc's own text (some
// usages run over two lines) and printed as it is.
func (e *env) usagef(usage, format string, args ...any) {
	e.errf(format+"\n", args...)
	fmt.Fprintf(e.stderr, "usage: %s\n", usage)
}

// terminalArgs returns args with each string and error escaped for the
// terminal; other values are printed as they are.
func terminalArgs(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			out[i] = safetext.Terminal(v)
		case error:
			out[i] = safetext.Terminal(v.Error())
		default:
			out[i] = a
		}
	}
	return out
}
