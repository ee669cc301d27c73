package lang

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/alecthomas/participle/v2/lexer"
)

// astDiff describes the first difference between two values, by path
// ("" when they are deeply equal).
func astDiff(path string, a, b reflect.Value) string {
	if a.IsValid() != b.IsValid() {
		return fmt.Sprintf("%s: valid %v vs %v", path, a.IsValid(), b.IsValid())
	}
	if !a.IsValid() {
		return ""
	}
	if a.Type() != b.Type() {
		return fmt.Sprintf("%s: type %s vs %s", path, a.Type(), b.Type())
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Sprintf("%s: nil %v vs %v", path, a.IsNil(), b.IsNil())
			}
			return ""
		}
		return astDiff(path, a.Elem(), b.Elem())
	case reflect.Slice:
		if a.IsNil() != b.IsNil() {
			return fmt.Sprintf("%s: nil slice %v vs %v (len %d vs %d)", path, a.IsNil(), b.IsNil(), a.Len(), b.Len())
		}
		for i := 0; i < min(a.Len(), b.Len()); i++ {
			if d := astDiff(fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i)); d != "" {
				return d
			}
		}
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: len %d vs %d", path, a.Len(), b.Len())
		}
		return ""
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if d := astDiff(path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i)); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(a.Interface(), b.Interface()) {
		return fmt.Sprintf("%s: %#v vs %#v", path, a.Interface(), b.Interface())
	}
	return ""
}

// participleChunk parses ch with participle, a panic counting as a failure.
func participleChunk(text string, ch chunk) (f *File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("participle panicked: %v", r)
		}
	}()
	return parseChunk(text, ch)
}

// checkSameSpan holds the fast parser to participle on one stretch: where
// either accepts, both do, with deeply equal declarations.
func checkSameSpan(t *testing.T, name, text string, ch chunk) {
	t.Helper()
	fast, ok := fastParse(text, ch)
	slow, err := participleChunk(text, ch)
	where := fmt.Sprintf("%s [%d:%d]", name, ch.start.Offset, ch.end)
	switch {
	case ok && err != nil:
		t.Fatalf("%s: the fast parser accepts what participle rejects (%v):\n%s", where, err, excerpt(text, ch))
	case !ok && err == nil:
		t.Fatalf("%s: participle accepts what the fast parser rejects:\n%s", where, excerpt(text, ch))
	case ok:
		if d := astDiff("Decls", reflect.ValueOf(fast), reflect.ValueOf(slow.Decls)); d != "" {
			t.Fatalf("%s: the trees differ (fast vs participle) at %s\n%s", where, d, excerpt(text, ch))
		}
	}
}

func excerpt(text string, ch chunk) string {
	s := text[ch.start.Offset:ch.end]
	if len(s) > 400 {
		s = s[:400] + "..."
	}
	return s
}

// checkFastParse holds the fast parser to participle on a file: on the
// whole file as one stretch, on each declaration splitDecls cuts, and
// through Parse (batches, positions, diagnostics) with and without it.
func checkFastParse(t *testing.T, name string, src []byte) {
	t.Helper()
	text := string(src)
	start := lexer.Position{Filename: name, Line: 1, Column: 1}
	if strings.HasPrefix(text, byteOrderMark) {
		start.Offset, start.Column = len(byteOrderMark), 2
	}
	chunks, tooDeep := splitDecls(text, start, new([]*Comment))
	if tooDeep == nil {
		checkSameSpan(t, name, text, chunk{start: start, end: len(text)})
		for _, ch := range chunks {
			checkSameSpan(t, name, text, ch)
		}
	}
	f1, d1 := parse(name, src, true)
	f2, d2 := parse(name, src, false)
	if d := astDiff("File", reflect.ValueOf(f1), reflect.ValueOf(f2)); d != "" {
		t.Fatalf("%s: Parse with the fast parser differs at %s", name, d)
	}
	if d := astDiff("Diagnostics", reflect.ValueOf(d1), reflect.ValueOf(d2)); d != "" {
		t.Fatalf("%s: Parse's diagnostics with the fast parser differ at %s", name, d)
	}
}

