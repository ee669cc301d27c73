package legacy

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/emit"
	"github.com/regc/regc/internal/corpustest"
	"github.com/regc/regc/lang"
)

// The importer's tests: small legacy files under testdata/import whose
// imported source is pinned (NAME.regimen, or NAME.diags for a file the
// language cannot express), and the historic regimens of ../shared/corpus
// imported and compiled back (the same checks run through the command
// line, and through the built binary, in cmd/regc/import_test.go).

const importDir = "testdata/import"

var updateGolden = flag.Bool("update", false, "rewrite the pinned sources under testdata/import")

// importCorpusDir is the historic regimens corpus, or "" (with the test
// skipped) when it is absent.
func importCorpusDir(t testing.TB) string {
	t.Helper()
	return corpustest.Dir(t, "yaml")
}

// checkRoundTrip compiles imported source and compares its document with
// the legacy build of the same file. It returns the imported source's
// diagnostics.
func checkRoundTrip(t testing.TB, path string, src, out []byte) lang.Diagnostics {
	t.Helper()
	legacy := CompileSource(path, src)
	if legacy.Regimen == nil {
		t.Fatalf("%s: the legacy build has no regimen: %v", path, legacy.Diagnostics)
	}
	res := compiler.CompileSource(ImportedPath(path), out, nil)
	if res.Regimen == nil {
		t.Fatalf("%s: the imported source has no regimen: %v\n%s", path, res.Diagnostics, out)
	}
	for _, d := range res.Diagnostics {
		if d.Severity == lang.Error && !keptDefect(d.Code) {
			t.Errorf("%s: the imported source has %s, which no legacy defect explains:\n%s", path, d, numbered(out))
		}
	}
	if diff := valueDiff(emit.DocumentValue(res.Regimen), emit.DocumentValue(legacy.Regimen), ""); diff != "" {
		t.Errorf("%s: the imported source builds a different document: %s\n%s", path, diff, numbered(out))
	}
	return res.Diagnostics
}

func numbered(src []byte) string {
	var b strings.Builder
	for i, l := range strings.Split(strings.TrimRight(string(src), "\n"), "\n") {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, l)
	}
	return b.String()
}

// TestImportGolden imports each testdata/import/NAME.yml and compares the
// source with NAME.regimen (or the diagnostics with NAME.diags when the
// import fails); `go test ./compiler -run ImportGolden -update` rewrites
// them. Each imported source must build the legacy file's document.
func TestImportGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(importDir, "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no files in %s: %v", importDir, err)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".yml")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			out, diags := Import(path, src)
			again, _ := Import(path, src)
			if !bytes.Equal(out, again) {
				t.Fatalf("two imports of one file differ")
			}
			var got []byte
			golden := filepath.Join(importDir, name+".regimen")
			if diags.HasErrors() {
				golden = filepath.Join(importDir, name+".diags")
				var b bytes.Buffer
				lang.Render(&b, diags, map[string][]byte{path: src}, lang.RenderOptions{})
				got = b.Bytes()
			} else {
				got = out
				checkRoundTrip(t, path, src, out)
			}
			if *updateGolden {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to write it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the import:\n--- got\n%s--- want\n%s", golden, got, want)
			}
		})
	}
}

