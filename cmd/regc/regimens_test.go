package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/internal/corpustest"
	"gopkg.in/yaml.v3"
)

// The tests in this file compile every example and real regimen through the
// command line, and compare the Visual Behavior ports with the documents the
// historic regimen.yml files meant (../shared/corpus), under the corpus
// README's rules of equality.

// invokeRegc runs the command line in-process and returns its exit code and
// streams.
func invokeRegc(args ...string) (code int, stdout, stderr string) {
	var out, errs bytes.Buffer
	e := &env{
		stdin:      strings.NewReader(""),
		stdout:     &out,
		stderr:     &errs,
		getenv:     func(string) string { return "" },
		isTerminal: func(io.Writer) bool { return false },
	}
	code = run(e, args)
	return code, out.String(), errs.String()
}

// regimenFiles lists the .regimen files under dir, recursively, sorted.
func regimenFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".regimen") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

// TestExamplesAndRegimensCompile checks every file under examples/ and
// regimens/: each is clean (no errors, no warnings), and each regimen (not
// a library) builds in both formats.
func TestExamplesAndRegimensCompile(t *testing.T) {
	root := filepath.Join("..", "..")
	var files []string
	for _, dir := range []string{"examples", "regimens"} {
		files = append(files, regimenFiles(t, filepath.Join(root, dir))...)
	}
	for _, want := range []string{
		"examples/quickstart.regimen", "examples/units.regimen", "examples/schemas.regimen",
		"examples/imports.regimen", "examples/migrations.regimen",
		"regimens/visual_behavior/common.regimen", "regimens/visual_behavior/task1a.regimen",
		"regimens/visual_behavior/ephys_task1a.regimen",
	} {
		if _, err := os.Stat(filepath.Join(root, want)); err != nil {
			t.Errorf("%s: %v", want, err)
		}
	}
	for _, path := range files {
		rel, _ := filepath.Rel(root, path)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			code, _, stderr := invokeRegc("check", "--color", "never", path)
			if code != exitOK || stderr != "" {
				t.Fatalf("regc check %s: exit %d, want 0 and no diagnostics:\n%s", rel, code, stderr)
			}
			if compiler.Compile(path, nil).IsLibrary {
				return
			}
			for _, format := range []string{"json", "yaml"} {
				code, stdout, stderr := invokeRegc("build", "--format", format, path)
				if code != exitOK || stderr != "" {
					t.Fatalf("regc build --format %s %s: exit %d:\n%s", format, rel, code, stderr)
				}
				if strings.TrimSpace(stdout) == "" {
					t.Fatalf("regc build --format %s %s: empty output", format, rel)
				}
			}
		})
	}
}

// TestVisualBehaviorPortsMatchCorpus builds the two ports and compares each
// with the document its historic regimen.yml meant, as JSON and as YAML
// read back.
func TestVisualBehaviorPortsMatchCorpus(t *testing.T) {
	corpus := corpustest.Dir(t, "expected")
	ports := []struct{ source, expected string }{
		{"task1a.regimen", "VisualBehavior_Task1A_v1.2.0.bd07899d.json"},
		{"ephys_task1a.regimen", "VisualBehaviorEPHYS_Task1A_v0.2.5.e80061d2.json"},
	}
	for _, p := range ports {
		t.Run(p.source, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(corpus, "expected", p.expected))
			if err != nil {
				t.Fatal(err)
			}
			wantDoc, err := parseJSONDoc(want)
			if err != nil {
				t.Fatalf("%s: %v", p.expected, err)
			}
			source := filepath.Join("..", "..", "regimens", "visual_behavior", p.source)
			for _, format := range []string{"json", "yaml"} {
				code, stdout, stderr := invokeRegc("build", "--format", format, source)
				if code != exitOK {
					t.Fatalf("regc build --format %s: exit %d:\n%s", format, code, stderr)
				}
				var got docValue
				if format == "json" {
					got, err = parseJSONDoc([]byte(stdout))
				} else {
					got, err = parseYAMLDoc([]byte(stdout))
				}
				if err != nil {
					t.Fatalf("reading the --format %s output back: %v\n%s", format, err, stdout)
				}
				if diff := docDiff(normalizeDoc(got), normalizeDoc(wantDoc), ""); diff != "" {
					t.Errorf("--format %s differs from %s: %s", format, p.expected, diff)
				}
			}
		})
	}
}

