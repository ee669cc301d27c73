package emit

import (
	"bytes"
	"fmt"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/internal/py"
)

// These tests cross-check against CPython's json module and PyYAML when
// python3 is installed, and skip otherwise. The table tests in json_test.go
// and yaml_test.go are the primary ones.

// python runs script with python3 on the files in args, or skips the test
// when python3 (or a module the script needs) is missing.
func python(t *testing.T, modules, script string, args ...string) {
	t.Helper()
	exe, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	if err := exec.Command(exe, "-c", "import "+modules).Run(); err != nil {
		t.Skipf("python3 lacks %s", modules)
	}
	cmd := exec.Command(exe, append([]string{"-c", script}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr.String())
	}
}

func randomFloats(n int) []float64 {
	r := rand.New(rand.NewSource(1))
	fs := make([]float64, 0, n+len(pyFloatTests))
	for _, tt := range pyFloatTests {
		fs = append(fs, tt.in)
	}
	for i := 0; i < n; i++ {
		switch i % 3 {
		case 0:
			fs = append(fs, math.Float64frombits(r.Uint64()))
		case 1:
			fs = append(fs, r.NormFloat64()*math.Pow(10, float64(r.Intn(44)-22)))
		default:
			fs = append(fs, float64(r.Int63n(1000000))/math.Pow(10, float64(r.Intn(12))))
		}
	}
	return fs
}

// randomStrings mixes characters that YAML and JSON treat specially.
func randomStrings(n int) []string {
	r := rand.New(rand.NewSource(2))
	pieces := []string{"a", "Z", "0", "1", "e", "x", ".", "-", "+", "_", ":", " ", "#", ",", "[", "]", "{", "}",
		"?", "!", "&", "*", "|", ">", "'", `"`, `\`, "%", "@", "`", "~", "=", "<<", "\n", "\t", "\r", "\x00",
		"\x7f", "\u0085", "\u00a0", "é", "\u2028", "\ufeff", "😀", "yes", "no", "on", "null", "true", ".inf",
		"0x", "0o", "1e", "1:", "2001-12-14"}
	ss := make([]string, n)
	for i := range ss {
		var b strings.Builder
		for k := r.Intn(5); k >= 0; k-- {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		ss[i] = b.String()
	}
	return ss
}

func TestPythonFloatRepr(t *testing.T) {
	fs := randomFloats(30000)
	dir := t.TempDir()
	var in bytes.Buffer
	for _, f := range fs {
		fmt.Fprintf(&in, "%016x\n", math.Float64bits(f))
	}
	inFile, outFile := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	if err := os.WriteFile(inFile, in.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	python(t, "json, struct", `
import struct, sys
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as out:
    for line in f:
        x = struct.unpack("<d", struct.pack("<Q", int(line, 16)))[0]
        out.write(repr(x) + "\n")
`, inFile, outFile)
	out, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(want) != len(fs) {
		t.Fatalf("python3 printed %d floats, want %d", len(want), len(fs))
	}
	bad := 0
	for i, f := range fs {
		if got := py.Float(f); got != want[i] {
			t.Errorf("PyFloat(%x) = %q, python3 says %q", math.Float64bits(f), got, want[i])
			if bad++; bad > 10 {
				t.FailNow()
			}
		}
	}
}

// crossCheckValues are the values given to Python: the tricky ones, and
// records of random strings and floats.
func crossCheckValues() []compiler.Value {
	vs := trickyValues()
	var fields []compiler.Field
	var strs []compiler.Value
	for i, s := range randomStrings(3000) {
		if i%2 == 0 {
			fields = append(fields, compiler.Field{Key: s, Value: str(s)})
		}
		strs = append(strs, str(s))
	}
	// Keys must be unique.
	seen := map[string]bool{}
	uniq := fields[:0]
	for _, f := range fields {
		if !seen[f.Key] {
			seen[f.Key] = true
			uniq = append(uniq, f)
		}
	}
	var floats []compiler.Value
	for _, f := range randomFloats(3000) {
		floats = append(floats, flt(f))
	}
	return append(vs, compiler.MapValue(uniq...), list(strs...), list(floats...),
		rec("floats", list(floats...), "strings", list(strs...)))
}

// TestPythonJSON checks that Python reads our JSON and dumps it back to the
// same bytes.
func TestPythonJSON(t *testing.T) {
	vs := crossCheckValues()
	dir := t.TempDir()
	var files []string
	for i, v := range vs {
		name := filepath.Join(dir, fmt.Sprintf("%d.json", i))
		if err := os.WriteFile(name, JSON(v), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	python(t, "json", `
import json, sys
for name in sys.argv[1:]:
    with open(name) as f:
        v = json.load(f)
    with open(name + ".out", "w") as f:
        f.write(json.dumps(v, sort_keys=True, indent=4))
`, files...)
	for i, name := range files {
		want, err := os.ReadFile(name + ".out")
		if err != nil {
			t.Fatal(err)
		}
		if got := JSON(vs[i]); !bytes.Equal(got, want) {
			t.Errorf("value %d: JSON =\n%s\npython3 re-dumps it as\n%s", i, got, want)
		}
	}
}

// TestPythonYAML checks that PyYAML (YAML 1.1) loads our YAML as the value
// we wrote: its json.dumps must be our JSON, which tells ints, floats,
// booleans and strings apart; key order is compared too.
func TestPythonYAML(t *testing.T) {
	vs := crossCheckValues()
	dir := t.TempDir()
	var files []string
	for i, v := range vs {
		name := filepath.Join(dir, fmt.Sprintf("%d.yaml", i))
		if err := os.WriteFile(name, YAML(v), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	python(t, "json, yaml", `
import json, sys, yaml
def keys(v):
    if isinstance(v, dict):
        return [[k, keys(x)] for k, x in v.items()]
    if isinstance(v, list):
        return [keys(x) for x in v]
    return None
for name in sys.argv[1:]:
    with open(name, encoding="utf-8") as f:
        v = yaml.safe_load(f)
    with open(name + ".out", "w") as f:
        f.write(json.dumps(v, sort_keys=True, indent=4))
    with open(name + ".keys", "w") as f:
        f.write(json.dumps(keys(v), indent=4))
`, files...)
	for i, name := range files {
		want, err := os.ReadFile(name + ".out")
		if err != nil {
			t.Fatal(err)
		}
		if got := JSON(vs[i]); !bytes.Equal(got, want) {
			t.Errorf("value %d: PyYAML reads\n%s\nas\n%s\nwant\n%s", i, YAML(vs[i]), want, got)
			continue
		}
		gotKeys, err := os.ReadFile(name + ".keys")
		if err != nil {
			t.Fatal(err)
		}
		if wantKeys := JSON(keyOrder(vs[i])); !bytes.Equal(gotKeys, wantKeys) {
			t.Errorf("value %d: PyYAML key order\n%s\nwant\n%s", i, gotKeys, wantKeys)
		}
	}
}

// keyOrder mirrors the Python keys function above: the keys of every record
// in order, without the scalars.
func keyOrder(v compiler.Value) compiler.Value {
	switch v.Kind {
	case compiler.Map:
		var out []compiler.Value
		for _, f := range v.Map {
			out = append(out, list(str(f.Key), keyOrder(f.Value)))
		}
		return list(out...)
	case compiler.List:
		var out []compiler.Value
		for _, x := range v.List {
			out = append(out, keyOrder(x))
		}
		return list(out...)
	}
	return compiler.NullValue()
}
