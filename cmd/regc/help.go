package main

import (
	"fmt"
)

func init() {
	register(&command{
		name:    "help",
		summary: "show help for regc or for one command",
		usage:   "regc help [command]",
		run:     runHelp,
	})
}

func runHelp(e *env, args []string) int {
	if len(args) == 0 {
		printHelp(e.stdout)
		return exitOK
	}
	if len(args) > 1 {
		fmt.Fprintln(e.stderr, "usage: regc help [command]")
		return exitUsage
	}
	c := commands[args[0]]
	if c == nil {
		e.errf("regc help: unknown command %q\n", args[0])
		return exitUsage
	}
	fmt.Fprintf(e.stdout, "%s\n\nUsage:\n  %s\n", c.summary, c.usage)
	if fs := flagSets[c.name]; fs != nil {
		fmt.Fprintf(e.stdout, "\nFlags:\n%s", fs().FlagUsages())
	}
	return exitOK
}
