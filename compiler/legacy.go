package compiler

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/regc/regc/lang"
)

// CompileLegacy reads a legacy regimen.yml exactly as mtrain's tools did
// (PyYAML) and builds the same compiled model a .regimen gives, with the
// same checks: undefined stages, a stage's parameters naming another stage,
// duplicate, shadowed and unreachable transitions, and the reader's own
// findings (duplicate keys, duplicate anchors, undefined aliases).
func CompileLegacy(path string, opts *Options) *Result {
	read := ReadSource
	if opts != nil && opts.ReadFile != nil {
		read = opts.ReadFile
	}
	src, err := read(path)
	if err != nil {
		res := &Result{Sources: map[string][]byte{}}
		readFailure(&res.Diagnostics, path, err)
		return res
	}
	return CompileLegacySource(path, src)
}

// CompileLegacySource is CompileLegacy on a file's text.
func CompileLegacySource(path string, src []byte) (res *Result) {
	res = &Result{Sources: map[string][]byte{path: src}}
	defer func() {
		if r := recover(); r != nil {
			res.Regimen = nil
			res.Diagnostics.Errorf(lang.CodeInternal, lang.Range{File: path}, "internal compiler error: %v (please report this with the input)", r)
		}
		res.Diagnostics = res.Diagnostics.Normalize()
	}()
	root, diags := lang.ReadLegacy(path, src)
	if root == nil || diags.HasErrors() {
		res.Diagnostics = append(res.Diagnostics, diags...)
		return res
	}
	res.Diagnostics = append(res.Diagnostics, legacyKeyVerdicts(root, diags)...)
	b := &legacyBuilder{path: path, diags: &res.Diagnostics}
	res.Regimen = b.regimen(root)
	if res.Regimen != nil {
		LintTransitions(res.Regimen, &res.Diagnostics)
	}
	return res
}

// legacyKeyVerdicts gives the reader's findings about keys the verdict the
// same defect has in .regimen source, so that a file and its import agree:
// a key written twice is an error (duplicate-key), and a stage written twice
// is a duplicate-stage error (PyYAML silently dropped the first). Keys that
// differ in YAML but that JSON writes alike (1 and "1") are written twice
// in the document, where mtrain keeps one: a duplicate-key error too.
func legacyKeyVerdicts(root *lang.YAMLNode, diags lang.Diagnostics) lang.Diagnostics {
	stageKeys := map[lang.Range]string{}
	var stages *lang.YAMLNode
	for _, e := range root.Entries() {
		if e.KeyValue == "stages" {
			stages = e.Value.Target()
		}
	}
	if stages != nil && stages.Kind == lang.YAMLMapping {
		for _, p := range stages.Pairs {
			stageKeys[p.Key.Range] = p.Key.Value
		}
	}
	out := make(lang.Diagnostics, 0, len(diags))
	for _, d := range diags {
		if d.Code == lang.CodeDuplicateKey {
			d.Severity = lang.Error
			if name, ok := stageKeys[d.Range]; ok {
				d.Code = lang.CodeDuplicateStage
				d.Message = fmt.Sprintf("stage %s is written twice; PyYAML silently dropped the first: rename or remove one", name)
			}
		}
		out = append(out, d)
	}
	seen := map[*lang.YAMLNode]bool{}
	var walk func(n *lang.YAMLNode, depth int)
	walk = func(n *lang.YAMLNode, depth int) {
		n = n.Target()
		if n == nil || seen[n] || depth > 10000 {
			return
		}
		seen[n] = true
		for _, it := range n.Items {
			walk(it, depth+1)
		}
		if n.Kind != lang.YAMLMapping {
			return
		}
		first := map[string]lang.YAMLEntry{}
		for _, e := range n.Entries() {
			walk(e.Value, depth+1)
			key := jsonKey(e.KeyValue)
			f, dup := first[key]
			if !dup {
				first[key] = e
				continue
			}
			at, other := e, f
			if e.Merged {
				at, other = f, e
			}
			if at.Merged || at.Key == nil || other.Key == nil {
				continue
			}
			code, what := lang.CodeDuplicateKey, "key"
			if n == stages {
				code, what = lang.CodeDuplicateStage, "stage"
			}
			d := out.Errorf(code, at.Key.Range, "%s %s and %s are one key in JSON (%q), so the document holds it twice and mtrain keeps one: rename or remove one",
				what, yamlKeyText(other), yamlKeyText(at), key)
			d.Related = &lang.Related{Range: other.Key.Range, Message: "the other one"}
		}
	}
	walk(root, 0)
	return out
}

