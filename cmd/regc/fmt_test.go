package main

import (
	"bytes"
	"github.com/regc/regc/lang"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const unformatted = "regimen Tiny version 1.0.0\ncriterion done\nschema P {reward_volume:volume(mL)}\nscript s: P { url: \"s.py\" }\nstage A {script:s,params:{reward_volume:7uL}} // first\nfinal stage LONGER { script: s, params: { reward_volume: 2   uL } }\nprogress A->LONGER when done\n"

const formatted = "regimen Tiny version 1.0.0\ncriterion done\nschema P { reward_volume: volume(mL) }\nscript s: P { url: \"s.py\" }\nstage A            { script: s, params: { reward_volume: 7 uL } }  // first\nfinal stage LONGER { script: s, params: { reward_volume: 2 uL } }\nprogress A -> LONGER when done\n"

func runRegcIn(t *testing.T, stdin string, args ...string) runResult {
	t.Helper()
	var out, errs bytes.Buffer
	e := quietEnv(&out)
	e.stderr = &errs
	e.stdin = strings.NewReader(stdin)
	return runResult{run(e, args), out.String(), errs.String()}
}

func TestFmtCommand(t *testing.T) {
	dir := t.TempDir()
	messy := filepath.Join(dir, "messy.regimen")
	clean := filepath.Join(dir, "sub", "clean.regimen")
	os.MkdirAll(filepath.Dir(clean), 0o755)
	os.WriteFile(messy, []byte(unformatted), 0o644)
	os.WriteFile(clean, []byte(formatted), 0o644)

	// printed to standard output, the file untouched
	r := runRegc(t, "fmt", messy)
	if r.code != 0 || r.stdout != formatted {
		t.Fatalf("fmt FILE: exit %d\n%s\nwant\n%s%s", r.code, r.stdout, formatted, r.stderr)
	}
	if b, _ := os.ReadFile(messy); string(b) != unformatted {
		t.Error("fmt without -w changed the file")
	}
	// --check lists the files that would change, in a folder too
	r = runRegc(t, "fmt", "--check", dir)
	if r.code != 1 || r.stdout != messy+"\n" {
		t.Errorf("fmt --check DIR: exit %d, stdout %q; want 1 and the messy file", r.code, r.stdout)
	}
	if r = runRegc(t, "fmt", "--check", clean); r.code != 0 || r.stdout != "" {
		t.Errorf("fmt --check on a clean file: exit %d, %q", r.code, r.stdout)
	}
	// --diff
	r = runRegc(t, "fmt", "--diff", messy)
	if r.code != 0 || !strings.Contains(r.stdout, "-stage A {script:s,params:{reward_volume:7uL}} // first\n") ||
		!strings.Contains(r.stdout, "+final stage LONGER { script: s, params: { reward_volume: 2 uL } }\n") || !strings.HasPrefix(r.stdout, "--- "+messy+"\n") {
		t.Errorf("fmt --diff: exit %d\n%s", r.code, r.stdout)
	}
	// -w writes, through a link, leaving the link
	link := filepath.Join(dir, "link.regimen")
	if err := os.Symlink(messy, link); err != nil {
		t.Fatal(err)
	}
	if r = runRegc(t, "fmt", "-w", link); r.code != 0 || r.stdout != "" {
		t.Fatalf("fmt -w: exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	if b, _ := os.ReadFile(messy); string(b) != formatted {
		t.Errorf("fmt -w wrote\n%s", b)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Error("fmt -w replaced the link")
	}
	if r = runRegc(t, "fmt", "--check", dir); r.code != 0 {
		t.Errorf("after -w, --check: exit %d %s", r.code, r.stdout)
	}
	// standard input to standard output
	if r = runRegcIn(t, unformatted, "fmt"); r.code != 0 || r.stdout != formatted {
		t.Errorf("fmt on stdin: exit %d\n%s", r.code, r.stdout)
	}
	if r = runRegcIn(t, unformatted, "fmt", "--check", "-"); r.code != 1 || r.stdout != "<standard input>\n" {
		t.Errorf("fmt --check -: exit %d %q", r.code, r.stdout)
	}
}

func TestFmtRefusals(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.regimen")
	os.WriteFile(bad, []byte("regimen T version 1.0.0\nstage A { script: }\n"), 0o644)
	yml := filepath.Join(dir, "regimen.yml")
	os.WriteFile(yml, []byte("name: x\n"), 0o644)
	good := filepath.Join(dir, "good.regimen")
	os.WriteFile(good, []byte(formatted), 0o644)
	for _, tc := range []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stderr string
	}{
		{"-w on standard input", formatted, []string{"fmt", "-w"}, 2, "-w cannot write standard input"},
		{"-w on -", formatted, []string{"fmt", "-w", "-"}, 2, "-w cannot write standard input"},
		{"-w with --check", "", []string{"fmt", "-w", "--check", good}, 2, "do not go together"},
		{"- with files", "", []string{"fmt", "-", good}, 2, "cannot be formatted together"},
		{"a syntax error", "", []string{"fmt", "-w", bad}, 1, "bad.regimen:2:"},
		{"a legacy file", "", []string{"fmt", yml}, 1, "regc import"},
		{"a missing file", "", []string{"fmt", filepath.Join(dir, "nope.regimen")}, 1, "nope.regimen"},
		{"an unknown flag", "", []string{"fmt", "--frob", good}, 2, "unknown flag"},
	} {
		r := runRegcIn(t, tc.stdin, tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.stderr) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", tc.name, r.code, r.stderr, tc.code, tc.stderr)
		}
	}
	if b, _ := os.ReadFile(bad); !strings.Contains(string(b), "script: }") {
		t.Error("a file with a syntax error was written")
	}
}