// TestImportSmall pins single features on inline documents.
func TestImportSmall(t *testing.T) {
	const head = "name: T_v1.0.0\nstages:\n"
	cases := []struct {
		name, yaml string
		want       []string // lines the source must contain
		code       string   // an error code Import must report instead
	}{
		{"stage left out when it names the stage", head + "  A: {script: s.py, parameters: {stage: A, x: 1}}\n",
			[]string{`stage A { script: s, params: { x: 1 } }`}, ""},
		{"stage kept when it names another", head + "  A: {script: s.py, parameters: {stage: B}}\n",
			[]string{`stage A { script: s, params: { stage: "B" } }`}, ""},
		{"stage kept when it is written twice", head + "  A: {script: s.py, parameters: {stage: A, stage: A}}\n",
			[]string{`stage: "A"`}, ""},
		{"int and float kept apart", head + "  A: {script: s.py, parameters: {stage: A, i: 1, f: 1.0, e: 1.0e-7, g: 15., h: .5, s: 1e-7}}\n",
			[]string{`i: 1, f: 1.0, e: 1e-07, g: 15.0, h: 0.5, s: "1e-7"`}, ""},
		{"yaml 1.1 scalars", head + "  A: {script: s.py, parameters: {stage: A, b: yes, o: off, n: ~, s: 1:30, x: 0x10, inf: .inf, nan: .nan}}\n",
			[]string{`b: true, o: false, n: null, s: 90, x: 16, inf: inf, nan: nan`}, ""},
		{"strings quoted in Go's form", head + "  A: {script: s.py, parameters: {stage: A, s: \"tab\\there \\\"q\\\" \\u00e9\"}}\n",
			[]string{`s: "tab\there \"q\" é"`}, ""},
		{"keys that are not names are quoted", head + "  A: {script: s.py, parameters: {stage: A, a b: 1, 2: 2, stage_x: 3, true: 4}}\n",
			[]string{`"a b": 1, "2": 2, stage_x: 3, true: 4`}, ""},
		{"quoted stage and criterion names", head + "  4_a: {script: s.py, parameters: {stage: 4_a}}\n  test: {script: s.py, parameters: {stage: test}}\ntransitions:\n  - {trigger: progress, source: 4_a, dest: test, conditions: [a-b, when]}\n",
			[]string{`stage "4_a"        { script: s }`, `stage "test" { script: s }`, `criterion "a-b", "when"`, `progress "4_a" -> "test" when "a-b", "when"`}, ""},
		{"a name without a version is raw", "name: My Regimen\n", []string{`regimen "My Regimen"`}, ""},
		{"no name is null", "stages: {}\n", []string{`regimen null`}, ""},
		{"name null", "name: null\n", []string{`regimen null`}, ""},
		{"versioned name", "name: Task_1A_v0.2.0-rc.1\n", []string{`regimen Task_1A version 0.2.0-rc.1`}, ""},
		{"keyword base name is raw", "name: test_v1.0.0\n", []string{`regimen "test_v1.0.0"`}, ""},
		{"md5 null", head + "  A: {script: s.py, script_md5: null, parameters: {stage: A}}\n",
			[]string{`script s { url: "s.py", md5: null }`}, ""},
		{"md5 placeholder", head + "  A: {script: s.py, script_md5: NotImplemented, parameters: {stage: A}}\n",
			[]string{`script s { url: "s.py", md5: "NotImplemented" }`}, ""},
		{"empty md5 left out", head + "  A: {script: s.py, script_md5: '', parameters: {stage: A}}\n",
			[]string{`script s { url: "s.py" }`}, ""},
		{"two md5s for one url", head + "  A: {script: &u s.py, script_md5: 0123456789abcdef0123456789abcdef, parameters: {stage: A}}\n  B: {script: *u, script_md5: fedcba9876543210fedcba9876543210, parameters: {stage: B}}\n",
			[]string{`script u {`, `script u_2 {`, `stage A { script: u }`, `stage B { script: u_2 }`}, ""},
		{"stage without a script", head + "  A: {parameters: {stage: A}}\n", []string{`stage A {}`}, ""},
		{"triggers declared", "name: T_v1.0.0\nstages: {A: {script: s.py, parameters: {stage: A}}}\ntransitions:\n  - {trigger: handoff, source: A, dest: A}\n  - {trigger: progress, source: A, dest: A}\n",
			[]string{`trigger handoff`, `handoff  A -> A`, `progress A -> A`}, ""},
		{"empty lists and records", head + "  A: {script: s.py, parameters: {stage: A, l: [], m: {}}}\ntransitions: []\n",
			[]string{`l: [], m: {}`}, ""},
		{"conditions null and empty", "name: T_v1.0.0\nstages: {A: {script: s.py, parameters: {stage: A}}}\ntransitions:\n  - {trigger: progress, source: A, dest: A, conditions: null, unless: []}\n",
			[]string{`progress A -> A`}, ""},
		{"a stage template merged into stages", "_t: &t {script: s.py, script_md5: 0123456789abcdef0123456789abcdef}\nname: T_v1.0.0\nstages:\n  A: {<<: *t, parameters: {stage: A}}\n  B: {<<: *t, parameters: {stage: B, x: 1}}\n",
			[]string{`stage A { script: s }`, `stage B { script: s, params: { x: 1 } }`}, ""},
		{"stages merged from another mapping", "_s: &s {A: {script: s.py, parameters: {stage: A}}}\nname: T_v1.0.0\nstages:\n  <<: *s\n  B: {script: s.py, parameters: {stage: B}}\n",
			[]string{`stage A { script: s }`, `stage B { script: s }`}, ""},
		{"the root merges a mapping", "_n: &n {name: T_v1.0.0}\n<<: *n\nstages: {A: {script: s.py, parameters: {stage: A}}}\n",
			[]string{`regimen T version 1.0.0`}, ""},
		{"a merge of an anchored stage's parameters", head + "  A: {script: s.py, parameters: &a {stage: A, x: 1, y: [1, 2]}}\n  B: {script: s.py, parameters: {<<: *a, stage: B, x: 2}}\n",
			[]string{`params a { stage: "A", x: 1, y: [1, 2] }`, `stage A { script: s, params: a }`, `stage B { script: s, params: a { stage: "B", x: 2 } }`}, ""},
		{"ints as keys collide with strings", head + "  A: {script: s.py, parameters: {stage: A, 1: a, '1': b}}\n", []string{`"1": "a"`, `"1": "b"`}, ""},
		{"an alias bomb", "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n" + head + "  A: {script: s.py, parameters: {stage: A, x: *g}}\n", nil, lang.CodeUnsupported},
		{"negative infinity", head + "  A: {script: s.py, parameters: {stage: A, x: -.inf}}\n", nil, lang.CodeUnsupported},
		{"stage without parameters", head + "  A: {script: s.py}\n", nil, lang.CodeUnsupported},
		{"parameters without stage", head + "  A: {script: s.py, parameters: {x: 1}}\n", nil, lang.CodeUnsupported},
		{"stage with another key", head + "  A: {script: s.py, parameters: {stage: A}, note: x}\n", nil, lang.CodeUnsupported},
		{"transition with another key", "name: T_v1.0.0\ntransitions:\n  - {trigger: progress, source: A, dest: B, when: c}\n", nil, lang.CodeUnsupported},
		{"trigger that is a keyword", "name: T_v1.0.0\ntransitions:\n  - {trigger: test, source: A, dest: B}\n", nil, lang.CodeUnsupported},
		{"a document that is a list", "- a\n- b\n", nil, lang.CodeUnsupported},
		{"a timestamp", head + "  A: {script: s.py, parameters: {stage: A, d: 2018-05-01}}\n", nil, lang.CodeUnsupported},
		{"a syntax error", "name: [\n", nil, "syntax"},
		{"an undefined alias", "name: *x\n", nil, lang.CodeUndefinedAlias},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := []byte(c.yaml)
			out, diags := Import("t.yml", src)
			if c.code != "" {
				if out != nil || !hasCode(diags, c.code) {
					t.Fatalf("want an error %s and no source; got %v\n%s", c.code, diags, out)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatalf("errors: %v", diags)
			}
			for _, w := range c.want {
				if !bytes.Contains(out, []byte(w)) {
					t.Errorf("the source lacks %q:\n%s", w, out)
				}
			}
			checkRoundTrip(t, "t.yml", src, out)
		})
	}
}

