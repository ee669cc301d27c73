package scripts

// A stage's script for emit's camstim pair.

import (
	"context"
	"fmt"

	"github.com/regc/regc/compiler"
)

// StageScript returns the content of stage's script, fetched and verified
// against its md5 (see Fetch), and warnings about what did not stop it: a
// script that declares no md5 (its content was not verified) and a
// download that could not be cached. With it a *Fetcher is the
// emit.ScriptSource that regc emit passes to emit.Camstim.
func (f *Fetcher) StageScript(ctx context.Context, reg *compiler.Regimen, stage *compiler.Stage) ([]byte, []string, error) {
	s := stage.Script
	if s == nil {
		return nil, nil, fmt.Errorf("stage %s names no script", stage.Name)
	}
	if s.URL == "" {
		return nil, nil, fmt.Errorf("%s of stage %s has no url", scriptLabel(s.Name), stage.Name)
	}
	got, err := f.Fetch(ctx, s, ScriptDir(s, reg))
	if err != nil {
		return nil, nil, err
	}
	var warnings []string
	switch {
	case s.MD5 != "":
	case s.Name == "": // a legacy file's
		warnings = append(warnings, fmt.Sprintf(
			"stage %s gives no script_md5, so %s was not verified (its md5 is %s)", stage.Name, got.Source, got.MD5))
	default:
		warnings = append(warnings, fmt.Sprintf(
			"script %s declares no md5, so %s was not verified (its md5 is %s; regc freeze writes it into the regimen)",
			s.Name, got.Source, got.MD5))
	}
	if got.CacheErr != nil {
		warnings = append(warnings, fmt.Sprintf("the script was not cached: %v", got.CacheErr))
	}
	return got.Body, warnings, nil
}