// docValue is a JSON or YAML value with its type kept: int and float are
// different kinds, as they are to Python and mtrain.
type docValue struct {
	kind  string // null, bool, int, float, string, list, map
	b     bool
	i     *big.Int
	f     float64
	s     string
	list  []docValue
	m     map[string]docValue
	order []string // map keys as read, for messages only
}

func (v docValue) String() string {
	switch v.kind {
	case "null":
		return "null"
	case "bool":
		return fmt.Sprintf("bool %v", v.b)
	case "int":
		return "int " + v.i.String()
	case "float":
		// Python's spelling: 15.0, not 15
		text := strconv.FormatFloat(v.f, 'g', -1, 64)
		if !strings.ContainsAny(text, ".eInfa") {
			text += ".0"
		}
		return "float " + text
	case "string":
		return "string " + strconv.Quote(v.s)
	case "list":
		return fmt.Sprintf("a list of %d", len(v.list))
	default:
		return fmt.Sprintf("a map of %d keys", len(v.m))
	}
}

// parseJSONDoc reads a JSON document, telling ints from floats by the
// literal: a number with '.', 'e' or 'E' is a float. Python writes an
// infinite float as Infinity (and NaN), which is not JSON: those literals are
// read as floats.
func parseJSONDoc(data []byte) (docValue, error) {
	data = pythonFloatLiterals(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return docValue{}, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return docValue{}, errors.New("trailing data after the document")
	}
	return fromJSON(raw)
}

// nanSentinel stands for Python's NaN literal while encoding/json reads.
const nanSentinel = "\x00NaN"

// pythonFloatLiterals rewrites Python's Infinity, -Infinity and NaN (outside
// strings) into JSON encoding/json reads: 1e999, -1e999, and a sentinel.
func pythonFloatLiterals(data []byte) []byte {
	var out bytes.Buffer
	inString := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case inString && c == '\\':
			out.WriteByte(c)
			i++
			if i < len(data) {
				out.WriteByte(data[i])
			}
			continue
		case c == '"':
			inString = !inString
		case !inString && bytes.HasPrefix(data[i:], []byte("-Infinity")):
			out.WriteString("-1e999")
			i += len("-Infinity") - 1
			continue
		case !inString && bytes.HasPrefix(data[i:], []byte("Infinity")):
			out.WriteString("1e999")
			i += len("Infinity") - 1
			continue
		case !inString && bytes.HasPrefix(data[i:], []byte("NaN")):
			out.WriteString(`"\u0000NaN"`)
			i += len("NaN") - 1
			continue
		}
		out.WriteByte(c)
	}
	return out.Bytes()
}

func fromJSON(raw any) (docValue, error) {
	switch x := raw.(type) {
	case nil:
		return docValue{kind: "null"}, nil
	case bool:
		return docValue{kind: "bool", b: x}, nil
	case string:
		if x == nanSentinel {
			return docValue{kind: "float", f: math.NaN()}, nil
		}
		return docValue{kind: "string", s: x}, nil
	case json.Number:
		text := x.String()
		if strings.ContainsAny(text, ".eE") {
			f, err := strconv.ParseFloat(text, 64)
			if err != nil && !math.IsInf(f, 0) {
				return docValue{}, err
			}
			return docValue{kind: "float", f: f}, nil
		}
		i, ok := new(big.Int).SetString(text, 10)
		if !ok {
			return docValue{}, fmt.Errorf("bad integer %q", text)
		}
		return docValue{kind: "int", i: i}, nil
	case []any:
		out := docValue{kind: "list", list: make([]docValue, len(x))}
		for i, item := range x {
			v, err := fromJSON(item)
			if err != nil {
				return docValue{}, err
			}
			out.list[i] = v
		}
		return out, nil
	case map[string]any:
		out := docValue{kind: "map", m: make(map[string]docValue, len(x))}
		for k, item := range x {
			v, err := fromJSON(item)
			if err != nil {
				return docValue{}, err
			}
			out.m[k] = v
			out.order = append(out.order, k)
		}
		return out, nil
	}
	return docValue{}, fmt.Errorf("unexpected JSON value %T", raw)
}

// parseYAMLDoc reads a YAML document through yaml.v3's node tree, so that the
// resolved tag keeps !!int and !!float apart.
func parseYAMLDoc(data []byte) (docValue, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return docValue{}, err
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 {
		return docValue{}, errors.New("not a single YAML document")
	}
	return fromYAML(root.Content[0])
}