// yamlKeyText is a mapping key as written: quoted when it is a string that
// YAML would read as something else.
func yamlKeyText(e lang.YAMLEntry) string {
	if s, ok := e.KeyValue.(string); ok {
		return strconv.Quote(s)
	}
	return e.Key.Value
}

func unwrapErr(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}

type legacyBuilder struct {
	path  string
	diags *lang.Diagnostics
	// values counts the values built; aliases repeat what they name, so a
	// small file can mean an enormous document (an "alias bomb")
	values   int
	text     int // the bytes of its strings
	exploded bool
}

// maxLegacyValues bounds the values a legacy document may expand to.
const maxLegacyValues = 1 << 20

func (b *legacyBuilder) at(n *lang.YAMLNode) lang.Range {
	if n == nil {
		return lang.Range{File: b.path, Start: lang.Pos{Line: 1, Column: 1}, End: lang.Pos{Line: 1, Column: 1}}
	}
	return n.Range
}

// regimen builds the model from the document's name, stages and
// transitions; other top-level keys (anchor holders) are not part of it.
func (b *legacyBuilder) regimen(root *lang.YAMLNode) *Regimen {
	doc := root.Target()
	if doc == nil || doc.Kind != lang.YAMLMapping {
		b.diags.Errorf(lang.CodeTypeMismatch, b.at(root), "a regimen.yml is a mapping with name, stages and transitions; this document is a %s", describeYAML(root))
		return nil
	}
	reg := &Regimen{File: b.path}
	var nameNode, stagesNode, transNode *lang.YAMLNode
	for _, e := range doc.Entries() {
		switch e.KeyValue {
		case "name":
			nameNode = e.Value
		case "stages":
			stagesNode = e.Value
		case "transitions":
			transNode = e.Value
		}
	}
	if nameNode == nil {
		v := NullValue()
		reg.NameValue = &v
		noName(b.diags, b.at(root), "the file has no `name` key").Suggestion = "name: NAME_v1.0.0"
	} else {
		v := b.value(nameNode)
		if v.Kind == String {
			reg.Name = v.Str
		} else {
			reg.NameValue = &v
			if v.Kind == Null {
				noName(b.diags, b.at(nameNode), "`name` is null").Suggestion = "name: NAME_v1.0.0"
			}
		}
	}
	reg.NullStages = stagesNode != nil && stagesNode.IsNull()
	reg.NullTransitions = transNode != nil && transNode.IsNull()
	if stagesNode != nil && !stagesNode.IsNull() {
		st := stagesNode.Target()
		if st == nil || st.Kind != lang.YAMLMapping {
			b.diags.Errorf(lang.CodeTypeMismatch, b.at(stagesNode), "stages is a mapping from stage names to stages, not a %s", describeYAML(stagesNode))
		} else {
			for _, e := range st.Entries() {
				if b.keyOK(e.KeyValue, e.Key) {
					reg.Stages = append(reg.Stages, b.stage(e))
				}
			}
		}
	}
	if transNode != nil && !transNode.IsNull() {
		tn := transNode.Target()
		if tn == nil || tn.Kind != lang.YAMLSequence {
			b.diags.Errorf(lang.CodeTypeMismatch, b.at(transNode), "transitions is a list, not a %s", describeYAML(transNode))
		} else {
			names := map[string]bool{}
			for _, s := range reg.Stages {
				names[s.Name] = true
			}
			for _, item := range tn.Items {
				if t := b.transition(item, names, reg); t != nil {
					reg.Transitions = append(reg.Transitions, t)
				}
			}
		}
	}
	return reg
}

func describeYAML(n *lang.YAMLNode) string {
	t := n.Target()
	if t == nil {
		return "undefined alias"
	}
	if t.Kind == lang.YAMLScalar {
		return strings.TrimPrefix(t.Tag, "!!")
	}
	return t.Kind.String()
}

