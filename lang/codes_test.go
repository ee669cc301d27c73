package lang

import (
	"go/ast"
	goparser "go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// catalogue returns the constants of codes.go, by name.
func catalogue(t *testing.T) map[string]string {
	t.Helper()
	f, err := goparser.ParseFile(token.NewFileSet(), "codes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Fatalf("codes.go: %s is not a string literal", n.Name)
				}
				v, _ := strconv.Unquote(lit.Value)
				out[n.Name] = v
			}
		}
	}
	return out
}

// readmeCodes returns the codes in the first column of the README's
// diagnostics table.
func readmeCodes(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(b), "\n| code | severity | meaning |\n")
	if !ok {
		t.Fatal("README.md has no diagnostics table (| code | severity | meaning |)")
	}
	table, _, _ = strings.Cut(table, "\n\n")
	out := map[string]bool{}
	tick := regexp.MustCompile("`([^`]+)`")
	for _, row := range strings.Split(table, "\n") {
		cells := strings.Split(row, "|")
		if len(cells) < 3 || strings.HasPrefix(row, "|---") {
			continue
		}
		for _, m := range tick.FindAllStringSubmatch(cells[1], -1) {
			out[m[1]] = true
		}
	}
	if len(out) == 0 {
		t.Fatal("README.md's diagnostics table lists no codes")
	}
	return out
}

// codeUse is what one scan of the repository's Go code found.
type codeUse struct {
	literals []string       // a code written as a string literal, with its place
	internal []string       // an "internal ..." message under another code
	produced map[string]int // catalogue constant -> uses other than comparisons
}

// scanCodes reads every non-test Go file of the module (but codes.go) and
// reports code literals in the places a code goes, and the uses of the
// catalogue's constants that are not comparisons.
func scanCodes(t *testing.T, names map[string]string) codeUse {
	t.Helper()
	use := codeUse{produced: map[string]int{}}
	fset := token.NewFileSet()
	walkModuleGo(t, func(path string) error {
		if path == filepath.Join("..", "lang", "codes.go") {
			return nil
		}
		f, err := goparser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		inLang := f.Name.Name == "lang" && filepath.Dir(path) == filepath.Join("..", "lang")
		literal := func(e ast.Expr, what string) {
			if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				use.literals = append(use.literals, fset.Position(lit.Pos()).String()+": "+what+" "+lit.Value)
			}
		}
		isCode := func(e ast.Expr) bool {
			switch e := e.(type) {
			case *ast.SelectorExpr:
				return e.Sel.Name == "Code"
			case *ast.Ident:
				return e.Name == "code"
			}
			return false
		}
		var stack []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return false
			}
			var parent ast.Node
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			stack = append(stack, n)
			// a message that says "internal" is a bug in regc: one code
			internalUnder := func(code, msg ast.Expr) {
				if says := saysInternal(msg); says && !namesInternal(code) {
					use.internal = append(use.internal, fset.Position(code.Pos()).String())
				}
			}
			switch n := n.(type) {
			case *ast.CallExpr:
				// Diagnostics.Errorf(code, range, format, ...), Warnf alike
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Errorf" || sel.Sel.Name == "Warnf") && len(n.Args) >= 3 {
					if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "fmt" {
						literal(n.Args[0], "a code passed to "+sel.Sel.Name)
						internalUnder(n.Args[0], n.Args[2])
					}
				}
			case *ast.CompositeLit:
				var code, msg ast.Expr
				for _, e := range n.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok {
						if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Code" {
							code = kv.Value
						} else if ok && k.Name == "Message" {
							msg = kv.Value
						}
					}
				}
				if code != nil && msg != nil {
					internalUnder(code, msg)
				}
			case *ast.ValueSpec:
				// a second catalogue: CodeX = "x" (or = lang.CodeX) elsewhere
				for _, id := range n.Names {
					if strings.HasPrefix(id.Name, "Code") && len(id.Name) > 4 && id.Name[4] >= 'A' && id.Name[4] <= 'Z' {
						use.literals = append(use.literals, fset.Position(id.Pos()).String()+": a code constant "+id.Name+" outside the catalogue")
					}
				}
			case *ast.KeyValueExpr:
				if k, ok := n.Key.(*ast.Ident); ok && k.Name == "Code" {
					literal(n.Value, "a Diagnostic's Code")
				}
			case *ast.BinaryExpr:
				if n.Op == token.EQL || n.Op == token.NEQ {
					if isCode(n.X) {
						literal(n.Y, "a code compared")
					}
					if isCode(n.Y) {
						literal(n.X, "a code compared")
					}
				}
			case *ast.AssignStmt:
				if len(n.Lhs) == len(n.Rhs) {
					for i, l := range n.Lhs {
						if isCode(l) {
							literal(n.Rhs[i], "a code assigned")
						}
					}
				}
			case *ast.SelectorExpr:
				if x, ok := n.X.(*ast.Ident); ok && x.Name == "lang" && !inLang {
					if _, ok := names[n.Sel.Name]; ok && !isComparison(parent) {
						use.produced[n.Sel.Name]++
					}
				}
			case *ast.Ident:
				if _, ok := names[n.Name]; ok && inLang && !isComparison(parent) {
					if _, sel := parent.(*ast.SelectorExpr); !sel {
						use.produced[n.Name]++
					}
				}
			}
			return true
		})
		return nil
	})
	return use
}

