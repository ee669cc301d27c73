package compiler

import (
	"fmt"
	"math/big"
	"os"
	"strings"

	"github.com/regc/regc/lang"
)

// CompileLegacy reads a legacy regimen.yml exactly as mtrain's tools did
// (PyYAML) and builds the same compiled model a .regimen gives, with the
// same checks: undefined stages, a stage's parameters naming another stage,
// duplicate, shadowed and unreachable transitions, and the reader's own
// findings (duplicate keys, duplicate anchors, undefined aliases).
func CompileLegacy(path string, opts *Options) *Result {
	read := os.ReadFile
	if opts != nil && opts.ReadFile != nil {
		read = opts.ReadFile
	}
	src, err := read(path)
	if err != nil {
		res := &Result{Sources: map[string][]byte{}}
		res.Diagnostics.Errorf("invalid-import", lang.Range{File: path}, "cannot read %s: %s", path, unwrapErr(err))
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
			res.Diagnostics.Errorf("internal", lang.Range{File: path}, "internal compiler error: %v (please report this with the input)", r)
		}
		res.Diagnostics = res.Diagnostics.Normalize()
	}()
	root, diags := lang.ReadLegacy(path, src)
	res.Diagnostics = append(res.Diagnostics, diags...)
	if root == nil || diags.HasErrors() {
		return res
	}
	b := &legacyBuilder{path: path, diags: &res.Diagnostics}
	res.Regimen = b.regimen(root)
	if res.Regimen != nil {
		LintTransitions(res.Regimen, &res.Diagnostics)
		LintGraph(res.Regimen, &res.Diagnostics)
	}
	return res
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
		b.diags.Errorf("type-mismatch", b.at(root), "a regimen.yml is a mapping with name, stages and transitions; this document is a %s", describeYAML(root))
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
	} else {
		v := b.value(nameNode)
		if v.Kind == String {
			reg.Name = v.Str
		} else {
			reg.NameValue = &v
		}
	}
	if stagesNode != nil && !stagesNode.IsNull() {
		st := stagesNode.Target()
		if st == nil || st.Kind != lang.YAMLMapping {
			b.diags.Errorf("type-mismatch", b.at(stagesNode), "stages is a mapping from stage names to stages, not a %s", describeYAML(stagesNode))
		} else {
			for _, e := range st.Entries() {
				reg.Stages = append(reg.Stages, b.stage(e))
			}
		}
	}
	if transNode != nil && !transNode.IsNull() {
		tn := transNode.Target()
		if tn == nil || tn.Kind != lang.YAMLSequence {
			b.diags.Errorf("type-mismatch", b.at(transNode), "transitions is a list, not a %s", describeYAML(transNode))
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
	body := e.Value.Target()
	if body == nil || body.Kind != lang.YAMLMapping {
		// a stage that is not a mapping is kept as written
		st.Extra = append(st.Extra, Field{"", b.value(e.Value)})
		b.diags.Errorf("type-mismatch", b.at(e.Value), "stage %s is a mapping with script, script_md5 and parameters, not a %s", st.Name, describeYAML(e.Value))
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
				d := b.diags.Errorf("stage-param-mismatch", at, "parameters.stage is %s, but the stage is %s", got, st.Name)
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
		b.diags.Errorf("type-mismatch", b.at(item), "a transition is a mapping with trigger, source and dest, not a %s", describeYAML(item))
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
				b.diags.Errorf("type-mismatch", b.at(f.Value), "a transition's %s is a string, not %s", key, v.Kind)
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
			list, ok := criteriaList(v)
			if !ok {
				b.diags.Errorf("type-mismatch", b.at(f.Value), "%s is a criterion name or a list of them, not %s", key, v.Kind)
				t.Extra = append(t.Extra, Field{key, v})
				continue
			}
			if key == "conditions" {
				t.When = list
			} else {
				t.Unless = list
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
			b.diags.Errorf("missing-field", t.Range, "this transition has no %s", end)
			continue
		}
		if !names[name] {
			d := b.diags.Errorf("undefined-stage", b.at(nodes[end]), "undefined stage %s", name)
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
		b.diags.Errorf("missing-field", t.Range, "this transition has no trigger")
	}
	return t
}

// criteriaList reads conditions or unless: one name, a list of names, or
// null / an empty list for none.
func criteriaList(v Value) ([]string, bool) {
	switch v.Kind {
	case Null:
		return nil, true
	case String:
		return []string{v.Str}, true
	case List:
		out := make([]string, 0, len(v.List))
		for _, x := range v.List {
			if x.Kind != String {
				return nil, false
			}
			out = append(out, x.Str)
		}
		return out, true
	}
	return nil, false
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
			b.diags.Errorf("out-of-range", b.at(at), "the document expands to more than %d values through its aliases; regc stops here", maxLegacyValues)
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
		b.diags.Errorf("type-mismatch", b.at(at), "a %T value cannot be written as JSON, so mtrain cannot hold it", x)
		return NullValue()
	}
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
