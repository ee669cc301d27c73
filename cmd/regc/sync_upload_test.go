package main

import (
	"context"
	"fmt"
	"github.com/regc/regc/internal/testtool"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regc/regc/mtrain"
)

// The tests of `regc sync upload`'s refusals and of what a user switching
// from the old scripts meets: scripts a rig cannot fetch, uploads by git
// tag, a second upload of the same regimen, a regimen name the server
// lacks, a server that cannot be reached.

const uxScript = "# camstim script\nprint('ux')\n"

// uxRig is an in-process sandbox, a server of one script (/s.py) and a
// working folder.
type uxRig struct {
	dir       string
	scriptURL string
	run       func(t *testing.T, stdin string, env map[string]string, args ...string) runResult
	c         *mtrain.Client
}

func newUXRig(t *testing.T) *uxRig {
	t.Helper()
	_, _, url := inProcessSandbox(t)
	return &uxRig{dir: t.TempDir(), scriptURL: serveScript(t, uxScript) + "/s.py", run: inProcessRun(url), c: newE2EClient(t, url)}
}

// serveScript serves body at /s.py on loopback and returns the server's URL.
func serveScript(t testing.TB, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/s.py" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// uxRegimen is regimen NAME version VERSION with one stage whose script is
// at url and whose parameters hold level.
func uxRegimen(name, version, url string, level int) string {
	return fmt.Sprintf(`regimen %s version %s
script s { url: %q, md5: %q }
stage A { script: s, params: { level: %d } }
`, name, version, url, md5Of(uxScript), level)
}

func (r *uxRig) write(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(r.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func (r *uxRig) regimenNames(t *testing.T) []string {
	t.Helper()
	regs, err := r.c.ListRegimens(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range regs {
		names = append(names, g.Name)
	}
	return names
}

// A script url that is a local path builds, but no rig can fetch it: the
// upload refuses it, at its declaration, dry run or not.
func TestSyncUploadRefusesLocalScript(t *testing.T) {
	r := newUXRig(t)
	r.write(t, "s.py", uxScript)
	for _, tc := range []struct{ name, file, text, want string }{
		{"relative path", "local.regimen", uxRegimen("Local", "1.0.0", "s.py", 0), `local.regimen:2:`},
		{"absolute path", "abs.regimen", uxRegimen("Local", "1.0.0", filepath.Join(r.dir, "s.py"), 0), `abs.regimen:2:`},
		{"file URL", "file.regimen", uxRegimen("Local", "1.0.0", "file://"+filepath.Join(r.dir, "s.py"), 0), `file.regimen:2:`},
		{"no host", "nohost.regimen", uxRegimen("Local", "1.0.0", "http:///s.py", 0), `nohost.regimen:2:`},
		{"legacy", "legacy.yml", fmt.Sprintf("name: Local_v1.0.0\nstages:\n  A:\n    script: s.py\n    script_md5: %s\n    parameters: {stage: A}\n", md5Of(uxScript)), "legacy.yml:4:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := r.write(t, tc.file, tc.text)
			for _, args := range [][]string{{"sync", "upload", file}, {"sync", "upload", "--dry-run=false", file}} {
				res := r.run(t, "", nil, args...)
				expect(t, res, 1, tc.want, "is not an http(s) URL", "no rig can fetch", "[script-unreachable]", "nothing was sent")
			}
			if names := r.regimenNames(t); len(names) != 0 {
				t.Errorf("the server holds %v", names)
			}
		})
	}
	// an http(s) URL goes
	file := r.write(t, "remote.regimen", uxRegimen("Remote", "1.0.0", r.scriptURL, 0))
	expect(t, r.run(t, "", nil, "sync", "upload", "--dry-run=false", file), 0, "uploaded Remote_v1.0.0")
}

// Uploading a regimen the server holds already: the same document is not
// an error (nothing to do), another one is.
func TestSyncUploadAgain(t *testing.T) {
	r := newUXRig(t)
	file := r.write(t, "a.regimen", uxRegimen("Again", "1.0.0", r.scriptURL, 1))
	expect(t, r.run(t, "", nil, "sync", "upload", "--dry-run=false", file), 0, "uploaded Again_v1.0.0")
	for _, dry := range []string{"--dry-run=false", "--dry-run=true"} {
		res := r.run(t, "", nil, "sync", "upload", dry, file)
		expect(t, res, 0, "Again_v1.0.0 is already on the server, identical", "nothing was sent")
		if strings.Contains(res.stdout, "uploaded") {
			t.Errorf("%s: stdout says uploaded:\n%s", dry, res.stdout)
		}
	}
	other := r.write(t, "b.regimen", uxRegimen("Again", "1.0.0", r.scriptURL, 2))
	expect(t, r.run(t, "", nil, "sync", "upload", "--dry-run=false", other), 1, "with a different document", "level", "needs a new version number")
}

// `sync mice --regimen NAME` for a name the server lacks is an error with
// the nearest name; a regimen without mice is not.
func TestSyncMiceUnknownRegimen(t *testing.T) {
	r := newUXRig(t)
	file := r.write(t, "a.regimen", uxRegimen("Mice", "1.0.0", r.scriptURL, 1))
	expect(t, r.run(t, "", nil, "sync", "upload", "--dry-run=false", file), 0, "uploaded")
	for _, format := range []string{"table", "json", "csv"} {
		res := r.run(t, "", nil, "sync", "mice", "--regimen", "Mice_v1.0.1", "--format", format)
		expect(t, res, 1, "no regimen Mice_v1.0.1 on", "did you mean Mice_v1.0.0?")
		if res.stdout != "" {
			t.Errorf("--format %s: stdout %q", format, res.stdout)
		}
	}
	expect(t, r.run(t, "", nil, "sync", "mice", "--regimen", "Zebra_v9"), 1, "no regimen Zebra_v9 on")
	res := r.run(t, "", nil, "sync", "mice", "--regimen", "Mice_v1.0.0", "--format", "json")
	expect(t, res, 0, "[]")
}

// A server that cannot be reached is named first, as what failed.
func TestSyncCannotConnect(t *testing.T) {
	fastRetries(t)
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/"
	srv.Close() // nothing listens there now
	file := writeTemp(t, "a.regimen", uxRegimen("Conn", "1.0.0", "http://127.0.0.1/s.py", 1))
	run := inProcessRun(url)
	for _, args := range [][]string{
		{"sync", "mice"},
		{"sync", "status", file},
		{"sync", "upload", "--verify-scripts=false", file},
	} {
		res := run(t, "", nil, args...)
		want := "regc sync " + args[1] + ": cannot connect to " + url
		if res.code != 1 || !strings.HasPrefix(res.stderr, want) && !strings.Contains(res.stderr, "\n"+want) {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant a line starting with %q", args, res.code, res.stderr, want)
		}
	}
}

// git runs git in dir for a test.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=regc test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// revRepo is a git repository whose history holds a regimen and a library
// it imports, tagged as the old workflow tagged releases:
//
//	Foo_v1.0.0  task.regimen is Foo 1.0.0, lib.regimen's level 1
//	Foo_v1.1.0  Foo 1.1.0, level 2, and new.regimen
//	Foo_v1.2.1  Foo 1.2.0: the tag names another version (HEAD)
func revRepo(t *testing.T, r *uxRig) string {
	t.Helper()
	testtool.Need(t, "git", "--rev cannot be tried")
	repo := filepath.Join(r.dir, "repo")
	if err := os.MkdirAll(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	git(t, repo, "init", "-q")
	task := func(version string) string {
		return fmt.Sprintf(`regimen Foo version %s
import "lib"
script s { url: %q, md5: %q }
stage A { script: s, params: base }
`, version, r.scriptURL, md5Of(uxScript))
	}
	commit := func(tag string, files map[string]string) {
		for name, text := range files {
			r.write(t, filepath.Join("repo", name), text)
		}
		git(t, repo, "add", "-A")
		git(t, repo, "commit", "-q", "-m", tag)
		git(t, repo, "tag", tag)
	}
	commit("Foo_v1.0.0", map[string]string{"task.regimen": task("1.0.0"), "lib.regimen": "params base { level: 1 }\n"})
	commit("Foo_v1.1.0", map[string]string{"task.regimen": task("1.1.0"), "lib.regimen": "params base { level: 2 }\n",
		"new.regimen": uxRegimen("New", "1.0.0", r.scriptURL, 0)})
	commit("Foo_v1.2.1", map[string]string{"task.regimen": task("1.2.0"), "lib.regimen": "params base { level: 3 }\n"})
	// the work tree moves on, uncommitted
	r.write(t, filepath.Join("repo", "lib.regimen"), "params base { level: 4 }\n")
	return repo
}

func TestSyncUploadRev(t *testing.T) {
	r := newUXRig(t)
	repo := revRepo(t, r)
	task := filepath.Join(repo, "task.regimen")
	for _, tc := range []struct {
		name  string
		args  []string
		code  int
		wants []string
	}{
		{"a tag", []string{"--rev", "Foo_v1.0.0", task}, 0, []string{`"name": "Foo_v1.0.0"`, `"level": 1`, "as of Foo_v1.0.0"}},
		{"another tag", []string{task, "--rev", "Foo_v1.1.0"}, 0, []string{`"name": "Foo_v1.1.0"`, `"level": 2`}},
		{"refs/tags/", []string{task, "--rev", "refs/tags/Foo_v1.1.0"}, 0, []string{`"name": "Foo_v1.1.0"`}},
		{"a commit", []string{task, "--rev", "HEAD~2"}, 0, []string{`"name": "Foo_v1.0.0"`, `"level": 1`}},
		{"a tag naming another version", []string{task, "--rev", "Foo_v1.2.1"}, 1, []string{"tag Foo_v1.2.1", "Foo_v1.2.0", "nothing was sent"}},
		{"HEAD's tag, without --rev", []string{task}, 1, []string{"HEAD carries the tag Foo_v1.2.1", "Foo_v1.2.0", "nothing was sent"}},
		{"a file the revision lacks", []string{filepath.Join(repo, "new.regimen"), "--rev", "Foo_v1.0.0"}, 1, []string{"new.regimen", "not in revision Foo_v1.0.0"}},
		{"an unknown revision", []string{task, "--rev", "Foo_v9.9.9"}, 2, []string{"unknown revision Foo_v9.9.9"}},
		{"an empty revision", []string{task, "--rev", ""}, 2, []string{"--rev needs"}},
		{"an option as revision", []string{task, "--rev=--all"}, 2, []string{"unknown revision --all"}},
		{"outside a git work tree", []string{r.write(t, "outside.regimen", uxRegimen("Out", "1.0.0", r.scriptURL, 0)), "--rev", "HEAD"}, 1, []string{"not in a git work tree"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := r.run(t, "", nil, append([]string{"sync", "upload"}, tc.args...)...)
			expect(t, res, tc.code, tc.wants...)
		})
	}
	if names := r.regimenNames(t); len(names) != 0 {
		t.Errorf("the server holds %v", names)
	}
	// uploaded for real, it is the document of that revision
	expect(t, r.run(t, "", nil, "sync", "upload", "--dry-run=false", "--rev", "Foo_v1.0.0", task), 0, "uploaded Foo_v1.0.0")
	got, err := r.c.Regimen(context.Background(), "Foo_v1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	if doc := string(got.Document().Stages[0].Parameters); !strings.Contains(doc, `"level":1`) && !strings.Contains(doc, `"level": 1`) {
		t.Errorf("uploaded parameters %s, want level 1", doc)
	}

	// a HEAD whose tag is the compiled name goes; so does one tagged only
	// for another regimen
	r.write(t, filepath.Join("repo", "task.regimen"), strings.Replace(readFile(t, task), "1.2.0", "1.3.0", 1))
	git(t, repo, "commit", "-q", "-a", "-m", "1.3.0")
	git(t, repo, "tag", "Foo_v1.3.0")
	git(t, repo, "tag", "Bar_v2.0.0")
	expect(t, r.run(t, "", nil, "sync", "upload", task), 0, `"name": "Foo_v1.3.0"`)
	expect(t, r.run(t, "", nil, "sync", "upload", filepath.Join(repo, "new.regimen")), 0, `"name": "New_v1.0.0"`)

	// the historic case: a regimen.yml whose name is the version before
	// its tag's
	legacy := r.write(t, filepath.Join("repo", "regimen.yml"), fmt.Sprintf(
		"name: Old_v0.2.2\nstages:\n  A:\n    script: %s\n    script_md5: %s\n    parameters: {stage: A}\n", r.scriptURL, md5Of(uxScript)))
	git(t, repo, "add", "regimen.yml")
	git(t, repo, "commit", "-q", "-m", "0.2.3")
	git(t, repo, "tag", "Old_v0.2.3")
	expect(t, r.run(t, "", nil, "sync", "upload", "--rev", "Old_v0.2.3", legacy), 1, "tag Old_v0.2.3 holds a regimen named Old_v0.2.2", "nothing was sent")
	expect(t, r.run(t, "", nil, "sync", "upload", legacy), 1, "HEAD carries the tag Old_v0.2.3, but "+legacy+" compiles to Old_v0.2.2")
}

// Without git, --rev is a clear error; an upload without --rev does not
// need it.
func TestSyncUploadRevWithoutGit(t *testing.T) {
	r := newUXRig(t)
	repo := revRepo(t, r)
	old := gitCommand
	gitCommand = filepath.Join(t.TempDir(), "no-git-here")
	t.Cleanup(func() { gitCommand = old })
	task := filepath.Join(repo, "task.regimen")
	expect(t, r.run(t, "", nil, "sync", "upload", "--rev", "Foo_v1.0.0", task), 1, "--rev needs git: git is not installed")
	file := r.write(t, "plain.regimen", uxRegimen("Plain", "1.0.0", r.scriptURL, 0))
	expect(t, r.run(t, "", nil, "sync", "upload", file), 0, `"name": "Plain_v1.0.0"`)
}

// The file and revision upload names in its errors are escaped: an
// argument cannot act on the terminal.
func TestUploadErrorsEscaped(t *testing.T) {
	dir := t.TempDir() // not in a git work tree
	path := filepath.Join(dir, "a\x1b]0;owned\x07\u202e.regimen")
	if err := os.WriteFile(path, []byte(okRegimen), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runRegc(t, "sync", "upload", "--server", "http://127.0.0.1:9", path, "--rev", "v1")
	if r.code != exitFail || strings.ContainsAny(r.stderr, "\x1b\x07\u202e") || !strings.Contains(r.stderr, `a\x1b]0;owned\x07\u202e.regimen is not in a git work tree`) {
		t.Errorf("exit %d, stderr %q; want exit 1 and the file name escaped", r.code, r.stderr)
	}
}
