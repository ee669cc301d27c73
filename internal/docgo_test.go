package internal_test

import (
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Every package of the module has a doc.go holding its package comment,
// which starts with "Package NAME" ("Command regc" for the command), and no
// other file of the package carries one: go doc shows what doc.go says the
// package owns.
func TestDocGo(t *testing.T) {
	for _, p := range modulePackages(t) {
		path, dir, name, files := p.path, p.dir, p.name, p.files
		want := "Package " + name + " "
		if name == "main" {
			want = "Command " + filepath.Base(dir) + " "
		}
		hasDoc := false
		for _, file := range files {
			fset := token.NewFileSet()
			ast, err := parser.ParseFile(fset, filepath.Join(dir, file), nil, parser.PackageClauseOnly|parser.ParseComments)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			switch {
			case file == "doc.go":
				hasDoc = true
				if ast.Doc == nil || !strings.HasPrefix(ast.Doc.Text(), want) {
					t.Errorf("%s: doc.go's package comment must start with %q", path, want)
				}
			case ast.Doc != nil:
				t.Errorf("%s: %s carries a package comment; it belongs in doc.go", path, file)
			}
		}
		if !hasDoc {
			t.Errorf("%s: no doc.go saying what the package owns", path)
		}
	}
}

// pkg is a package of the module as go list names it: its import path,
// folder, name and (non-test) Go files.
type pkg struct {
	path, dir, name string
	files           []string
}

// modulePackages lists the module's packages.
func modulePackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}}\t{{.Dir}}\t{{.Name}}\t{{join .GoFiles \" \"}}", "./...")
	cmd.Dir = ".."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			t.Fatalf("go list printed %q", line)
		}
		pkgs = append(pkgs, pkg{f[0], f[1], f[2], strings.Fields(f[3])})
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list named %d packages; the listing is not of this module", len(pkgs))
	}
	return pkgs
}
