package main

import (
	"fmt"
	"runtime/debug"
)

// version is the release; set with -ldflags "-X main.version=..." when built
// for a release.
var version = "0.1.0-dev"

const versionUsage = "regc version"

func runVersion(e *env, args []string) int {
	if len(args) > 0 {
		fmt.Fprintln(e.stderr, "usage: "+versionUsage)
		return exitUsage
	}
	rev := ""
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				rev = " (" + s.Value[:12] + ")"
			}
		}
	}
	fmt.Fprintf(e.stdout, "regc %s%s\n", version, rev)
	return exitOK
}
