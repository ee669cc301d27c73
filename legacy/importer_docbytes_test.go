package legacy

import (
	"math"
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/emit"
	"github.com/regc/regc/internal/corpustest"
)

// TestDocumentBytesCompareAsEqual holds the bytes verify keeps of the
// legacy document (appendValue) to compiler.Equal: documentDiff of a value
// and another's bytes is "" exactly when Equal says they are equal, and
// the bytes decode to a value Equal to the one written. The pairs differ
// (or do not) in what Equal sees and what it does not: a record's order,
// a key written twice, int and float, -0 and 0, NaNs, a string's bytes
// that JSON would write alike; and every document the importer's pinned
// inputs and the corpus build.
func TestDocumentBytesCompareAsEqual(t *testing.T) {
	i := func(n int64) compiler.Value { return compiler.BigIntValue(big.NewInt(n)) }
	f := compiler.FloatValue
	s := compiler.StringValue
	rec := func(kv ...any) compiler.Value {
		var fs []compiler.Field
		for k := 0; k < len(kv); k += 2 {
			fs = append(fs, compiler.Field{Key: kv[k].(string), Value: kv[k+1].(compiler.Value)})
		}
		return compiler.MapValue(fs...)
	}
	huge, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	many := func(reverse bool) compiler.Value {
		var fs []compiler.Field
		for k := range 40 {
			if reverse {
				k = 39 - k
			}
			fs = append(fs, compiler.Field{Key: string(rune('a' + k)), Value: i(int64(k))})
		}
		return compiler.MapValue(fs...)
	}
	pairs := [][2]compiler.Value{
		{compiler.NullValue(), compiler.NullValue()},
		{compiler.BoolValue(true), compiler.BoolValue(false)},
		{i(1), f(1)},
		{i(7), i(7)},
		{compiler.BigIntValue(huge), compiler.BigIntValue(new(big.Int).Set(huge))},
		{compiler.BigIntValue(huge), i(-1)},
		{f(0), f(math.Copysign(0, -1))},
		{f(math.NaN()), f(math.Float64frombits(math.Float64bits(math.NaN()) + 1))},
		{f(math.Inf(1)), f(math.Inf(-1))},
		{s("\xff"), s("\uFFFD")},
		{s(""), compiler.NullValue()},
		{compiler.ListValue(i(1), i(2)), compiler.ListValue(i(2), i(1))},
		{compiler.ListValue(), compiler.MapValue()},
		{rec("a", i(1), "b", i(2)), rec("b", i(2), "a", i(1))},
		{rec("a", i(1), "b", i(2)), rec("a", i(1), "b", i(3))},
		{rec("a", i(1), "b", i(2)), rec("a", i(1), "c", i(2))},
		{rec("a", i(1), "a", i(2)), rec("a", i(1), "a", i(2))},
		{rec("a", i(1), "a", i(2)), rec("a", i(2), "a", i(1))},
		{rec("a", i(1), "a", i(1)), rec("a", i(1), "b", i(1))},
		{rec("a", i(1), "a", i(2)), rec("a", i(1), "a", i(3))},
		{many(false), many(true)},
		{rec("x", many(false)), rec("x", many(true), "y", compiler.NullValue())},
	}
	files, _ := filepath.Glob(filepath.Join(importDir, "*.yml"))
	if dir := corpustest.Seeds(t, "yaml"); dir != "" {
		more, _ := filepath.Glob(filepath.Join(dir, "yaml", "*.yml"))
		files = append(files, more...)
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if res := CompileSource(path, src); res.Regimen != nil {
			doc := emit.DocumentValue(res.Regimen)
			pairs = append(pairs, [2]compiler.Value{doc, doc})
		}
	}
	for _, p := range pairs {
		for _, ab := range [][2]compiler.Value{p, {p[1], p[0]}} {
			a, b := ab[0], ab[1]
			bs := appendValue(nil, b)
			back, rest := decodeValue(bs)
			if again := appendValue(nil, back); len(rest) != 0 || string(again) != string(bs) {
				t.Errorf("%s decodes to %s, whose bytes differ (%d bytes left)", describeValue(b), describeValue(back), len(rest))
			}
			for _, c := range []compiler.Value{a, b, many(false), i(1)} {
				if compiler.Equal(c, back) != compiler.Equal(c, b) || compiler.Equal(back, c) != compiler.Equal(b, c) {
					t.Errorf("%s decodes to %s, which compares otherwise with %s", describeValue(b), describeValue(back), describeValue(c))
				}
			}
			if got, equal := documentDiff(a, bs), compiler.Equal(a, b); (got == "") != equal {
				t.Errorf("%s against %s: documentDiff says %q, Equal says %v", describeValue(a), describeValue(b), got, equal)
			}
		}
	}
}
