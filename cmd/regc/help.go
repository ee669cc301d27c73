package main

import (
	"fmt"
)

const helpUsage = "regc help [command]"

func runHelp(e *env, args []string) int {
	if len(args) == 0 {
		printHelp(e.stdout)
		return exitOK
	}
	if len(args) > 1 {
		fmt.Fprintln(e.stderr, "usage: "+helpUsage)
		return exitUsage
	}
	c := lookupCommand(args[0])
	if c == nil {
		e.errf("regc help: unknown command %q\n", args[0])
		return exitUsage
	}
	fmt.Fprintf(e.stdout, "%s\n\nUsage:\n  %s\n", c.summary, c.usage)
	if c.flags != nil {
		fmt.Fprintf(e.stdout, "\nFlags:\n%s", c.flags().FlagUsages())
	}
	return exitOK
}
