// The layering test: which of regc's packages may import which.
package internal_test

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/regc/regc"

// allowed lists, for every package of the module, the packages of the module
// it may import besides internal/*, which every package may import except
// internal/* itself: those are leaves and import nothing of ours. The
// direction is cmd → {emit, scripts, legacy, semdiff, mtrain/...} →
// compiler → lang, and legacy/yaml → lang. Packages named here that do not
// exist (yet) are allowed to be missing; a package that exists and is not
// named here fails the test until it is given its place.
var allowed = map[string][]string{
	"lang":                  {},
	"legacy/yaml":           {"lang"},
	"compiler":              {"lang"},
	"compiler/compilertest": {},
	// legacy may use emit's document shape: the importer checks its output
	// builds the same document as the legacy build.
	"legacy":                     {"compiler", "lang", "legacy/yaml", "emit"},
	"scripts":                    {"compiler", "lang"},
	"emit":                       {"compiler", "lang"},
	"emit/graph":                 {"compiler", "lang", "emit"},
	"emit/graph/dotcheck":        {},
	"semdiff":                    {"compiler", "lang", "emit", "legacy", "mtrain", "mtrain/migrate"},
	"mtrain":                     {},
	"mtrain/faults":              {},
	"mtrain/mtraintest":          {},
	"mtrain/sandbox":             {"mtrain", "mtrain/faults", "internal/atomicfile"},
	"mtrain/sandbox/sandboxtest": {"mtrain", "mtrain/faults", "mtrain/mtraintest", "mtrain/sandbox"},
	"mtrain/migrate":             {"compiler", "lang", "legacy/yaml", "mtrain"},
	"lsp":                        {"compiler", "lang", "legacy", "emit", "scripts"},
	"cmd/yamljson":               {}, // the floor program of the benchmarks (internal/floor)
	"cmd/regc": {"compiler", "lang", "legacy", "legacy/yaml", "emit", "emit/graph", "scripts", "semdiff",
		"mtrain", "mtrain/faults", "mtrain/migrate", "mtrain/sandbox", "lsp"},
}

type listed struct {
	ImportPath string
	Imports    []string
}

// listPackages runs go list over the module and returns each package's
// imports of the module's packages, paths relative to the module.
func listPackages(t *testing.T) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = filepath.Join("..")
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string][]string{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("reading go list: %v", err)
		}
		rel, ok := ours(p.ImportPath)
		if !ok {
			t.Fatalf("go list named %s, outside module %s", p.ImportPath, module)
		}
		var deps []string
		for _, imp := range p.Imports {
			if r, ok := ours(imp); ok {
				deps = append(deps, r)
			}
		}
		pkgs[rel] = deps
	}
	return pkgs
}

func ours(path string) (string, bool) {
	if rel, ok := strings.CutPrefix(path, module+"/"); ok {
		return rel, true
	}
	return "", false
}

func isInternal(rel string) bool { return rel == "internal" || strings.HasPrefix(rel, "internal/") }

// violations lists the imports of pkgs the table does not allow, and the
// packages it does not place, one line each, sorted.
func violations(pkgs map[string][]string) []string {
	var bad []string
	for pkg, deps := range pkgs {
		may, placed := allowed[pkg]
		if !placed && !isInternal(pkg) {
			bad = append(bad, pkg+": not in the layering table; add it with the packages it may import")
			continue
		}
		for _, d := range deps {
			switch {
			case isInternal(pkg):
				bad = append(bad, pkg+" imports "+d+": internal packages are leaves and import nothing of ours")
			case isInternal(d):
			case !contains(may, d):
				bad = append(bad, pkg+" imports "+d+": not an allowed edge")
			}
		}
	}
	sort.Strings(bad)
	return bad
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestLayers(t *testing.T) {
	pkgs := listPackages(t)
	for _, must := range []string{"lang", "compiler", "emit", "mtrain", "cmd/regc"} {
		if _, ok := pkgs[must]; !ok {
			t.Fatalf("go list did not name %s; the listing is not of this module", must)
		}
	}
	for _, v := range violations(pkgs) {
		t.Error(v)
	}
}

// The check itself catches an upward edge, an unplaced package and an
// internal package that imports one of ours.
func TestLayersCatches(t *testing.T) {
	got := violations(map[string][]string{
		"lang":           {"compiler"},
		"compiler":       {"lang", "internal/spell"},
		"newpkg":         {"lang"},
		"internal/spell": {"lang"},
	})
	want := []string{
		"internal/spell imports lang: internal packages are leaves and import nothing of ours",
		"lang imports compiler: not an allowed edge",
		"newpkg: not in the layering table; add it with the packages it may import",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
