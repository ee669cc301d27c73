package main

// The measuring floor for issue 14: generated regimens of 1,000, 10,000 and
// 100,000 stages (a legacy regimen.yml, and the .regimen source regc import
// writes for it), a benchmark for each path (legacy build, .regimen build,
// import, check), and the floor beside them: a plain program that decodes
// the regimen.yml with yaml.v3 and writes the bytes `regc build --format
// json` writes. TestFloorMatchesBuild holds the floor to that. The
// Paired benchmarks run a path and the floor alternately and report the
// median of each and their ratio, which is what a shared machine can
// measure. Nothing here asserts a time.

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/regc/regc/legacy"
	"gopkg.in/yaml.v3"
)

// generateLegacy writes a regimen.yml with n stages in the corpus's style:
// anchored script URLs and md5s, shared parameter sets merged into each
// stage with `<<` and overridden there, and a chain of progress
// transitions with a manual one back every tenth stage.
func generateLegacy(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`_task_script: &task_script http://example.org/scripts/change_detection.py?at=0123456789abcdef

_task_script_md5: &task_script_md5 0123456789abcdef0123456789abcdef

_gratings: &gratings
  class: grating
  params:
    sf: 0.04
    size: [200, 150]
    phase: 0.25

_flash_parameters: &flash_parameters
  task_id: DoC
  stimulus: *gratings
  catch_frequency: 0.25
  reward_volume: 0.007
  response_window: [0.15, 0.75]
  periodic_flash: [0.25, 0.5]
  max_task_duration_min: 60.0
  warm_up_trials: 5
  end_after_response: True

_no_flash_parameters: &no_flash_parameters
  <<: *flash_parameters
  periodic_flash: null
  reward_volume: 0.010
  response_window: [0.15, 1.0]

name: Generated_v1.0.0

transitions:
`)
	for i := 0; i+1 < n; i++ {
		fmt.Fprintf(&b, "  - trigger: progress\n    source: S%d\n    dest: S%d\n    conditions: [passed, engaged]\n\n", i, i+1)
		if i%10 == 0 {
			fmt.Fprintf(&b, "  - trigger: manual\n    source: S%d\n    dest: S%d\n\n", i+1, i)
		}
	}
	b.WriteString("stages:\n")
	for i := 0; i < n; i++ {
		set := "flash_parameters"
		if i%2 == 1 {
			set = "no_flash_parameters"
		}
		fmt.Fprintf(&b, "  S%d:\n    script: *task_script\n    script_md5: *task_script_md5\n    parameters:\n      <<: *%s\n      stage: S%d\n      level: %d\n      max_task_duration_min: %d.5\n      reward_volume: 0.0%02d\n\n",
			i, set, i, i, 10+i%50, 1+i%20)
	}
	return b.Bytes()
}

// floorJSON is the floor: the regimen.yml decoded with yaml.v3 and written
// as json.dumps(doc, sort_keys=True, indent=4) writes it, without the
// top-level keys that start with "_" (the anchors' holders). It knows
// nothing of regimens, diagnostics or PyYAML's corner cases. It decodes to
// yaml.v3's node tree and takes the values from there (aliases, merge keys
// and the resolved scalar tags): yaml.v3's own decoding into a map checks
// every key of a mapping against every other (quadratic in a mapping's
// size), which would make the floor, not regc, the slow side at 100,000
// stages.
func floorJSON(src []byte) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		return nil, err
	}
	if len(root.Content) != 1 {
		return nil, fmt.Errorf("not one document")
	}
	doc, err := floorNode(root.Content[0])
	if err != nil {
		return nil, err
	}
	m, ok := doc.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the document is not a mapping")
	}
	for k := range m {
		if strings.HasPrefix(k, "_") {
			delete(m, k)
		}
	}
	var b bytes.Buffer
	floorValue(&b, m, 0)
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// floorNode is the value of a yaml.v3 node: mappings (with merge keys) as
// maps, sequences as slices, scalars by the tag yaml.v3 resolved.
func floorNode(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.AliasNode:
		return floorNode(n.Alias)
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			v, err := floorNode(c)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		var own []*yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.ShortTag() != "!!merge" {
				own = append(own, k, v)
				continue
			}
			base, err := floorNode(v)
			if err != nil {
				return nil, err
			}
			bm, ok := base.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("line %d: merge of a non-mapping", v.Line)
			}
			for bk, bv := range bm {
				out[bk] = bv
			}
		}
		for i := 0; i < len(own); i += 2 {
			v, err := floorNode(own[i+1])
			if err != nil {
				return nil, err
			}
			out[own[i].Value] = v
		}
		return out, nil
	}
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		return strings.EqualFold(n.Value, "true"), nil
	case "!!int":
		return strconv.Atoi(n.Value)
	case "!!float":
		return strconv.ParseFloat(n.Value, 64)
	}
	return n.Value, nil
}

