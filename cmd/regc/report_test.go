package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Every command that prints diagnostics refuses a --color it does not know
// the same way: the value named, the usage, exit 2.
func TestColorFlagOneWay(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "x.regimen")
	for _, cmd := range [][]string{
		{"build"}, {"check"}, {"diff"}, {"emit"}, {"freeze"}, {"graph"}, {"import"},
		{"sync", "upload"}, {"sync", "status"}, {"sync", "migrate"},
	} {
		name := strings.Join(cmd, " ")
		args := append(append([]string{}, cmd...), "--color", "pink", missing)
		code, _, stderr := invokeRegc(args...)
		want := "regc " + name + `: --color must be auto, always or never, not "pink"` + "\nusage: regc " + name
		if code != exitUsage || !strings.Contains(stderr, want) {
			t.Errorf("regc %s --color pink: exit %d, stderr:\n%s\nwant exit 2 and %q", name, code, stderr, want)
		}
	}
}

// The command prints diagnostics as text in one place and defines --color
// once: the common path (compile → render once → summarise) is the only
// one.
func TestOneRendererOneColorFlag(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	renders, colors := 0, 0
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "lang" && sel.Sel.Name == "Render" {
				renders++
				t.Logf("%s: lang.Render", fset.Position(call.Pos()))
			}
			if !definesFlag[sel.Sel.Name] {
				return true
			}
			for _, a := range call.Args {
				if lit, ok := a.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, _ := strconv.Unquote(lit.Value); s == "color" {
						colors++
						t.Logf("%s: a \"color\" flag", fset.Position(call.Pos()))
					}
				}
			}
			return true
		})
	}
	if renders != 1 || colors != 1 {
		t.Errorf("lang.Render called in %d places and a \"color\" flag defined in %d; want 1 and 1", renders, colors)
	}
}

// definesFlag names the pflag methods that define a flag.
var definesFlag = map[string]bool{
	"String": true, "StringP": true, "StringVar": true, "StringVarP": true, "Var": true, "VarP": true,
}

// regc diff logs in as sync does, and its usage errors name diff, not
// "sync diff".
func TestDiffUsageErrorsNameDiff(t *testing.T) {
	for _, args := range [][]string{{"diff", "--bogus"}, {"diff", "--password", "x", "a", "b"}} {
		code, _, stderr := invokeRegc(args...)
		if code != exitUsage || !strings.HasPrefix(stderr, "regc diff: ") {
			t.Errorf("regc %s: exit %d, stderr:\n%s\nwant exit 2 and a message starting \"regc diff: \"", strings.Join(args, " "), code, stderr)
		}
	}
}
