package semdiff

import (
	"bytes"
	"fmt"
	"path/filepath"

	"github.com/regc/regc/lang"
)

// Check compares NEW with OLD as `regc check --against OLD` does and
// returns its findings about NEW:
//
//   - version-bump, an error when NEW's version is below what the change
//     requires or not above OLD's (when anything changed), a warning when
//     it is higher than needed;
//   - migrate-coverage, an error for each stage of OLD that NEW neither has
//     nor maps, when the bump (required or made) is major and NEW is
//     another version of the same regimen.
func Check(old, new Input) (*Diff, lang.Diagnostics) {
	d := Compare(old, new)
	var ds lang.Diagnostics
	header := headerRange(new)
	v := d.Verdict
	switch {
	case !v.OK:
		dg := ds.Errorf(lang.CodeVersionBump, header, "%s (against %s)", v.Text, old.Label)
		if next := NextVersion(d.Old.Version, d.Required); next != "" && d.Required > None {
			dg.Suggestion = "version " + next
		}
	case v.Higher:
		ds.Warnf(lang.CodeVersionBump, header, "%s (against %s)", v.Text, old.Label)
	}
	if (d.Required == Major || d.Made == Major) && d.Old.Base == d.New.Base {
		at := header
		for _, m := range new.Regimen.Migrations {
			if m.From == d.Old.Base && m.Range.IsValid() {
				at = m.Range
				break
			}
		}
		for _, u := range Coverage(old.Regimen, new.Regimen) {
			dg := ds.Errorf(lang.CodeMigrateCoverage, at, "stage %s of %s is not mapped: %s has no stage of that name and no `migrate from %s` block maps it, so its mice could not move", u.Stage, d.Old.Name, d.New.Name, d.Old.Base)
			if u.Guess != "" {
				dg.Suggestion = fmt.Sprintf("%s -> %s", stageName(u.Stage), stageName(u.Guess))
			}
		}
	}
	return d, ds
}

// headerRange is where NEW names its regimen: the `regimen` header of a
// .regimen source, the `name:` line of a legacy file; else the file.
func headerRange(in Input) lang.Range {
	r := in.Regimen
	rng := lang.Range{File: r.File}
	src, ok := in.Sources[r.File]
	if !ok {
		return rng
	}
	if filepath.Ext(r.File) == ".regimen" {
		f, _ := lang.Parse(r.File, src)
		if f == nil {
			return rng
		}
		for _, d := range f.Decls {
			if h, ok := d.(*lang.RegimenDecl); ok {
				return lang.RangeOf(h.Pos, h.EndPos)
			}
		}
		return rng
	}
	// A legacy file: the first line that starts with `name:`.
	off := 0
	for i, line := range bytes.SplitAfter(src, []byte("\n")) {
		if bytes.HasPrefix(line, []byte("name:")) {
			end := len(bytes.TrimRight(line, "\r\n"))
			return lang.Range{File: r.File,
				Start: lang.Pos{Line: i + 1, Column: 1, Offset: off},
				End:   lang.Pos{Line: i + 1, Column: end + 1, Offset: off + end}}
		}
		off += len(line)
	}
	return rng
}