func hasCode(ds lang.Diagnostics, code string) bool {
	for _, d := range ds {
		if d.Code == code && d.Severity == lang.Error {
			return true
		}
	}
	return false
}

// TestImportCorpus imports every historic regimen: each file PyYAML reads
// builds, from its imported source, the document the legacy build gives
// (which the command-line tests compare with the corpus's expected
// documents); each file it rejects is rejected; the source of a file
// without defects has no errors; and the sources are shorter than the YAML.
func TestImportCorpus(t *testing.T) {
	dir := importCorpusDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "yaml", "*.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var loaded, rejected, clean, yamlLines, srcLines int
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".yml")
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out, diags := Import(path, src)
		_, unloadable := os.Stat(filepath.Join(dir, "expected", name+".error"))
		if unloadable == nil {
			if out != nil || !diags.HasErrors() {
				t.Errorf("%s: PyYAML rejects it, but it was imported", name)
				continue
			}
			rejected++
			continue
		}
		if diags.HasErrors() {
			t.Errorf("%s: %v", name, diags)
			continue
		}
		loaded++
		yamlLines += countLines(src)
		srcLines += countLines(out)
		ds := checkRoundTrip(t, path, src, out)
		if _, defects := os.Stat(filepath.Join(dir, "expected", name+".defects.json")); defects != nil {
			if nameless(t, dir, name) {
				// a regimen without a name is an error the corpus's
				// defects do not list: the old tools crashed on it
				if d := findDiag(ds, "missing-field"); d == nil || ds.Count(lang.Error) != 1 {
					t.Errorf("%s: no name: want one missing-field error, got %v", name, ds)
				}
				continue
			}
			if ds.HasErrors() {
				t.Errorf("%s: no defects, but the imported source has errors: %v", name, ds)
				continue
			}
			clean++
		}
	}
	t.Logf("%d files: %d imported and built to the legacy document, %d rejected, %d without defects compile without errors", len(files), loaded, rejected, clean)
	t.Logf("lines: %d of YAML, %d of imported source (%.0f%%)", yamlLines, srcLines, 100*float64(srcLines)/float64(max(yamlLines, 1)))
	if srcLines > yamlLines {
		t.Errorf("the imported sources are longer than the YAML: %d lines against %d", srcLines, yamlLines)
	}
}

