package internal_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoRegexpAtInit: no package-level variable of the module's programs
// and libraries is initialised by compiling a regular expression. Every
// regc command runs every linked package's initialisers before main, so a
// package-level regexp.MustCompile costs `regc version` its compilation
// (lsp's md5 pattern was one: 107 of lsp's 137 allocations at init). Use
// internal/lazyre, or match by hand.
func TestNoRegexpAtInit(t *testing.T) {
	files := 0
	for _, p := range modulePackages(t) {
		for _, name := range p.files {
			files++
			path := filepath.Join(p.dir, name)
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			for _, d := range f.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.VAR {
					continue
				}
				ast.Inspect(g, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.FuncLit:
						return false // runs when called, not at init
					case *ast.CallExpr:
						if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
							if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "regexp" && strings.Contains(sel.Sel.Name, "Compile") {
								t.Errorf("%s: a package-level regexp.%s runs in every command before main; use internal/lazyre or match by hand", fset.Position(n.Pos()), sel.Sel.Name)
							}
						}
					}
					return true
				})
			}
		}
	}
	if files < 50 {
		t.Fatalf("go list named %d files; the listing is not of this module", files)
	}
}
