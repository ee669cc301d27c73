package semdiff_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/internal/corpustest"
	"github.com/regc/regc/legacy"
	"github.com/regc/regc/semdiff"
)

// historyPair is one consecutive pair of a regimen family's history and
// regc's verdict on it.
type historyPair struct {
	family, oldFile, newFile, oldVersion, newVersion string
	made, required                                   string
	verdict                                          string // ok, higher, too-small, not-above
}

func (p historyPair) row() string {
	return strings.Join([]string{p.family, p.oldFile, p.newFile, p.oldVersion, p.newVersion, p.made, p.required, p.verdict}, "\t")
}

const historyHeader = "family\told\tnew\told_version\tnew_version\tauthors_bump\trequired_bump\tverdict"

// corpusHistory diffs every consecutive pair of every family (a base name
// with files of at least two versions) of the corpus. Files are taken in
// INDEX.tsv's order (the order of their first commits), sorted by semver,
// stably; so the files of one version (several blobs may carry one name)
// follow each other in commit order, and a pair of them is an edit the
// authors made without a bump. Files PyYAML rejects (expected/*.error) are
// left out: there is no document to compare.
func corpusHistory(t *testing.T, dir string) []historyPair {
	index, err := os.ReadFile(filepath.Join(dir, "INDEX.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	type file struct{ name, base, version string }
	families := map[string][]file{}
	sc := bufio.NewScanner(strings.NewReader(string(index)))
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 || cols[0] == "file" {
			continue
		}
		base, version, ok := compiler.SplitVersionedName(cols[4])
		if !ok {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "expected", strings.TrimSuffix(cols[0], ".yml")+".error")); err == nil {
			continue
		}
		families[base] = append(families[base], file{cols[0], base, version})
	}
	var bases []string
	for b, fs := range families {
		versions := map[string]bool{}
		for _, f := range fs {
			versions[f.version] = true
		}
		if len(versions) >= 2 {
			bases = append(bases, b)
		}
	}
	sort.Strings(bases)
	var out []historyPair
	compiled := map[string]*compiler.Regimen{}
	compile := func(name string) *compiler.Regimen {
		if r, ok := compiled[name]; ok {
			return r
		}
		res := legacy.Compile(filepath.Join(dir, "yaml", name), nil)
		if res.Regimen == nil {
			t.Fatalf("%s: no regimen: %v", name, res.Diagnostics)
		}
		compiled[name] = res.Regimen
		return res.Regimen
	}
	for _, b := range bases {
		fs := families[b]
		sort.SliceStable(fs, func(i, j int) bool { return semdiff.Less(fs[i].version, fs[j].version) })
		for i := 1; i < len(fs); i++ {
			o, n := fs[i-1], fs[i]
			d := semdiff.Compare(semdiff.Input{Regimen: compile(o.name), Label: o.name}, semdiff.Input{Regimen: compile(n.name), Label: n.name})
			v := "ok"
			switch {
			case d.Verdict.Higher:
				v = "higher"
			case !d.Verdict.OK && d.Made == semdiff.None:
				v = "not-above"
			case !d.Verdict.OK:
				v = "too-small"
			}
			out = append(out, historyPair{b, o.name, n.name, o.version, n.version, d.Made.String(), d.Required.String(), v})
		}
	}
	return out
}

// TestCorpusHistory runs the diff on each consecutive pair of every
// regimen family of ../shared/corpus and compares regc's verdicts with
// testdata/history.tsv (-update rewrites it). It also checks that the
// table covers the two lines the issue names.
func TestCorpusHistory(t *testing.T) {
	dir := corpustest.Dir(t, "INDEX.tsv")
	pairs := corpusHistory(t, dir)
	var b strings.Builder
	b.WriteString(historyHeader + "\n")
	families := map[string]int{}
	agree, cross := 0, 0
	for _, p := range pairs {
		b.WriteString(p.row() + "\n")
		families[p.family]++
		if p.oldVersion != p.newVersion {
			cross++
			if p.made == p.required {
				agree++
			}
		}
	}
	for _, f := range []string{"VisualBehavior_Task1A", "VisualBehaviorEPHYS_Task1A"} {
		if families[f] < 10 {
			t.Errorf("family %s: %d pairs, want the whole line (at least 10)", f, families[f])
		}
	}
	golden := filepath.Join("testdata", "history.tsv")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("verdicts differ from %s (run with -update to rewrite it after checking each change):\n%s", golden, lineDiff(string(want), got))
	}
	t.Logf("%d pairs in %d families; %d across versions, of which regc's required bump equals the authors' in %d", len(pairs), len(families), cross, agree)
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var out []string
	for _, l := range strings.Split(want, "\n") {
		if !g[l] {
			out = append(out, "- "+l)
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if !w[l] {
			out = append(out, "+ "+l)
		}
	}
	return fmt.Sprint(strings.Join(out, "\n"))
}
