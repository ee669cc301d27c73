package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regc/regc/mtrain"
	"github.com/regc/regc/mtrain/sandbox"
)

// BenchmarkSyncMigrate2000 is `regc sync migrate --dry-run=false` moving
// 2,000 mice (across a major version, with migrate blocks) against a
// sandbox on loopback: each mouse set, read back and journaled (two synced
// records), then every mouse read back. One op is one whole migration.
func BenchmarkSyncMigrate2000(b *testing.B) {
	const n = 2000
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		db := filepath.Join(dir, "sandbox.db")
		fixtures(b, dir)
		sb, err := sandbox.NewSandbox(db, e2eUser, e2ePassword)
		if err != nil {
			b.Fatal(err)
		}
		url, closeSrv := serveSandbox(b, sb)
		runIn := func(args ...string) runResult {
			vars := map[string]string{serverEnv: url, userEnv: e2eUser, passwordEnv: e2ePassword, "REGC_CACHE_DIR": filepath.Join(dir, ".cache")}
			var out, errs bytes.Buffer
			e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errs,
				getenv: func(k string) string { return vars[k] }, isTerminal: func(io.Writer) bool { return false }}
			return runResult{run(e, args), out.String(), errs.String()}
		}
		for _, f := range []string{"mig_v1.regimen", "mig_v2.regimen"} {
			if r := runIn("sync", "upload", "--dry-run=false", filepath.Join(dir, f)); r.code != 0 {
				b.Fatalf("upload: %+v", r)
			}
		}
		c, _ := mtrain.New(mtrain.Config{Server: url, User: e2eUser, Password: mtrain.NewSecret(e2ePassword)})
		ctx := context.Background()
		stages := []string{"0_hab", "1_grat", "2_img"}
		byStage := map[string][]int{}
		for k := 0; k < n; k++ {
			byStage[stages[k%3]] = append(byStage[stages[k%3]], 300000+k)
		}
		for stage, ids := range byStage {
			st, err := c.GetState(ctx, "Mig_v1.0.0", stage)
			if err != nil {
				b.Fatal(err)
			}
			if err := sb.AddSubjects(ctx, st.ID, ids...); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		start := time.Now()
		r := runIn("sync", "migrate", "--from", "Mig_v1.0.0", "--to", filepath.Join(dir, "mig_v2.regimen"),
			"--journal", filepath.Join(dir, "bench.journal"), "--dry-run=false")
		elapsed := time.Since(start)
		b.StopTimer()
		if r.code != 0 {
			b.Fatalf("migrate: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		b.ReportMetric(float64(elapsed.Microseconds())/n, "µs/mouse")
		closeSrv()
		sb.Close()
		b.StartTimer()
	}
}
