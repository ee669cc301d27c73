package mtrain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"

	"github.com/regc/regc/internal/py"
	"github.com/regc/regc/internal/safetext"
)

// Document is a regimen document, the body of set_regimen/:
// {name, stages, transitions}, with stages in their written order.
type Document struct {
	Name        string
	Stages      []DocStage
	Transitions []DocTransition
}

// DocStage is one stage of a Document.
type DocStage struct {
	Name       string
	Script     string
	ScriptMD5  string
	Parameters json.RawMessage // compact JSON object, or nil when absent or null
}

// DocTransition is one transition of a Document.
type DocTransition struct {
	Trigger, Source, Dest string
	// Conditions and Unless are the criteria, a single string or null
	// written as a list of one or none.
	Conditions, Unless []string
	// RawConditions and RawUnless keep what was written (string, list or
	// null), which the sandbox stores and serves unchanged.
	RawConditions, RawUnless json.RawMessage
}

// ParseDocument reads a regimen document. Unknown top-level keys (the old
// upload script sent YAML anchor holders such as "_script") and unknown stage
// keys are ignored, as the server ignores them. It checks the shape only; see
// (*Document).Validate for the rules the sandbox enforces.
func ParseDocument(data []byte) (*Document, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := expectDelim(dec, '{', "the document"); err != nil {
		return nil, err
	}
	d := &Document{}
	seen := map[string]bool{}
	for dec.More() {
		key, err := objectKey(dec)
		if err != nil {
			return nil, err
		}
		if seen[key] {
			return nil, fmt.Errorf("duplicate key %q in the document", key)
		}
		seen[key] = true
		switch key {
		case "name":
			var v any
			if err := dec.Decode(&v); err != nil {
				return nil, JSONError(err)
			}
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("name: got %s, want a string", jsonKind(v))
			}
			d.Name = s
		case "stages":
			if err := d.readStages(dec); err != nil {
				return nil, err
			}
		case "transitions":
			var raw []json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, fmt.Errorf("transitions: want a list: %w", JSONError(err))
			}
			for i, r := range raw {
				t, err := parseTransition(r)
				if err != nil {
					return nil, fmt.Errorf("transition %d: %w", i+1, err)
				}
				d.Transitions = append(d.Transitions, t)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, JSONError(err)
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, JSONError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the document")
	}
	if !seen["name"] {
		return nil, errors.New("the document has no name")
	}
	if !seen["stages"] {
		return nil, errors.New("the document has no stages")
	}
	return d, nil
}

func (d *Document) readStages(dec *json.Decoder) error {
	if err := expectDelim(dec, '{', "stages"); err != nil {
		return err
	}
	seen := map[string]bool{}
	for dec.More() {
		name, err := objectKey(dec)
		if err != nil {
			return err
		}
		if seen[name] {
			return fmt.Errorf("duplicate stage %q", name)
		}
		seen[name] = true
		var fields map[string]json.RawMessage
		if err := dec.Decode(&fields); err != nil {
			return fmt.Errorf("stage %q: want an object: %w", name, JSONError(err))
		}
		st := DocStage{Name: name}
		for key, dst := range map[string]*string{"script": &st.Script, "script_md5": &st.ScriptMD5} {
			raw, ok := fields[key]
			if !ok || IsNull(raw) {
				continue
			}
			if err := json.Unmarshal(raw, dst); err != nil {
				return fmt.Errorf("stage %q: %s: want a string", name, key)
			}
		}
		if raw, ok := fields["parameters"]; ok && !IsNull(raw) {
			t := bytes.TrimSpace(raw)
			if len(t) == 0 || t[0] != '{' {
				return fmt.Errorf("stage %q: parameters: want an object", name)
			}
			var buf bytes.Buffer
			if err := json.Compact(&buf, t); err != nil {
				return fmt.Errorf("stage %q: parameters: %w", name, JSONError(err))
			}
			st.Parameters = buf.Bytes()
		}
		d.Stages = append(d.Stages, st)
	}
	_, err := dec.Token()
	return JSONError(err)
}

