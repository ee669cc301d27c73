package emit

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"testing"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/internal/py"
)

// The expected strings below are what CPython 3 prints for repr(x) and
// json.dumps(x, sort_keys=True, indent=4).

// point1 is a variable so that point1+0.2 is float64 arithmetic, not exact
// constant arithmetic.
var point1 = 0.1

var pyFloatTests = []struct {
	in   float64
	want string
}{
	{0, "0.0"},
	{math.Copysign(0, -1), "-0.0"},
	{1, "1.0"},
	{-1, "-1.0"},
	{15, "15.0"},
	{0.1, "0.1"},
	{0.3, "0.3"},
	{point1 + 0.2, "0.30000000000000004"},
	{1.0 / 3, "0.3333333333333333"},
	{2.0 / 3, "0.6666666666666666"},
	{0.007, "0.007"},
	{0.25, "0.25"},
	{0.04, "0.04"},
	{1e-4, "0.0001"},
	{0.00012345, "0.00012345"},
	{1e-5, "1e-05"},
	{1.5e-5, "1.5e-05"},
	{1e-7, "1e-07"},
	{-1e-7, "-1e-07"},
	{100000, "100000.0"},
	{1e15, "1000000000000000.0"},
	{9999999999999998.0, "9999999999999998.0"},
	{1e16, "1e+16"},
	{1.5e16, "1.5e+16"},
	{-1e16, "-1e+16"},
	{123456789012345678.0, "1.2345678901234568e+17"},
	{1e22, "1e+22"},
	{1e100, "1e+100"},
	{1.7976931348623157e+308, "1.7976931348623157e+308"},
	{5e-324, "5e-324"},
	{2.2250738585072014e-308, "2.2250738585072014e-308"},
	{123.456, "123.456"},
	{3.141592653589793, "3.141592653589793"},
	{0.5, "0.5"},
	{60, "60.0"},
	{math.Inf(1), "inf"},
	{math.Inf(-1), "-inf"},
	{math.NaN(), "nan"},
}