func fromYAML(n *yaml.Node) (docValue, error) {
	switch n.Kind {
	case yaml.AliasNode:
		return fromYAML(n.Alias)
	case yaml.SequenceNode:
		out := docValue{kind: "list", list: make([]docValue, len(n.Content))}
		for i, c := range n.Content {
			v, err := fromYAML(c)
			if err != nil {
				return docValue{}, err
			}
			out.list[i] = v
		}
		return out, nil
	case yaml.MappingNode:
		out := docValue{kind: "map", m: map[string]docValue{}}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, c := n.Content[i], n.Content[i+1]
			if k.ShortTag() == "!!merge" {
				return docValue{}, fmt.Errorf("line %d: a merge key: the emitter writes none", k.Line)
			}
			if k.Kind != yaml.ScalarNode {
				return docValue{}, fmt.Errorf("line %d: a key that is not a scalar", k.Line)
			}
			if _, dup := out.m[k.Value]; dup {
				return docValue{}, fmt.Errorf("line %d: key %q twice", k.Line, k.Value)
			}
			v, err := fromYAML(c)
			if err != nil {
				return docValue{}, err
			}
			out.m[k.Value] = v
			out.order = append(out.order, k.Value)
		}
		return out, nil
	case yaml.ScalarNode:
		switch tag := n.ShortTag(); tag {
		case "!!null":
			return docValue{kind: "null"}, nil
		case "!!bool":
			var b bool
			err := n.Decode(&b)
			return docValue{kind: "bool", b: b}, err
		case "!!str":
			return docValue{kind: "string", s: n.Value}, nil
		case "!!int":
			var x any
			if err := n.Decode(&x); err != nil {
				return docValue{}, err
			}
			i, ok := new(big.Int).SetString(fmt.Sprint(x), 10)
			if !ok {
				return docValue{}, fmt.Errorf("line %d: bad int %q", n.Line, n.Value)
			}
			return docValue{kind: "int", i: i}, nil
		case "!!float":
			var f float64
			err := n.Decode(&f)
			return docValue{kind: "float", f: f}, err
		default:
			return docValue{}, fmt.Errorf("line %d: unexpected tag %s", n.Line, tag)
		}
	}
	return docValue{}, fmt.Errorf("line %d: unexpected YAML node kind %v", n.Line, n.Kind)
}

// normalizeDoc applies the corpus rules for transitions: `conditions` and
// `unless` written as one string equal a one-item list, and null or an empty
// list equals leaving the key out; as oracle.py's `doc.get(...) or []`,
// null stages and transitions are none.
func normalizeDoc(doc docValue) docValue {
	if doc.kind != "map" {
		return doc
	}
	out := docValue{kind: "map", m: map[string]docValue{}, order: doc.order}
	for k, v := range doc.m {
		out.m[k] = v
	}
	if st, ok := out.m["stages"]; ok && st.kind == "null" {
		out.m["stages"] = docValue{kind: "map", m: map[string]docValue{}}
	}
	ts, ok := out.m["transitions"]
	if ok && ts.kind == "null" {
		ts = docValue{kind: "list"}
		out.m["transitions"] = ts
	}
	if !ok || ts.kind != "list" {
		return out
	}
	norm := docValue{kind: "list", list: make([]docValue, len(ts.list))}
	for i, t := range ts.list {
		norm.list[i] = t
		if t.kind != "map" {
			continue
		}
		nt := docValue{kind: "map", m: map[string]docValue{}, order: t.order}
		for k, v := range t.m {
			if k == "conditions" || k == "unless" {
				switch {
				case v.kind == "null", v.kind == "list" && len(v.list) == 0:
					continue
				case v.kind == "string":
					v = docValue{kind: "list", list: []docValue{v}}
				}
			}
			nt.m[k] = v
		}
		norm.list[i] = nt
	}
	out.m["transitions"] = norm
	return out
}

