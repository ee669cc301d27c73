package main

import (
	"errors"
	"fmt"
	iofs "io/fs"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/internal/atomicfile"
	"github.com/regc/regc/internal/safetext"
	"github.com/regc/regc/lang"
	"github.com/spf13/pflag"
)

// regc init: a new regimen from a template that compiles, passes its test
// and is in the canonical layout.

const initUsage = "regc init [--name NAME] [DIR]"

func initFlagSet(name *string) *pflag.FlagSet {
	fs := newFlagSet("init")
	fs.StringVar(name, "name", "", "the regimen's name (an identifier; by default made from the folder's name)")
	return fs
}

// initFiles are the files regc init writes, by name in the folder.
const (
	initMain    = "main.regimen"
	initLibrary = "common.regimen"
)

func runInit(e *env, args []string) int {
	var name string
	fs := initFlagSet(&name)
	if ok, code := parseFlags(e, "init", initUsage, fs, args); !ok {
		return code
	}
	if fs.NArg() > 1 {
		e.usagef(initUsage, "regc init: give at most one folder")
		return exitUsage
	}
	dir := "."
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	if name == "" {
		name = regimenNameFor(dir)
	} else if !compiler.IsIdent(name) || lang.IsKeyword(name) {
		e.errf("regc init: --name %q is not a name a regimen can have: use letters, digits and _, starting with a letter (the version is separate: 0.1.0)\n", name)
		return exitUsage
	}
	files := []atomicfile.File{
		{Path: filepath.Join(dir, initLibrary), Data: []byte(initLibraryText), MakeDir: true},
		{Path: filepath.Join(dir, initMain), Data: []byte(strings.ReplaceAll(initMainText, "NAME", name)), MakeDir: true},
	}
	if err := atomicfile.WriteNew(files); err != nil {
		msg := err.Error()
		if errors.Is(err, iofs.ErrExist) {
			msg = strings.TrimSuffix(msg, ": "+iofs.ErrExist.Error()) + "; init writes only new files, and wrote none: choose another folder"
		}
		e.errf("regc init: %s\n", safetext.Terminal(msg))
		return exitFail
	}
	for _, f := range files {
		fmt.Fprintf(e.stdout, "wrote %s\n", safetext.Terminal(f.Path))
	}
	fmt.Fprintf(e.stdout, "next: regc check %s && regc test %s\n", safetext.Terminal(files[1].Path), safetext.Terminal(files[1].Path))
	return exitOK
}

// regimenNameFor makes a regimen name of a folder's name: its words,
// capitalised and joined (my-task → MyTask); NewRegimen when that is no
// name.
func regimenNameFor(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	var b strings.Builder
	for _, w := range strings.FieldsFunc(filepath.Base(abs), func(r rune) bool { return r > unicode.MaxASCII || !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	if n := b.String(); compiler.IsIdent(n) && !lang.IsKeyword(n) {
		return n
	}
	return "NewRegimen"
}

const initLibraryText = `// common.regimen: a library, what the regimens of this folder share. It has
// no regimen header; a regimen file reads it with ` + "`import \"common\"`" + `.

// Criteria: the names the mtrain service evaluates. Declaring them makes a
// misspelt one an error.
criterion one_complete, meets_engagement_criteria

// A schema: the parameters a script reads, with their types, units and
// ranges. A key it does not declare is an error (end it with ` + "`...`" + ` to allow
// others).
schema Task {
    reward_volume: volume(mL) in [0 uL, 20 uL]
    max_task_duration_min: time(min)
    warm_up_trials: int in [-1, 1000]
}

// A parameter set, checked against its schema: the stages start from it.
params base: Task {
    reward_volume: 10 uL  // written in uL, emitted in mL: 0.01
    max_task_duration_min: 60 min
    warm_up_trials: 5
}
`

const initMainText = `// main.regimen: the regimen NAME. Check it with regc check, run its tests
// with regc test, and print its mtrain document with regc build.
regimen NAME version 0.1.0

// The library beside this file: criteria, schemas and parameter sets.
import "common"

// The script the stages run: put its address here, then run
// regc freeze main.regimen to write the md5 the script must have.
script task: Task {
    url: "https://example.org/scripts/task.py"
}

// Stages, in training order: each runs a script with parameters. A
// ` + "`final`" + ` stage is where training ends.
stage HABITUATION {
    script: task
    params: base { warm_up_trials: -1, max_task_duration_min: 15 min }
}

stage TRAINING      { script: task, params: base }
final stage HANDOFF { script: task, params: base { reward_volume: 7 uL } }

// Transitions, in the order mtrain tries them: the trigger, from -> to,
// and the criteria that must hold (` + "`when`" + `) or fail (` + "`unless`" + `).
progress HABITUATION -> TRAINING when one_complete
progress TRAINING -> HANDOFF when meets_engagement_criteria

// Tests, run by regc test and regc check: from start, each step fires a
// trigger with the criteria in brackets holding, and names the stage the
// mouse must then be on.
test "an engaged mouse reaches handoff" {
    start HABITUATION
    progress [] => HABITUATION
    progress [one_complete] => TRAINING
    progress [meets_engagement_criteria] => HANDOFF
}
`
