package corpustest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Env names the variable that points at the corpus folder.
const Env = "REGC_CORPUS"

// Dir returns the corpus folder, which must hold sub (a file or folder such
// as "expected" or "yaml/"; "" checks only the folder). When it does not,
// the test is skipped with a message, or fails when $CI is set.
func Dir(t testing.TB, sub string) string {
	t.Helper()
	dir, err := locate(os.Getenv, sub)
	if err != nil {
		absent(t, os.Getenv, err)
		return ""
	}
	return dir
}

// Seeds returns the corpus folder for a test that only adds the corpus to
// other inputs (a fuzz test's seeds): "" where it is absent, and a failure
// when $CI is set.
func Seeds(t testing.TB, sub string) string {
	t.Helper()
	dir, err := locate(os.Getenv, sub)
	if err != nil {
		if ci(os.Getenv) {
			absent(t, os.Getenv, err)
		}
		return ""
	}
	return dir
}

// locate finds the corpus folder and checks that sub is in it.
func locate(getenv func(string) string, sub string) (string, error) {
	dir := getenv(Env)
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(root, "..", "shared", "corpus")
	}
	if _, err := os.Stat(filepath.Join(dir, sub)); err != nil {
		return "", fmt.Errorf("the historic regimens corpus is absent (%s): %w", filepath.Join(dir, sub), err)
	}
	return dir, nil
}

// moduleRoot is the folder of the go.mod above the working directory (a
// test runs in its package's folder).
func moduleRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("the historic regimens corpus cannot be found: %w", err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("the historic regimens corpus cannot be found: no go.mod above %s", wd)
		}
	}
}

func ci(getenv func(string) string) bool { return getenv("CI") != "" }

// absent skips t, or fails it under CI.
func absent(t testing.TB, getenv func(string) string, err error) {
	t.Helper()
	if ci(getenv) {
		t.Fatalf("%v; $CI is set, so this test fails instead of skipping (put the corpus at ../shared/corpus or set $%s)", err, Env)
		return
	}
	t.Skipf("%v; skipping (set $%s to point at it)", err, Env)
}
