package yaml

import (
	"fmt"
	"math"
	"math/big"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/regc/regc/lang"
)

// readValue reads `v: TEXT` and returns the typed form of v's value.
func readValue(t *testing.T, text string) (string, lang.Diagnostics) {
	t.Helper()
	root, diags := Read("t.yml", []byte("v: "+text+"\n"))
	if root == nil {
		return "", diags
	}
	m, ok := root.Construct().(*Map)
	if !ok {
		t.Fatalf("%q: document is not a mapping", text)
	}
	v, _ := m.Get("v")
	return typedString(v), diags
}

// TestLegacyScalars checks YAML 1.1 scalar resolution as PyYAML does it.
// Each expectation was checked against PyYAML 6.0.
func TestLegacyScalars(t *testing.T) {
	tests := []struct{ in, want string }{
		// bool: only these spellings; y/n and mixed case are strings
		{"yes", "bool:true"}, {"Yes", "bool:true"}, {"YES", "bool:true"},
		{"no", "bool:false"}, {"No", "bool:false"}, {"NO", "bool:false"},
		{"true", "bool:true"}, {"True", "bool:true"}, {"TRUE", "bool:true"},
		{"false", "bool:false"}, {"False", "bool:false"}, {"FALSE", "bool:false"},
		{"on", "bool:true"}, {"On", "bool:true"}, {"ON", "bool:true"},
		{"off", "bool:false"}, {"Off", "bool:false"}, {"OFF", "bool:false"},
		{"y", `str:"y"`}, {"Y", `str:"Y"`}, {"n", `str:"n"`}, {"N", `str:"N"`},
		{"yEs", `str:"yEs"`}, {"tRUE", `str:"tRUE"`},
		// null
		{"~", "null"}, {"null", "null"}, {"Null", "null"}, {"NULL", "null"}, {"", "null"},
		{"nULL", `str:"nULL"`}, {`"null"`, `str:"null"`}, {"'~'", `str:"~"`},
		// int
		{"0", "int:0"}, {"-0", "int:0"}, {"+12", "int:12"}, {"1_000", "int:1000"},
		{"012", "int:10"}, {"0_7", "int:7"}, {"0o12", `str:"0o12"`}, {"0999", `str:"0999"`}, {"09", `str:"09"`},
		{"0x1F", "int:31"}, {"-0x1f", "int:-31"}, {"0X1F", `str:"0X1F"`},
		{"0b101", "int:5"}, {"-0b1_01", "int:-5"},
		{"1:30", "int:90"}, {"-1:30", "int:-90"}, {"190:20:30", "int:685230"}, {"1_:30", "int:90"},
		{"0:30", `str:"0:30"`}, {"1:60", `str:"1:60"`},
		{"123456789012345678901234567890", "int:123456789012345678901234567890"},
		// float: a dot is required, and an exponent needs its sign
		{"1.0", "float:1"}, {"1.", "float:1"}, {".5", "float:0.5"}, {"-0.0", "float:-0"},
		{"1.5e+3", "float:1500"}, {"1.5E-3", "float:0.0015"}, {"685.230_15e+03", "float:685230.15"},
		{"1e5", `str:"1e5"`}, {"12e3", `str:"12e3"`}, {"1.5e3", `str:"1.5e3"`}, {"1.0e5", `str:"1.0e5"`},
		{"-.5", `str:"-.5"`}, {"+.5", `str:"+.5"`},
		{".inf", "float:+Inf"}, {"-.inf", "float:-Inf"}, {"+.inf", "float:+Inf"}, {".Inf", "float:+Inf"}, {".INF", "float:+Inf"},
		{".iNf", `str:".iNf"`}, {".nan", "float:nan"}, {".NaN", "float:nan"}, {".NAN", "float:nan"}, {"-.nan", `str:"-.nan"`},
		{"1:30.5", "float:90.5"}, {"-1:30.5", "float:-90.5"}, {"190:20:30.15", "float:685230.15"},
		// explicit tags
		{"!!str 123", `str:"123"`}, {`!!int "123"`, "int:123"}, {"!!float 1", "float:1"}, {"!!float 1e5", "float:100000"},
		{"!!bool yEs", "bool:true"}, {"!!null foo", "null"}, {"!!int 0o17", "int:15"}, {"!!int 1:70", "int:130"},
		{"!<tag:yaml.org,2002:str> 12", `str:"12"`}, {"! 12", "int:12"}, {"!!str", `str:""`},
		// quoted and other strings
		{"'yes'", `str:"yes"`}, {`"1"`, `str:"1"`}, {"'it''s'", `str:"it's"`}, {`"a\tb\u263A"`, `str:"a\tb☺"`},
		{"http://x/y.py?at=5", `str:"http://x/y.py?at=5"`}, {"a b  c", `str:"a b  c"`}, {"=x", `str:"=x"`},
		// collections
		{"[1, 1.0, yes, ~, x]", `[int:1, float:1, bool:true, null, str:"x"]`},
		{"{a: 1, b: [2]}", `{"a": int:1, "b": [int:2]}`},
		{"!!omap [a: 1, b: 2]", `[[str:"a", int:1], [str:"b", int:2]]`},
	}
	for _, tt := range tests {
		got, diags := readValue(t, tt.in)
		if diags.HasErrors() {
			t.Errorf("%q: unexpected diagnostics %v", tt.in, diags)
			continue
		}
		if got != tt.want {
			t.Errorf("%q: got %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestLegacyScalarErrors checks values PyYAML fails to construct.
func TestLegacyScalarErrors(t *testing.T) {
	tests := []struct{ in, code string }{
		{"!!int abc", lang.CodeInvalidValue},
		{"!!int 0x_", lang.CodeInvalidValue},
		{"0b_", lang.CodeInvalidValue},
		{"!!bool maybe", lang.CodeInvalidValue},
		{"!!float x1", lang.CodeInvalidValue},
		{"!foo bar", lang.CodeUnknownTag},
		{"=", lang.CodeInvalidValue},
		{"<<", lang.CodeInvalidValue},
		{"!!map [1]", lang.CodeInvalidValue},
		{"!!seq {a: 1}", lang.CodeInvalidValue},
		{"!!str [1]", lang.CodeInvalidValue},
		{"2001-13-01", lang.CodeInvalidValue},
		{"2001-12-14 25:00:00", lang.CodeInvalidValue},
		{"!!binary 'QQ'", lang.CodeInvalidValue},
	}
	for _, tt := range tests {
		_, diags := readValue(t, tt.in)
		if len(diags) != 1 || diags[0].Code != tt.code || diags[0].Severity != lang.Error {
			t.Errorf("%q: got %v, want one %s error", tt.in, diags, tt.code)
			continue
		}
		if r := diags[0].Range; r.Start.Line != 1 || r.Start.Column != 4 {
			t.Errorf("%q: error at %v, want 1:4", tt.in, r.Start)
		}
	}
}

// TestLegacyTimestampsAndBinary checks the rarer types of safe_load.
func TestLegacyTimestampsAndBinary(t *testing.T) {
	root, diags := Read("t.yml", []byte(
		"d: 2001-12-14\n"+
			"t: 2001-12-14 21:59:43.10 -5\n"+
			"z: 2001-12-15T02:59:43.1Z\n"+
			"n: 2001-2-3 1:02:03\n"+
			"b: !!binary aGVsbG8=\n"+
			"s: !!set {x, y}\n"))
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	m := root.Construct().(*Map)
	get := func(k string) any { v, _ := m.Get(k); return v }
	if d := get("d").(Timestamp); d.HasTime || d.Time.Format("2006-01-02") != "2001-12-14" {
		t.Errorf("d: got %+v", d)
	}
	ts := get("t").(Timestamp)
	z := get("z").(Timestamp)
	if !ts.HasZone || !z.HasZone || !ts.Time.Equal(z.Time) {
		t.Errorf("t and z should be one instant: %v, %v", ts.Time, z.Time)
	}
	if n := get("n").(Timestamp); n.HasZone || !n.Time.Equal(time.Date(2001, 2, 3, 1, 2, 3, 0, time.UTC)) {
		t.Errorf("n: got %+v", n)
	}
	if b := get("b").([]byte); string(b) != "hello" {
		t.Errorf("b: got %q", b)
	}
	if s := get("s").(*Set); typedString(s.Items) != `[str:"x", str:"y"]` {
		t.Errorf("s: got %v", s.Items)
	}
}

// TestLegacyMerge checks merge keys as PyYAML applies them.
func TestLegacyMerge(t *testing.T) {
	src := `base: &b {x: 1, y: 2}
other: &o {x: 10, z: 30}
explicit_wins:
  <<: *b
  x: 5
list_earlier_wins:
  <<: [*b, *o]
list_order:
  <<: [*o, *b]
  w: 0
explicit_before:
  x: 9
  <<: *b
two_merge_keys:
  <<: *b
  <<: *o
nested: &n
  <<: *b
  y: 20
deep:
  <<: *n
  q: 1
inline:
  <<: {p: 1, x: 7}
  x: 8
`
	root, diags := Read("m.yml", []byte(src))
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	m := root.Construct().(*Map)
	want := map[string]string{
		"explicit_wins":     `{"x": int:5, "y": int:2}`,
		"list_earlier_wins": `{"x": int:1, "y": int:2, "z": int:30}`,
		"list_order":        `{"w": int:0, "x": int:10, "y": int:2, "z": int:30}`,
		"explicit_before":   `{"x": int:9, "y": int:2}`,
		"two_merge_keys":    `{"x": int:10, "y": int:2, "z": int:30}`,
		"nested":            `{"x": int:1, "y": int:20}`,
		"deep":              `{"q": int:1, "x": int:1, "y": int:20}`,
		"inline":            `{"p": int:1, "x": int:8}`,
	}
	for k, w := range want {
		v, _ := m.Get(k)
		if got := typedString(v); got != w {
			t.Errorf("%s: got %s, want %s", k, got, w)
		}
	}
	// Key order is a Python dict's: merged keys first, in merge order.
	v, _ := m.Get("list_order")
	var keys []string
	for _, p := range v.(*Map).Pairs {
		keys = append(keys, p.Key.(string))
	}
	// PyYAML reverses the list before merging, so b's keys come first.
	if got := strings.Join(keys, ","); got != "x,y,z,w" {
		t.Errorf("list_order keys: got %s, want x,y,z,w", got)
	}

	// The node tree keeps the merge as written.
	n := root.Get("list_earlier_wins")
	if n == nil || len(n.Pairs()) != 1 || !n.Pairs()[0].Key.IsMergeKey() {
		t.Fatalf("merge key not kept: %+v", n)
	}
	seq := n.Pairs()[0].Value
	if seq.Kind != Sequence || len(seq.Items()) != 2 || seq.Items()[0].Kind != Alias ||
		seq.Items()[0].Value != "b" || seq.Items()[0].Alias() != root.Get("base") || root.Get("base").Anchor() != "b" {
		t.Errorf("merge list not kept as aliases: %+v", seq)
	}
	// Entries say which values came from merges.
	var merged, own []string
	for _, e := range root.Get("explicit_wins").Entries() {
		if e.Merged {
			merged = append(merged, e.KeyValue.(string))
		} else {
			own = append(own, e.KeyValue.(string))
		}
	}
	if strings.Join(merged, ",") != "y" || strings.Join(own, ",") != "x" {
		t.Errorf("entries: merged %v, own %v", merged, own)
	}
}

// TestLegacyDuplicateKeys checks that the later value wins and each later
// occurrence is reported, pointing at the first.
func TestLegacyDuplicateKeys(t *testing.T) {
	src := "k: 1\nk: 2\nj: {x: 1, x: 2, x: 3}\n1: a\ntrue: b\n1.0: c\n<<: {m: 1}\n<<: {m: 2}\n"
	root, diags := Read("d.yml", []byte(src))
	var lines []int
	for _, d := range diags {
		if d.Code != lang.CodeDuplicateKey || d.Severity != lang.Warning || d.Related == nil {
			t.Errorf("unexpected diagnostic %v", d)
			continue
		}
		lines = append(lines, d.Range.Start.Line)
		if d.Related.Range.Start.Line >= d.Range.Start.Line && d.Range.Start.Line != 3 {
			t.Errorf("related should be the first occurrence: %v", d)
		}
	}
	// k twice; x three times on line 3; 1, true and 1.0 are one key to Python.
	sort.Ints(lines)
	if got := fmt.Sprint(lines); got != "[2 3 3 5 6]" {
		t.Errorf("duplicate-key lines: got %v", lines)
	}
	got := typedString(root.Construct())
	want := `{"1": str:"c", "j": {"x": int:3}, "k": int:2, "m": int:2}`
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	// Python keeps the first key object: 1, not true or 1.0.
	for _, p := range root.Construct().(*Map).Pairs {
		if b, ok := p.Key.(*big.Int); ok && b.Int64() != 1 {
			t.Errorf("key %v", p.Key)
		}
	}
	e := root.Entries()
	if len(e) != 4 || e[0].KeyValue != "m" || !e[0].Merged || e[1].KeyValue != "k" || len(e[1].Shadowed) != 1 ||
		e[1].Value.Range().Start.Line != 2 || e[1].Shadowed[0].Key.Range().Start.Line != 1 {
		t.Errorf("entries: %+v", e)
	}
}

// TestLegacyBadInput checks that broken files get positioned diagnostics.
func TestLegacyBadInput(t *testing.T) {
	tests := []struct {
		name, src  string
		code       string
		line, col  int
		nilRoot    bool
		wantInText string
	}{
		{"tab indentation", "a:\n\tb: 1\n", lang.CodeSyntax, 2, 1, true, "'\\t'"},
		{"unclosed double quote", "a: \"x\nb: 1\n", lang.CodeSyntax, 3, 1, true, "end of stream"},
		{"unclosed single quote", "a: 'x\n", lang.CodeSyntax, 2, 1, true, "end of stream"},
		{"unclosed flow", "a: [1, 2\nb: 3\n", lang.CodeSyntax, 2, 2, true, "expected ',' or ']'"},
		{"bad indentation", "a: 1\n b: 2\n", lang.CodeSyntax, 2, 3, true, "mapping values are not allowed"},
		{"mis-indented list item", "a:\n  - 1\n  - 2\n - 3\n", lang.CodeSyntax, 4, 2, true, "expected <block end>"},
		{"key without colon", "a:\n  b: 1\n  c\n  d: 2\n", lang.CodeSyntax, 3, 3, true, "':'"},
		{"undefined alias", "a: &x 1\nb: *y\n", lang.CodeUndefinedAlias, 2, 4, false, "'y'"},
		{"duplicate anchor", "a: &x 1\nb: &x 2\n", lang.CodeDuplicateAnchor, 2, 4, false, "'x'"},
		{"recursive alias", "a: &r [1, *r]\n", lang.CodeRecursiveAlias, 1, 11, false, "'r'"},
		{"non-utf-8", "a: b\nc: \xff\n", lang.CodeSyntax, 2, 4, true, "utf-8"},
		{"control character", "a: \x07\n", lang.CodeSyntax, 1, 4, true, "#x0007"},
		{"two documents", "a: 1\n---\nb: 2\n", lang.CodeSyntax, 2, 1, true, "another document"},
		{"merge of a scalar", "a: {<<: 1}\n", lang.CodeInvalidMerge, 1, 9, false, "merging"},
		{"unhashable key", "? [1]\n: 2\n", lang.CodeInvalidValue, 1, 3, false, "unhashable"},
		{"deep nesting", strings.Repeat("[", 2000), lang.CodeSyntax, 1, maxDepth + 1, true, "nested"},
	}
	for _, tt := range tests {
		root, diags := Read("bad.yml", []byte(tt.src))
		if len(diags) == 0 {
			t.Errorf("%s: no diagnostics", tt.name)
			continue
		}
		d := diags[0]
		if d.Code != tt.code || d.Severity != lang.Error || d.Range.Start.Line != tt.line || d.Range.Start.Column != tt.col ||
			!strings.Contains(d.Message, tt.wantInText) || d.Range.File != "bad.yml" {
			t.Errorf("%s: got %v, want %s at %d:%d mentioning %s", tt.name, d, tt.code, tt.line, tt.col, tt.wantInText)
		}
		if d.Message != strings.ToLower(d.Message[:1])+d.Message[1:] {
			t.Errorf("%s: message not lowercase: %q", tt.name, d.Message)
		}
		if (root == nil) != tt.nilRoot {
			t.Errorf("%s: root nil = %v", tt.name, root == nil)
		}
		checkRanges(t, tt.name, tt.src, diags, root)
	}
}

// TestLegacyUndefinedAliasSuggestion checks the did-you-mean on aliases.
func TestLegacyUndefinedAliasSuggestion(t *testing.T) {
	_, diags := Read("a.yml", []byte("a: &flash_params 1\nb: *flash_param\n"))
	if len(diags) != 1 || diags[0].Suggestion != "*flash_params" {
		t.Errorf("got %v", diags)
	}
}

// TestLegacyDocumentShapes checks documents that are not mappings: they
// are returned, for the compiler to judge.
func TestLegacyDocumentShapes(t *testing.T) {
	tests := []struct{ src, kind, value string }{
		{"", "scalar", "null"},
		{"# only a comment\n", "scalar", "null"},
		{"\xef\xbb\xbf", "scalar", "null"},
		{"- a\n- b\n", "sequence", `[str:"a", str:"b"]`},
		{"just a string\n", "scalar", `str:"just a string"`},
		{"--- 12\n...\n", "scalar", "int:12"},
	}
	for _, tt := range tests {
		root, diags := Read("s.yml", []byte(tt.src))
		if len(diags) != 0 || root == nil {
			t.Errorf("%q: got %v", tt.src, diags)
			continue
		}
		if root.Kind.String() != tt.kind || typedString(root.Construct()) != tt.value {
			t.Errorf("%q: got %v %s", tt.src, root.Kind, typedString(root.Construct()))
		}
		if !root.Range().IsValid() || root.Range().File != "s.yml" {
			t.Errorf("%q: range %v", tt.src, root.Range())
		}
	}
}

// TestLegacyStructure checks what `regc import` relies on: ranges, anchors,
// aliases, styles, key order and comments.
func TestLegacyStructure(t *testing.T) {
	src := `# regimen of the test
_script: &script http://x/y.py  # the url

stages:
  S1:
    script: *script
    parameters: {reward: 0.007, flash: [0.25, 0.5]}
  S2:
    script: !!str *script
`
	// An alias with a tag is a syntax error in YAML; drop that line first.
	src = strings.Replace(src, "    script: !!str *script\n", "    script: 'quoted'\n", 1)
	root, diags := Read("r.yml", []byte(src))
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	// With no blank line after it, yaml.v3 gives the comment to the first key.
	if c := root.Pairs()[0].Key.HeadComment(); c != "# regimen of the test" {
		t.Errorf("head comment %q", c)
	}
	script := root.Pairs()[0].Value
	if script.Anchor() != "script" || script.AnchorRange().Start != (lang.Pos{Line: 2, Column: 10, Offset: 31}) || script.AnchorRange().End != (lang.Pos{Line: 2, Column: 17, Offset: 38}) ||
		script.Range().Start.Column != 10 || script.Range().End != (lang.Pos{Line: 2, Column: 31, Offset: 52}) || script.LineComment() != "# the url" {
		t.Errorf("anchored scalar: %+v", script)
	}
	stages := root.Get("stages")
	if stages.Range().Start != (lang.Pos{Line: 5, Column: 3, Offset: 75}) || stages.Range().End != (lang.Pos{Line: 9, Column: 21, Offset: 177}) {
		t.Errorf("stages range %v-%v", stages.Range().Start, stages.Range().End)
	}
	var names []string
	for _, p := range stages.Pairs() {
		names = append(names, p.Key.Value)
	}
	if strings.Join(names, ",") != "S1,S2" {
		t.Errorf("key order %v", names)
	}
	s1 := stages.Get("S1")
	alias := s1.Get("script")
	if alias.Kind != Alias || alias.Value != "script" || alias.Alias() != script || alias.Target() != script ||
		alias.Range().Start != (lang.Pos{Line: 6, Column: 13, Offset: 91}) || alias.Range().End != (lang.Pos{Line: 6, Column: 20, Offset: 98}) {
		t.Errorf("alias: %+v", alias)
	}
	params := s1.Get("parameters")
	if params.Style != Flow || params.Range().End.Column != 52 {
		t.Errorf("flow mapping: %+v", params)
	}
	if q := stages.Get("S2").Get("script"); q.Style != SingleQuoted || q.Tag() != "!!str" || q.Tagged() {
		t.Errorf("quoted: %+v", q)
	}
	checkRanges(t, "structure", src, diags, root)
}

// TestLegacyPositions checks PyYAML's line counting: \r\n and \r are one
// break, a BOM takes no column, columns count characters.
func TestLegacyPositions(t *testing.T) {
	root, _ := Read("p.yml", []byte("\ufeffa: 1\r\nb:\r  ü: *x\n"))
	d := root.Get("b").Pairs()[0].Value
	if d.Range().Start.Line != 3 || d.Range().Start.Column != 6 || d.Range().Start.Offset != 18 {
		t.Errorf("got %v (offset %d)", d.Range().Start, d.Range().Start.Offset)
	}
	if k := root.Pairs()[0].Key; k.Range().Start != (lang.Pos{Line: 1, Column: 1, Offset: 3}) {
		t.Errorf("after the BOM: %v", k.Range().Start)
	}
}

// TestLegacyUTF16 checks a UTF-16 file with a BOM, which PyYAML decodes.
func TestLegacyUTF16(t *testing.T) {
	src := []byte{0xFF, 0xFE, 'a', 0, ':', 0, ' ', 0, '1', 0}
	root, diags := Read("u.yml", src)
	if len(diags) != 0 || typedString(root.Construct()) != `{"a": int:1}` {
		t.Errorf("got %v %v", diags, root)
	}
	if v := root.Pairs()[0].Value; v.Range().Start.Offset != 8 {
		t.Errorf("offset %d, want 8", v.Range().Start.Offset)
	}
}

// TestLegacyNaNKeys checks that `.nan` keys collide as PyYAML's shared NaN
// object does, and that the value is NaN.
func TestLegacyNaNKeys(t *testing.T) {
	root, diags := Read("n.yml", []byte(".nan: 1\n.nan: 2\n"))
	m := root.Construct().(*Map)
	if m.Len() != 1 || len(diags) != 1 || !math.IsNaN(m.Pairs[0].Key.(float64)) {
		t.Errorf("got %v %v", m, diags)
	}
}

// checkRanges asserts that every diagnostic and node range is well formed.
func checkRanges(t *testing.T, name, src string, diags lang.Diagnostics, root *Node) {
	t.Helper()
	check := func(what string, r lang.Range) {
		if !r.IsValid() || r.End.Before(r.Start) || r.Start.Offset > r.End.Offset || r.End.Offset > len(src) || r.Start.Column < 1 {
			t.Errorf("%s: bad %s range %+v", name, what, r)
		}
	}
	for _, d := range diags {
		check("diagnostic", d.Range)
		if d.Related != nil {
			check("related", d.Related.Range)
		}
	}
	var walk func(n *Node, depth int)
	walk = func(n *Node, depth int) {
		if n == nil || depth > maxDepth+1 {
			return
		}
		check("node", n.Range())
		if n.Anchor() != "" {
			check("anchor", n.AnchorRange())
		}
		for _, it := range n.Items() {
			walk(it, depth+1)
		}
		for _, p := range n.Pairs() {
			walk(p.Key, depth+1)
			walk(p.Value, depth+1)
		}
	}
	walk(root, 0)
}

// A double-quoted scalar's one-character escapes are PyYAML's
// ESCAPE_REPLACEMENTS, and no other character is one.
func TestEscapeReplacements(t *testing.T) {
	want := map[rune]string{
		'0': "\x00", 'a': "\x07", 'b': "\x08", 't': "\x09", '\t': "\x09",
		'n': "\x0A", 'v': "\x0B", 'f': "\x0C", 'r': "\x0D", 'e': "\x1B",
		' ': " ", '"': "\"", '\\': "\\", '/': "/",
		'N': "\u0085", '_': "\u00A0", 'L': "\u2028", 'P': "\u2029",
	}
	for ch := rune(0); ch < 0x3000; ch++ {
		got, ok := escapeReplacement(ch)
		if w, wok := want[ch]; ok != wok || got != w {
			t.Errorf("escape %q: got %q %v, want %q %v", ch, got, ok, w, wok)
		}
	}
	for _, tc := range []struct{ src, want string }{
		{`"a\tb\x41\u00e9\N\/"`, "a\tbAé\u0085/"},
		{`"\e\0"`, "\x1b\x00"},
	} {
		n, diags := Read("t.yml", []byte("k: "+tc.src+"\n"))
		if len(diags) > 0 || n == nil {
			t.Fatalf("%s: %v", tc.src, diags)
		}
		if got := n.Pairs()[0].Value.Value; got != tc.want {
			t.Errorf("%s reads as %q, want %q", tc.src, got, tc.want)
		}
	}
}
