package mtrain_test

import (
	"context"
	"testing"

	"github.com/regc/regc/mtrain"
	"github.com/regc/regc/mtrain/mtraintest"
	"github.com/regc/regc/mtrain/sandbox"
	"github.com/regc/regc/mtrain/sandbox/sandboxtest"
)

// BenchmarkMigrate2000 moves 2,000 mice from one regimen to another, one
// set_state each with a read-back, as a migration does; b.N is the number
// of migrations.
func BenchmarkMigrate2000(b *testing.B) {
	ctx := context.Background()
	sb, err := sandbox.NewSandbox(b.TempDir()+"/bench.db", mtraintest.User, mtraintest.Password)
	if err != nil {
		b.Fatal(err)
	}
	defer sb.Close()
	r := &sandboxtest.Rig{SB: sb, Logs: &mtraintest.LogBuf{}}
	r.Srv = mtraintest.Server(b, sb.Handler().ServeHTTP)
	c, err := mtrain.New(mtrain.Config{Server: r.Srv.URL, User: mtraintest.User, Password: mtrain.NewSecret(mtraintest.Password)})
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"Bench_v1.0.0", "Bench_v2.0.0"} {
		if err := c.UploadRegimen(ctx, mtraintest.SampleDoc(name)); err != nil {
			b.Fatal(err)
		}
	}
	from, _ := c.GetState(ctx, "Bench_v1.0.0", "TRAINING_1")
	to, _ := c.GetState(ctx, "Bench_v2.0.0", "TRAINING_1")
	if err := sb.AddSubjects(ctx, from.ID, mtraintest.Seq(300000, 2000)...); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		target := to
		if i%2 == 1 {
			target = from
		}
		mice, err := c.Mice(ctx, "")
		if err != nil || len(mice) != 2000 {
			b.Fatalf("Mice: %d, %v", len(mice), err)
		}
		for _, m := range mice {
			if err := c.SetState(ctx, m.LabTracksID, target); err != nil {
				b.Fatal(err)
			}
			if s, err := c.Subject(ctx, m.LabTracksID); err != nil || s.State != target {
				b.Fatalf("read back %d: %+v, %v", m.LabTracksID, s, err)
			}
		}
	}
}
