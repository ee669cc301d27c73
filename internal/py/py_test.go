package py

import (
	"math"
	"math/big"
	"testing"
)

func TestQuoteJSON(t *testing.T) {
	// What Python 3's json.dumps(s) (ensure_ascii=True) prints.
	for _, tc := range []struct{ in, want string }{
		{"plain", `"plain"`},
		{"a\"b\\c\n\r\t\b\f", `"a\"b\\c\n\r\t\b\f"`},
		{"\x00\x1f\x7f", `"\u0000\u001f\u007f"`},
		{"<&>", `"<&>"`},
		{"é", `"\u00e9"`},
		{"😀", `"\ud83d\ude00"`},
		{"\xff", `"\ufffd"`},
		{"\xed\xa0\x80", `"\ud800"`}, // a lone surrogate a Python string can hold
	} {
		if got := QuoteJSON(tc.in); got != tc.want {
			t.Errorf("QuoteJSON(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestFloat(t *testing.T) {
	for _, tc := range []struct {
		in         float64
		repr, json string
	}{
		{1e-05, "1e-05", "1e-05"},
		{1.5e16, "1.5e+16", "1.5e+16"},
		{100000, "100000.0", "100000.0"},
		{math.Copysign(0, -1), "-0.0", "-0.0"},
		{math.Inf(1), "inf", "Infinity"},
		{math.Inf(-1), "-inf", "-Infinity"},
		{math.NaN(), "nan", "NaN"},
	} {
		if got := Float(tc.in); got != tc.repr {
			t.Errorf("Float(%v) = %s, want %s", tc.in, got, tc.repr)
		}
		if got := JSONFloat(tc.in); got != tc.json {
			t.Errorf("JSONFloat(%v) = %s, want %s", tc.in, got, tc.json)
		}
	}
}

func TestJSONKey(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want string
	}{
		{"k", "k"}, {nil, "null"}, {true, "true"}, {false, "false"},
		{big.NewInt(-7), "-7"}, {0.5, "0.5"}, {1e20, "1e+20"},
		{math.Inf(1), "Infinity"}, {math.Inf(-1), "-Infinity"}, {math.NaN(), "NaN"},
	} {
		if got := JSONKey(tc.in); got != tc.want {
			t.Errorf("JSONKey(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
