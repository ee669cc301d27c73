package compiler

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regc/regc/compiler/compilertest"
	"github.com/regc/regc/lang"
)

// compileBounded compiles src and fails the test when compiling does not
// finish within a generous time (a bomb that is not bounded runs for
// minutes, or until memory runs out).
func compileBounded(t *testing.T, name, src string) *Result {
	t.Helper()
	done := make(chan *Result, 1)
	go func() { done <- CompileSource(name, []byte(src), nil) }()
	select {
	case res := <-done:
		return res
	case <-time.After(60 * time.Second):
		t.Fatalf("%s: compiling did not finish in 60 s", name)
		return nil
	}
}

// diagnosed returns the first diagnostic with code whose message holds
// text, or nil.
func diagnosed(ds lang.Diagnostics, code, text string) *lang.Diagnostic {
	for i := range ds {
		if ds[i].Code == code && strings.Contains(ds[i].Message, text) {
			return &ds[i]
		}
	}
	return nil
}

// Values are bounded in their expanded size and their depth: a small file
// whose constants repeat one another ("billion laughs"), or nest thousands
// deep, is an error at the value that grows too large, not a program that
// runs out of memory.
func TestValueBombs(t *testing.T) {
	for name, bomb := range compilertest.Bombs() {
		t.Run(name, func(t *testing.T) {
			res := compileBounded(t, name, bomb.Source)
			d := diagnosed(res.Diagnostics, "too-large", bomb.Want)
			if d == nil {
				t.Fatalf("got %v, want a too-large error saying %q", res.Diagnostics, bomb.Want)
			}
			if !d.Range.Start.IsValid() || d.Range.Start.Line < 2 {
				t.Errorf("the error is at %v, want the declaration that grows too large", d.Range)
			}
		})
	}
}

// The whole document is bounded too: many stages that each hold a large
// (but allowed) value add up to a document too large to write.
func TestDocumentBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("regimen X version 1.0.0\nlet a0 = \"" + strings.Repeat("x", 1000) + "\"\n")
	for i := 1; i <= 15; i++ { // 2^15 strings of 1,000 bytes: 33 MB, within the bound on one value
		fmt.Fprintf(&b, "let a%d = [a%d, a%d]\n", i, i-1, i-1)
	}
	b.WriteString(`script s { url: "s.py", md5: "0123456789abcdef0123456789abcdef" }` + "\n")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&b, "stage S%d { script: s, params: { v: a15 } }\n", i)
	}
	res := compileBounded(t, "doc.regimen", b.String())
	if d := diagnosed(res.Diagnostics, "too-large", "the document"); d == nil {
		t.Fatalf("got %v, want a too-large error about the document", res.Diagnostics)
	}
}

// A regimen of ordinary size is well within the bounds.
func TestOrdinaryValuesWithinBounds(t *testing.T) {
	src := compilertest.Doubling(`"xxxxxxxxxx"`, 12) + // 4,096 strings
		"let deep = " + strings.Repeat("[", 200) + strings.Repeat("]", 200) + "\nstage B { script: s, params: { v: deep } }\n"
	res := compileBounded(t, "ok.regimen", src)
	if res.Diagnostics.HasErrors() || res.Regimen == nil {
		t.Fatalf("got %v", res.Diagnostics)
	}
}