// countLines counts lines as wc -l does, plus a last line without a newline.
func countLines(b []byte) int {
	n := bytes.Count(b, []byte("\n"))
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	return n
}

// BenchmarkImportCorpus imports every corpus file and builds the document
// of each imported source, in one process.
func BenchmarkImportCorpus(b *testing.B) {
	dir := importCorpusDir(b)
	files, _ := filepath.Glob(filepath.Join(dir, "yaml", "*.yml"))
	srcs := make([][]byte, len(files))
	for i, f := range files {
		var err error
		if srcs[i], err = os.ReadFile(f); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		built := 0
		for j, path := range files {
			out, _ := Import(path, srcs[j])
			if out == nil {
				continue
			}
			res := compiler.CompileSource(ImportedPath(path), out, nil)
			if res.Regimen != nil {
				_ = emit.DocumentValue(res.Regimen)
				built++
			}
		}
		if built == 0 {
			b.Fatal("nothing built")
		}
	}
	b.ReportMetric(float64(len(files)), "files/op")
}

// TestImportNames: anchors become identifiers that clash with nothing.
func TestImportNames(t *testing.T) {
	g := &importer{declarations: declarations{used: map[string]bool{}}}
	var got []string
	for _, s := range []string{"flash", "flash", "stage", "inf", "4_images", "a-b.c", "", "__x__", "é"} {
		got = append(got, g.unique(sanitize(s)))
	}
	sort.Strings(got)
	want := "_4_images a_b_c flash flash_2 inf_ stage_ value value_2 x"
	if strings.Join(got, " ") != want {
		t.Errorf("got %s, want %s", strings.Join(got, " "), want)
	}
}

// nameless reports whether the corpus expects the file's document to have
// no name (the file has no `name` key).
func nameless(t *testing.T, dir, name string) bool {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "expected", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	// oracle.py writes the document with json.dump(indent=4)
	return bytes.Contains(raw, []byte("\n    \"name\": null,\n"))
}