func floorValue(b *bytes.Buffer, v any, depth int) {
	indent := func(d int) {
		b.WriteByte('\n')
		for i := 0; i < d; i++ {
			b.WriteString("    ")
		}
	}
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case int:
		b.WriteString(strconv.Itoa(v))
	case float64:
		b.WriteString(floorFloat(v))
	case string:
		floorString(b, v)
	case []any:
		if len(v) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, x := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			indent(depth + 1)
			floorValue(b, x, depth+1)
		}
		indent(depth)
		b.WriteByte(']')
	case map[string]any:
		if len(v) == 0 {
			b.WriteString("{}")
			return
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			indent(depth + 1)
			floorString(b, k)
			b.WriteString(": ")
			floorValue(b, v[k], depth+1)
		}
		indent(depth)
		b.WriteByte('}')
	default:
		fmt.Fprintf(b, "%v", v)
	}
}

// floorFloat is Python's repr of a finite float: the shortest digits that
// read back, fixed notation for exponents -4..15 (with ".0" on integral
// values) and e-notation with a signed two-digit exponent otherwise.
func floorFloat(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return map[bool]string{true: "Infinity", false: "-Infinity"}[f > 0]
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exp, _ := strings.Cut(e, "e")
	x, _ := strconv.Atoi(exp)
	if x >= -4 && x < 16 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.ContainsAny(s, ".") {
			s += ".0"
		}
		return s
	}
	sign := "+"
	if x < 0 {
		sign, x = "-", -x
	}
	return fmt.Sprintf("%se%s%02d", mant, sign, x)
}

// floorString is a JSON string escaped to ASCII, as json.dumps writes it.
func floorString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || (r > 0x7f && r < 0x10000):
			fmt.Fprintf(b, `\u%04x`, r)
		case r >= 0x10000:
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(b, `\u%04x\u%04x`, hi, lo)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

// perfInputs are the generated files of one size, written once per test
// binary: the legacy file and the .regimen source regc import writes for
// it (so that both builds make the same document).
type perfInputs struct {
	legacy, source string // paths
	legacySrc      []byte
}

var (
	perfMu    sync.Mutex
	perfCache = map[int]*perfInputs{}
	perfDir   string
)

func inputs(tb testing.TB, n int) *perfInputs {
	tb.Helper()
	perfMu.Lock()
	defer perfMu.Unlock()
	if in := perfCache[n]; in != nil {
		return in
	}
	if perfDir == "" {
		d, err := os.MkdirTemp("", "regc-perf-")
		if err != nil {
			tb.Fatal(err)
		}
		perfDir = d
	}
	in := &perfInputs{
		legacy:    filepath.Join(perfDir, fmt.Sprintf("gen%d.yml", n)),
		source:    filepath.Join(perfDir, fmt.Sprintf("gen%d.regimen", n)),
		legacySrc: generateLegacy(n),
	}
	if err := os.WriteFile(in.legacy, in.legacySrc, 0o644); err != nil {
		tb.Fatal(err)
	}
	out, diags, _ := legacy.ImportChecked(in.legacy, in.legacySrc)
	if out == nil || diags.HasErrors() {
		tb.Fatalf("import of %d generated stages failed: %v", n, diags)
	}
	if err := os.WriteFile(in.source, out, 0o644); err != nil {
		tb.Fatal(err)
	}
	perfCache[n] = in
	return in
}

func TestMain(m *testing.M) {
	code := m.Run()
	if perfDir != "" {
		os.RemoveAll(perfDir)
	}
	os.Exit(code)
}

