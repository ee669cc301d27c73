package compiler

import (
	"fmt"
	"math/big"
	"strconv"
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
// Python reads "0.009"; binary arithmetic, scaling by the units' sizes,
// gives a neighbour of it for these values (9 * 0.001 is
// 0.009000000000000001, 10 * 1e-6 / 1e-3 is 0.009999999999999998). The binary results are computed at run time, from
// variables, so that Go's exact constant arithmetic cannot fold them.
func TestUnitConversionNotBinary(t *testing.T) {
	for _, tc := range []struct {
		typ, value  string
		n, from, to float64 // the binary conversion: n * from / to
		want        string  // the exact result, as Python writes it
	}{
		{"volume(mL)", "9 uL", 9, 1e-3, 1, "0.009"},
		{"volume(mL)", "13 uL", 13, 1e-3, 1, "0.013"},
		{"volume(mL)", "10 uL", 10, 1e-6, 1e-3, "0.01"},
		{"volume(mL)", "35 uL", 35, 1e-6, 1e-3, "0.035"},
		{"volume(mL)", "5 uL", 5, 1e-6, 1e-3, "0.005"},
		{"time(s)", "9 ms", 9, 1e-3, 1, "0.009"},
	} {
		want, err := strconv.ParseFloat(tc.want, 64)
		if err != nil {
			t.Fatal(err)
		}
		binary := binaryConversion(tc.n, tc.from, tc.to)
		if binary == want {
			t.Errorf("%s: binary arithmetic gives %v too, so this case cannot tell the two apart", tc.value, binary)
		}
		got, codes := compileParams(t, tc.typ, tc.value)
		if len(codes) != 0 || got.Kind != Float || got.Float != want {
			t.Errorf("%s in %s: got %v (codes %v), want %s (binary arithmetic: %v)", tc.value, tc.typ, show(got), codes, tc.want, binary)
		}
	}
}

// binaryConversion converts n units of size from into units of size to in
// float64 arithmetic.
//
//go:noinline
func binaryConversion(n, from, to float64) float64 { return n * from / to }

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
