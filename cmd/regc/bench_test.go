package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// generateRegimen writes a regimen with n stages in the idiomatic style: a
// schema on the script, units, shared parameter sets with overrides, and a
// chain of conditional transitions with a manual branch every tenth stage.
func generateRegimen(n int) []byte {
	var b strings.Builder
	b.WriteString(`regimen Generated version 1.0.0

criterion passed, engaged
trigger handoff

schema Stimulus { class: "grating" | "images", params: {...} }
schema Task {
    stage: string
    task_id: "DoC"
    stimulus: Stimulus
    reward_volume: volume(mL) in [0 uL, 20 uL]
    response_window: [time(s), time(s)]
    periodic_flash: [time(s), time(s)]?
    max_task_duration_min: time(min)
    warm_up_trials: int in [-1, 1000]
    level?: int
    ...
}
script task: Task { url: "http://example.org/task.py", md5: "0123456789abcdef0123456789abcdef" }

params base: Task {
    task_id: "DoC"
    stimulus: { class: "grating", params: { sf: 0.04, size: [200, 150] } }
    reward_volume: 7 uL
    response_window: [150 ms, 750 ms]
    periodic_flash: [250 ms, 500 ms]
    max_task_duration_min: 60 min
    warm_up_trials: 5
}
params quiet = base { periodic_flash: null, reward_volume: 10 uL }

`)
	for i := 0; i < n; i++ {
		set := "base"
		if i%2 == 1 {
			set = "quiet"
		}
		if i == n-1 {
			b.WriteString("final ") // training ends on the last stage
		}
		fmt.Fprintf(&b, "stage S%d {\n    script: task\n    params: %s { level: %d, max_task_duration_min: %d min, reward_volume: %d uL }\n}\n", i, set, i, 10+i%50, 1+i%20)
	}
	for i := 0; i+1 < n; i++ {
		fmt.Fprintf(&b, "progress S%d -> S%d when passed, engaged\n", i, i+1)
		if i%10 == 0 {
			fmt.Fprintf(&b, "manual S%d -> S%d\n", i+1, i)
		}
	}
	return []byte(b.String())
}

func quietEnv(out io.Writer) *env {
	return &env{stdin: strings.NewReader(""), stdout: out, stderr: io.Discard,
		getenv: func(string) string { return "" }, isTerminal: func(io.Writer) bool { return false }}
}

func benchBuild(b *testing.B, path string) {
	b.Helper()
	var out bytes.Buffer
	e := quietEnv(&out)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out.Reset()
		if code := run(e, []string{"build", "--format", "json", path}); code != 0 {
			b.Fatalf("build %s: exit %d", path, code)
		}
	}
	b.SetBytes(int64(out.Len()))
}

func BenchmarkBuildTask1A(b *testing.B) {
	benchBuild(b, filepath.Join("..", "..", "regimens", "visual_behavior", "task1a.regimen"))
}

func benchGenerated(b *testing.B, n int) {
	path := filepath.Join(b.TempDir(), "gen.regimen")
	if err := os.WriteFile(path, generateRegimen(n), 0o644); err != nil {
		b.Fatal(err)
	}
	benchBuild(b, path)
}

func BenchmarkBuildGenerated1000(b *testing.B)  { benchGenerated(b, 1000) }
func BenchmarkBuildGenerated10000(b *testing.B) { benchGenerated(b, 10000) }

// TestGeneratedRegimen checks that the generator's output compiles cleanly
// (so the benchmarks measure a real build), and writes it to
// $REGC_GEN_OUT when that is set, for timing the binary by hand.
func TestGeneratedRegimen(t *testing.T) {
	n := 200
	if s := os.Getenv("REGC_GEN_STAGES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			t.Fatal(err)
		}
	}
	src := generateRegimen(n)
	path := filepath.Join(t.TempDir(), "gen.regimen")
	if out := os.Getenv("REGC_GEN_OUT"); out != "" {
		path = out
	}
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	e := quietEnv(&out)
	e.stderr = &errs
	if code := run(e, []string{"build", "--format", "json", path}); code != 0 {
		t.Fatalf("exit %d:\n%s", code, errs.String())
	}
	if errs.Len() != 0 {
		t.Fatalf("unexpected diagnostics:\n%s", errs.String())
	}
	if got := strings.Count(out.String(), `"script_md5"`); got != n {
		t.Fatalf("got %d stages in the document, want %d", got, n)
	}
}