// saysInternal reports whether a message expression starts with a string
// literal that starts with "internal".
func saysInternal(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && !found {
			v, _ := strconv.Unquote(lit.Value)
			found = strings.HasPrefix(v, "internal")
			return false
		}
		return !found
	})
	return found
}

// namesInternal reports whether e is CodeInternal (or lang.CodeInternal).
func namesInternal(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "CodeInternal"
	case *ast.SelectorExpr:
		return e.Sel.Name == "CodeInternal"
	}
	return false
}

func isComparison(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.BinaryExpr:
		return n.Op == token.EQL || n.Op == token.NEQ
	case *ast.CaseClause:
		return true
	}
	return false
}

// TestCodesMatchREADME holds the catalogue (codes.go) and the README's
// diagnostics table to each other, and the code to the catalogue: a code
// written as a string where a diagnostic is made or its code tested fails,
// so does a CodeXxx constant declared outside codes.go (a second
// catalogue), and so does a constant nothing produces. "Produced" is checkable without
// running anything: the constant is used, in non-test Go code outside
// codes.go, other than in a comparison (==, != or a switch case), so some
// path builds a diagnostic with it. (The error suite, compiler/errors_test.go,
// further demands that its fragments produce each checker code.)
func TestCodesMatchREADME(t *testing.T) {
	names := catalogue(t)
	readme := readmeCodes(t)
	values := map[string]string{}
	for name, v := range names {
		if !strings.HasPrefix(name, "Code") {
			t.Errorf("codes.go: constant %s: name a code CodeXxx", name)
		}
		if other, dup := values[v]; dup {
			t.Errorf("codes.go: %s and %s are both %q: one code, one constant", name, other, v)
		}
		values[v] = name
		if !readme[v] {
			t.Errorf("code %q (%s) is not in the README's diagnostics table: add a row", v, name)
		}
	}
	for code := range readme {
		if _, ok := values[code]; !ok {
			t.Errorf("the README lists code %q, which no constant in lang/codes.go names", code)
		}
	}
	use := scanCodes(t, names)
	sort.Strings(use.literals)
	for _, l := range use.literals {
		t.Errorf("%s: use a constant from lang/codes.go", l)
	}
	sort.Strings(use.internal)
	for _, at := range use.internal {
		t.Errorf("%s: a message saying \"internal\" is a bug in regc: give it CodeInternal", at)
	}
	var unused []string
	for name := range names {
		if use.produced[name] == 0 {
			unused = append(unused, name)
		}
	}
	sort.Strings(unused)
	for _, name := range unused {
		t.Errorf("%s (%q) is never produced: nothing outside codes.go makes a diagnostic with it; remove it and its README row", name, names[name])
	}
	if len(use.produced) < 10 {
		t.Errorf("the scan found %d codes in use: it is not reading the module", len(use.produced))
	}
}

// Every code has an explanation for `regc explain`, and every explanation is
// of a code.
func TestEveryCodeExplained(t *testing.T) {
	codes := map[string]bool{}
	for name, code := range catalogue(t) {
		codes[code] = true
		e, ok := Explanations()[code]
		if !ok {
			t.Errorf("%s (%s) has no entry in Explanations", name, code)
			continue
		}
		if e.Help == "" || e.Fix == "" || e.Severity == "" {
			t.Errorf("%s: the explanation needs help, a fix and a severity", code)
		}
		if !strings.Contains(Explain(code), e.Fix) {
			t.Errorf("%s: Explain does not print the fix", code)
		}
	}
	for code := range Explanations() {
		if !codes[code] {
			t.Errorf("Explanations has %q, which is not a code of codes.go", code)
		}
	}
}
