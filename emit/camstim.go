package emit

// The camstim pair for one stage: {yymmddHHMMSS}_{stage}.py, the stage's
// script (given by a ScriptSource), and {yymmddHHMMSS}_{stage}.json, its
// parameters as the old tool wrote them with
// json.dump(params, f, sort_keys=True, indent=4).

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/internal/atomicfile"
)

// CamstimTimeLayout is the time stamp at the start of camstim file names,
// Python's %y%m%d%H%M%S.
const CamstimTimeLayout = "060102150405"

// DefaultMouseDir is where the old tool kept a mouse's files; {mouse} is
// replaced by the mouse's id.
const DefaultMouseDir = "/allen/programs/braintv/workgroups/neuralcoding/Behavior/Data/{mouse}"

// StageParams returns the parameters file of stage: byte for byte what
// Python's json.dump(params, f, sort_keys=True, indent=4) writes for them.
// A legacy stage whose parameters are not a mapping keeps them among its
// extra keys; they are written as they are. A stage without parameters
// writes null, as json.dump(None) did.
func StageParams(s *compiler.Stage) []byte {
	if s.Params.Kind == compiler.Null {
		for _, f := range s.Extra {
			if f.Key == "parameters" {
				return JSON(f.Value)
			}
		}
	}
	return JSON(s.Params)
}

// CamstimNames returns the names of the script and parameters files of
// stage for a run at t, as t's clock reads: 240131093000_STAGE.py and
// 240131093000_STAGE.json. A stage name that cannot be part of a file name
// (a path separator, a NUL, nothing) is an error.
func CamstimNames(t time.Time, stage string) (script, params string, err error) {
	if stage == "" || strings.ContainsAny(stage, "/\\\x00") {
		return "", "", fmt.Errorf("stage name %q cannot be part of a file name", stage)
	}
	base := t.Format(CamstimTimeLayout) + "_" + stage
	return base + ".py", base + ".json", nil
}

// MouseDir returns the folder of a mouse: template with {mouse} replaced by
// id. An id that is empty, holds a path separator, or is "." or ".." is an
// error, as is a template without {mouse}.
func MouseDir(template, id string) (string, error) {
	if id == "" || id == "." || id == ".." || strings.ContainsAny(id, "/\\\x00") {
		return "", fmt.Errorf("mouse id %q cannot be part of a folder name", id)
	}
	if !strings.Contains(template, "{mouse}") {
		return "", fmt.Errorf("mouse folder template %q has no {mouse}", template)
	}
	return filepath.Clean(strings.ReplaceAll(template, "{mouse}", id)), nil
}

// ScriptSource gives the content of a stage's camstim script. Package
// scripts' Fetcher is one (it fetches, verifies the md5 and caches); the
// command line passes it in, so emit itself fetches nothing.
type ScriptSource interface {
	// StageScript returns the script of stage, a stage of reg, that names
	// one, and what the user should know that did not stop it (a script
	// without an md5, a cache that could not be written).
	StageScript(ctx context.Context, reg *compiler.Regimen, stage *compiler.Stage) (body []byte, warnings []string, err error)
}

// CamstimOptions say which files Camstim makes and where they go.
type CamstimOptions struct {
	// Time stamps the file names (local time, as the rig's clock reads).
	Time time.Time
	// ScriptDir and ParamsDir are the folders the files go in.
	ScriptDir, ParamsDir string
	// ParamsOnly leaves the script out.
	ParamsOnly bool
	// Scripts gives the script; it must be set unless ParamsOnly.
	Scripts ScriptSource
}

// File is one output file.
type File struct {
	Path string
	Data []byte
}

// CamstimOutput is what Camstim made.
type CamstimOutput struct {
	// Files are the files to write: the script (unless only the
	// parameters were asked for), then the parameters.
	Files []File
	// Warnings are things the user should know that did not stop the
	// emit, from the script source.
	Warnings []string
}

// Camstim makes the camstim files of stage, a stage of reg: the script
// from opts.Scripts, and the parameters. It writes nothing (see
// WriteFiles), so a failure here leaves no file.
func Camstim(ctx context.Context, reg *compiler.Regimen, stage *compiler.Stage, opts CamstimOptions) (*CamstimOutput, error) {
	scriptName, paramsName, err := CamstimNames(opts.Time, stage.Name)
	if err != nil {
		return nil, err
	}
	out := &CamstimOutput{}
	if !opts.ParamsOnly {
		if stage.Script == nil {
			return nil, fmt.Errorf("stage %s names no script (only its parameters can be emitted)", stage.Name)
		}
		if opts.Scripts == nil {
			return nil, fmt.Errorf("internal error: no script source for stage %s (please report this)", stage.Name)
		}
		body, warnings, err := opts.Scripts.StageScript(ctx, reg, stage)
		if err != nil {
			return nil, err
		}
		out.Warnings = warnings
		out.Files = append(out.Files, File{Path: filepath.Join(opts.ScriptDir, scriptName), Data: body})
	}
	out.Files = append(out.Files, File{Path: filepath.Join(opts.ParamsDir, paramsName), Data: StageParams(stage)})
	return out, nil
}

// WriteNewFiles writes the files atomically (see atomicfile), creating
// their folders when missing, and never replaces anything: when one of the
// paths is taken (by any kind of file, or by one
// that appears while writing), nothing new is left behind and the error
// wraps fs.ErrExist (see atomicfile.WriteNew).
func WriteNewFiles(files []File) error {
	af := make([]atomicfile.File, len(files))
	for i, f := range files {
		af[i] = atomicfile.File{Path: f.Path, Data: f.Data, MakeDir: true}
	}
	return atomicfile.WriteNew(af)
}