// docDiff returns "" when got and want are the same document (keys in any
// order, list order kept, int, float, bool, null and string all distinct),
// else the first difference: `path: got ..., want ...`.
func docDiff(got, want docValue, path string) string {
	at := path
	if at == "" {
		at = "(the document)"
	}
	if got.kind != want.kind {
		return fmt.Sprintf("%s: got %s, want %s", at, got, want)
	}
	switch got.kind {
	case "null":
		return ""
	case "bool":
		if got.b != want.b {
			return fmt.Sprintf("%s: got %s, want %s", at, got, want)
		}
	case "int":
		if got.i.Cmp(want.i) != 0 {
			return fmt.Sprintf("%s: got %s, want %s", at, got, want)
		}
	case "float":
		if got.f != want.f && !(math.IsNaN(got.f) && math.IsNaN(want.f)) {
			return fmt.Sprintf("%s: got %s, want %s", at, got, want)
		}
	case "string":
		if got.s != want.s {
			return fmt.Sprintf("%s: got %s, want %s", at, got, want)
		}
	case "list":
		for i := 0; i < len(got.list) && i < len(want.list); i++ {
			if d := docDiff(got.list[i], want.list[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		if len(got.list) != len(want.list) {
			return fmt.Sprintf("%s: got a list of %d, want %d", at, len(got.list), len(want.list))
		}
	case "map":
		keys := make([]string, 0, len(got.m)+len(want.m))
		for k := range got.m {
			keys = append(keys, k)
		}
		for k := range want.m {
			if _, ok := got.m[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			sub := k
			if path != "" {
				sub = path + "." + k
			}
			g, inGot := got.m[k]
			w, inWant := want.m[k]
			switch {
			case !inGot:
				return fmt.Sprintf("%s: missing, want %s", sub, w)
			case !inWant:
				return fmt.Sprintf("%s: got %s, want no such key", sub, g)
			}
			if d := docDiff(g, w, sub); d != "" {
				return d
			}
		}
	}
	return ""
}

// TestDocDiffRules pins the equality rules the corpus test relies on.
func TestDocDiffRules(t *testing.T) {
	doc := func(s string) docValue {
		t.Helper()
		v, err := parseJSONDoc([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return normalizeDoc(v)
	}
	yamlDoc := func(s string) docValue {
		t.Helper()
		v, err := parseYAMLDoc([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return normalizeDoc(v)
	}
	cases := []struct {
		name      string
		got, want docValue
		diff      string // "" when the two are the same
	}{
		{"key order is free", doc(`{"a": 1, "b": 2}`), doc(`{"b": 2, "a": 1}`), ""},
		{"int is not float",
			doc(`{"stages": {"X": {"parameters": {"reward_volume": 0.007}}}}`),
			doc(`{"stages": {"X": {"parameters": {"reward_volume": 7}}}}`),
			"stages.X.parameters.reward_volume: got float 0.007, want int 7"},
		{"1.0 is not 1", doc(`{"a": 1.0}`), doc(`{"a": 1}`), "a: got float 1.0, want int 1"},
		{"an exponent makes a float", doc(`{"a": 1e3}`), doc(`{"a": 1000.0}`), ""},
		{"true is not 1", doc(`{"a": true}`), doc(`{"a": 1}`), "a: got bool true, want int 1"},
		{"null is not absent outside transitions", doc(`{"a": null}`), doc(`{}`), "a: got null, want no such key"},
		{"list order is kept", doc(`{"a": [1, 2]}`), doc(`{"a": [2, 1]}`), "a[0]: got int 1, want int 2"},
		{"list length", doc(`{"a": [1]}`), doc(`{"a": [1, 2]}`), "a: got a list of 1, want 2"},
		{"a condition string is a one-item list",
			doc(`{"transitions": [{"conditions": "one_complete"}]}`),
			doc(`{"transitions": [{"conditions": ["one_complete"]}]}`), ""},
		{"null and [] are absent for unless and conditions",
			doc(`{"transitions": [{"unless": null, "conditions": []}]}`),
			doc(`{"transitions": [{}]}`), ""},
		{"transition order is kept",
			doc(`{"transitions": [{"dest": "A"}, {"dest": "B"}]}`),
			doc(`{"transitions": [{"dest": "B"}, {"dest": "A"}]}`),
			`transitions[0].dest: got string "A", want string "B"`},
		{"missing key", doc(`{"stages": {}}`), doc(`{"stages": {"X": 1}}`), "stages.X: missing, want int 1"},
		{"YAML keeps ints and floats apart",
			yamlDoc("a: 15.0\nb: 10\nc: null\nd: \"5\"\n"),
			doc(`{"a": 15.0, "b": 10, "c": null, "d": "5"}`), ""},
		{"YAML 15 is not 15.0", yamlDoc("a: 15\n"), doc(`{"a": 15.0}`), "a: got int 15, want float 15.0"},
	}
	for _, c := range cases {
		if got := docDiff(c.got, c.want, ""); got != c.diff {
			t.Errorf("%s: docDiff = %q, want %q", c.name, got, c.diff)
		}
	}
}
