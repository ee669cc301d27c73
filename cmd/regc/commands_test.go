package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The command tables name each command once, and in order (help and
// completion list them sorted; lookups take the first of a name).
func TestCommandTablesUniqueAndSorted(t *testing.T) {
	for i := 1; i < len(commandTable); i++ {
		if a, b := commandTable[i-1].name, commandTable[i].name; a >= b {
			t.Errorf("commandTable: %q before %q; keep the table sorted by name, each name once", a, b)
		}
	}
	for i := 1; i < len(syncTable); i++ {
		if a, b := syncTable[i-1].name, syncTable[i].name; a >= b {
			t.Errorf("syncTable: %q before %q; keep the table sorted by name, each name once", a, b)
		}
	}
	for _, c := range commandTable {
		if lookupCommand(c.name) == nil || c.run == nil || c.summary == "" || c.usage == "" {
			t.Errorf("command %q: not found, or without run, summary or usage", c.name)
		}
	}
	if lookupCommand("nosuch") != nil || lookupSync("nosuch") != nil {
		t.Error("an unknown name finds a command")
	}
}

// Package main runs no code before main (issue 14): no init function, and
// no package-level map, whose literal the compiler builds at init.
// testStartupWork measures what is left.
func TestNoInitCodeInMain(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.Name == "init" {
					t.Errorf("%s: func init in package main; add a command to commandTable (commands.go) instead", fset.Position(d.Pos()))
				}
			case *ast.GenDecl:
				ast.Inspect(d, func(n ast.Node) bool {
					if _, ok := n.(*ast.FuncLit); ok {
						return false // a function's body runs when called
					}
					if cl, ok := n.(*ast.CompositeLit); ok {
						if _, isMap := cl.Type.(*ast.MapType); isMap {
							t.Errorf("%s: a package-level map is built at init; use a switch or a sorted slice", fset.Position(cl.Pos()))
						}
					}
					return true
				})
			}
		}
	}
	if checked < 20 {
		t.Fatalf("checked %d files of package main; want the package's files", checked)
	}
}

// fileSafe, which names a migration's default journal, does what
// ReplaceAllString of [^A-Za-z0-9._-]+ with "_" did.
func TestFileSafeAsTheRegexpDid(t *testing.T) {
	re := regexp.MustCompile(`[^A-Za-z0-9._-]+`)
	for _, s := range []string{"", "Mouse_v1.2.3", "a b", "a  b", "/etc/passwd", "../x", "é", "aéb", "日本語", "a\xffb", "\xff\xfe", "a-b.c_d", " lead", "trail ", "x\ny\tz", "a/é b"} {
		if got, want := fileSafe(s), re.ReplaceAllString(s, "_"); got != want {
			t.Errorf("fileSafe(%q) = %q; the regexp gives %q", s, got, want)
		}
	}
}
