package semdiff

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
)

// Formats are the ways a diff can be written.
var Formats = []string{"text", "json", "markdown"}

// Write writes d in format (text, json or markdown); suggestions, when
// given, are written too (a migrate block).
func Write(w io.Writer, d *Diff, format string, sugg []Suggestion, old *Input) error {
	switch format {
	case "json":
		return writeJSON(w, d, sugg)
	case "markdown":
		writeMarkdown(w, d, sugg, old)
	default:
		writeText(w, d, sugg, old)
	}
	return nil
}

func writeJSON(w io.Writer, d *Diff, sugg []Suggestion) error {
	out := struct {
		Same bool `json:"same"`
		*Diff
		Suggest []Suggestion `json:"suggested_migrations,omitempty"`
	}{d.Same(), d, sugg}
	if out.Stages == nil {
		out.Stages = []StageChange{}
	}
	if out.Transitions == nil {
		out.Transitions = []TransitionChange{}
	}
	if out.Reasons == nil {
		out.Reasons = []Reason{}
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// mice is " (N mice)" for a stage of OLD when the server was asked.
func (d *Diff) mice(stage string) string {
	if d.Mice == nil {
		return ""
	}
	n := d.Mice[stage]
	if n == 1 {
		return " (1 mouse)"
	}
	return fmt.Sprintf(" (%d mice)", n)
}

func (d *Diff) title() string {
	return fmt.Sprintf("%s → %s", clean(d.Old.Name), clean(d.New.Name))
}

func writeText(w io.Writer, d *Diff, sugg []Suggestion, old *Input) {
	fmt.Fprintln(w, d.title())
	if d.Same() {
		fmt.Fprintln(w, "no differences: the documents are the same, apart from the version in the name")
	}
	if len(d.Stages) > 0 {
		fmt.Fprintln(w, "stages:")
		for _, s := range d.Stages {
			switch s.Kind {
			case Renamed:
				fmt.Fprintf(w, "  renamed %s -> %s%s\n", clean(s.Name), clean(s.NewName), d.mice(s.Name))
			case Added:
				fmt.Fprintf(w, "  added   %s\n", clean(s.Name))
			default:
				fmt.Fprintf(w, "  %-7s %s%s\n", s.Kind, clean(s.Name), d.mice(s.Name))
			}
			for _, line := range s.details() {
				fmt.Fprintf(w, "      %s\n", clean(line))
			}
		}
	}
	if len(d.Transitions) > 0 {
		fmt.Fprintln(w, "transitions (mtrain tries those of one source and trigger in order):")
		for _, t := range d.Transitions {
			fmt.Fprintf(w, "  %-14s %s\n", t.Kind, clean(t.text()))
		}
	}
	if len(d.Cosmetic) > 0 {
		fmt.Fprintln(w, "cosmetic:")
		for _, c := range d.Cosmetic {
			fmt.Fprintf(w, "  %s\n", c)
		}
	}
	fmt.Fprintf(w, "required bump: %s\n", d.Required)
	for _, r := range d.Reasons {
		fmt.Fprintf(w, "  %-5s  %s\n", r.Bump, clean(r.Text))
	}
	fmt.Fprintf(w, "verdict: %s\n", d.Verdict.Text)
	if len(sugg) > 0 && old != nil {
		fmt.Fprintln(w, "suggested migrate block (paste into the new version's source and check each line):")
		fmt.Fprint(w, MigrateBlock(old.Regimen, sugg))
	}
}

// details are the lines under a changed stage: its script, then its
// parameters.
func (s StageChange) details() []string {
	var out []string
	if c := s.Script; c != nil {
		if c.OldURL != c.NewURL {
			out = append(out, fmt.Sprintf("script url: %s -> %s", orNone(c.OldURL), orNone(c.NewURL)))
		}
		if c.OldMD5 != c.NewMD5 {
			out = append(out, fmt.Sprintf("script md5: %s -> %s", orNone(c.OldMD5), orNone(c.NewMD5)))
		}
	}
	for _, p := range s.Params {
		switch {
		case p.Old == "":
			out = append(out, fmt.Sprintf("%s: added, %s", p.Path, p.New))
		case p.New == "":
			out = append(out, fmt.Sprintf("%s: removed (was %s)", p.Path, p.Old))
		default:
			out = append(out, fmt.Sprintf("%s: %s -> %s", p.Path, p.Old, p.New))
		}
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func (t TransitionChange) text() string {
	s := t.Transition.String()
	if t.Kind == Reconditned && t.Old != nil {
		was := "no criteria"
		if len(t.Old.When) > 0 || len(t.Old.Unless) > 0 {
			was = strings.TrimPrefix(t.Old.String(), t.Old.Trigger+" "+t.Old.Source+" -> "+t.Old.Dest+" ")
		}
		s += " (was: " + was + ")"
	}
	return s
}

func writeMarkdown(w io.Writer, d *Diff, sugg []Suggestion, old *Input) {
	ver := d.New.Version
	if ver == "" {
		ver = d.New.Name
	}
	fmt.Fprintf(w, "## %s %s\n\n", md(d.New.Base), md(ver))
	fmt.Fprintf(w, "Changes from %s. Required bump: **%s**; %s.\n", code(d.Old.Name), d.Required, md(d.Verdict.Text))
	if d.Same() {
		fmt.Fprintf(w, "\nNo changes: the documents are the same, apart from the version in the name.\n")
	}
	if len(d.Stages) > 0 {
		fmt.Fprintf(w, "\n### Stages\n\n")
		for _, s := range d.Stages {
			switch s.Kind {
			case Renamed:
				fmt.Fprintf(w, "- Renamed %s to %s%s\n", code(s.Name), code(s.NewName), d.mice(s.Name))
			case Added:
				fmt.Fprintf(w, "- Added %s\n", code(s.Name))
			case Removed:
				fmt.Fprintf(w, "- Removed %s%s\n", code(s.Name), d.mice(s.Name))
			default:
				fmt.Fprintf(w, "- Changed %s%s:\n", code(s.Name), d.mice(s.Name))
			}
			for _, line := range s.details() {
				k, v, _ := strings.Cut(line, ": ")
				fmt.Fprintf(w, "  - %s: %s\n", code(k), md(strings.ReplaceAll(v, "->", "→")))
			}
		}
	}
	if len(d.Transitions) > 0 {
		fmt.Fprintf(w, "\n### Transitions\n\n")
		for _, t := range d.Transitions {
			fmt.Fprintf(w, "- %s %s\n", upperFirst(t.Kind), code(t.text()))
		}
	}
	if len(d.Cosmetic) > 0 {
		fmt.Fprintf(w, "\n### Cosmetic\n\n")
		for _, c := range d.Cosmetic {
			fmt.Fprintf(w, "- %s\n", upperFirst(c))
		}
	}
	if len(d.Reasons) > 0 {
		fmt.Fprintf(w, "\n### Why %s\n\n", d.Required)
		for _, r := range d.Reasons {
			fmt.Fprintf(w, "- %s: %s\n", r.Bump, md(r.Text))
		}
	}
	if len(sugg) > 0 && old != nil {
		fmt.Fprintf(w, "\n### Migration\n\n```\n%s```\n", MigrateBlock(old.Regimen, sugg))
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// code writes s as inline code, with a fence longer than any run of
// backticks in it.
func code(s string) string {
	s = clean(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// md escapes the characters markdown reads as markup in running text.
func md(s string) string {
	var b strings.Builder
	for _, r := range clean(s) {
		if strings.ContainsRune("\\`*_[]<>#|", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// clean makes text safe for a terminal: control characters (an escape
// sequence in a stage name, a newline) are written as Go escapes. (A
// migrate block needs none: it quotes such names.)
func clean(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) }) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
