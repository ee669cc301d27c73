package lang

import (
	"go/ast"
	goparser "go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestDocComments finds doc comments that sit on the wrong declaration:
// in every package of the module, a declaration's doc comment that starts
// with the name of another declaration of its package was written for that
// one (`go doc ./lang MaxNesting` once printed splitDecls's comment).
func TestDocComments(t *testing.T) {
	pkgs := map[string][]*ast.File{}
	fset := token.NewFileSet()
	walkModuleGo(t, func(path string) error {
		f, err := goparser.ParseFile(fset, path, nil, goparser.ParseComments)
		if err != nil {
			return err
		}
		pkgs[filepath.Dir(path)] = append(pkgs[filepath.Dir(path)], f)
		return nil
	})
	type decl struct {
		name string
		doc  *ast.CommentGroup
		pos  token.Pos
	}
	var bad []string
	checked := 0
	for _, files := range pkgs {
		var decls []decl
		names := map[string]bool{}
		for _, f := range files {
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					decls = append(decls, decl{d.Name.Name, d.Doc, d.Pos()})
				case *ast.GenDecl:
					for _, s := range d.Specs {
						doc := d.Doc
						if len(d.Specs) > 1 || d.Lparen.IsValid() {
							doc = nil
						}
						switch s := s.(type) {
						case *ast.TypeSpec:
							if s.Doc != nil {
								doc = s.Doc
							}
							decls = append(decls, decl{s.Name.Name, doc, s.Pos()})
						case *ast.ValueSpec:
							if s.Doc != nil {
								doc = s.Doc
							}
							for _, n := range s.Names {
								decls = append(decls, decl{n.Name, doc, n.Pos()})
							}
						}
					}
				}
			}
		}
		for _, d := range decls {
			names[d.name] = true
		}
		for _, d := range decls {
			if d.doc == nil {
				continue
			}
			checked++
			first := strings.Fields(d.doc.Text())
			if len(first) == 0 {
				continue
			}
			w := strings.TrimRight(first[0], ":,.")
			if w != d.name && names[w] {
				bad = append(bad, fset.Position(d.pos).String()+": the doc comment of "+d.name+" starts with "+w+": it belongs to "+w+", or names it first")
			}
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Error(b)
	}
	if checked < 100 {
		t.Errorf("checked %d doc comments: the walk is not reading the module", checked)
	}
}

// walkModuleGo calls fn with the path of every non-test Go file of the
// module (testdata, vendor and hidden folders left out).
func walkModuleGo(t *testing.T, fn func(path string) error) {
	t.Helper()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != ".." && (strings.HasPrefix(n, ".") || n == "testdata" || n == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		return fn(path)
	})
	if err != nil {
		t.Fatal(err)
	}
}
