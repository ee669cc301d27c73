package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/emit"
	"github.com/regc/regc/legacy"
)

// The acceptance tests of `regc import` over the historic regimens
// (../shared/corpus), run twice: through the command line in this process,
// and through a regc binary built for the test. For every loadable file,
// `regc import` then `regc build --format json` (with --force where the
// corpus lists defects) gives the expected document; for every file PyYAML
// rejects, `regc import` exits 1 with an error on PyYAML's problem or
// context line; for every file with defects, `regc check` on the imported
// source reports every listed kind; every imported source of a file without
// defects checks without errors; and the imported sources are shorter than
// the YAML.

// regcRunner runs regc with arguments and returns its exit code and streams.
type regcRunner func(args ...string) (code int, stdout, stderr string)

func TestImportCorpus(t *testing.T) {
	dir := corpusDir(t)
	importAcceptance(t, dir, invokeRegc)
}

// TestImportCorpusBinary runs the acceptance tests through a regc binary
// built with `go build`; it is skipped where go is not on PATH.
func TestImportCorpusBinary(t *testing.T) {
	dir := corpusDir(t)
	bin := buildBinary(t)
	importAcceptance(t, dir, func(args ...string) (int, string, string) {
		r := runBinary(t, bin, args...)
		return r.code, r.stdout, r.stderr
	})
}

var diagLineRE = regexp.MustCompile(`(?m)^(.+?):(\d+):(\d+): error: `)

func importAcceptance(t *testing.T, dir string, regc regcRunner) {
	out := t.TempDir()
	imported := func(name string) string { return filepath.Join(out, name+".regimen") }
	defects := map[string]bool{}
	for _, name := range corpusNames(t, dir, ".json") {
		defects[name] = corpusDefective(t, dir, name)
	}

	t.Run("round trip", func(t *testing.T) {
		names := corpusNames(t, dir, ".json")
		same, yamlLines, srcLines := 0, 0, 0
		for _, name := range names {
			yml := filepath.Join(dir, "yaml", name+".yml")
			code, _, stderr := regc("import", "--color", "never", yml, "-o", imported(name))
			if code != exitOK {
				t.Errorf("%s: regc import: exit %d:\n%s", name, code, stderr)
				continue
			}
			args := []string{"build", "--color", "never", "--format", "json", imported(name)}
			if defects[name] {
				args = append(args, "--force")
			}
			code, stdout, stderr := regc(args...)
			if code != exitOK && !defects[name] {
				t.Errorf("%s: regc build: exit %d:\n%s", name, code, stderr)
				continue
			}
			got, err := parseJSONDoc([]byte(stdout))
			if err != nil {
				t.Errorf("%s: the build output is not JSON (exit %d): %v\n%s", name, code, err, stderr)
				continue
			}
			want := readExpected(t, dir, name)
			if diff := docDiff(normalizeDoc(got), normalizeDoc(want), ""); diff != "" {
				t.Errorf("%s: %s", name, diff)
				continue
			}
			same++
			yamlLines += fileLines(t, yml)
			srcLines += fileLines(t, imported(name))
		}
		t.Logf("%d of %d loadable corpus files round-trip through regc import and regc build", same, len(names))
		t.Logf("lines: %d of YAML, %d of imported source", yamlLines, srcLines)
		if same != len(names) || srcLines > yamlLines {
			t.Errorf("want every file to round-trip (%d of %d) and no more lines of source than of YAML (%d against %d)", same, len(names), srcLines, yamlLines)
		}
	})

	t.Run("rejected", func(t *testing.T) {
		names := corpusNames(t, dir, ".error")
		matched := 0
		for _, name := range names {
			lines, raw := pyyamlErrorLines(t, dir, name)
			yml := filepath.Join(dir, "yaml", name+".yml")
			dst := imported(name)
			code, stdout, stderr := regc("import", "--color", "never", yml, "-o", dst)
			if code != exitFail {
				t.Errorf("%s: exit %d, want 1", name, code)
				continue
			}
			if stdout != "" {
				t.Errorf("%s: a rejected file printed source", name)
			}
			if _, err := os.Stat(dst); err == nil {
				t.Errorf("%s: a rejected file wrote %s", name, dst)
			}
			ok := false
			for _, d := range diagLineRE.FindAllStringSubmatch(stderr, -1) {
				n, _ := strconv.Atoi(d[2])
				ok = ok || d[1] == yml && lines[n]
			}
			if !ok {
				t.Errorf("%s: no error on line %v (PyYAML: %s); got\n%s", name, keysOf(lines), raw, stderr)
				continue
			}
			matched++
		}
		t.Logf("%d of %d unloadable corpus files: regc import exits 1 with an error on PyYAML's line", matched, len(names))
		if matched != len(names) {
			t.Errorf("want all %d", len(names))
		}
	})

	t.Run("defects", func(t *testing.T) {
		names := corpusNames(t, dir, ".defects.json")
		complete := 0
		for _, name := range names {
			listed := listedDefects(t, dir, name)
			src := importedOrImport(t, regc, dir, name, imported(name))
			if src == "" {
				continue
			}
			code, stdout, _ := regc("check", "--format", "json", src)
			if code != exitFail {
				t.Errorf("%s: check of the imported source: exit %d, want 1", name, code)
			}
			var diags []jsonDiagnostic
			if err := json.Unmarshal([]byte(stdout), &diags); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			// a key written twice is a duplicate key in a record of the
			// imported source, or a duplicate stage when it was a stage
			if missing := missingDefects(diags, listed, map[string]string{"duplicate-stage": "duplicate-key"}); missing != "" {
				t.Errorf("%s: the imported source lacks %s", name, missing)
				continue
			}
			complete++
		}
		t.Logf("%d of %d corpus files with defects: check of the imported source reports every listed kind", complete, len(names))
		if complete != len(names) {
			t.Errorf("want all %d", len(names))
		}
	})

	t.Run("clean", func(t *testing.T) {
		clean, total := 0, 0
		for _, name := range corpusNames(t, dir, ".json") {
			if defects[name] {
				continue
			}
			total++
			src := importedOrImport(t, regc, dir, name, imported(name))
			if src == "" {
				continue
			}
			code, stdout, _ := regc("check", "--format", "json", src)
			var diags []jsonDiagnostic
			if err := json.Unmarshal([]byte(stdout), &diags); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var errs []string
			for _, d := range diags {
				if d.Severity == "error" {
					errs = append(errs, fmt.Sprintf("%d:%d %s [%s]", d.Line, d.Column, d.Message, d.Code))
				}
			}
			if code != exitOK || len(errs) > 0 {
				t.Errorf("%s: the file has no defects, but check of the imported source exits %d: %s", name, code, strings.Join(errs, "; "))
				continue
			}
			clean++
		}
		t.Logf("%d of %d loadable corpus files without defects: check of the imported source reports no errors", clean, total)
	})
}

