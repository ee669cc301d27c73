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
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}}\t{{.Dir}}\t{{.Name}}\t{{join .GoFiles \" \"}}", "./...")
	cmd.Dir = ".."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			t.Fatalf("go list printed %q", line)
		}
		path, dir, name, files := f[0], f[1], f[2], strings.Fields(f[3])
		n++
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
	if n < 10 {
		t.Fatalf("go list named %d packages; the listing is not of this module", n)
	}
}
