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
	"github.com/regc/regc/internal/testtool"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regc/regc/internal/floor"
	"github.com/regc/regc/legacy"
)

// generateLegacy writes a regimen.yml with n stages in the corpus's style:
// anchored script URLs and md5s, shared parameter sets merged into each
// stage with `<<` and overridden there, a chain of progress transitions
// with a manual one back every tenth stage, and comments (which the
// importer carries over). The stages are leaner than the corpus's (about
// 35 values each, counted as the importer counts, with merges expanded),
// so that 100,000 of them stay within the document bound
// (compiler.MaxDocumentNodes, 4,194,304 values); the corpus's richest
// stages, at about 60, would pass it near 70,000.
func generateLegacy(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`# A generated regimen: the corpus's shapes at a size.

# the task script and its md5
_task_script: &task_script http://example.org/scripts/change_detection.py?at=0123456789abcdef

_task_script_md5: &task_script_md5 0123456789abcdef0123456789abcdef

# shared parameters; each stage merges one and overrides a few keys
_flash_parameters: &flash_parameters
  task_id: DoC
  catch_frequency: 0.25
  reward_volume: 0.007
  periodic_flash: [0.25, 0.5]
  max_task_duration_min: 60.0
  warm_up_trials: 5

_no_flash_parameters: &no_flash_parameters
  <<: *flash_parameters
  periodic_flash: null
  reward_volume: 0.010

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
		fmt.Fprintf(&b, "  # stage %d of %d\n  S%d:\n    script: *task_script\n    script_md5: *task_script_md5\n    parameters:\n      <<: *%s\n      stage: S%d\n      level: %d # the level\n      max_task_duration_min: %d.5\n      reward_volume: 0.0%02d\n\n",
			i, n, i, set, i, i, 10+i%50, 1+i%20)
	}
	return b.Bytes()
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
	want, err := floor.JSON(in.legacySrc)
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
		if _, err := floor.JSON(src); err != nil {
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

// BenchmarkPaired runs each path as a process (the regc binary, as a user
// runs it) alternately with the floor program (cmd/yamljson) on
// the same input, and reports the medians of their times and peak resident
// memory and the medians of the pairs' ratios (x-floor, mem-x-floor), which
// a busy machine shifts far less than either figure. -benchtime 5x gives
// five pairs.
func BenchmarkPaired(b *testing.B) {
	testtool.Need(b, "go", "the binaries cannot be built")
	dir := b.TempDir()
	regc, yamljson := filepath.Join(dir, "regc"), filepath.Join(dir, "yamljson")
	for _, args := range [][]string{{"build", "-o", regc, "."}, {"build", "-o", yamljson, "../yamljson"}} {
		if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
			b.Fatalf("go %v: %v\n%s", args, err, out)
		}
	}
	for _, name := range []string{"legacy", "regimen", "import", "check"} {
		for _, n := range []int{1000, 10000, 100000} {
			b.Run(fmt.Sprintf("%s/%d", name, n), func(b *testing.B) {
				in := inputs(b, n)
				args := map[string][]string{
					"legacy":  {"build", "--format", "json", in.legacy},
					"regimen": {"build", "--format", "json", in.source},
					"import":  {"import", in.legacy},
					"check":   {"check", in.source},
				}[name]
				var fs, ps, rs, fm, pm, rm []float64
				for range b.N {
					ft, fmem := runProcess(b, yamljson, in.legacy)
					pt, pmem := runProcess(b, regc, args...)
					fs, ps, rs = append(fs, ft), append(ps, pt), append(rs, pt/ft)
					fm, pm, rm = append(fm, fmem), append(pm, pmem), append(rm, pmem/fmem)
				}
				b.ReportMetric(median(fs)*1e3, "floor-ms")
				b.ReportMetric(median(ps)*1e3, "regc-ms")
				b.ReportMetric(median(rs), "x-floor")
				b.ReportMetric(median(fm), "floor-MB")
				b.ReportMetric(median(pm), "regc-MB")
				b.ReportMetric(median(rm), "mem-x-floor")
			})
		}
	}
}

// runProcess runs a command with its output discarded and returns its
// wall time in seconds and its peak resident memory in MB (0 when
// /usr/bin/time is missing). The memory comes from /usr/bin/time, which
// forks the command from a small process: a child the test binary starts
// directly inherits the test binary's own high-water mark across exec.
func runProcess(b *testing.B, name string, args ...string) (float64, float64) {
	var cmd *exec.Cmd
	report := filepath.Join(b.TempDir(), "rss")
	if _, err := os.Stat("/usr/bin/time"); err == nil {
		cmd = exec.Command("/usr/bin/time", append([]string{"-f", "%M", "-o", report, name}, args...)...)
	} else {
		cmd = exec.Command(name, args...)
	}
	var errs bytes.Buffer
	cmd.Stderr = &errs
	t0 := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("%s %v: %v\n%s", filepath.Base(name), args, err, errs.String())
	}
	d := time.Since(t0).Seconds()
	kb, err := os.ReadFile(report)
	if err != nil {
		return d, 0
	}
	var n float64
	fmt.Sscan(string(kb), &n)
	return d, n / 1024
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}