// importedOrImport returns the imported source of a corpus file, importing
// it when the round trip has not.
func importedOrImport(t *testing.T, regc regcRunner, dir, name, dst string) string {
	t.Helper()
	if _, err := os.Stat(dst); err == nil {
		return dst
	}
	code, _, stderr := regc("import", "--color", "never", filepath.Join(dir, "yaml", name+".yml"), "-o", dst)
	if code != exitOK {
		t.Errorf("%s: regc import: exit %d:\n%s", name, code, stderr)
		return ""
	}
	return dst
}

func readExpected(t *testing.T, dir, name string) docValue {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "expected", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := parseJSONDoc(raw)
	if err != nil {
		t.Fatalf("%s.json: %v", name, err)
	}
	return doc
}

func fileLines(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := bytes.Count(b, []byte("\n"))
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	return n
}

const importYAML = `# a small legacy regimen
_cd: &cd_script http://example.org/cd.py
_cd_md5: &cd_script_md5 0123456789abcdef0123456789abcdef
_base: &base {reward_volume: 0.007, task_id: DoC}
name: Tiny_v1.0.0
stages:
    A:
        script: *cd_script
        script_md5: *cd_script_md5
        parameters: {<<: *base, stage: A}
    B:
        script: *cd_script
        script_md5: *cd_script_md5
        parameters: {<<: *base, stage: B, reward_volume: 0.01}
transitions:
    - {trigger: progress, source: A, dest: B, conditions: done}
`

func TestImportCommand(t *testing.T) {
	yml := writeTemp(t, "tiny.yml", importYAML)
	r := runRegc(t, "import", yml)
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	for _, want := range []string{
		"// a small legacy regimen\nregimen Tiny version 1.0.0\n",
		"criterion done\n",
		`script cd { url: "http://example.org/cd.py", md5: "0123456789abcdef0123456789abcdef" }`,
		`params base { reward_volume: 0.007, task_id: "DoC" }`,
		"stage A { script: cd, params: base }\n",
		"stage B { script: cd, params: base { reward_volume: 0.01 } }\n",
		"progress A -> B when done\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the source lacks %q:\n%s", want, r.stdout)
		}
	}
	// -o writes the file, which builds the same document as the YAML
	dst := filepath.Join(t.TempDir(), "tiny.regimen")
	if r := runRegc(t, "import", yml, "-o", dst); r.code != exitOK || r.stdout != "" {
		t.Fatalf("import -o: exit %d, stdout %q:\n%s", r.code, r.stdout, r.stderr)
	}
	a := runRegc(t, "build", "--format", "json", dst)
	b := runRegc(t, "build", "--format", "json", yml)
	if a.code != exitOK || a.stdout != b.stdout {
		t.Fatalf("the imported source builds\n%s\nthe YAML builds\n%s", a.stdout, b.stdout)
	}
	if c := runRegc(t, "check", dst); c.code != exitOK || c.stderr != "" {
		t.Errorf("check of the imported source: exit %d:\n%s", c.code, c.stderr)
	}
}

