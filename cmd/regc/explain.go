package main

import (
	"fmt"

	"github.com/regc/regc/internal/spell"
	"github.com/regc/regc/lang"
)

const explainUsage = "regc explain CODE"

func runExplain(e *env, args []string) int {
	if len(args) != 1 || len(args[0]) > 0 && args[0][0] == '-' {
		fmt.Fprintf(e.stderr, "usage: %s\n", explainUsage)
		return exitUsage
	}
	text := lang.Explain(args[0])
	if text == "" {
		msg := fmt.Sprintf("regc explain: no diagnostic code %q", args[0])
		if s := spell.Nearest(args[0], lang.Codes()); s != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", s)
		}
		fmt.Fprintln(e.stderr, msg)
		return exitUsage
	}
	fmt.Fprint(e.stdout, text)
	return exitOK
}