func (b *legacyBuilder) stage(e lang.YAMLEntry) *Stage {
	st := &Stage{Name: jsonKey(e.KeyValue), Range: b.at(e.Key), Params: Value{Kind: Null}}
	checkStageName(b.diags, st.Name, st.Range)
	body := e.Value.Target()
	if body == nil || body.Kind != lang.YAMLMapping {
		// a stage that is not a mapping is kept as written
		st.Extra = append(st.Extra, Field{"", b.value(e.Value)})
		b.diags.Errorf(lang.CodeTypeMismatch, b.at(e.Value), "stage %s is a mapping with script, script_md5 and parameters, not a %s", st.Name, describeYAML(e.Value))
		return st
	}
	var url, md5 *Value
	var urlNode, md5Node *lang.YAMLNode
	for _, f := range body.Entries() {
		key := jsonKey(f.KeyValue)
		v := b.value(f.Value)
		switch {
		case key == "script" && v.Kind == String:
			url, urlNode = &v, f.Value
		case key == "script_md5" && v.Kind == String:
			md5, md5Node = &v, f.Value
		case key == "script_md5" && v.Kind != Null:
			// kept as written, and refused: nothing can check a script
			// against it
			st.Extra = append(st.Extra, Field{key, v})
			d := b.diags.Errorf(lang.CodeTypeMismatch, b.at(f.Value), "script_md5 is %s, not a string of 32 hex digits, so no script can be checked against it", describeValue(v))
			if t := f.Value.Target(); t != nil && t.Kind == lang.YAMLScalar && v.Kind != Bool {
				article := "a"
				if v.Kind == Int {
					article = "an"
				}
				d.Message += fmt.Sprintf(": YAML read the unquoted text as %s %s; quote it: %q", article, v.Kind, t.Value)
				d.Suggestion = strconv.Quote(t.Value)
			}
		case key == "parameters" && v.Kind == Map:
			st.Params = v
			sv, ok := v.Get("stage")
			if !ok || sv.Kind != String || sv.Str != st.Name {
				at := b.at(f.Value)
				if sn := f.Value.Get("stage"); sn != nil {
					at = b.at(sn)
				}
				got := "missing"
				if ok {
					got = describeValue(sv)
				}
				d := b.diags.Errorf(lang.CodeStageParamMismatch, at, "parameters.stage is %s, but the stage is %s", got, st.Name)
				d.Suggestion = fmt.Sprintf("stage: %s", st.Name)
			}
		default:
			st.Extra = append(st.Extra, Field{key, v})
		}
	}
	if url != nil {
		st.Script = &Script{URL: url.Str, Range: b.at(urlNode), URLRange: b.at(urlNode)}
		if md5 != nil {
			st.Script.MD5, st.Script.MD5Range = md5.Str, b.at(md5Node)
		}
	} else if md5 != nil {
		st.Extra = append(st.Extra, Field{"script_md5", *md5})
	}
	return st
}

func describeValue(v Value) string {
	switch v.Kind {
	case String:
		return fmt.Sprintf("%q", v.Str)
	case Int:
		return "int " + v.Int.String()
	default:
		return v.Kind.String()
	}
}

func (b *legacyBuilder) transition(item *lang.YAMLNode, names map[string]bool, reg *Regimen) *Transition {
	n := item.Target()
	if n == nil || n.Kind != lang.YAMLMapping {
		b.diags.Errorf(lang.CodeTypeMismatch, b.at(item), "a transition is a mapping with trigger, source and dest, not a %s", describeYAML(item))
		return nil
	}
	t := &Transition{Range: b.at(item)}
	nodes := map[string]*lang.YAMLNode{}
	for _, f := range n.Entries() {
		key := jsonKey(f.KeyValue)
		v := b.value(f.Value)
		nodes[key] = f.Value
		switch key {
		case "trigger", "source", "dest":
			if v.Kind != String {
				b.diags.Errorf(lang.CodeTypeMismatch, b.at(f.Value), "a transition's %s is a string, not %s", key, v.Kind)
				t.Extra = append(t.Extra, Field{key, v})
				continue
			}
			switch key {
			case "trigger":
				t.Trigger = v.Str
			case "source":
				t.Source = v.Str
			default:
				t.Dest = v.Str
			}
		case "conditions", "unless":
			list, form, ok := criteriaList(v)
			if !ok {
				b.diags.Errorf(lang.CodeTypeMismatch, b.at(f.Value), "%s is a criterion name or a list of them, not %s", key, v.Kind)
				t.Extra = append(t.Extra, Field{key, v})
				continue
			}
			if key == "conditions" {
				t.When, t.WhenForm = list, form
			} else {
				t.Unless, t.UnlessForm = list, form
			}
		default:
			t.Extra = append(t.Extra, Field{key, v})
		}
	}
	for _, end := range []string{"source", "dest"} {
		name := t.Source
		if end == "dest" {
			name = t.Dest
		}
		if _, given := nodes[end]; !given {
			b.diags.Errorf(lang.CodeMissingField, t.Range, "this transition has no %s", end)
			continue
		}
		if !names[name] {
			d := b.diags.Errorf(lang.CodeUndefinedStage, b.at(nodes[end]), "undefined stage %s", name)
			var all []string
			for k := range names {
				all = append(all, k)
			}
			if s := nearest(name, all); s != "" {
				d.Message += fmt.Sprintf(" (did you mean %s?)", s)
				d.Suggestion = s
			}
		}
	}
	if _, given := nodes["trigger"]; !given {
		b.diags.Errorf(lang.CodeMissingField, t.Range, "this transition has no trigger")
	}
	return t
}

