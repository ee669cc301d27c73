package testtool

import (
	"testing"
)

// recorder is a testing.TB that records how a test ended.
type recorder struct {
	testing.TB
	skipped, failed bool
	msg             string
}

func (r *recorder) Helper()                           {}
func (r *recorder) Skip(args ...any)                  { r.skipped = true; r.msg = args[0].(string) }
func (r *recorder) Fatalf(format string, args ...any) { r.failed = true; r.msg = format }
func (r *recorder) Skipf(format string, args ...any)  { r.skipped = true }
func (r *recorder) Errorf(format string, args ...any) { r.failed = true }

func TestMissingSkipsOrFailsUnderCI(t *testing.T) {
	t.Setenv("CI", "")
	r := &recorder{}
	Need(r, "no-such-program-regc", "the test cannot run")
	if !r.skipped || r.failed {
		t.Errorf("without CI: skipped %v, failed %v; want a skip", r.skipped, r.failed)
	}
	t.Setenv("CI", "true")
	r = &recorder{}
	Need(r, "no-such-program-regc", "the test cannot run")
	if !r.failed || r.skipped {
		t.Errorf("under CI: skipped %v, failed %v; want a failure", r.skipped, r.failed)
	}
	if p := Need(t, "go", "the test cannot run"); p == "" {
		t.Error("go, which runs this test, was not found")
	}
}
