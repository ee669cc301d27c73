package semdiff

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/mtrain"
)

// FromDocument turns a regimen document read from a server into the model
// Compare reads: stages with their scripts and parameters (int and float
// kept apart, keys in the server's order), and transitions.
func FromDocument(doc *mtrain.Document) (*compiler.Regimen, error) {
	r := &compiler.Regimen{Name: doc.Name, File: "server:" + doc.Name}
	if b, v, ok := compiler.SplitVersionedName(doc.Name); ok {
		r.Base, r.Version = b, v
	}
	for _, s := range doc.Stages {
		st := &compiler.Stage{Name: s.Name, Params: compiler.NullValue()}
		if s.Script != "" || s.ScriptMD5 != "" {
			st.Script = &compiler.Script{Name: s.Name, URL: s.Script, MD5: s.ScriptMD5}
		}
		if s.Parameters != nil {
			v, err := jsonValue(s.Parameters)
			if err != nil {
				return nil, fmt.Errorf("stage %q: parameters: %w", s.Name, err)
			}
			st.Params = v
		}
		r.Stages = append(r.Stages, st)
	}
	for _, t := range doc.Transitions {
		r.Transitions = append(r.Transitions, &compiler.Transition{Trigger: t.Trigger, Source: t.Source, Dest: t.Dest,
			When: t.Conditions, Unless: t.Unless, WhenForm: criteriaForm(t.RawConditions), UnlessForm: criteriaForm(t.RawUnless)})
	}
	return r, nil
}

// criteriaForm is the form in which a document wrote criteria, so that a
// server's copy compares byte for byte with what regc builds.
func criteriaForm(raw json.RawMessage) compiler.CriteriaForm {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0:
		return compiler.CriteriaAuto
	case raw[0] == '"':
		return compiler.CriteriaString
	case raw[0] == '[':
		return compiler.CriteriaList
	}
	return compiler.CriteriaNull
}

// maxJSONDepth bounds the nesting of a value read from a server.
const maxJSONDepth = 200

// jsonValue reads one JSON value: records keep their key order, a number
// with a fraction or an exponent is a float (as Python reads it), any
// other an int.
func jsonValue(data []byte) (compiler.Value, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := readJSON(dec, 0)
	if err != nil {
		return v, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return v, errors.New("data after the value")
	}
	return v, nil
}

func readJSON(dec *json.Decoder, depth int) (compiler.Value, error) {
	if depth > maxJSONDepth {
		return compiler.Value{}, fmt.Errorf("nested more than %d deep", maxJSONDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		return compiler.Value{}, err
	}
	switch t := tok.(type) {
	case nil:
		return compiler.NullValue(), nil
	case bool:
		return compiler.BoolValue(t), nil
	case string:
		return compiler.StringValue(t), nil
	case json.Number:
		s := t.String()
		if !strings.ContainsAny(s, ".eE") {
			if i, ok := new(big.Int).SetString(s, 10); ok {
				return compiler.BigIntValue(i), nil
			}
		}
		f, err := t.Float64()
		if err != nil {
			return compiler.Value{}, fmt.Errorf("number %s: %w", s, err)
		}
		return compiler.FloatValue(f), nil
	case json.Delim:
		if t == '[' {
			list := compiler.ListValue()
			for dec.More() {
				v, err := readJSON(dec, depth+1)
				if err != nil {
					return v, err
				}
				list.List = append(list.List, v)
			}
			_, err := dec.Token()
			return list, err
		}
		rec := compiler.MapValue()
		at := map[string]int{} // a key given twice: the later wins, in the first's place
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return rec, err
			}
			key, _ := k.(string)
			v, err := readJSON(dec, depth+1)
			if err != nil {
				return v, err
			}
			if i, ok := at[key]; ok {
				rec.Map[i].Value = v
				continue
			}
			at[key] = len(rec.Map)
			rec.Map = append(rec.Map, compiler.Field{Key: key, Value: v})
		}
		_, err := dec.Token()
		return rec, err
	}
	return compiler.Value{}, fmt.Errorf("unexpected %v", tok)
}
