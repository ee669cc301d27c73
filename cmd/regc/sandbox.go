package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"

	"github.com/regc/regc/mtrain/faults"
	"github.com/regc/regc/mtrain/sandbox"
	"github.com/spf13/pflag"
)

type sandboxFlags struct {
	listen      string
	db          string
	user        string
	allowRemote bool
	faults      string
}

func sandboxFlagSet(f *sandboxFlags) *pflag.FlagSet {
	fs := newFlagSet("sandbox")
	fs.StringVar(&f.listen, "listen", "127.0.0.1:5000", "the address to serve on (port 0: any free port); loopback only unless --allow-remote")
	fs.StringVar(&f.db, "db", "", "the database file that holds the sandbox's data (created if need be; kept across restarts)")
	fs.StringVar(&f.user, "user", "", "the login the sandbox accepts (default: $"+userEnv+", else your login name); its password is $"+sandboxPasswordEnv)
	fs.BoolVar(&f.allowRemote, "allow-remote", false, "serve on an address other machines can reach; the sandbox is for rehearsals: plain HTTP, one shared login")
	fs.StringVar(&f.faults, "faults", "", "inject faults for rehearsals, e.g. 500@3,drop-after@5:POST:/set_state,slow=2s@1x2:GET (see mtrain/faults)")
	return fs
}

const sandboxUsage = "regc sandbox --db PATH [--listen 127.0.0.1:5000] [--user NAME] [--allow-remote]\n  " + seedUsage

// sandboxContext is the context the sandbox serves until; the tests replace
// it. By default it ends on SIGINT or SIGTERM.
var sandboxContext = signalContext

func runSandbox(e *env, args []string) int {
	if len(args) > 0 && args[0] == "seed" {
		return runSandboxSeed(e, args[1:])
	}
	var f sandboxFlags
	fs := sandboxFlagSet(&f)
	if ok, code := parseFlags(e, "sandbox", sandboxUsage, fs, args); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int {
		e.usagef(sandboxUsage, "regc sandbox: "+format, a...)
		return exitUsage
	}
	if fs.NArg() != 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	if f.db == "" {
		return usageErr("--db PATH is required: the file that keeps the sandbox's data")
	}
	user := userName(e, f.user)
	if user == "" {
		return usageErr("no user name: give --user or set $%s", userEnv)
	}
	password, err := sandboxPassword(e)
	if err != nil {
		return usageErr("%v", err)
	}
	if err := sandbox.CheckLoopback(f.listen, f.allowRemote); err != nil {
		return usageErr("%v (--allow-remote serves other machines)", err)
	}
	var rules []faults.Rule
	if f.faults != "" {
		if rules, err = faults.Parse(f.faults); err != nil {
			return usageErr("--faults: %v", err)
		}
	}
	sb, err := sandbox.NewSandbox(f.db, user, password)
	if err != nil {
		e.errf("regc sandbox: %v\n", err)
		return exitFail
	}
	defer sb.Close()
	for _, n := range sb.Notes() {
		e.errf("regc sandbox: note: %s\n", n)
	}
	ln, err := sandbox.ListenLoopback(f.listen, f.allowRemote)
	if err != nil {
		e.errf("regc sandbox: %v\n", err)
		return exitFail
	}
	var h http.Handler = sb.Handler()
	if len(rules) > 0 {
		h = faults.New(h, rules...)
	}
	url := "http://" + ln.Addr().String() + "/"
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		url = fmt.Sprintf("http://127.0.0.1:%d/", tcp.Port)
	}
	if f.allowRemote {
		e.errf("regc sandbox: warning: serving %s beyond loopback (--allow-remote): plain HTTP, for rehearsals only\n", ln.Addr())
	}
	// The banner goes to standard error, with the other messages: standard
	// output stays free for what a command produces.
	e.errf("regc sandbox: serving %s (database %s, user %s)\n", url, f.db, user)
	for _, r := range rules {
		e.errf("regc sandbox: injecting %s\n", r)
	}
	e.errf("regc sandbox: try: REGC_SERVER=%s regc sync mice; stop with Ctrl-C\n", url)
	ctx, stop := sandboxContext()
	defer stop()
	if err := sandbox.Serve(ctx, ln, h); err != nil && !errors.Is(err, context.Canceled) {
		e.errf("regc sandbox: %v\n", err)
		return exitFail
	}
	if err := sb.Close(); err != nil {
		e.errf("regc sandbox: closing the database: %v\n", err)
		return exitFail
	}
	e.errf("regc sandbox: stopped; every write is in %s\n", f.db)
	return exitOK
}