// TestFloorMatchesBuild holds the floor to its promise: on a 1,000-stage
// file it writes the bytes `regc build --format json` writes, and so does
// the build of the imported .regimen source.
func TestFloorMatchesBuild(t *testing.T) {
	in := inputs(t, 1000)
	want, err := floorJSON(in.legacySrc)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{in.legacy, in.source} {
		var out, errs bytes.Buffer
		e := quietEnv(&out)
		e.stderr = &errs
		if code := run(e, []string{"build", "--format", "json", path}); code != 0 || errs.Len() != 0 {
			t.Fatalf("build %s: exit %d\n%s", filepath.Base(path), code, errs.String())
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Errorf("build %s differs from the floor (%d bytes against %d) at byte %d",
				filepath.Base(path), out.Len(), len(want), firstDiff(out.Bytes(), want))
		}
	}
	if got := bytes.Count(want, []byte(`"script_md5"`)); got != 1000 {
		t.Errorf("the floor wrote %d stages, want 1000", got)
	}
}

func TestFloorFloat(t *testing.T) {
	for f, want := range map[float64]string{0.007: "0.007", 60: "60.0", 1e-05: "1e-05", 1e16: "1e+16",
		1.5e300: "1.5e+300", 0.0001: "0.0001", 123456789012345.0: "123456789012345.0"} {
		if got := floorFloat(f); got != want {
			t.Errorf("floorFloat(%v) = %s, want %s", f, got, want)
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// paths are what the benchmarks time, each on the inputs of one size.
var paths = map[string]func(tb testing.TB, in *perfInputs){
	"floor": func(tb testing.TB, in *perfInputs) {
		src, err := os.ReadFile(in.legacy)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := floorJSON(src); err != nil {
			tb.Fatal(err)
		}
	},
	"legacy": func(tb testing.TB, in *perfInputs) { runQuiet(tb, "build", "--format", "json", in.legacy) },
	"regimen": func(tb testing.TB, in *perfInputs) {
		runQuiet(tb, "build", "--format", "json", in.source)
	},
	"import": func(tb testing.TB, in *perfInputs) { runQuiet(tb, "import", in.legacy) },
	"check":  func(tb testing.TB, in *perfInputs) { runQuiet(tb, "check", in.source) },
}

func runQuiet(tb testing.TB, args ...string) {
	var out bytes.Buffer
	e := quietEnv(&out)
	if code := run(e, args); code != 0 {
		tb.Fatalf("regc %s: exit %d", strings.Join(args, " "), code)
	}
}

// BenchmarkPath is each path on 1,000, 10,000 and 100,000 stages (select
// with -bench 'Path/legacy/10000$' and the like).
func BenchmarkPath(b *testing.B) {
	for _, name := range []string{"floor", "legacy", "regimen", "import", "check"} {
		for _, n := range []int{1000, 10000, 100000} {
			b.Run(fmt.Sprintf("%s/%d", name, n), func(b *testing.B) {
				in := inputs(b, n)
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					paths[name](b, in)
				}
			})
		}
	}
}

// BenchmarkPaired runs each path and the floor alternately on the same
// input and reports their medians and the path's median ratio to the floor
// (x-floor), which a busy machine shifts far less than either time.
func BenchmarkPaired(b *testing.B) {
	for _, name := range []string{"legacy", "regimen", "import", "check"} {
		for _, n := range []int{1000, 10000, 100000} {
			b.Run(fmt.Sprintf("%s/%d", name, n), func(b *testing.B) {
				in := inputs(b, n)
				var ts, fs, rs []float64
				for range b.N {
					t0 := time.Now()
					paths["floor"](b, in)
					t1 := time.Now()
					paths[name](b, in)
					t2 := time.Now()
					f, p := t1.Sub(t0).Seconds(), t2.Sub(t1).Seconds()
					fs, ts, rs = append(fs, f), append(ts, p), append(rs, p/f)
				}
				b.ReportMetric(median(fs)*1e3, "floor-ms")
				b.ReportMetric(median(ts)*1e3, name+"-ms")
				b.ReportMetric(median(rs), "x-floor")
			})
		}
	}
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}
