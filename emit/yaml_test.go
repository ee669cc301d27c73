package emit

import (
	"math"
	"math/big"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/regc/regc/compiler"
)

func str(s string) compiler.Value  { return compiler.StringValue(s) }
func num(i int64) compiler.Value   { return compiler.IntValue(i) }
func flt(f float64) compiler.Value { return compiler.FloatValue(f) }
func list(vs ...compiler.Value) compiler.Value {
	return compiler.ListValue(vs...)
}

// rec builds a record from alternating keys and values.
func rec(kv ...any) compiler.Value {
	var fs []compiler.Field
	for i := 0; i < len(kv); i += 2 {
		fs = append(fs, compiler.Field{Key: kv[i].(string), Value: kv[i+1].(compiler.Value)})
	}
	return compiler.MapValue(fs...)
}

func bigInt(s string) compiler.Value {
	i, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic(s)
	}
	return compiler.BigIntValue(i)
}

func TestYAMLFloat(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
		{15, "15.0"},
		{0.007, "0.007"},
		{1.0 / 3, "0.3333333333333333"},
		{100000, "100000.0"},
		{1e-5, "1.0e-05"},
		{1.5e-5, "1.5e-05"},
		{-1e-7, "-1.0e-07"},
		{1e16, "1.0e+16"},
		{1.5e16, "1.5e+16"},
		{123456789012345678.0, "1.2345678901234568e+17"},
		{5e-324, "5.0e-324"},
		{1.7976931348623157e+308, "1.7976931348623157e+308"},
		{math.Inf(1), ".inf"},
		{math.Inf(-1), "-.inf"},
		{math.NaN(), ".nan"},
	}
	for _, tt := range tests {
		if got := YAMLFloat(tt.in); got != tt.want {
			t.Errorf("YAMLFloat(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestYAMLString(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		// Plain.
		{"grating", "grating"},
		{"TRAINING_0_gratings_autorewards_15min", "TRAINING_0_gratings_autorewards_15min"},
		{"deg", "deg"},
		{"_x", "_x"},
		{"/tmp/a.py", "/tmp/a.py"},
		{"http://x.org/a.py?at=5adfa6e2&b=1", "http://x.org/a.py?at=5adfa6e2&b=1"},
		{"Visual Behavior", "Visual Behavior"},
		{"a:b", "a:b"},
		{"yesterday_was_good", "yesterday_was_good"},
		{"nan", "nan"},
		{"inf", "inf"},
		{"Null_stage", "Null_stage"},
		{"µL", "µL"},
		{"é1", "é1"},
		// Booleans and null to YAML 1.1 or 1.2.
		{"yes", `"yes"`},
		{"Yes", `"Yes"`},
		{"YES", `"YES"`},
		{"no", `"no"`},
		{"NO", `"NO"`},
		{"on", `"on"`},
		{"On", `"On"`},
		{"off", `"off"`},
		{"OFF", `"OFF"`},
		{"y", `"y"`},
		{"Y", `"Y"`},
		{"n", `"n"`},
		{"N", `"N"`},
		{"true", `"true"`},
		{"True", `"True"`},
		{"FALSE", `"FALSE"`},
		{"null", `"null"`},
		{"Null", `"Null"`},
		{"~", `"~"`},
		{"", `""`},
		// Numbers and other implicit types.
		{"1", `"1"`},
		{"-1", `"-1"`},
		{"+1", `"+1"`},
		{"1.5", `"1.5"`},
		{"1e5", `"1e5"`},
		{"1e-05", `"1e-05"`},
		{".5", `".5"`},
		{".inf", `".inf"`},
		{"-.inf", `"-.inf"`},
		{".NaN", `".NaN"`},
		{"0x1F", `"0x1F"`},
		{"0o17", `"0o17"`},
		{"0b101", `"0b101"`},
		{"017", `"017"`},
		{"1_000", `"1_000"`},
		{"1:30", `"1:30"`},
		{"190:20:30.15", `"190:20:30.15"`},
		{"2001-12-14", `"2001-12-14"`},
		{"2001-12-14t21:59:43.10-05:00", `"2001-12-14t21:59:43.10-05:00"`},
		{"<<", `"<<"`},
		{"=", `"="`},
		// Syntax.
		{" lead", `" lead"`},
		{"trail ", `"trail "`},
		{"two  spaces", `"two  spaces"`},
		{"a #b", `"a #b"`},
		{"a#b", `"a#b"`},
		{"#c", `"#c"`},
		{"a: b", `"a: b"`},
		{"a:", `"a:"`},
		{"- a", `"- a"`},
		{"-", `"-"`},
		{"---", `"---"`},
		{"...", `"..."`},
		{"? a", `"? a"`},
		{"[a]", `"[a]"`},
		{"{a}", `"{a}"`},
		{"*a", `"*a"`},
		{"&a", `"&a"`},
		{"!a", `"!a"`},
		{"|", `"|"`},
		{">", `">"`},
		{"%a", `"%a"`},
		{"@a", `"@a"`},
		{"`a", "\"`a\""},
		{"'a'", `"'a'"`},
		{`say "hi"`, `"say \"hi\""`},
		{`a\b`, `"a\\b"`},
		{"a\nb", `"a\nb"`},
		{"a\r\tb", `"a\r\tb"`},
		{"\x00\x07\x1b\x7f", `"\u0000\u0007\u001b\u007f"`},
		{"\u0085\u2028\u2029", `"\u0085\u2028\u2029"`},
		{"\ufeffa", `"\ufeffa"`},
		{"a\u00a0b", `"a\u00a0b"`},
		{"a\xffb", `"a\ufffdb"`},
		{"é ok", "é ok"},
		{"410d697d666405eed63f72e4d3e189bb", `"410d697d666405eed63f72e4d3e189bb"`},
		{"abc123e4", "abc123e4"},
		{"😀", `"😀"`},
		{"\U000e0001", `"\U000e0001"`},
	}
	for _, tt := range tests {
		if got := string(YAML(str(tt.in))); got != tt.want+"\n" {
			t.Errorf("YAML(%q) = %q, want %q", tt.in, got, tt.want+"\n")
		}
	}
}

func TestYAMLFlowStrings(t *testing.T) {
	got := string(YAML(list(str("a"), str("a b"), str("a,b"), str("a:b"), str("x-y.z/w"), str("["), str("a?"))))
	want := `[a, "a b", "a,b", "a:b", x-y.z/w, "[", "a?"]` + "\n"
	if got != want {
		t.Errorf("YAML = %q, want %q", got, want)
	}
}

func TestYAMLLayout(t *testing.T) {
	tests := []struct {
		name string
		in   compiler.Value
		want string
	}{
		{"null", compiler.NullValue(), "null\n"},
		{"int", num(-3), "-3\n"},
		{"big int", bigInt("18446744073709551615"), "18446744073709551615\n"},
		{"huge int", bigInt("-18446744073709551616"), "!!int -18446744073709551616\n"},
		{"empty list", list(), "[]\n"},
		{"empty record", rec(), "{}\n"},
		{"scalar list", list(num(1), flt(2), compiler.BoolValue(true), compiler.NullValue(), str("yes")), "[1, 2.0, true, null, \"yes\"]\n"},
		{
			"record order kept",
			rec("z", num(1), "a", flt(1e-5), "m", str("on")),
			"z: 1\na: 1.0e-05\nm: \"on\"\n",
		},
		{
			"nested",
			rec(
				"stage", str("TRAINING_1"),
				"size", list(num(200), num(150)),
				"empty", list(),
				"none", rec(),
				"stimulus", rec(
					"class", str("grating"),
					"groups", rec("vertical", rec("Ori", list(num(0), num(180)))),
				),
				"trials", list(
					rec("a", num(1), "b", list(rec("c", num(2), "d", num(3)))),
					list(num(1), num(2)),
					list(rec("x", num(1)), list()),
					list(),
					rec(),
					str("s"),
				),
			),
			`stage: TRAINING_1
size: [200, 150]
empty: []
none: {}
stimulus:
    class: grating
    groups:
        vertical:
            Ori: [0, 180]
trials:
    - a: 1
      b:
          - c: 2
            d: 3
    - [1, 2]
    - - x: 1
      - []
    - []
    - {}
    - s
`,
		},
		{
			"top-level block list",
			list(rec("yes", str("no")), num(1)),
			"- \"yes\": \"no\"\n- 1\n",
		},
		{
			"long key",
			rec(strings.Repeat("k", 1001), rec("a", num(1)), strings.Repeat("j", 1001), num(2)),
			"? " + strings.Repeat("k", 1001) + "\n:\n    a: 1\n? " + strings.Repeat("j", 1001) + "\n: 2\n",
		},
	}
	for _, tt := range tests {
		if got := string(YAML(tt.in)); got != tt.want {
			t.Errorf("%s: YAML =\n%s\nwant\n%s", tt.name, got, tt.want)
		}
	}
}

// trickyValues are values whose YAML form is easy to get wrong.
func trickyValues() []compiler.Value {
	var strs []compiler.Value
	for _, s := range []string{
		"yes", "no", "on", "off", "y", "n", "Y", "N", "true", "False", "NULL", "null", "~", "",
		"1", "-1", "1.0", "1e5", "1e-05", "1.0e-05", ".inf", "-.inf", ".nan", "NaN", "inf",
		"0x1F", "0o17", "017", "0b11", "1_000", "1:30", "-1:30", "2001-12-14", "<<", "=",
		" lead", "trail ", "a #b", "a: b", "a:", "- x", "? x", "[x]", "{x}", "!x", "&x", "*x",
		"|", ">", "%x", "@x", "`x", "'x'", `"x"`, `a\b`, "a\nb", "\t", "\x00", "\u0085", "\u2028",
		"\ufeff", "é", "😀", "µL", "http://x.org/a.py?at=1", "a:b", "a,b", "Visual Behavior",
	} {
		strs = append(strs, str(s))
	}
	var floats []compiler.Value
	for _, f := range []float64{0, math.Copysign(0, -1), 1, 15, 0.1, 0.007, 1.0 / 3, 1e-5, 1e-7, 1e16, 1.5e16,
		123456789012345678.0, 5e-324, 1.7976931348623157e+308, -2.5e-300, math.Inf(1), math.Inf(-1), math.NaN()} {
		floats = append(floats, flt(f))
	}
	ints := []compiler.Value{num(0), num(-1), num(math.MaxInt64), num(math.MinInt64),
		bigInt("18446744073709551615"), bigInt("18446744073709551616"), bigInt("-123456789012345678901234567890")}
	var keyed []any
	for i, s := range strs {
		keyed = append(keyed, s.Str, strs[(i+1)%len(strs)])
	}
	return []compiler.Value{
		compiler.NullValue(),
		compiler.BoolValue(true),
		list(strs...),
		list(floats...),
		list(ints...),
		rec(keyed...),
		rec(
			"name", str("VisualBehavior_Task1A_v1.2.0"),
			"mixed", list(append(append(append([]compiler.Value{}, strs...), floats...), ints...)...),
			"nested", list(
				rec("a", list(rec("b", list(list(), rec(), list(rec("c", str("yes"))))))),
				list(list(num(1), flt(1)), rec("x", compiler.NullValue())),
				list(list(list(str("on")))),
			),
			"empties", rec("l", list(), "m", rec(), "ll", list(list()), "mm", list(rec())),
			strings.Repeat("long ", 300)+"key", rec("v", num(1)),
			"z", flt(1e-5),
		),
		list(),
		rec(),
		str("yes"),
		str("a\nb"),
		flt(1e-5),
		bigInt("99999999999999999999999"),
	}
}

func TestYAMLRoundTrip(t *testing.T) {
	for i, v := range trickyValues() {
		out := YAML(v)
		got, err := ParseYAMLValue(out)
		if err != nil {
			t.Errorf("value %d: reading back:\n%s\nerror: %v", i, out, err)
			continue
		}
		if !sameValue(got, v) {
			t.Errorf("value %d: read back as\n%s\nwant\n%s\nYAML:\n%s", i, JSON(got), JSON(v), out)
		}
	}
}

// sameValue is compiler.Equal plus key order and the sign of zero.
func sameValue(a, b compiler.Value) bool {
	if !compiler.Equal(a, b) {
		return false
	}
	switch a.Kind {
	case compiler.Float:
		// NaN has no sign in YAML or JSON.
		return math.IsNaN(a.Float) || math.Signbit(a.Float) == math.Signbit(b.Float)
	case compiler.List:
		for i := range a.List {
			if !sameValue(a.List[i], b.List[i]) {
				return false
			}
		}
	case compiler.Map:
		for i := range a.Map {
			if a.Map[i].Key != b.Map[i].Key || !sameValue(a.Map[i].Value, b.Map[i].Value) {
				return false
			}
		}
	}
	return true
}

func TestParseYAMLValue(t *testing.T) {
	tests := []struct {
		in   string
		want compiler.Value
	}{
		{"", compiler.NullValue()},
		{"a: 1\nb: [x, 2.5, ~]\n", rec("a", num(1), "b", list(str("x"), flt(2.5), compiler.NullValue()))},
		{"x: &v [1]\ny: *v\n", rec("x", list(num(1)), "y", list(num(1)))},
		{"[0x1F, -0o17, 1_000, !!int 99999999999999999999, +.inf, .NaN, True]",
			list(num(31), num(-15), num(1000), bigInt("99999999999999999999"), flt(math.Inf(1)), flt(math.NaN()), compiler.BoolValue(true))},
	}
	for _, tt := range tests {
		got, err := ParseYAMLValue([]byte(tt.in))
		if err != nil {
			t.Errorf("ParseYAMLValue(%q): %v", tt.in, err)
			continue
		}
		if !sameValue(got, tt.want) {
			t.Errorf("ParseYAMLValue(%q) = %s, want %s", tt.in, JSON(got), JSON(tt.want))
		}
	}
	for _, in := range []string{"a: [", "1: a", "a: 1\na: 2", "<<: {a: 1}", "t: 2001-12-14", "a: !!binary aGk="} {
		if _, err := ParseYAMLValue([]byte(in)); err == nil {
			t.Errorf("ParseYAMLValue(%q): got no error", in)
		}
	}
}

func FuzzYAMLString(f *testing.F) {
	for _, v := range trickyValues()[2].List {
		f.Add(v.Str)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // invalid bytes read back as U+FFFD, by design
		}
		for _, v := range []compiler.Value{str(s), rec(s, str(s)), list(str(s), num(1)), list(rec("k", str(s)))} {
			out := YAML(v)
			got, err := ParseYAMLValue(out)
			if err != nil || !sameValue(got, v) {
				t.Fatalf("YAML(%q) = %q, read back as %s (%v)", s, out, JSON(got), err)
			}
		}
	})
}

func FuzzYAMLFloat(f *testing.F) {
	for _, v := range trickyValues()[3].List {
		f.Add(math.Float64bits(v.Float))
	}
	f.Add(math.Float64bits(math.Copysign(math.NaN(), -1)))
	f.Fuzz(func(t *testing.T, bits uint64) {
		v := flt(math.Float64frombits(bits))
		out := YAML(list(v, str("x")))
		got, err := ParseYAMLValue(out)
		if err != nil || !sameValue(got, list(v, str("x"))) {
			t.Fatalf("YAML(%v) = %q, read back as %s (%v)", v.Float, out, JSON(got), err)
		}
	})
}