// criteriaList reads conditions or unless: one name, a list of names, or
// null / an empty list for none, and the form it is written in.
func criteriaList(v Value) ([]string, CriteriaForm, bool) {
	switch v.Kind {
	case Null:
		return nil, CriteriaNull, true
	case String:
		return []string{v.Str}, CriteriaString, true
	case List:
		out := make([]string, 0, len(v.List))
		for _, x := range v.List {
			if x.Kind != String {
				return nil, 0, false
			}
			out = append(out, x.Str)
		}
		return out, CriteriaList, true
	}
	return nil, 0, false
}

// value converts a node's constructed value. Values JSON cannot hold
// (timestamps, binary, sets) are errors: the old tools crashed on them.
func (b *legacyBuilder) value(n *lang.YAMLNode) Value {
	return b.convert(n.Construct(), n)
}

func (b *legacyBuilder) convert(x any, at *lang.YAMLNode) Value {
	b.values++
	if b.values > maxLegacyValues {
		if !b.exploded {
			b.exploded = true
			b.diags.Errorf(lang.CodeOutOfRange, b.at(at), "the document expands to more than %d values through its aliases; regc stops here", maxLegacyValues)
		}
		return NullValue()
	}
	switch x := x.(type) {
	case nil:
		return NullValue()
	case bool:
		return BoolValue(x)
	case *big.Int:
		return BigIntValue(x)
	case float64:
		return FloatValue(x)
	case string:
		// a long string repeated by aliases is a bomb of text, not values
		b.text += len(x)
		if b.text > MaxDocumentText {
			if !b.exploded {
				b.exploded = true
				b.diags.Errorf(lang.CodeOutOfRange, b.at(at), "the document expands to more than %d MiB of text through its aliases; regc stops here", MaxDocumentText>>20)
			}
			return NullValue()
		}
		return StringValue(x)
	case []any:
		out := make([]Value, len(x))
		for i, e := range x {
			out[i] = b.convert(e, at)
		}
		return ListValue(out...)
	case *lang.YAMLMap:
		out := make([]Field, 0, len(x.Pairs))
		seen := map[string]int{}
		for _, kv := range x.Pairs {
			if !b.keyOK(kv.Key, at) {
				continue
			}
			key := jsonKey(kv.Key)
			v := b.convert(kv.Value, at)
			if i, dup := seen[key]; dup { // 1 and "1" both become "1", as json.dumps does
				out[i].Value = v
				continue
			}
			seen[key] = len(out)
			out = append(out, Field{key, v})
		}
		return MapValue(out...)
	default:
		b.diags.Errorf(lang.CodeTypeMismatch, b.at(at), "%s cannot be written as JSON, so mtrain cannot hold it: write it as a string", yamlTypeName(x))
		return NullValue()
	}
}

// keyOK reports whether a constructed mapping key is one json.dumps
// writes (a string, an int, a float, a bool or null); another (a
// timestamp, binary data) is an error, as json.dumps refused it.
func (b *legacyBuilder) keyOK(k any, at *lang.YAMLNode) bool {
	switch k.(type) {
	case nil, bool, *big.Int, float64, string:
		return true
	}
	b.diags.Errorf(lang.CodeTypeMismatch, b.at(at), "a mapping key that is %s cannot be written as JSON (json.dumps refused it), so mtrain cannot hold it: write the key as a string", yamlTypeName(k))
	return false
}

// yamlTypeName names a constructed value JSON cannot hold as YAML names its
// type (binary, timestamp, set).
func yamlTypeName(x any) string {
	switch x := x.(type) {
	case []byte:
		return fmt.Sprintf("binary data (!!binary, %d bytes)", len(x))
	case lang.YAMLTimestamp:
		if x.HasTime {
			return "a timestamp (" + x.Time.Format("2006-01-02 15:04:05") + ")"
		}
		return "a timestamp (" + x.Time.Format("2006-01-02") + ")"
	case *lang.YAMLSet:
		return "a set (!!set)"
	}
	return "a value of a YAML type JSON has no form for"
}

// jsonKey turns a constructed mapping key into the string json.dumps
// writes for it.
func jsonKey(k any) string {
	switch k := k.(type) {
	case string:
		return k
	case nil:
		return "null"
	case bool:
		if k {
			return "true"
		}
		return "false"
	case *big.Int:
		return k.String()
	case float64:
		return PyFloat(k)
	default:
		return fmt.Sprint(k)
	}
}
