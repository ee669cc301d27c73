package floor

import "testing"

func TestPyFloat(t *testing.T) {
	for f, want := range map[float64]string{0.007: "0.007", 60: "60.0", 1e-05: "1e-05", 1e16: "1e+16",
		1.5e300: "1.5e+300", 0.0001: "0.0001", 123456789012345.0: "123456789012345.0"} {
		if got := pyFloat(f); got != want {
			t.Errorf("pyFloat(%v) = %s, want %s", f, got, want)
		}
	}
}
