package lang

import (
	"go/ast"
	"go/doc"
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

// TestExportedDocs: in lang and compiler, `go doc` of every exported
// function, method, type, and of every constant or variable declared alone,
// starts with its own name.
func TestExportedDocs(t *testing.T) {
	var bad []string
	checked := 0
	for _, dir := range []string{".", filepath.Join("..", "compiler")} {
		fset := token.NewFileSet()
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		var parsed []*ast.File
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := goparser.ParseFile(fset, path, nil, goparser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			parsed = append(parsed, f)
		}
		p, err := doc.NewFromFiles(fset, parsed, "github.com/regc/regc/"+filepath.Base(dir))
		if err != nil {
			t.Fatal(err)
		}
		check := func(owner, name, text string) {
			if !ast.IsExported(name) {
				return
			}
			checked++
			if w := strings.Fields(text); len(w) == 0 || strings.TrimRight(w[0], ":,.") != name {
				bad = append(bad, p.Name+"."+owner+name+": its doc comment must start with "+name)
			}
		}
		values := func(vs []*doc.Value) {
			for _, v := range vs {
				if len(v.Names) == 1 {
					check("", v.Names[0], v.Doc)
				}
			}
		}
		for _, f := range p.Funcs {
			check("", f.Name, f.Doc)
		}
		values(p.Consts)
		values(p.Vars)
		for _, typ := range p.Types {
			check("", typ.Name, typ.Doc)
			for _, f := range typ.Funcs {
				check("", f.Name, f.Doc)
			}
			for _, f := range typ.Methods {
				check(typ.Name+".", f.Name, f.Doc)
			}
			values(typ.Consts)
			values(typ.Vars)
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Error(b)
	}
	if checked < 100 {
		t.Errorf("checked %d exported names: the packages were not read", checked)
	}
}
