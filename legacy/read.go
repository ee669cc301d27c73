package legacy

import (
	"fmt"
	"strings"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/internal/py"
	"github.com/regc/regc/legacy/yaml"
)

// One reading of a legacy stage and transition, shared by the legacy build
// and the importer: which keys a stage and a transition have, which type
// each takes, and the values as the document holds them. What to make of
// a field that does not fit (an extra the build keeps and, for some,
// reports; something the importer cannot write) is the caller's.

// field is one entry of a legacy stage or transition, read.
type field struct {
	key   string         // the key as json.dumps writes it
	entry yaml.Entry     // the entry as written
	value compiler.Value // the value as the document holds it
	known bool           // a key stages (transitions) have
	ok    bool           // known, and its value has the type the key takes
}

// stageFields is a legacy stage's mapping, read: script is a string (the
// script's URL), script_md5 a string or null, parameters a mapping.
type stageFields struct {
	fields []field // every entry, in written order
	// the script, script_md5 and parameters fields, nil when not written
	script, md5, params *field
}

// readStage reads a stage's mapping, with val giving a node's value.
func readStage(body *yaml.Node, val func(*yaml.Node) compiler.Value) stageFields {
	entries := body.Entries()
	s := stageFields{fields: make([]field, 0, len(entries))}
	for _, e := range entries {
		f := field{key: jsonKey(e.KeyValue), entry: e, value: val(e.Value)}
		switch f.key {
		case "script":
			f.known, f.ok = true, f.value.Kind == compiler.String
		case "script_md5":
			f.known, f.ok = true, f.value.Kind == compiler.String || f.value.Kind == compiler.Null
		case "parameters":
			f.known, f.ok = true, f.value.Kind == compiler.Map
		}
		s.fields = append(s.fields, f)
	}
	for i := range s.fields {
		switch f := &s.fields[i]; f.key {
		case "script":
			s.script = f
		case "script_md5":
			s.md5 = f
		case "parameters":
			s.params = f
		}
	}
	return s
}

// transitionFields is a legacy transition's mapping, read: trigger, source
// and dest are strings; conditions and unless a criterion name or a list
// of them (or null).
type transitionFields struct {
	fields                []field // every entry, in written order
	trigger, source, dest string
	when, unless          []string
	whenForm, unlessForm  compiler.CriteriaForm
}

// node returns the value node of key, nil when the key is not written.
func (t *transitionFields) node(key string) *yaml.Node {
	for i := range t.fields {
		if t.fields[i].key == key {
			return t.fields[i].entry.Value
		}
	}
	return nil
}

// endpoint reports whether key is one of a transition's strings (trigger,
// source, dest) rather than one of its criteria.
func endpoint(key string) bool { return key == "trigger" || key == "source" || key == "dest" }

// readTransition reads a transition's mapping, with val giving a node's value.
func readTransition(m *yaml.Node, val func(*yaml.Node) compiler.Value) transitionFields {
	entries := m.Entries()
	t := transitionFields{fields: make([]field, 0, len(entries))}
	for _, e := range entries {
		f := field{key: jsonKey(e.KeyValue), entry: e, value: val(e.Value)}
		switch f.key {
		case "trigger", "source", "dest":
			f.known, f.ok = true, f.value.Kind == compiler.String
			if !f.ok {
				break
			}
			switch f.key {
			case "trigger":
				t.trigger = f.value.Str
			case "source":
				t.source = f.value.Str
			default:
				t.dest = f.value.Str
			}
		case "conditions", "unless":
			list, form, ok := criteriaList(f.value)
			f.known, f.ok = true, ok
			if !ok {
				break
			}
			if f.key == "conditions" {
				t.when, t.whenForm = list, form
			} else {
				t.unless, t.unlessForm = list, form
			}
		}
		t.fields = append(t.fields, f)
	}
	return t
}

// criteriaList reads conditions or unless: one name, a list of names, or
// null / an empty list for none, and the form it is written in.
func criteriaList(v compiler.Value) ([]string, compiler.CriteriaForm, bool) {
	switch v.Kind {
	case compiler.Null:
		return nil, compiler.CriteriaNull, true
	case compiler.String:
		return []string{v.Str}, compiler.CriteriaString, true
	case compiler.List:
		out := make([]string, 0, len(v.List))
		for _, x := range v.List {
			if x.Kind != compiler.String {
				return nil, 0, false
			}
			out = append(out, x.Str)
		}
		return out, compiler.CriteriaList, true
	}
	return nil, 0, false
}

func describeYAML(n *yaml.Node) string {
	t := n.Target()
	if t == nil {
		return "undefined alias"
	}
	if t.Kind == yaml.Scalar {
		return strings.TrimPrefix(t.Tag(), "!!")
	}
	return t.Kind.String()
}

func describeValue(v compiler.Value) string {
	switch v.Kind {
	case compiler.String:
		return fmt.Sprintf("%q", v.Str)
	case compiler.Int:
		return "int " + v.Int.String()
	default:
		return v.Kind.String()
	}
}

// jsonKey turns a constructed mapping key into the string json.dumps
// writes for it (see py.JSONKey).
func jsonKey(k any) string { return py.JSONKey(k) }
