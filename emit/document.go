package emit

import (
	"errors"
	"fmt"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/internal/spell"
)

// Document returns the mtrain regimen document of r ({name, stages,
// transitions}) in format "json" (see JSON) or "yaml" (see YAML), ending in
// a newline.
func Document(r *compiler.Regimen, format string) ([]byte, error) {
	if r == nil {
		return nil, errors.New("no regimen to write")
	}
	switch format {
	case "json":
		return jsonText(DocumentValue(r), "\n"), nil
	case "yaml":
		return YAML(DocumentValue(r)), nil
	}
	return nil, fmt.Errorf("unknown format %q (want json or yaml)", format)
}

// DocumentValue returns the mtrain regimen document of r, {name, stages,
// transitions}, as a value: the one place that knows the document's shape.
// Conditions and unless are written in the form the source used (see
// compiler.CriteriaForm).
func DocumentValue(r *compiler.Regimen) compiler.Value {
	stages := make([]compiler.Field, 0, len(r.Stages))
	for _, s := range r.Stages {
		st := make([]compiler.Field, 0, 3+len(s.Extra))
		if s.Script != nil {
			st = append(st, compiler.Field{Key: "script", Value: compiler.StringValue(s.Script.URL)})
			if s.Script.MD5 != "" {
				st = append(st, compiler.Field{Key: "script_md5", Value: compiler.StringValue(s.Script.MD5)})
			}
		}
		if s.Params.Kind != compiler.Null || s.Params.Map != nil {
			st = append(st, compiler.Field{Key: "parameters", Value: s.Params})
		}
		st = append(st, s.Extra...)
		stages = append(stages, compiler.Field{Key: s.Name, Value: compiler.MapValue(st...)})
	}
	trans := make([]compiler.Value, 0, len(r.Transitions))
	for _, t := range r.Transitions {
		fs := make([]compiler.Field, 3, 5+len(t.Extra))
		fs[0] = compiler.Field{Key: "trigger", Value: compiler.StringValue(t.Trigger)}
		fs[1] = compiler.Field{Key: "source", Value: compiler.StringValue(t.Source)}
		fs[2] = compiler.Field{Key: "dest", Value: compiler.StringValue(t.Dest)}
		if v, ok := criteriaValue(t.When, t.WhenForm); ok {
			fs = append(fs, compiler.Field{Key: "conditions", Value: v})
		}
		if v, ok := criteriaValue(t.Unless, t.UnlessForm); ok {
			fs = append(fs, compiler.Field{Key: "unless", Value: v})
		}
		fs = append(fs, t.Extra...)
		trans = append(trans, compiler.MapValue(fs...))
	}
	name := compiler.StringValue(r.Name)
	if r.NameValue != nil {
		name = *r.NameValue
	}
	stagesV, transV := compiler.MapValue(stages...), compiler.ListValue(trans...)
	if r.NullStages && len(stages) == 0 {
		stagesV = compiler.NullValue()
	}
	if r.NullTransitions && len(trans) == 0 {
		transV = compiler.NullValue()
	}
	return compiler.MapValue(
		compiler.Field{Key: "name", Value: name},
		compiler.Field{Key: "stages", Value: stagesV},
		compiler.Field{Key: "transitions", Value: transV},
	)
}

// criteriaValue is the document value of criteria written in form, and
// false when the key is left out.
func criteriaValue(names []string, form compiler.CriteriaForm) (compiler.Value, bool) {
	switch {
	case form == compiler.CriteriaNull:
		return compiler.NullValue(), true
	case form == compiler.CriteriaString && len(names) == 1:
		return compiler.StringValue(names[0]), true
	case form == compiler.CriteriaList || len(names) > 0:
		return stringList(names), true
	}
	return compiler.Value{}, false
}

func stringList(ss []string) compiler.Value {
	vs := make([]compiler.Value, len(ss))
	for i, s := range ss {
		vs[i] = compiler.StringValue(s)
	}
	return compiler.ListValue(vs...)
}

// StageDocument is one stage of the document, as make_regimen_json.py
// --stage printed it: the stage's mapping ({script, script_md5,
// parameters}) in format json or yaml. A stage written twice is the later
// one, as PyYAML kept it.
func StageDocument(reg *compiler.Regimen, name, format string) ([]byte, error) {
	stages, _ := DocumentValue(reg).Get("stages")
	var stage *compiler.Value
	for i := range stages.Map {
		if stages.Map[i].Key == name {
			stage = &stages.Map[i].Value
		}
	}
	if stage == nil {
		msg := fmt.Sprintf("%s has no stage %s", reg.File, name)
		if s := spell.Nearest(name, stageNames(reg)); s != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", s)
		}
		return nil, errors.New(msg)
	}
	if format == "yaml" {
		return YAML(*stage), nil
	}
	return jsonText(*stage, "\n"), nil
}

func stageNames(reg *compiler.Regimen) []string {
	names := make([]string, len(reg.Stages))
	for i, s := range reg.Stages {
		names[i] = s.Name
	}
	return names
}
