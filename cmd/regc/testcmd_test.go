package main

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const testedRegimen = `regimen T version 1.0.0
criterion done, engaged
script s { url: "s.py", md5: "0123456789abcdef0123456789abcdef" }
stage A { script: s }
stage B { script: s }
final stage C { script: s }
progress A -> B when done
progress B -> C when done, engaged
manual B -> A

test "a mouse moves on" {
    start A
    progress [done] => B
    progress [done, engaged] => C
}

test "done alone is not enough" {
    start A
    progress [done] => B
    progress [done] => C
}

test "back by hand" {
    start B
    manual [] => A
}
`

func TestTestCommand(t *testing.T) {
	p := writeTemp(t, "t.regimen", testedRegimen)
	r := runRegc(t, "test", p)
	if r.code != 1 {
		t.Errorf("exit %d, want 1 (a test fails)", r.code)
	}
	for _, want := range []string{
		"ok    " + p + ":11: a mouse moves on (2 steps)\n",
		"FAIL  " + p + ":17: done alone is not enough\n",
		"      start A               # at A\n",
		"      progress [done] => B  # went to B\n",
		"      progress [done] => C  # stayed on B: no progress transition from it fires with [done]  <- " + p + ":20:5\n",
		"ok    " + p + ":23: back by hand (1 step)\n",
		"3 tests: 2 passed, 1 failed\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stderr, "test-failed") {
		t.Errorf("the failure is printed twice, as a diagnostic too:\n%s", r.stderr)
	}
	// --run picks tests by title
	r = runRegc(t, "test", "--run", "moves|hand", p)
	if r.code != 0 || strings.Contains(r.stdout, "FAIL") || !strings.HasSuffix(r.stdout, "2 tests: 2 passed, 0 failed\n") {
		t.Errorf("--run: exit %d\n%s", r.code, r.stdout)
	}
	r = runRegc(t, "test", "--run", "nothing like it", p)
	if r.code != 0 || !strings.Contains(r.stdout, "0 tests: 0 passed, 0 failed (no test title matches") {
		t.Errorf("--run matching nothing: exit %d\n%s", r.code, r.stdout)
	}
}

func TestTestCommandErrors(t *testing.T) {
	wrong := writeTemp(t, "w.regimen", strings.Replace(testedRegimen, "manual [] => A", "manual [] => Z", 1))
	r := runRegc(t, "test", wrong)
	if r.code != 1 || !strings.Contains(r.stdout, ":23: back by hand (not run: a name in it is wrong") || !strings.Contains(r.stderr, "undefined-stage") {
		t.Errorf("a test naming an unknown stage: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"test"}, "no files given"},
		{[]string{"test", "--run", "(", wrong}, "not a regular expression"},
	} {
		if r := runRegc(t, tc.args...); r.code != 2 || !strings.Contains(r.stderr, tc.stderr) {
			t.Errorf("%v: exit %d, %q", tc.args, r.code, r.stderr)
		}
	}
}

// The regimens and the examples: every test passes, and each is printed.
func TestTestCommandRepository(t *testing.T) {
	root := filepath.Join("..", "..")
	r := runRegc(t, "test", filepath.Join(root, "examples"), filepath.Join(root, "regimens"))
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	ok := regexp.MustCompile(`(?m)^ok    .*\.regimen:\d+: .* \(\d+ steps?\)$`).FindAllString(r.stdout, -1)
	summary := regexp.MustCompile(`(?m)^(\d+) tests: (\d+) passed, 0 failed\n\z`).FindStringSubmatch(r.stdout)
	if len(ok) < 10 || summary == nil || summary[1] != summary[2] || summary[1] != strconv.Itoa(len(ok)) {
		t.Errorf("%d tests printed:\n%s", len(ok), r.stdout)
	}
}