// `regc fmt` is a command now, not a near miss of another; a slip of it is
// answered with it.
func TestFmtCommandName(t *testing.T) {
	if r := runRegc(t, "fmtt"); r.code != 2 || !strings.Contains(r.stderr, `did you mean "fmt"`) {
		t.Errorf("regc fmtt: exit %d, %q", r.code, r.stderr)
	}
	if r := runRegcIn(t, "", "fmt"); strings.Contains(r.stderr, "did you mean") {
		t.Errorf("regc fmt: %q", r.stderr)
	}
}

// Every .regimen of the repository is in the canonical layout, except the
// error suite's (compiler/testdata/errors): its goldens pin the columns of
// its diagnostics and the source lines they quote.
func TestFmtCheckRepository(t *testing.T) {
	root := filepath.Join("..", "..")
	all, err := fmtFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	// Every .regimen file of the repository is in the layout, except the
	// error suite's files that do not parse on purpose (each expects a
	// parse error): fmt cannot print what it cannot read.
	var files []string
	unparsed := 0
	for _, f := range all {
		if strings.Contains(f, "node_modules") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, diags := lang.Parse(f, src); diags.HasErrors() {
			if !strings.Contains(filepath.ToSlash(f), "compiler/testdata/errors/") || !strings.Contains(string(src), "// ERROR ") {
				t.Errorf("%s does not parse, and is no fixture of the error suite that expects it: %v", f, diags)
			}
			unparsed++
			continue
		}
		files = append(files, f)
	}
	if len(files) < 100 {
		t.Fatalf("only %d .regimen files found", len(files))
	}
	t.Logf("%d .regimen files checked; %d error-suite fixtures that do not parse left out", len(files), unparsed)
	if r := runRegc(t, append([]string{"fmt", "--check"}, files...)...); r.code != 0 {
		t.Errorf("regc fmt --check: exit %d; these files are not formatted (run regc fmt -w):\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestUnifiedDiff(t *testing.T) {
	a := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n"
	b := "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn"
	got := string(unifiedDiff("old", "new", []byte(a), []byte(b)))
	want := `--- old
+++ new
@@ -1,5 +1,5 @@
 a
-b
+B
 c
 d
 e
@@ -11,3 +11,4 @@
 k
 l
 m
+n
\ No newline at end of file
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if unifiedDiff("a", "b", []byte(a), []byte(a)) != nil {
		t.Error("a diff of equal texts")
	}
	// where diff(1) is installed, patch agrees: the diff applies
	if _, err := exec.LookPath("patch"); err == nil {
		dir := t.TempDir()
		p := filepath.Join(dir, "f")
		os.WriteFile(p, []byte(a), 0o644)
		cmd := exec.Command("patch", p)
		cmd.Stdin = strings.NewReader(got)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("patch: %v\n%s", err, out)
		}
		if out, _ := os.ReadFile(p); string(out) != b {
			t.Errorf("patched: %q, want %q", out, b)
		}
	}
}