func TestPyFloat(t *testing.T) {
	for _, tt := range pyFloatTests {
		if got := py.Float(tt.in); got != tt.want {
			t.Errorf("PyFloat(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestJSONFloat(t *testing.T) {
	for _, tt := range pyFloatTests {
		want := tt.want
		switch want {
		case "inf":
			want = "Infinity"
		case "-inf":
			want = "-Infinity"
		case "nan":
			want = "NaN"
		}
		if got := string(JSON(compiler.FloatValue(tt.in))); got != want {
			t.Errorf("JSON(%v) = %q, want %q", tt.in, got, want)
		}
	}
}

func TestJSONString(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", `""`},
		{"plain", `"plain"`},
		{`say "hi"`, `"say \"hi\""`},
		{`back\slash`, `"back\\slash"`},
		{"a\nb\rc\td", `"a\nb\rc\td"`},
		{"\b\f", `"\b\f"`},
		{"\x00\x01\x1f", `"\u0000\u0001\u001f"`},
		{"\x7f", `"\u007f"`},
		{"/ ~ '", `"/ ~ '"`},
		{"é", `"\u00e9"`},
		{"µL", `"\u00b5L"`},
		{"\u00a0", `"\u00a0"`},
		{"日本", `"\u65e5\u672c"`},
		{"\u2028", `"\u2028"`},
		{"\ufeff", `"\ufeff"`},
		{"\uffff", `"\uffff"`},
		{"😀", `"\ud83d\ude00"`},
		{"\U00010000", `"\ud800\udc00"`},
		{"\U0010ffff", `"\udbff\udfff"`},
		{"a\xffb", `"a\ufffdb"`}, // invalid UTF-8
		// surrogates written as if they were characters (WTF-8), as a
		// Python string can hold them: escaped as json.dump escapes them
		{"\xed\xa0\xbd", `"\ud83d"`},
		{"\xed\xa0\xbd\xed\xb8\x80!", `"\ud83d\ude00!"`},
		{"\xed\xa0", `"\ufffd\ufffd"`}, // cut short: invalid
	}
	for _, tt := range tests {
		if got := string(JSON(compiler.StringValue(tt.in))); got != tt.want {
			t.Errorf("JSON(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestJSONScalars(t *testing.T) {
	huge, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	tests := []struct {
		in   compiler.Value
		want string
	}{
		{compiler.NullValue(), "null"},
		{compiler.BoolValue(true), "true"},
		{compiler.BoolValue(false), "false"},
		{compiler.IntValue(0), "0"},
		{compiler.IntValue(-1), "-1"},
		{compiler.IntValue(math.MaxInt64), "9223372036854775807"},
		{compiler.BigIntValue(huge), "-123456789012345678901234567890"},
		{compiler.Value{Kind: compiler.Int}, "0"},
		{compiler.ListValue(), "[]"},
		{compiler.MapValue(), "{}"},
		{compiler.Value{Kind: compiler.List}, "[]"},
		{compiler.Value{Kind: compiler.Map}, "{}"},
	}
	for _, tt := range tests {
		if got := string(JSON(tt.in)); got != tt.want {
			t.Errorf("JSON(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestJSONNested(t *testing.T) {
	tests := []struct {
		name string
		in   compiler.Value
		want string
	}{
		{
			"list",
			compiler.ListValue(compiler.IntValue(1), compiler.FloatValue(2), compiler.StringValue("x")),
			"[\n    1,\n    2.0,\n    \"x\"\n]",
		},
		{
			"nested empties",
			compiler.MapValue(
				compiler.Field{Key: "l", Value: compiler.ListValue(compiler.ListValue(), compiler.MapValue())},
				compiler.Field{Key: "m", Value: compiler.MapValue(compiler.Field{Key: "e", Value: compiler.MapValue()})},
				compiler.Field{Key: "a", Value: compiler.ListValue()},
			),
			`{
    "a": [],
    "l": [
        [],
        {}
    ],
    "m": {
        "e": {}
    }
}`,
		},
		{
			"sorted keys, non-ASCII after ASCII, by code point",
			compiler.MapValue(
				compiler.Field{Key: "zeta", Value: compiler.IntValue(1)},
				compiler.Field{Key: "é", Value: compiler.IntValue(2)},
				compiler.Field{Key: "Zeta", Value: compiler.IntValue(3)},
				compiler.Field{Key: "😀", Value: compiler.IntValue(4)},
				compiler.Field{Key: "\uffff", Value: compiler.IntValue(5)},
				compiler.Field{Key: "_", Value: compiler.IntValue(6)},
				compiler.Field{Key: "", Value: compiler.IntValue(7)},
				compiler.Field{Key: "a b", Value: compiler.IntValue(8)},
				compiler.Field{Key: "ab", Value: compiler.IntValue(9)},
				compiler.Field{Key: "a", Value: compiler.IntValue(10)},
			),
			`{
    "": 7,
    "Zeta": 3,
    "_": 6,
    "a": 10,
    "a b": 8,
    "ab": 9,
    "zeta": 1,
    "\u00e9": 2,
    "\uffff": 5,
    "\ud83d\ude00": 4
}`,
		},
		{
			"stage parameters",
			compiler.MapValue(
				compiler.Field{Key: "stage", Value: compiler.StringValue("TRAINING_0")},
				compiler.Field{Key: "reward_volume", Value: compiler.FloatValue(0.007)},
				compiler.Field{Key: "periodic_flash", Value: compiler.NullValue()},
				compiler.Field{Key: "warm_up_trials", Value: compiler.IntValue(-1)},
				compiler.Field{Key: "response_window", Value: compiler.ListValue(compiler.FloatValue(0.15), compiler.FloatValue(0.75))},
				compiler.Field{Key: "stimulus", Value: compiler.MapValue(
					compiler.Field{Key: "params", Value: compiler.MapValue(
						compiler.Field{Key: "size", Value: compiler.ListValue(compiler.IntValue(200), compiler.IntValue(150))},
						compiler.Field{Key: "sf", Value: compiler.FloatValue(0.04)},
					)},
					compiler.Field{Key: "class", Value: compiler.StringValue("grating")},
				)},
				compiler.Field{Key: "auto", Value: compiler.BoolValue(true)},
			),
			`{
    "auto": true,
    "periodic_flash": null,
    "response_window": [
        0.15,
        0.75
    ],
    "reward_volume": 0.007,
    "stage": "TRAINING_0",
    "stimulus": {
        "class": "grating",
        "params": {
            "sf": 0.04,
            "size": [
                200,
                150
            ]
        }
    },
    "warm_up_trials": -1
}`,
		},
	}
	for _, tt := range tests {
		if got := string(JSON(tt.in)); got != tt.want {
			t.Errorf("%s: JSON =\n%s\nwant\n%s", tt.name, got, tt.want)
		}
	}
}

// TestJSONKeepsInput checks that sorting does not reorder the caller's record.
func TestJSONKeepsInput(t *testing.T) {
	v := compiler.MapValue(
		compiler.Field{Key: "b", Value: compiler.IntValue(1)},
		compiler.Field{Key: "a", Value: compiler.IntValue(2)},
	)
	JSON(v)
	if v.Map[0].Key != "b" {
		t.Errorf("JSON reordered its input: %v", v.Map)
	}
}

func TestDocument(t *testing.T) {
	script := &compiler.Script{Name: "cd", URL: "http://example.org/cd.py?at=5adfa6e2", MD5: "410d697d666405eed63f72e4d3e189bb"}
	r := &compiler.Regimen{
		Name: "VisualBehavior_Task1A_v1.2.0",
		Stages: []*compiler.Stage{
			{Name: "B", Script: script, Params: compiler.MapValue(
				compiler.Field{Key: "stage", Value: compiler.StringValue("B")},
				compiler.Field{Key: "reward_volume", Value: compiler.FloatValue(0.007)},
			)},
			{Name: "A", Script: script, Params: compiler.MapValue(
				compiler.Field{Key: "stage", Value: compiler.StringValue("A")},
			)},
		},
		Transitions: []*compiler.Transition{
			{Trigger: "progress", Source: "B", Dest: "A", When: []string{"one_complete"}},
			{Trigger: "manual", Source: "A", Dest: "B"},
		},
	}
	wantJSON := `{
    "name": "VisualBehavior_Task1A_v1.2.0",
    "stages": {
        "A": {
            "parameters": {
                "stage": "A"
            },
            "script": "http://example.org/cd.py?at=5adfa6e2",
            "script_md5": "410d697d666405eed63f72e4d3e189bb"
        },
        "B": {
            "parameters": {
                "reward_volume": 0.007,
                "stage": "B"
            },
            "script": "http://example.org/cd.py?at=5adfa6e2",
            "script_md5": "410d697d666405eed63f72e4d3e189bb"
        }
    },
    "transitions": [
        {
            "conditions": [
                "one_complete"
            ],
            "dest": "A",
            "source": "B",
            "trigger": "progress"
        },
        {
            "dest": "B",
            "source": "A",
            "trigger": "manual"
        }
    ]
}
`
	wantYAML := `name: VisualBehavior_Task1A_v1.2.0
stages:
    B:
        script: http://example.org/cd.py?at=5adfa6e2
        script_md5: "410d697d666405eed63f72e4d3e189bb"
        parameters:
            stage: B
            reward_volume: 0.007
    A:
        script: http://example.org/cd.py?at=5adfa6e2
        script_md5: "410d697d666405eed63f72e4d3e189bb"
        parameters:
            stage: A
transitions:
    - trigger: progress
      source: B
      dest: A
      conditions: [one_complete]
    - trigger: manual
      source: A
      dest: B
`
	for _, tt := range []struct{ format, want string }{{"json", wantJSON}, {"yaml", wantYAML}} {
		got, err := Document(r, tt.format)
		if err != nil {
			t.Fatalf("Document(%s): %v", tt.format, err)
		}
		if string(got) != tt.want {
			t.Errorf("Document(%s) =\n%s\nwant\n%s", tt.format, got, tt.want)
		}
	}
	if _, err := Document(r, "toml"); err == nil || err.Error() != `unknown format "toml" (want json or yaml)` {
		t.Errorf("Document(toml): got error %v", err)
	}
	if _, err := Document(nil, "json"); err == nil {
		t.Errorf("Document(nil): got no error")
	}
}

func FuzzJSONFloat(f *testing.F) {
	for _, tt := range pyFloatTests {
		f.Add(math.Float64bits(tt.in))
	}
	f.Fuzz(func(t *testing.T, bits uint64) {
		x := math.Float64frombits(bits)
		s := string(JSON(compiler.FloatValue(x)))
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		y, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Float64bits(y) != bits {
			t.Fatalf("JSON(%v) = %q, reads back as %v (%v)", x, s, y, err)
		}
		if !strings.ContainsAny(s, ".e") {
			t.Fatalf("JSON(%v) = %q reads as an int", x, s)
		}
	})
}
