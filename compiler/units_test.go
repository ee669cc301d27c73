package compiler

import (
	"fmt"
	"math/big"
	"strings"
	"testing"
)

// compileParams compiles a one-stage regimen whose schema has one field of
// type typ set to value, and returns that field's compiled value and the
// diagnostic codes.
func compileParams(t *testing.T, typ, value string) (Value, []string) {
	t.Helper()
	src := fmt.Sprintf(`regimen T version 1.0.0
schema S { x: %s }
script s: S { url: "x.py" }
stage A { script: s, params: { x: %s } }
`, typ, value)
	res := CompileSource("t.regimen", []byte(src), nil)
	var codes []string
	for _, d := range res.Diagnostics {
		codes = append(codes, d.Code)
	}
	if res.Regimen == nil || len(res.Regimen.Stages) != 1 {
		t.Fatalf("%s = %s: no stage compiled; diagnostics %v", typ, value, res.Diagnostics)
	}
	v, _ := res.Regimen.Stages[0].Params.Get("x")
	return v, codes
}

func TestUnitConversionExact(t *testing.T) {
	for _, tc := range []struct {
		typ, value string
		want       Value
	}{
		{"volume(mL)", "7 uL", FloatValue(0.007)},
		{"volume(mL)", "2 uL", FloatValue(0.002)},
		{"volume(mL)", "10 uL", FloatValue(0.01)},
		{"volume(mL)", "0 uL", FloatValue(0)},
		{"volume(mL)", "0.5 mL", FloatValue(0.5)},
		{"volume(uL)", "0.003 mL", FloatValue(3)},
		{"volume(mL)", "3uL", FloatValue(0.003)},
		{"time(s)", "300 ms", FloatValue(0.3)},
		{"time(s)", "150 ms", FloatValue(0.15)},
		{"time(s)", "1 min", FloatValue(60)},
		{"time(min)", "15 min", FloatValue(15)},
		{"time(min)", "90 s", FloatValue(1.5)},
		{"time(min, int)", "10 min", IntValue(10)},
		{"time(min, int)", "1 h", IntValue(60)},
		{"time(ms, int)", "0.25 s", IntValue(250)},
		{"time(s)", "-1 s", FloatValue(-1)},
		{"frequency(Hz)", "2 kHz", FloatValue(2000)},
		{"length(mm)", "1.5 cm", FloatValue(15)},
		{"[time(s), time(s)]", "[250 ms, 500 ms]", ListValue(FloatValue(0.25), FloatValue(0.5))},
	} {
		got, codes := compileParams(t, tc.typ, tc.value)
		if len(codes) != 0 {
			t.Errorf("%s = %s: unexpected diagnostics %v", tc.typ, tc.value, codes)
			continue
		}
		if !Equal(got, tc.want) {
			t.Errorf("%s = %s: got %s %v, want %s %v", tc.typ, tc.value, got.Kind, show(got), tc.want.Kind, show(tc.want))
		}
	}
}

func show(v Value) string {
	switch v.Kind {
	case Float:
		return fmt.Sprint(v.Float)
	case Int:
		return v.Int.String()
	case List:
		var parts []string
		for _, x := range v.List {
			parts = append(parts, show(x))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return v.Kind.String()
}

// The float a conversion yields is the float nearest the exact decimal, as
// Python reads "0.002"; binary arithmetic (2 * 0.001) would give
// 0.0020000000000000005.
func TestUnitConversionNotBinary(t *testing.T) {
	if 2*0.001 == 0.002 {
		t.Skip("this machine's float arithmetic happens to be exact here")
	}
	got, _ := compileParams(t, "volume(mL)", "2 uL")
	if got.Float != 0.002 {
		t.Fatalf("2 uL in mL: got %v, want 0.002", got.Float)
	}
}

func TestUnitConversionErrors(t *testing.T) {
	for _, tc := range []struct {
		typ, value, code string
	}{
		{"volume(mL)", "300 ms", "unit-mismatch"},
		{"time(s)", "7 uL", "unit-mismatch"},
		{"volume(mL)", "0.007", "unit-mismatch"},
		{"float", "7 uL", "unit-mismatch"},
		{"volume(mL)", "7 ul", "unknown-unit"},
		{"volume(mL)", `"7 uL"`, "type-mismatch"},
		{"time(min, int)", "90 s", "type-mismatch"},
		{"volume(mL) in [0 uL, 20 uL]", "25 uL", "out-of-range"},
		{"volume(mL) in [0 uL, 20 uL]", "-1 uL", "out-of-range"},
		{"volume(mL) in [0 ms, 20 uL]", "1 uL", "unit-mismatch"},
		{"time(s) in [0, 2]", "1 s", "unit-mismatch"},
		{"volume(ms)", "1 uL", "unit-mismatch"},
	} {
		_, codes := compileParams(t, tc.typ, tc.value)
		found := false
		for _, c := range codes {
			found = found || c == tc.code
		}
		if !found {
			t.Errorf("%s = %s: got codes %v, want %s", tc.typ, tc.value, codes, tc.code)
		}
	}
}

func TestRangeBoundsInclusive(t *testing.T) {
	for _, v := range []string{"0 uL", "20 uL", "0.02 mL"} {
		if _, codes := compileParams(t, "volume(mL) in [0 uL, 20 uL]", v); len(codes) != 0 {
			t.Errorf("%s: got %v, want no diagnostics", v, codes)
		}
	}
}

func TestRatString(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"7/1000", "0.007"}, {"3", "3"}, {"1/2", "0.5"}, {"-1/8", "-0.125"}, {"1/3", "0.3333333333333333"},
	} {
		x, _ := new(big.Rat).SetString(tc.in)
		if got := ratString(x); got != tc.want {
			t.Errorf("ratString(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
