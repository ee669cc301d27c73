package main

// Regimen files as of a git revision, for `regc sync upload --rev`, and the
// tags that name a release, as the old upload (`-r TAG`) used them.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/legacy"
)

// gitCommand is the git the commands run; the tests replace it.
var gitCommand = "git"

// gitTimeout bounds one git command.
const gitTimeout = time.Minute

// errNoGit: git is not installed (or gitCommand names nothing).
var errNoGit = errors.New("git is not installed")

// runGit runs git in dir and returns its standard output. A failure's error
// holds git's own message.
func runGit(dir string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), gitTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, gitCommand, append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		if cmd.ProcessState == nil { // it did not start
			var ee *exec.Error
			if errors.As(err, &ee) {
				err = ee.Err
			}
			return nil, fmt.Errorf("%w (%s: %v)", errNoGit, gitCommand, unwrapPath(err))
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("git %s took longer than %v", args[0], gitTimeout)
		}
		msg := strings.TrimSpace(errs.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git %s: %s", args[0], msg)
	}
	return out.Bytes(), nil
}

// gitRev is a file's repository and a revision in it.
type gitRev struct {
	top    string // the work tree's top folder
	rev    string // the revision as given
	commit string // the commit it names
	tag    string // the tag it names ("" when it is not a tag)
}

// errUnknownRev: the revision names no commit of the repository.
var errUnknownRev = errors.New("unknown revision")

// workTree returns the top folder of the git work tree holding path.
func workTree(path string) (string, error) {
	dir, err := realDir(path)
	if err != nil {
		return "", err
	}
	out, err := runGit(dir, "rev-parse", "--show-toplevel")
	if err != nil {
		if errors.Is(err, errNoGit) {
			return "", err
		}
		return "", fmt.Errorf("%s is not in a git work tree", path)
	}
	return strings.TrimSpace(string(out)), nil
}

// realDir is the folder of path, absolute and with symbolic links
// resolved (as git gives its top folder).
func realDir(path string) (string, error) {
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	return dir, nil
}

// resolveRev finds the commit rev names in the work tree of path, and the
// tag when rev is one.
func resolveRev(path, rev string) (*gitRev, error) {
	top, err := workTree(path)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(rev, "-") {
		return nil, fmt.Errorf("%w %s in %s", errUnknownRev, rev, top)
	}
	out, err := runGit(top, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	if err != nil {
		if errors.Is(err, errNoGit) {
			return nil, err
		}
		return nil, fmt.Errorf("%w %s in %s", errUnknownRev, rev, top)
	}
	g := &gitRev{top: top, rev: rev, commit: strings.TrimSpace(string(out))}
	if full, err := runGit(top, "rev-parse", "--symbolic-full-name", rev); err == nil {
		if name, ok := strings.CutPrefix(strings.TrimSpace(string(full)), "refs/tags/"); ok {
			g.tag = name
		}
	}
	return g, nil
}

// readFile reads path (a file of the work tree) as it is in the revision.
func (g *gitRev) readFile(path string) ([]byte, error) {
	dir, err := realDir(path)
	if err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(g.top, filepath.Join(dir, filepath.Base(path)))
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("it is outside the git work tree %s", g.top)
	}
	out, err := runGit(g.top, "cat-file", "blob", g.commit+":"+filepath.ToSlash(rel))
	if err != nil {
		if errors.Is(err, errNoGit) {
			return nil, err
		}
		return nil, fmt.Errorf("not in revision %s", g.rev)
	}
	return out, nil
}

// compileAtRev compiles path, and the files it imports, as they are in the
// revision.
func compileAtRev(path string, g *gitRev) *compiler.Result {
	return legacy.CompileFile(path, &compiler.Options{ReadFile: g.readFile})
}

// headTags lists the tags on the commit the work tree of path has checked
// out; none when path is not in a git work tree or git is missing.
func headTags(path string) []string {
	top, err := workTree(path)
	if err != nil {
		return nil
	}
	out, err := runGit(top, "tag", "--points-at", "HEAD")
	if err != nil {
		return nil
	}
	return strings.Fields(string(out))
}

// tagMismatch checks the name a revision's file compiles to against the
// tags of its release: a tag given with --rev that looks like a regimen name
// must be that name; without --rev, the tags of HEAD with the regimen's base
// name must include it (tags of other regimens are left alone). It returns
// what is wrong, or "".
func tagMismatch(path string, g *gitRev, name string) string {
	if g != nil {
		if _, _, ok := compiler.SplitVersionedName(g.tag); ok && g.tag != name {
			return fmt.Sprintf("tag %s holds a regimen named %s (%s at %s)", g.tag, name, path, g.tag)
		}
		return ""
	}
	base, _, ok := compiler.SplitVersionedName(name)
	if !ok {
		return ""
	}
	var others []string
	for _, tag := range headTags(path) {
		if tag == name {
			return ""
		}
		if b, _, ok := compiler.SplitVersionedName(tag); ok && b == base {
			others = append(others, tag)
		}
	}
	if len(others) == 0 {
		return ""
	}
	return fmt.Sprintf("HEAD carries the tag %s, but %s compiles to %s", strings.Join(others, ", "), path, name)
}
