package lsp

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// BenchmarkLatency measures what an editor waits for: diagnostics after an
// edit (a fresh compilation), hover on a stage (its final parameters and
// their origins) and completion of schema fields, on task1a.regimen and on
// a regimen of 1,000 stages. It reports the median and the 99th
// percentile of the b.N answers.
func BenchmarkLatency(b *testing.B) {
	path, task := visualBehavior(b)
	big := filepath.Join(filepath.Dir(path), "many.regimen")
	if err := os.WriteFile(big, []byte(manyStages(task, 1000)), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, file := range []struct{ name, path, stage, field string }{
		{"task1a", path, "stage TRAINING_1_gratings {", "params: gratings { "},
		{"1000stages", big, "stage S_500 {", "params: gratings { "},
	} {
		src, _ := os.ReadFile(file.path)
		text := string(src)
		h := newHarness(b)
		h.open(file.path, text)
		tx := newText(src)
		stageAt := tx.position(strings.Index(text, file.stage) + len("stage "))
		fieldAt := tx.position(strings.Index(text, file.stage) + strings.Index(text[strings.Index(text, file.stage):], file.field) + len(file.field))
		ops := []struct {
			name string
			run  func()
		}{
			{"diagnostics", func() {
				for _, d := range h.diagnostics(file.path) {
					if d.Severity == severityError {
						b.Fatalf("an error in a clean file: %s", d.Message)
					}
				}
			}},
			{"hover", func() {
				h.s.gen++ // an edit came before: the hover compiles afresh
				hv, _ := h.call("textDocument/hover", posParams(file.path, stageAt)).(*Hover)
				if hv == nil || !strings.Contains(hv.Contents.Value, "parameters as the rig gets them") {
					b.Fatalf("hover: %v", hv)
				}
			}},
			{"hover-after-diagnostics", func() {
				// as in an editor: the edit's diagnostics compiled the file
				hv, _ := h.call("textDocument/hover", posParams(file.path, stageAt)).(*Hover)
				if hv == nil || !strings.Contains(hv.Contents.Value, "parameters as the rig gets them") {
					b.Fatalf("hover: %v", hv)
				}
			}},
			{"completion", func() {
				delete(h.s.files.cache, file.path) // an edit came before: the file is parsed afresh
				l := h.call("textDocument/completion", posParams(file.path, fieldAt)).(completionList)
				if len(l.Items) < 10 {
					b.Fatalf("completion: %v", l.Items)
				}
			}},
		}
		for _, op := range ops {
			b.Run(file.name+"/"+op.name, func(b *testing.B) {
				times := make([]time.Duration, 0, b.N)
				for i := 0; i < b.N; i++ {
					start := time.Now()
					op.run()
					times = append(times, time.Since(start))
				}
				sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
				b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(times[(len(times)*99)/100].Microseconds())/1000, "p99-ms")
			})
		}
	}
}
