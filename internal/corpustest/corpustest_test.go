package corpustest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that records Skipf and Fatalf instead of
// stopping the goroutine.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                        {}
func (r *recorder) Skipf(format string, a ...any)  { r.skipped = sprintf(format, a...) }
func (r *recorder) Fatalf(format string, a ...any) { r.failed = sprintf(format, a...) }
func sprintf(format string, a ...any) string       { return strings.TrimSpace(fmt.Sprintf(format, a...)) }

func TestLocate(t *testing.T) {
	present := t.TempDir()
	if err := os.Mkdir(filepath.Join(present, "yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "nowhere")
	for _, tc := range []struct {
		name               string
		corpus, ci         string
		wantDir            bool
		wantSkip, wantFail string
	}{
		{"present", present, "", true, "", ""},
		{"present under CI", present, "true", true, "", ""},
		{"absent in a clone", missing, "", false, "the historic regimens corpus is absent", ""},
		{"absent under CI", missing, "true", false, "", "$CI is set, so this test fails instead of skipping"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			getenv := func(k string) string { return map[string]string{Env: tc.corpus, "CI": tc.ci}[k] }
			r := &recorder{}
			dir, err := locate(getenv, "yaml")
			if err != nil {
				absent(r, getenv, err)
			}
			if (dir != "") != tc.wantDir {
				t.Errorf("dir %q, want one: %v", dir, tc.wantDir)
			}
			if !strings.Contains(r.skipped, tc.wantSkip) || (tc.wantSkip == "") != (r.skipped == "") {
				t.Errorf("skipped %q, want %q", r.skipped, tc.wantSkip)
			}
			if !strings.Contains(r.failed, tc.wantFail) || (tc.wantFail == "") != (r.failed == "") {
				t.Errorf("failed %q, want %q", r.failed, tc.wantFail)
			}
		})
	}
}

// Without $REGC_CORPUS the corpus is looked for beside the module.
func TestLocateBesideModule(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root %s has no go.mod", root)
	}
	_, err = locate(func(string) string { return "" }, "no-such-entry")
	want := filepath.Join(root, "..", "shared", "corpus", "no-such-entry")
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want an error naming %s", err, want)
	}
}
