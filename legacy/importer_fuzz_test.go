package legacy

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/emit"
	"github.com/regc/regc/internal/corpustest"
	"github.com/regc/regc/lang"
	"github.com/regc/regc/legacy/yaml"
)

// FuzzImport imports arbitrary YAML. Whatever the input, the importer
// answers with diagnostics, never a panic; a file the legacy reader rejects
// is rejected; and, differentially, whenever the reader accepts a file the
// importer either writes source or says, with an `unsupported` error, what
// the language cannot express, and the source it writes compiles (with no
// errors beyond the legacy file's own defects) to the very document the
// legacy build (Compile) gives. The importer's own final check is
// turned off, so that this test checks the generator rather than the
// safety net.
//
// Seeds: the historic regimens (../shared/corpus) when present, and always
// testdata/import and testdata/fuzz/FuzzImport.
func FuzzImport(f *testing.F) {
	var seeds []string
	if dir := corpustest.Seeds(f, "yaml"); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "yaml", "*.yml"))
		seeds = append(seeds, files...)
	}
	files, _ := filepath.Glob(filepath.Join(importDir, "*.yml"))
	seeds = append(seeds, files...)
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		const path = "fuzz.yml"
		root, rd := yaml.Read(path, src)
		out, diags, _ := importLegacy(path, src, false)
		for _, d := range diags {
			if d.Code == lang.CodeInternal {
				t.Fatalf("the importer failed: %s", d.Message)
			}
			if d.Message == "" || d.Code == "" {
				t.Fatalf("a diagnostic without message or code: %+v", d)
			}
			// the importer's positions are the reader's, which count lines
			// as PyYAML does ("\r" and "\u2028" break lines too): they
			// must lie in the file, in order
			if r := d.Range; d.Code == lang.CodeUnsupported && (r.End.Before(r.Start) || r.Start.Offset > len(src) || r.End.Offset > len(src)+1 || !r.Start.IsValid()) {
				t.Fatalf("%s: a range outside the file or reversed: %+v", d, r)
			}
		}
		if root == nil || rd.HasErrors() {
			if out != nil || !diags.HasErrors() {
				t.Fatalf("the reader rejects the file, but it was imported")
			}
			return
		}
		if diags.HasErrors() {
			for _, d := range diags {
				if d.Severity == lang.Error && d.Code != lang.CodeUnsupported {
					t.Fatalf("the reader accepts the file, but import reports %s", d)
				}
			}
			if out != nil {
				t.Fatalf("errors and source")
			}
			return
		}
		legacy := CompileSource(path, src)
		res := compiler.CompileSource("fuzz.regimen", out, nil)
		if res.Regimen == nil {
			t.Fatalf("the imported source has no regimen: %v\n%s", res.Diagnostics, numbered(out))
		}
		if legacy.Regimen == nil {
			t.Fatalf("imported, but the legacy build has no regimen: %v", legacy.Diagnostics)
		}
		legacyClean := !legacy.Diagnostics.HasErrors()
		for _, d := range legacy.Diagnostics {
			legacyClean = legacyClean && d.Code != lang.CodeDuplicateKey
		}
		for _, d := range res.Diagnostics {
			if d.Severity != lang.Error {
				continue
			}
			if !keptDefect(d.Code) {
				t.Fatalf("the imported source has %s:\n%s", d, numbered(out))
			}
			// a clean legacy file gives clean source, but for what the
			// language requires and YAML did not (a stage's script, a
			// script's URL)
			if legacyClean && d.Code != "missing-field" && d.Code != "out-of-range" {
				t.Fatalf("the legacy file has no defects, but the imported source has %s:\n%s", d, numbered(out))
			}
		}
		if diff := valueDiff(emit.DocumentValue(res.Regimen), emit.DocumentValue(legacy.Regimen), ""); diff != "" {
			t.Fatalf("the imported source builds a different document: %s\n%s", diff, numbered(out))
		}
	})
}
