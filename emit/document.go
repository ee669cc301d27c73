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
		return append(JSON(r.Document()), '\n'), nil
	case "yaml":
		return YAML(r.Document()), nil
	}
	return nil, fmt.Errorf("unknown format %q (want json or yaml)", format)
}

// StageDocument is one stage of the document, as make_regimen_json.py
// --stage printed it: the stage's mapping ({script, script_md5,
// parameters}) in format json or yaml. A stage written twice is the later
// one, as PyYAML kept it.
func StageDocument(reg *compiler.Regimen, name, format string) ([]byte, error) {
	stages, _ := reg.Document().Get("stages")
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
	return append(JSON(*stage), '\n'), nil
}

func stageNames(reg *compiler.Regimen) []string {
	names := make([]string, len(reg.Stages))
	for i, s := range reg.Stages {
		names[i] = s.Name
	}
	return names
}