func parseTransition(raw json.RawMessage) (DocTransition, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return DocTransition{}, errors.New("want an object")
	}
	var t DocTransition
	for key, dst := range map[string]*string{"trigger": &t.Trigger, "source": &t.Source, "dest": &t.Dest} {
		raw, ok := fields[key]
		if !ok {
			return t, fmt.Errorf("no %s", key)
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			return t, fmt.Errorf("%s: want a string", key)
		}
	}
	var err error
	if t.Conditions, t.RawConditions, err = ParseCriteria(fields["conditions"]); err != nil {
		return t, fmt.Errorf("conditions: %w", err)
	}
	if t.Unless, t.RawUnless, err = ParseCriteria(fields["unless"]); err != nil {
		return t, fmt.Errorf("unless: %w", err)
	}
	return t, nil
}

// Validate checks what the sandbox requires of an uploaded document: a name,
// at least one stage, parameters that are objects, and every transition's
// trigger named and its source and dest declared stages. A parameters.stage
// other than its stage's name is accepted, as mtrain accepted it (four
// tagged historic releases have one); the compiler reports it
// (stage-param-mismatch).
func (d *Document) Validate() error {
	if strings.TrimSpace(d.Name) == "" {
		return errors.New("the regimen name is empty")
	}
	if len(d.Stages) == 0 {
		return errors.New("the regimen has no stages")
	}
	names := map[string]bool{}
	for _, s := range d.Stages {
		if s.Name == "" {
			return errors.New("a stage has an empty name")
		}
		names[s.Name] = true
		if s.Parameters != nil {
			var p map[string]any
			if err := json.Unmarshal(s.Parameters, &p); err != nil {
				return fmt.Errorf("stage %q: parameters: want an object", s.Name)
			}
		}
	}
	for i, t := range d.Transitions {
		if t.Trigger == "" {
			return fmt.Errorf("transition %d: the trigger is empty", i+1)
		}
		if !names[t.Source] {
			return fmt.Errorf("transition %d: source %q is not a stage", i+1, t.Source)
		}
		if !names[t.Dest] {
			return fmt.Errorf("transition %d: dest %q is not a stage", i+1, t.Dest)
		}
	}
	return nil
}

// Stage returns the stage called name, or nil.
func (d *Document) Stage(name string) *DocStage {
	for i := range d.Stages {
		if d.Stages[i].Name == name {
			return &d.Stages[i]
		}
	}
	return nil
}

// MarshalJSON writes {name, stages, transitions} with stages in their order;
// criteria are written as lists and left out when empty, and absent scripts,
// md5s and parameters are left out.
func (d *Document) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"name":`)
	writeJSONString(&b, d.Name)
	b.WriteString(`,"stages":{`)
	for i, s := range d.Stages {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(&b, s.Name)
		b.WriteString(":{")
		sep := ""
		if s.Script != "" {
			b.WriteString(`"script":`)
			writeJSONString(&b, s.Script)
			sep = ","
		}
		if s.ScriptMD5 != "" {
			b.WriteString(sep + `"script_md5":`)
			writeJSONString(&b, s.ScriptMD5)
			sep = ","
		}
		if s.Parameters != nil {
			b.WriteString(sep + `"parameters":`)
			b.Write(s.Parameters)
		}
		b.WriteByte('}')
	}
	b.WriteString(`},"transitions":[`)
	for i, t := range d.Transitions {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"trigger":`)
		writeJSONString(&b, t.Trigger)
		b.WriteString(`,"source":`)
		writeJSONString(&b, t.Source)
		b.WriteString(`,"dest":`)
		writeJSONString(&b, t.Dest)
		for _, c := range []struct {
			key  string
			list []string
		}{{"conditions", t.Conditions}, {"unless", t.Unless}} {
			if len(c.list) > 0 {
				l, _ := json.Marshal(c.list)
				b.WriteString(`,"` + c.key + `":`)
				b.Write(l)
			}
		}
		b.WriteByte('}')
	}
	b.WriteString("]}")
	return b.Bytes(), nil
}

