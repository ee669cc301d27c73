package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/regc/regc/mtrain"
	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// Environment variables of the commands that talk to an mtrain server.
const (
	serverEnv          = "REGC_SERVER"
	userEnv            = "REGC_USER"
	passwordEnv        = "REGC_PASSWORD"
	sandboxPasswordEnv = "REGC_SANDBOX_PASSWORD"
)

// Hooks the tests replace: a change to every client's config (shorter
// retries), and the no-echo prompt.
var (
	editClientConfig func(*mtrain.Config)
	promptPassword   = promptNoEcho
)

// serverFlags are the flags of every sync command. There is deliberately no
// password flag: process arguments are visible to every user of the machine.
type serverFlags struct {
	server        string
	user          string
	passwordStdin bool
	timeout       time.Duration
	verbose       bool
}

func addServerFlags(fs *pflag.FlagSet, f *serverFlags) {
	fs.StringVar(&f.server, "server", "", "the mtrain server's URL (default: $"+serverEnv+")")
	fs.StringVar(&f.user, "user", "", "the login name (default: $"+userEnv+", else your login name)")
	fs.BoolVar(&f.passwordStdin, "password-stdin", false, "read the password from the first line of standard input (otherwise $"+passwordEnv+", else a prompt that does not echo)")
	fs.DurationVar(&f.timeout, "timeout", mtrain.DefaultTimeout, "how long one request may take")
	fs.BoolVarP(&f.verbose, "verbose", "v", false, "log every request (method, path, status, time) to standard error")
}

// serverURL resolves --server or $REGC_SERVER.
func (f *serverFlags) serverURL(e *env) (string, error) {
	s := f.server
	if s == "" {
		s = e.getenv(serverEnv)
	}
	if s == "" {
		return "", fmt.Errorf("no server: give --server URL or set $%s (for a rehearsal, start `regc sandbox` and use the URL it prints)", serverEnv)
	}
	return s, nil
}

// userName resolves --user, $REGC_USER, then the login name.
func userName(e *env, flag string) string {
	if flag != "" {
		return flag
	}
	if u := e.getenv(userEnv); u != "" {
		return u
	}
	return loginName(e.getenv, os.Getuid(), "/etc/passwd")
}

// loginName finds the login name as Python's getpass.getuser() does, which
// is what the old mtrain clients used: the first of $LOGNAME, $USER, $LNAME
// and $USERNAME that is set, then the name the password file gives uid.
// It reads the file itself rather than through os/user, which with cgo
// links the C library dynamically into every regc command and costs each
// one the dynamic loader's start-up (issue 14).
func loginName(getenv func(string) string, uid int, passwd string) string {
	for _, k := range []string{"LOGNAME", "USER", "LNAME", "USERNAME"} {
		if u := getenv(k); u != "" {
			return u
		}
	}
	if uid < 0 { // no uids here (Windows)
		return ""
	}
	f, err := os.Open(passwd)
	if err != nil {
		return ""
	}
	defer f.Close()
	return passwdName(io.LimitReader(f, 4<<20), uid)
}

// passwdName returns the name of uid's entry in a password file
// (name:password:uid:...), or "" when it has none or its name is not
// printable text. A line too long to be an entry ends the search.
func passwdName(r io.Reader, uid int) string {
	want := strconv.Itoa(uid)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.SplitN(sc.Text(), ":", 4)
		if len(f) == 4 && f[2] == want && f[0] != "" && !strings.HasPrefix(f[0], "#") {
			if !utf8.ValidString(f[0]) || strings.IndexFunc(f[0], unicode.IsControl) >= 0 {
				return ""
			}
			return f[0]
		}
	}
	return ""
}

// client makes a client for a sync command. With login, it finds the
// password and logs in, so that a wrong password stops the command before
// anything else happens; without, it sends nothing (reads need no login).
func (f *serverFlags) client(e *env, login bool) (*mtrain.Client, error) {
	server, err := f.serverURL(e)
	if err != nil {
		return nil, err
	}
	cfg := mtrain.Config{Server: server, User: userName(e, f.user), Timeout: f.timeout}
	if f.verbose {
		w := e.stderr
		cfg.Logf = func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	}
	if login {
		if cfg.User == "" {
			return nil, fmt.Errorf("no user name: give --user or set $%s", userEnv)
		}
		pw, err := f.password(e, cfg.User, server)
		if err != nil {
			return nil, err
		}
		cfg.Password = pw
	}
	if editClientConfig != nil {
		editClientConfig(&cfg)
	}
	return mtrain.New(cfg)
}

// password finds the password: --password-stdin, then $REGC_PASSWORD, then a
// prompt on a terminal that does not echo.
func (f *serverFlags) password(e *env, user, server string) (mtrain.Secret, error) {
	if f.passwordStdin {
		pw, err := readPasswordLine(e.stdin)
		if err != nil {
			return mtrain.Secret{}, err
		}
		return mtrain.NewSecret(pw), nil
	}
	if pw := e.getenv(passwordEnv); pw != "" {
		return mtrain.NewSecret(pw), nil
	}
	pw, err := promptPassword(e, fmt.Sprintf("Password for %s at %s: ", user, server))
	if err != nil {
		return mtrain.Secret{}, err
	}
	return mtrain.NewSecret(pw), nil
}

// readPasswordLine reads the first line of r, without its line ending.
func readPasswordLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 64<<10)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("--password-stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("--password-stdin: standard input holds no password")
	}
	return line, nil
}

// promptNoEcho asks for the password on the terminal, with echo off.
func promptNoEcho(e *env, prompt string) (string, error) {
	in, ok := e.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(in.Fd())) {
		return "", fmt.Errorf("no password: set $%s, pass --password-stdin, or run on a terminal to be asked", passwordEnv)
	}
	fmt.Fprint(e.stderr, prompt)
	b, err := term.ReadPassword(int(in.Fd()))
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	if len(b) == 0 {
		return "", errors.New("no password given")
	}
	return string(b), nil
}

// sandboxPassword is the password the sandbox gives its user.
func sandboxPassword(e *env) (string, error) {
	pw := e.getenv(sandboxPasswordEnv)
	if pw == "" {
		return "", fmt.Errorf("set $%s to the password the sandbox's user logs in with", sandboxPasswordEnv)
	}
	return pw, nil
}
