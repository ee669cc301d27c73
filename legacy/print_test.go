package legacy_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/emit"
	"github.com/regc/regc/internal/corpustest"
	"github.com/regc/regc/lang"
	"github.com/regc/regc/legacy"
)

// The printer's round trip (lang.Print): for every .regimen file of the
// repository and every corpus file imported, printing the parsed source
// gives a fixed point after one pass, keeps every comment, and compiles to
// the same document with the same diagnostic codes; and every record key's
// range from the tree slices exactly the key's text. An imported source is
// already in the printer's layout: printing it changes nothing.

// printOnce parses src and prints it, checking the fixed point, the
// comments and the key ranges.
func printOnce(t *testing.T, path string, src []byte) []byte {
	t.Helper()
	f, diags := lang.Parse(path, src)
	if f == nil {
		t.Fatalf("%s: %v", path, diags)
	}
	checkKeyRanges(t, path, src, f)
	out := lang.Print(f)
	g, diags := lang.Parse(path, out)
	if g == nil {
		t.Fatalf("%s: the printed source does not parse: %v\n%s", path, diags, out)
	}
	if want, got := comments(f), comments(g); !reflect.DeepEqual(want, got) {
		t.Errorf("%s: the printed source's comments differ:\nwant %q\ngot  %q", path, want, got)
	}
	if again := lang.Print(g); !bytes.Equal(out, again) {
		t.Errorf("%s: printing is not a fixed point after one pass:\n--- once\n%s--- twice\n%s", path, out, again)
	}
	return out
}

func comments(f *lang.File) []string {
	var out []string
	for _, g := range f.Comments {
		for _, c := range g.List {
			out = append(out, strings.TrimRight(c.Text, " \t\r"))
		}
	}
	return out
}

// checkKeyRanges checks that every key's range slices its text.
func checkKeyRanges(t *testing.T, path string, src []byte, f *lang.File) int {
	t.Helper()
	n := 0
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Interface, reflect.Pointer:
			if v.IsNil() {
				return
			}
			if e, ok := v.Interface().(*lang.Entry); ok {
				for _, k := range e.Path {
					n++
					r := k.Range()
					if r.Start.Offset < 0 || r.End.Offset > len(src) || string(src[r.Start.Offset:r.End.Offset]) != k.Text() {
						t.Errorf("%s: key %s: its range %v-%v does not slice its text", path, k.Text(), r.Start, r.End)
					}
				}
			}
			walk(v.Elem())
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		}
	}
	walk(reflect.ValueOf(f))
	return n
}

// outcome is what a compilation gives, apart from positions.
func outcome(res *compiler.Result) (*compiler.Value, string) {
	var codes []string
	for _, d := range res.Diagnostics {
		codes = append(codes, d.Severity.String()+" "+d.Code)
	}
	sort.Strings(codes)
	var doc *compiler.Value
	if res.Regimen != nil {
		d := emit.DocumentValue(res.Regimen)
		doc = &d
	}
	return doc, strings.Join(codes, ", ")
}

func sameOutcome(t *testing.T, path string, a, b *compiler.Result, printed []byte) {
	t.Helper()
	docA, codesA := outcome(a)
	docB, codesB := outcome(b)
	if codesA != codesB {
		t.Errorf("%s: the printed source's diagnostics differ: %s, want %s\n%s", path, codesB, codesA, printed)
	}
	if (docA == nil) != (docB == nil) || docA != nil && !compiler.Equal(*docA, *docB) {
		t.Errorf("%s: the printed source builds another document\n%s", path, printed)
	}
}

func TestPrintRoundTripRepository(t *testing.T) {
	root := ".."
	printed := map[string][]byte{}
	var paths []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".regimen") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if f, _ := lang.Parse(path, src); f == nil {
			return nil // the error suite's files that do not parse
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return err
		}
		printed[abs] = printOnce(t, path, src)
		paths = append(paths, abs)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 50 {
		t.Fatalf("only %d .regimen files", len(paths))
	}
	read := func(p string) ([]byte, error) {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		if b, ok := printed[abs]; ok {
			return b, nil
		}
		return os.ReadFile(p) // a file that does not parse, as it is
	}
	docs := 0
	for _, p := range paths {
		orig := compiler.Compile(p, nil)
		again := compiler.Compile(p, &compiler.Options{ReadFile: read})
		sameOutcome(t, p, orig, again, printed[p])
		if orig.Regimen != nil {
			docs++
		}
	}
	t.Logf("%d files printed and compiled again, %d of them regimens with a document", len(paths), docs)
}

func TestPrintRoundTripImportedCorpus(t *testing.T) {
	dir := corpustest.Dir(t, "yaml")
	names, err := filepath.Glob(filepath.Join(dir, "yaml", "*.yml"))
	if err != nil {
		t.Fatal(err)
	}
	local, err := filepath.Glob(filepath.Join("testdata", "import", "*.yml"))
	if err != nil {
		t.Fatal(err)
	}
	names = append(names, local...)
	imported, keys := 0, 0
	for _, path := range names {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out, diags := legacy.Import(path, src)
		if out == nil || diags.HasErrors() {
			continue // what the language cannot express; the importer's tests pin it
		}
		imported++
		rpath := legacy.ImportedPath(path)
		f, _ := lang.Parse(rpath, out)
		keys += checkKeyRanges(t, rpath, out, f)
		printed := printOnce(t, rpath, out)
		if !bytes.Equal(printed, out) {
			// the importer's layout is the printer's canonical one, so
			// that import can print through lang.Print unchanged
			t.Errorf("%s: the printer changes the imported source:\n--- imported\n%s--- printed\n%s", rpath, out, printed)
		}
		noImports := &compiler.Options{ReadFile: func(p string) ([]byte, error) { return nil, fmt.Errorf("no imports") }}
		sameOutcome(t, rpath, compiler.CompileSource(rpath, out, noImports), compiler.CompileSource(rpath, printed, noImports), printed)
	}
	if imported < 100 {
		t.Fatalf("only %d of %d legacy files imported", imported, len(names))
	}
	t.Logf("%d of %d legacy files (the corpus and testdata/import) imported, printed and compiled again; %d keys", imported, len(names), keys)
}
