package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/regc/regc/internal/corpustest"
)

func corpusDir(t testing.TB) string {
	t.Helper()
	return corpustest.Dir(t, "expected")
}

// corpusNames lists the corpus files (without .yml) that have an expected
// file with the given suffix.
func corpusNames(t testing.TB, dir, suffix string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "expected", "*"+suffix))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), suffix)
		if suffix == ".json" && strings.HasSuffix(name, ".defects") {
			continue
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// corpusDefective reports whether a loadable corpus file has errors for
// regc: the defects the corpus lists, or no name (which the corpus's oracle
// does not list: the old tools crashed on it).
func corpusDefective(t testing.TB, dir, name string) bool {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, "expected", name+".defects.json")); err == nil {
		return true
	}
	raw, err := os.ReadFile(filepath.Join(dir, "expected", name+".json"))
	if err != nil {
		return false
	}
	// oracle.py writes the document with json.dump(indent=4)
	return strings.Contains(string(raw), "\n    \"name\": null,\n")
}

// Every loadable historic regimen.yml builds, read as PyYAML read it, to the
// document the corpus expects (files with defects with --force).
func TestLegacyCorpusBuild(t *testing.T) {
	dir := corpusDir(t)
	names := corpusNames(t, dir, ".json")
	same := 0
	for _, name := range names {
		want, err := os.ReadFile(filepath.Join(dir, "expected", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		wantDoc, err := parseJSONDoc(want)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		defective := corpusDefective(t, dir, name)
		args := []string{"build", "--format", "json", filepath.Join(dir, "yaml", name+".yml")}
		if defective {
			args = append(args, "--force")
		}
		code, stdout, stderr := invokeRegc(args...)
		if code != exitOK && !defective {
			t.Errorf("%s: exit %d:\n%s", name, code, stderr)
			continue
		}
		got, err := parseJSONDoc([]byte(stdout))
		if err != nil {
			t.Errorf("%s: the output is not JSON: %v", name, err)
			continue
		}
		if diff := docDiff(normalizeDoc(got), normalizeDoc(wantDoc), ""); diff != "" {
			t.Errorf("%s: %s", name, diff)
			continue
		}
		same++
	}
	t.Logf("%d of %d loadable corpus files build to the expected document", same, len(names))
}

var errorLineRE = regexp.MustCompile(`^(\d+):(\d+) .*?(?:\(context (\d+):(\d+)\))?$`)

// pyyamlErrorLines reads expected/NAME.error and returns PyYAML's problem
// and context lines (an error on either is on the mark) and the text.
func pyyamlErrorLines(t *testing.T, dir, name string) (map[int]bool, string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "expected", name+".error"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.TrimSpace(string(raw))
	m := errorLineRE.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("%s.error: unreadable: %q", name, raw)
	}
	lines := map[int]bool{}
	for _, s := range []string{m[1], m[3]} {
		if n, err := strconv.Atoi(s); err == nil {
			lines[n] = true
		}
	}
	return lines, text
}

// listedDefects reads expected/NAME.defects.json.
func listedDefects(t *testing.T, dir, name string) []struct{ Kind, Detail string } {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "expected", name+".defects.json"))
	if err != nil {
		t.Fatal(err)
	}
	var defects []struct{ Kind, Detail string }
	if err := json.Unmarshal(raw, &defects); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return defects
}

// Every file PyYAML rejects is rejected, with an error on PyYAML's problem
// line or its context line, and exit code 1.
func TestLegacyCorpusErrors(t *testing.T) {
	dir := corpusDir(t)
	names := corpusNames(t, dir, ".error")
	matched := 0
	for _, name := range names {
		lines, raw := pyyamlErrorLines(t, dir, name)
		code, stdout, _ := invokeRegc("check", "--format", "json", filepath.Join(dir, "yaml", name+".yml"))
		if code != exitFail {
			t.Errorf("%s: exit %d, want 1", name, code)
			continue
		}
		var diags []jsonDiagnostic
		if err := json.Unmarshal([]byte(stdout), &diags); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ok := false
		for _, d := range diags {
			ok = ok || d.Severity == "error" && lines[d.Line]
		}
		if !ok {
			t.Errorf("%s: no error on line %v (PyYAML: %s); got %+v", name, keysOf(lines), raw, diags)
			continue
		}
		matched++
	}
	t.Logf("%d of %d unloadable corpus files rejected on PyYAML's line", matched, len(names))
}

func keysOf(m map[int]bool) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

// Every defect the corpus lists is reported with its code.
func TestLegacyCorpusDefects(t *testing.T) {
	dir := corpusDir(t)
	names := corpusNames(t, dir, ".defects.json")
	complete := 0
	for _, name := range names {
		defects := listedDefects(t, dir, name)
		_, stdout, _ := invokeRegc("check", "--format", "json", filepath.Join(dir, "yaml", name+".yml"))
		var diags []jsonDiagnostic
		if err := json.Unmarshal([]byte(stdout), &diags); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if missing := missingDefects(diags, defects, map[string]string{"duplicate-stage": "duplicate-key"}); missing != "" {
			t.Errorf("%s: missing %s", name, missing)
			continue
		}
		complete++
	}
	t.Logf("%d of %d corpus files with defects get every listed code", complete, len(names))
}

// missingDefects says which listed defect kinds diags does not report as
// often as they are listed ("" when none), after adding the counts of the
// codes in also to the kinds they stand for.
func missingDefects(diags []jsonDiagnostic, defects []struct{ Kind, Detail string }, also map[string]string) string {
	counts := map[string]int{}
	for _, d := range diags {
		counts[d.Code]++
		if kind, ok := also[d.Code]; ok {
			counts[kind]++
		}
	}
	want := map[string]int{}
	for _, d := range defects {
		want[d.Kind]++
	}
	var missing []string
	for kind, n := range want {
		if counts[kind] < n {
			missing = append(missing, fmt.Sprintf("%s (%d of %d)", kind, counts[kind], n))
		}
	}
	sort.Strings(missing)
	return strings.Join(missing, ", ")
}
