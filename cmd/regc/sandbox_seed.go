package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/regc/regc/mtrain/sandbox"
	"github.com/spf13/pflag"
)

type seedFlags struct {
	db string
}

func seedFlagSet(f *seedFlags) *pflag.FlagSet {
	fs := newFlagSet("sandbox seed")
	fs.StringVar(&f.db, "db", "", "the sandbox's database file (it must exist and hold the mice's regimens)")
	return fs
}

const seedUsage = "regc sandbox seed --db PATH MICE.csv (- for standard input)"

// seedColumn says which column a header cell, lower-cased and without
// spaces, _ and -, names: "mouse", "regimen" or "stage", and "" for others
// (state_id, state), which are ignored.
func seedColumn(key string) string {
	switch key {
	case "labtracksid", "mouse", "mouseid", "subject", "subjectid", "id":
		return "mouse"
	case "regimen", "regimenname":
		return "regimen"
	case "stage", "stagename":
		return "stage"
	}
	return ""
}

// runSandboxSeed is `regc sandbox seed`: it puts the mice of a CSV file (as
// `regc sync mice --format csv` writes it) on their regimens' stages in a
// sandbox database, matching regimens and stages by name.
func runSandboxSeed(e *env, args []string) int {
	var f seedFlags
	fs := seedFlagSet(&f)
	if ok, code := parseFlags(e, "sandbox seed", seedUsage, fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 || f.db == "" {
		e.usagef(seedUsage, "regc sandbox seed: give --db PATH and one CSV file of mice")
		return exitUsage
	}
	name := fs.Arg(0)
	var in io.Reader = e.stdin
	if name != "-" {
		file, err := os.Open(name)
		if err != nil {
			e.errf("regc sandbox seed: %v\n", err)
			return exitFail
		}
		defer file.Close()
		in = file
	} else {
		name = "standard input"
	}
	mice, problems := readSeedCSV(name, in)
	if len(problems) > 0 {
		return seedRefused(e, problems)
	}
	sb, err := sandbox.OpenSandbox(f.db)
	if err != nil {
		e.errf("regc sandbox seed: %v\n", err)
		return exitFail
	}
	defer sb.Close()
	for _, n := range sb.Notes() {
		e.errf("regc sandbox seed: note: %s\n", n)
	}
	res, err := sb.Seed(context.Background(), mice)
	var serr *sandbox.SeedError
	if errors.As(err, &serr) {
		return seedRefused(e, serr.Problems)
	}
	if err != nil {
		e.errf("regc sandbox seed: %v\n", err)
		return exitFail
	}
	if err := sb.Close(); err != nil {
		e.errf("regc sandbox seed: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(e.stdout, "seeded %s into %s (%d already there)\n", nMice(res.Added), f.db, res.Present)
	return exitOK
}

func seedRefused(e *env, problems []string) int {
	for _, p := range problems {
		e.errf("regc sandbox seed: %s\n", p)
	}
	e.errf("regc sandbox seed: nothing was seeded\n")
	return exitFail
}

// readSeedCSV reads mice from CSV with a header row naming at least the
// LabTracks_ID, regimen and stage columns, in any order. A cell written
// neutralised for spreadsheets ('=..., '+..., '-..., '@...) is read without
// its quote.
func readSeedCSV(name string, in io.Reader) ([]sandbox.SeedMouse, []string) {
	r := csv.NewReader(in)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		return nil, []string{name + ": empty; want a header row LabTracks_ID,regimen,stage"}
	}
	if err != nil {
		return nil, []string{csvErr(name, err)}
	}
	col := map[string]int{}
	for i, h := range header {
		key := strings.NewReplacer(" ", "", "_", "", "-", "").Replace(strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))))
		if c := seedColumn(key); c != "" {
			if _, dup := col[c]; dup {
				return nil, []string{fmt.Sprintf("%s:1: two columns name the %s (%q)", name, c, h)}
			}
			col[c] = i
		}
	}
	var missing []string
	for _, c := range []string{"mouse", "regimen", "stage"} {
		if _, ok := col[c]; !ok {
			missing = append(missing, map[string]string{"mouse": "LabTracks_ID", "regimen": "regimen", "stage": "stage"}[c])
		}
	}
	if len(missing) > 0 {
		return nil, []string{fmt.Sprintf("%s:1: the header %q has no %s column (want LabTracks_ID, regimen and stage, in any order)",
			name, strings.Join(header, ","), strings.Join(missing, ", "))}
	}
	var mice []sandbox.SeedMouse
	var problems []string
	add := func(p string) {
		if len(problems) < 50 {
			problems = append(problems, p)
		}
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			add(csvErr(name, err))
			break
		}
		line, _ := r.FieldPos(0)
		where := fmt.Sprintf("%s:%d", name, line)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		cell := func(c string) string {
			i := col[c]
			if i >= len(rec) {
				return ""
			}
			v := strings.TrimSpace(rec[i])
			if len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@", rune(v[1])) {
				v = v[1:]
			}
			return v
		}
		idText, regimen, stage := cell("mouse"), cell("regimen"), cell("stage")
		id, err := strconv.Atoi(idText)
		if err != nil || id <= 0 {
			add(fmt.Sprintf("%s: LabTracks_ID %q is not a positive integer", where, idText))
			continue
		}
		if regimen == "" || stage == "" {
			add(fmt.Sprintf("%s: mouse %d has no regimen or no stage", where, id))
			continue
		}
		mice = append(mice, sandbox.SeedMouse{Where: where, LabTracksID: id, Regimen: regimen, Stage: stage})
	}
	return mice, problems
}

func csvErr(name string, err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("%s:%d:%d: %v", name, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Sprintf("%s: %v", name, err)
}
