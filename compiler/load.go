package compiler

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/regc/regc/internal/spell"
	"github.com/regc/regc/lang"
)

// load reads and parses path, then the files it imports, depth first. A
// file is known by its resolved path (SourceKey), so a file named two ways
// is read once, and a cycle through a link is found at once. Resolving a
// path costs system calls (the working folder, each link on the way), so
// the first file's is resolved only when it imports another: before that,
// nothing can meet it again.
func (c *checker) load(path string, from *lang.ImportDecl, at lang.Range) {
	key := ""
	if from != nil || len(c.loaded) > 0 {
		key = SourceKey(path)
		for i, k := range c.stack {
			if k == key {
				chain := append(append([]string(nil), c.stackPaths[i:]...), path)
				c.diags.Errorf(lang.CodeImportCycle, at, "import cycle: %s", strings.Join(chain, " -> "))
				return
			}
		}
		if c.loaded[key] {
			return
		}
		c.loaded[key] = true
	}
	src, ok := c.preset[filepath.Clean(path)]
	if !ok {
		var err error
		src, err = c.readFile(path)
		if err != nil {
			if from == nil {
				ReadFailure(&c.diags, path, err)
			} else {
				d := c.diags.Errorf(lang.CodeInvalidImport, at, "cannot import %s: %s", path, readErrorText(err))
				if errors.Is(err, fs.ErrNotExist) {
					if s := nearestLibrary(path); s != "" {
						// as the import writes it: its folder, the name
						written, _ := lang.Unquote(from.Path.Raw)
						if i := strings.LastIndexByte(written, '/'); i >= 0 {
							s = written[:i+1] + s
						}
						d.Message += fmt.Sprintf(" (did you mean %q?)", s)
						d.Suggestion = strconv.Quote(s)
					}
				}
				c.importFailed = true
			}
			return
		}
	}
	c.sources[path] = src
	if c.mainPath == "" {
		c.mainPath = path
	}
	f, diags := lang.Parse(path, src)
	c.diags = append(c.diags, diags...)
	if f == nil {
		return
	}
	if key == "" && slices.ContainsFunc(f.Decls, func(d lang.Decl) bool { _, ok := d.(*lang.ImportDecl); return ok }) {
		key = SourceKey(path)
		c.loaded[key] = true
	}
	c.stack, c.stackPaths = append(c.stack, key), append(c.stackPaths, path)
	for _, d := range f.Decls {
		if imp, ok := d.(*lang.ImportDecl); ok {
			rel, err := lang.Unquote(imp.Path.Raw)
			rng := lang.RangeOf(imp.Path.Pos, imp.Path.EndPos)
			if err != nil {
				c.diags.Errorf(lang.CodeSyntax, rng, "%s", err.Error())
				continue
			}
			if rel == "" {
				c.diags.Errorf(lang.CodeInvalidImport, rng, "an import names a file")
				continue
			}
			c.load(ImportTarget(path, rel), imp, rng)
		}
	}
	c.stack, c.stackPaths = c.stack[:len(c.stack)-1], c.stackPaths[:len(c.stackPaths)-1]
	c.files = append(c.files, &sourceFile{path: path, ast: f})
}

// ImportTarget is the file that an import of rel (the path the import
// writes) in the file at path names: rel beside path unless absolute, with
// `.regimen` added when it has another extension or none.
func ImportTarget(path, rel string) string {
	target := rel
	if !filepath.IsAbs(target) {
		target = filepath.Join(filepath.Dir(path), rel)
	}
	if filepath.Ext(target) != ".regimen" {
		target += ".regimen"
	}
	return target
}

// nearestLibrary returns the library beside a missing import path whose
// name is nearest it, as an import writes it (no `.regimen`), or "".
func nearestLibrary(path string) string {
	dir, base := filepath.Split(path)
	entries, err := os.ReadDir(filepath.Clean(dir + "."))
	if err != nil {
		return ""
	}
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".regimen"); ok && !e.IsDir() {
			names = append(names, n)
		}
	}
	return spell.Nearest(strings.TrimSuffix(base, ".regimen"), names)
}