// A quantity whose conversion into its field's unit overflows a float, or
// underflows to zero, is an error, as a number literal too large for a
// float is.
func TestUnitConversionOverflow(t *testing.T) {
	for _, tc := range []struct{ typ, value, want string }{
		{"volume(nL)", "1e300 L", "too large"},
		{"volume(nL)", "-1e300 L", "too large"},
		{"volume(L)", "1e-320 nL", "too small"},
		{"time(h, int)", "1e400 s", "too large"},
	} {
		_, codes := compileParams(t, tc.typ, tc.value)
		if !contains(codes, "out-of-range") {
			t.Errorf("%s = %s: got codes %v, want out-of-range", tc.typ, tc.value, codes)
		}
	}
	// zero is zero, not an underflow
	v, codes := compileParams(t, "volume(L)", "0 nL")
	if len(codes) > 0 || v.Kind != Float || v.Float != 0 {
		t.Errorf("0 nL: got %v %v", show(v), codes)
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Number forms other languages have are errors that say what to write.
func TestNumberLiteralForms(t *testing.T) {
	for _, tc := range []struct{ value, want string }{
		{"0x10", "hexadecimal literals are not supported; write 16"},
		{"0X1f", "hexadecimal literals are not supported; write 31"},
		{"0o17", "octal literals are not supported; write 15"},
		{"0b101", "binary literals are not supported; write 5"},
		{"1_000", "digit separators are not supported; write 1000"},
		{"1_000_000", "digit separators are not supported; write 1000000"},
		{"-0x10", "hexadecimal literals are not supported; write -16"},
	} {
		src := fmt.Sprintf("regimen T version 1.0.0\nscript s { url: \"x.py\" }\nstage A { script: s, params: { x: %s } }\n", tc.value)
		res := CompileSource("t.regimen", []byte(src), nil)
		d := diagnosed(res.Diagnostics, "syntax", tc.want)
		if d == nil {
			t.Errorf("%s: got %v, want a syntax error %q", tc.value, res.Diagnostics, tc.want)
			continue
		}
		if d.Range.Start.Line != 3 || d.Range.Start.Column != 35 {
			t.Errorf("%s: error at %v, want 3:35 (the literal)", tc.value, d.Range.Start)
		}
	}
	// a unit that merely starts like one is still an unknown unit
	_, codes := compileParams(t, "volume(mL)", "0 xyz")
	if !contains(codes, "unknown-unit") {
		t.Errorf("0 xyz: got %v, want unknown-unit", codes)
	}
}

// A surrogate pair escape in a string is the one character it encodes; half
// of one is a syntax error at that escape.
func TestStringSurrogateEscapes(t *testing.T) {
	v, codes := compileParams(t, "string", `"\ud83d\ude00 ok"`)
	if len(codes) > 0 || v.Str != "\U0001F600 ok" {
		t.Errorf("got %q %v, want the grinning face", v.Str, codes)
	}
	src := "regimen T version 1.0.0\nscript s { url: \"x.py\" }\nstage A { script: s, params: { x: \"ab\\ud83d\" } }\n"
	res := CompileSource("t.regimen", []byte(src), nil)
	d := diagnosed(res.Diagnostics, "syntax", "surrogate")
	if d == nil {
		t.Fatalf("got %v, want a syntax error about the lone surrogate", res.Diagnostics)
	}
	if d.Range.Start.Column != 38 || d.Range.End.Column != 44 {
		t.Errorf("error at %v-%v, want columns 38-44 (the escape)", d.Range.Start, d.Range.End)
	}
}

// A main file that does not exist is file-not-found, not an import error.
func TestMissingMainFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.regimen")
	res := Compile(path, nil)
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Code != "file-not-found" ||
		res.Diagnostics[0].Message != "cannot read "+path+": no such file" {
		t.Fatalf("got %v, want one file-not-found error", res.Diagnostics)
	}
	// an import that does not exist is still an import error, at the import
	dir := t.TempDir()
	main := filepath.Join(dir, "main.regimen")
	os.WriteFile(main, []byte("import \"gone\"\ncriterion x\n"), 0o644)
	res = Compile(main, nil)
	if d := diagnosed(res.Diagnostics, "invalid-import", "no such file"); d == nil || d.Range.Start.Line != 1 {
		t.Fatalf("got %v, want an invalid-import error on line 1", res.Diagnostics)
	}
}

// Files are known by their resolved path: an import through a symlink to a
// directory that leads back to the importer is a cycle found at once, not
// a file loaded again under ever longer names.
func TestImportCycleThroughDirectorySymlink(t *testing.T) {
	dir := t.TempDir()
	if err := os.Symlink(".", filepath.Join(dir, "loop")); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	main := filepath.Join(dir, "x.regimen")
	os.WriteFile(main, []byte("import \"loop/x\"\ncriterion done\n"), 0o644)
	reads := 0
	res := Compile(main, &Options{ReadFile: func(p string) ([]byte, error) {
		reads++
		return ReadSource(p)
	}})
	if reads != 1 {
		t.Errorf("the file was read %d times, want once", reads)
	}
	var cycles int
	for _, d := range res.Diagnostics {
		if d.Code == "import-cycle" {
			cycles++
		}
	}
	if cycles != 1 {
		t.Errorf("got %v, want one import-cycle error", res.Diagnostics)
	}
	// the same file imported under two names is loaded once: its
	// declarations are not duplicates of themselves
	os.WriteFile(filepath.Join(dir, "lib.regimen"), []byte("criterion shared\n"), 0o644)
	os.WriteFile(main, []byte("import \"lib\"\nimport \"loop/lib\"\nimport \"./lib.regimen\"\ncriterion done\n"), 0o644)
	res = Compile(main, nil)
	if res.Diagnostics.HasErrors() {
		t.Errorf("got %v, want no errors", res.Diagnostics)
	}
}