// DiffDocuments compares the document regc meant (want) with the one the
// server holds (got) and lists every difference, one line each, in a stable
// order. Parameters are compared as JSON values, keeping 1 and 1.0 apart;
// a single criterion string equals a list of one; absent equals null.
func DiffDocuments(want, got *Document) []string {
	var diffs []string
	add := func(format string, args ...any) { diffs = append(diffs, safetext.Redact(fmt.Sprintf(format, args...))) }
	if want.Name != got.Name {
		add("name: got %q, want %q", got.Name, want.Name)
	}
	for _, ws := range want.Stages {
		gs := got.Stage(ws.Name)
		if gs == nil {
			add("stage %s: missing on the server", ws.Name)
			continue
		}
		if ws.Script != gs.Script {
			add("stage %s: script: got %q, want %q", ws.Name, gs.Script, ws.Script)
		}
		if ws.ScriptMD5 != gs.ScriptMD5 {
			add("stage %s: script_md5: got %q, want %q", ws.Name, gs.ScriptMD5, ws.ScriptMD5)
		}
		for _, d := range diffJSON("parameters", ws.Parameters, gs.Parameters) {
			add("stage %s: %s", ws.Name, d)
		}
	}
	for _, gs := range got.Stages {
		if want.Stage(gs.Name) == nil {
			add("stage %s: on the server only", gs.Name)
		}
	}
	n := len(want.Transitions)
	if len(got.Transitions) > n {
		n = len(got.Transitions)
	}
	for i := 0; i < n; i++ {
		switch {
		case i >= len(got.Transitions):
			add("transition %d (%s): missing on the server", i+1, transitionText(want.Transitions[i]))
		case i >= len(want.Transitions):
			add("transition %d (%s): on the server only", i+1, transitionText(got.Transitions[i]))
		default:
			w, g := transitionText(want.Transitions[i]), transitionText(got.Transitions[i])
			if w != g {
				add("transition %d: got %s, want %s", i+1, g, w)
			}
		}
	}
	return diffs
}

func transitionText(t DocTransition) string {
	s := fmt.Sprintf("%s %s -> %s", t.Trigger, t.Source, t.Dest)
	if len(t.Conditions) > 0 {
		s += " when " + strings.Join(t.Conditions, ", ")
	}
	if len(t.Unless) > 0 {
		s += " unless " + strings.Join(t.Unless, ", ")
	}
	return s
}

// diffJSON compares two JSON values key by key, one level of records deep at
// a time, and names each differing path.
func diffJSON(path string, want, got json.RawMessage) []string {
	wv, werr := decodeAny(want)
	gv, gerr := decodeAny(got)
	if werr != nil || gerr != nil {
		if !bytes.Equal(want, got) {
			return []string{fmt.Sprintf("%s: got %s, want %s", path, shorten(string(got), 80), shorten(string(want), 80))}
		}
		return nil
	}
	var out []string
	var walk func(path string, w, g any)
	walk = func(path string, w, g any) {
		wm, wok := w.(map[string]any)
		gm, gok := g.(map[string]any)
		if wok && gok {
			keys := map[string]bool{}
			for k := range wm {
				keys[k] = true
			}
			for k := range gm {
				keys[k] = true
			}
			sorted := make([]string, 0, len(keys))
			for k := range keys {
				sorted = append(sorted, k)
			}
			sort.Strings(sorted)
			for _, k := range sorted {
				wv, win := wm[k]
				gv, gin := gm[k]
				switch {
				case !gin:
					out = append(out, fmt.Sprintf("%s.%s: missing on the server, want %s", path, k, jsonText(wv)))
				case !win:
					out = append(out, fmt.Sprintf("%s.%s: got %s, not wanted", path, k, jsonText(gv)))
				default:
					walk(path+"."+k, wv, gv)
				}
			}
			return
		}
		if !reflect.DeepEqual(w, g) {
			out = append(out, fmt.Sprintf("%s: got %s, want %s", path, jsonText(g), jsonText(w)))
		}
	}
	walk(path, wv, gv)
	return out
}

func decodeAny(raw json.RawMessage) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return shorten(string(b), 80)
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "a list"
	default:
		return "an object"
	}
}

func writeJSONString(b *bytes.Buffer, s string) { b.WriteString(py.QuoteJSON(s)) }

func expectDelim(dec *json.Decoder, want json.Delim, what string) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("%s: %w", what, JSONError(err))
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		if want == '{' {
			return fmt.Errorf("%s: want an object", what)
		}
		return fmt.Errorf("%s: want a list", what)
	}
	return nil
}

func objectKey(dec *json.Decoder) (string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", JSONError(err)
	}
	key, ok := tok.(string)
	if !ok {
		return "", errors.New("invalid JSON: want an object key")
	}
	return key, nil
}

func goTypeWords(k reflect.Kind) string {
	switch k {
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	default:
		return "a number"
	}
}