func TestImportCommandErrors(t *testing.T) {
	yml := writeTemp(t, "tiny.yml", importYAML)
	broken := writeTemp(t, "broken.yml", "name: Tiny_v1.0.0\nstages:\n  A: [\n")
	defective := writeTemp(t, "defective.yml", "name: D_v1.0.0\nstages: {A: {script: s.py, parameters: {stage: A}}}\ntransitions:\n  - {trigger: progress, source: A, dest: Z}\n")
	unsupported := writeTemp(t, "unsupported.yml", "name: U_v1.0.0\nstages: {A: {script: s.py}}\n")
	src := writeTemp(t, "tiny.regimen", okRegimen)
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no file", []string{"import"}, exitUsage, "give exactly one file"},
		{"two files", []string{"import", yml, yml}, exitUsage, "give exactly one file"},
		{"not yaml", []string{"import", src}, exitUsage, "not a legacy regimen file"},
		{"bad flag", []string{"import", "--nope", yml}, exitUsage, "unknown flag"},
		{"bad colour", []string{"import", "--color", "pink", yml}, exitUsage, "--color"},
		{"missing file", []string{"import", filepath.Join(t.TempDir(), "none.yml")}, exitFail, "cannot read"},
		{"syntax error", []string{"import", broken}, exitFail, "broken.yml:4:1: error:"},
		{"unsupported", []string{"import", unsupported}, exitFail, "[unsupported]"},
		{"defects kept", []string{"import", defective}, exitOK, "keeps the legacy file's defects (1 error)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runRegc(t, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.stderr) {
				t.Fatalf("exit %d, want %d; stderr lacks %q:\n%s", r.code, tc.code, tc.stderr, r.stderr)
			}
		})
	}
	// a failed import leaves -o as it was
	dst := writeTemp(t, "keep.regimen", "// the previous good file\n")
	if r := runRegc(t, "import", broken, "-o", dst); r.code != exitFail {
		t.Fatalf("exit %d", r.code)
	}
	if b, _ := os.ReadFile(dst); string(b) != "// the previous good file\n" {
		t.Fatalf("a failed import changed %s: %q", dst, b)
	}
	entries, _ := os.ReadDir(filepath.Dir(dst))
	if len(entries) != 1 {
		t.Errorf("a failed import left files behind: %v", entries)
	}
	// help knows the command
	if r := runRegc(t, "help", "import"); r.code != exitOK || !strings.Contains(r.stdout, importUsage) || !strings.Contains(r.stdout, "--output") {
		t.Errorf("help import: exit %d:\n%s", r.code, r.stdout)
	}
	if r := runRegc(t, "help"); !strings.Contains(r.stdout, "import") {
		t.Errorf("help does not list import:\n%s", r.stdout)
	}
}

// BenchmarkImportBuildCorpus imports every corpus file and builds each
// imported source's mtrain document as JSON, in one process: through the
// packages (what regc import and regc build do, without the files), and
// through the command line (regc import -o, then regc build).
func BenchmarkImportBuildCorpus(b *testing.B) {
	dir := corpusDir(b)
	files, _ := filepath.Glob(filepath.Join(dir, "yaml", "*.yml"))
	b.Run("packages", func(b *testing.B) {
		srcs := make([][]byte, len(files))
		for i, f := range files {
			var err error
			if srcs[i], err = os.ReadFile(f); err != nil {
				b.Fatal(err)
			}
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			for j, path := range files {
				out, _ := legacy.Import(path, srcs[j])
				if out == nil {
					continue
				}
				res := compiler.CompileSource(legacy.ImportedPath(path), out, nil)
				if _, err := emit.Document(res.Regimen, "json"); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(len(files)), "files/op")
	})
	b.Run("cli", func(b *testing.B) {
		out := b.TempDir()
		for i := 0; i < b.N; i++ {
			for _, path := range files {
				dst := filepath.Join(out, strings.TrimSuffix(filepath.Base(path), ".yml")+".regimen")
				if code, _, _ := invokeRegc("import", path, "-o", dst); code != exitOK {
					continue
				}
				invokeRegc("build", "--format", "json", "--force", dst)
			}
		}
		b.ReportMetric(float64(len(files)), "files/op")
	})
}

// The README's import example is what regc import writes.
func TestReadmeImportExample(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	i := strings.Index(s, "## Adopting regc: importing a regimen.yml")
	if i < 0 {
		t.Fatal("README.md has no section on importing")
	}
	s = s[i:]
	block := func(open string) string {
		j := strings.Index(s, open)
		if j < 0 {
			t.Fatalf("the section has no %q block", open)
		}
		s = s[j+len(open):]
		k := strings.Index(s, "```")
		if k < 0 {
			t.Fatal("a code block does not end")
		}
		body := s[:k]
		s = s[k+3:]
		return body
	}
	yml := block("```yaml\n")
	want := block("```\n")
	path := writeTemp(t, "regimen.yml", yml)
	r := runRegc(t, "import", path)
	if r.code != exitOK {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	if r.stdout != want {
		t.Errorf("the README shows\n%s\nregc import writes\n%s", want, r.stdout)
	}
}