// repoRegimens returns every .regimen file in the repository.
func repoRegimens(t testing.TB) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".regimen") {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			files[path] = b
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// fastParseCases are sources where the grammar needs care: two-token
// decisions, participle backing out of one token, trailing commas, nil
// and empty lists, and broken declarations the fast parser must leave.
var fastParseCases = []string{
	"", "// only a comment\n", "transitions null\nstages null", "transitions A -> B", "stages \"x\" -> y when null",
	"regimen X version 1.2.0", "regimen X version 1", "regimen X version A -> B", "regimen X\nversion A -> B",
	"regimen \"raw\"", "regimen null", "regimen X version", "import \"lib/x.regimen\"",
	"criterion a, \"b\", c", "criterion a,", "trigger t", "stage A { }", "final stage \"B c\" { a.b.c: 1, d: [], e: [1,], f: [1, 2] }",
	"stage A { a: b { c: 1 } d: { } { } }", "stage A { a: [[], [1 uL, 2.5, -3, \"s\", null, true, false, x { y: 1 }]] }",
	"progress A -> B when [] unless null", "progress A -> B when [a, \"b\"] unless c, d", "progress A -> B when a unless [b]",
	"progress A -> B when", "progress A -> B when ->", "progress A -> B unless x when y -> z", "p A -> B when a, unless",
	"schema S { a: int in [0, 10], b?: string, ...Base, c: [int, ...]?, d: \"x\" | 1 | 2 uL | null | true | false, ... }",
	"schema S { a: int in: string }", "schema S { ..., }", "schema S { ... }", "schema S {}", "schema S = volume(mL) | time(min, int)",
	"schema S = [int, string, ...]", "schema S = [int,]", "schema S = {a: {b: [int]}}?", "schema S = int\nin A -> B",
	"let x = 1", "let x: int = 1", "let x: int | = 1", "let x = [1, 2,]", "let x = [,]", "let x = a {", "let x = a { b }",
	"params p: S { a: 1 }", "params p = base { a: 1 }", "params p = 7", "params p: { }", "script s: S { url: \"u\" }", "script s { }",
	"migrate from Old 1 { a -> b, \"c\" -> d }", "migrate from Old { }", "migrate from \"Old\" 1.2.3 { a -> b c -> d }",
	"test \"t\" { start A progress [a, b] => B manual [] => C }", "test \"t\" { start A }", "test \"t\" { start A x [a,] => B }",
	"stage A { stage: 1, null: 2, true: false }", "stage A { a: b c: d }", "stage A { a b }", "stage A { \"q\": 1 }",
	"stage A { a.: 1 }", "stage", "final", "final x", "{", "}", "x", "x y", "x y ->", "1", "stage A { a: 1 }}",
	"\ufeffstage A { a: 1 }", "stage A { a: 1 } // c\n\n// d\nstage B { b: 2 }", "stage A {\r\n  a: 1\r\n}\r\n",
	"stage é { }", "stage A { a: \"é\" }", "let x = 1.2.3", "let x = version", "schema S = int(a b)", "schema S = int(a,)",
	"schema S { a: int in [0 10] }", "test \"t\" { start A x [a] => }", "migrate from A { a -> }",
}

func TestFastParserMatchesParticiple(t *testing.T) {
	for _, src := range fastParseCases {
		checkFastParse(t, "case.regimen", []byte(src))
	}
	files := repoRegimens(t)
	if len(files) < 10 {
		t.Fatalf("found %d .regimen files in the repository; the walk is broken", len(files))
	}
	for path, src := range files {
		checkFastParse(t, path, src)
	}
	checkFastParse(t, "synthetic.regimen", syntheticRegimen(300))
}

func FuzzFastParserMatchesParticiple(f *testing.F) {
	for _, s := range fastParseCases {
		f.Add(s)
	}
	for _, src := range repoRegimens(f) {
		f.Add(string(src))
	}
	f.Fuzz(func(t *testing.T, src string) {
		checkFastParse(t, "fuzz.regimen", []byte(src))
	})
}

// TestQuickstartDoesNotBuildParticiple: parsing a file the fast parser
// takes, as `regc check examples/quickstart.regimen` does, does not build
// participle's parser (it runs in a fresh process, as other tests build it).
func TestQuickstartDoesNotBuildParticiple(t *testing.T) {
	const child = "REGC_LANG_FASTPARSE_CHILD"
	if os.Getenv(child) == "1" {
		src, err := os.ReadFile(filepath.Join("..", "examples", "quickstart.regimen"))
		if err != nil {
			t.Fatal(err)
		}
		if parserBuilt.Load() {
			t.Fatal("participle's parser is built before any parse")
		}
		f, diags := Parse("examples/quickstart.regimen", src)
		if f == nil || diags.HasErrors() {
			t.Fatalf("quickstart does not parse: %v", diags)
		}
		if parserBuilt.Load() {
			t.Fatal("parsing quickstart built participle's parser")
		}
		Grammar()
		if !parserBuilt.Load() {
			t.Fatal("Grammar did not build participle's parser: the flag is broken")
		}
		fmt.Println("CHILD-PASSED")
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestQuickstartDoesNotBuildParticiple$", "-test.v")
	cmd.Env = append(os.Environ(), child+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "CHILD-PASSED") {
		t.Fatalf("the child test failed (%v):\n%s", err, out)
	}
}

// syntheticRegimen returns a source of n stages in the shape regc import
// writes: a schema, a script, shared parameter sets overridden in each
// stage, a chain of transitions and comments.
func syntheticRegimen(n int) []byte {
	var b strings.Builder
	b.WriteString("regimen Generated version 1.0.0\n\ncriterion passed, engaged\n\n")
	b.WriteString("schema Task {\n    task_id: string\n    reward_volume: volume(mL) in [0 uL, 20 uL]\n    periodic_flash: [time(s), time(s)]?\n    level: int\n    ...\n}\n\n")
	b.WriteString("script task: Task {\n    url: \"http://example.org/scripts/change_detection.py\"\n    md5: \"0123456789abcdef0123456789abcdef\"\n}\n\n")
	b.WriteString("params flash: Task {\n    task_id: \"DoC\"\n    catch_frequency: 0.25\n    reward_volume: 7 uL\n    periodic_flash: [250 ms, 500 ms]\n    level: 0\n}\n\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "// stage %d of %d\nstage S%d {\n    script: task\n    params: flash {\n        stage: \"S%d\"\n        level: %d  // the level\n        max_task_duration_min: %d.5 min\n        reward_volume: %d uL\n    }\n}\n\n",
			i, n, i, i, i, 10+i%50, 1+i%20)
	}
	for i := 0; i+1 < n; i++ {
		fmt.Fprintf(&b, "progress S%d -> S%d when passed, engaged\n", i, i+1)
		if i%10 == 0 {
			fmt.Fprintf(&b, "manual S%d -> S%d\n", i+1, i)
		}
	}
	return []byte(b.String())
}

// BenchmarkParseFast and BenchmarkParseParticiple parse a synthetic
// 10,000-stage source through Parse, with the fast parser and without.
func BenchmarkParseFast(b *testing.B)       { benchParse(b, true) }
func BenchmarkParseParticiple(b *testing.B) { benchParse(b, false) }

func benchParse(b *testing.B, fast bool) {
	src := syntheticRegimen(10000)
	if f, diags := parse("synthetic.regimen", src, fast); f == nil || diags.HasErrors() {
		b.Fatalf("the synthetic source does not parse: %v", diags)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		parse("synthetic.regimen", src, fast)
	}
}

// fastParserGrammar is the SHA-256 of the grammar (Grammar(), the EBNF
// participle derives from the struct tags) that fastparse.go implements.
const fastParserGrammar = "ba1bd5ba9dae3f7dc0b38351e40fcfa5318c5f185c2da0096725d679f2045b78"

// A change to the grammar must be mirrored in the fast parser: the
// differential tests catch it only where a test source uses the change.
func TestFastParserGrammarPinned(t *testing.T) {
	sum := sha256.Sum256([]byte(Grammar()))
	if got := hex.EncodeToString(sum[:]); got != fastParserGrammar {
		t.Fatalf("the grammar changed (SHA-256 %s): make fastparse.go parse the new grammar exactly (add sources that use the change to fastParseCases), then set fastParserGrammar to the new SHA-256", got)
	}
}
