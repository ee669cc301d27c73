package semdiff

import (
	"bytes"
	"github.com/regc/regc/internal/safetext"
	"sort"
	"strings"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/emit"
)

// Input is one side of a comparison: a compiled regimen, the sources it was
// compiled from (for the units its schemas declare; may be nil), and a
// label for messages (a file name, FILE@REV, or server:NAME).
type Input struct {
	Regimen *compiler.Regimen
	Sources map[string][]byte
	Label   string
}

// Diff is everything that differs between two versions of a regimen.
type Diff struct {
	Old Side `json:"old"`
	New Side `json:"new"`
	// Stages are the stage changes: those of OLD in its order (removed,
	// renamed, changed), then the added ones in NEW's order.
	Stages      []StageChange      `json:"stages"`
	Transitions []TransitionChange `json:"transitions"`
	// Cosmetic are changes of the document's text that change nothing
	// mtrain does (stages listed in another order, ...).
	Cosmetic []string `json:"cosmetic,omitempty"`
	// Required is the smallest bump the change allows, and Reasons why.
	Required Bump     `json:"required_bump"`
	Reasons  []Reason `json:"reasons"`
	// Made is the bump from OLD's version to NEW's; Verdict says whether it
	// is enough (see Verdict).
	Made    Bump    `json:"made_bump"`
	Verdict Verdict `json:"verdict"`
	// Mice, when known (a server was asked), counts the mice on each stage
	// of OLD; nil otherwise.
	Mice map[string]int `json:"mice,omitempty"`
}

// Side names one version.
type Side struct {
	Label   string `json:"label"`
	Name    string `json:"name"`
	Base    string `json:"base"`
	Version string `json:"version"`
}

// Change kinds of a stage or a transition.
const (
	Added       = "added"
	Removed     = "removed"
	Renamed     = "renamed"
	Changed     = "changed"
	Reordered   = "reordered"
	Reconditned = "re-conditioned"
)

// StageChange is what happened to one stage.
type StageChange struct {
	Kind    string        `json:"kind"`
	Name    string        `json:"name"`               // the name in OLD (NEW's for an added stage)
	NewName string        `json:"new_name,omitempty"` // a renamed stage's name in NEW
	Script  *ScriptChange `json:"script,omitempty"`
	Params  []ParamChange `json:"parameters,omitempty"`
}

// ScriptChange is a stage's script whose url or md5 changed.
type ScriptChange struct {
	OldURL string `json:"old_url"`
	NewURL string `json:"new_url"`
	OldMD5 string `json:"old_md5"`
	NewMD5 string `json:"new_md5"`
}

// ParamChange is one parameter (a dotted path into the stage's parameters)
// added, removed or changed. Values are written compactly, as JSON with
// Python's floats, followed by the unit the stage's schema declares for
// the field when it declares one ("0.007 mL"); "" stands for absent.
type ParamChange struct {
	Path string `json:"path"`
	Old  string `json:"old,omitempty"`
	New  string `json:"new,omitempty"`
}

// TransitionChange is one transition added, removed, reordered or
// re-conditioned. For a re-conditioned one, Old holds the criteria before.
type TransitionChange struct {
	Kind       string      `json:"kind"`
	Transition Transition  `json:"transition"`
	Old        *Transition `json:"old,omitempty"`
}

// Transition is a transition as the diff shows it.
type Transition struct {
	Trigger string   `json:"trigger"`
	Source  string   `json:"source"`
	Dest    string   `json:"dest"`
	When    []string `json:"when,omitempty"`
	Unless  []string `json:"unless,omitempty"`
}

func (t Transition) String() string {
	s := t.Trigger + " " + t.Source + " -> " + t.Dest
	if len(t.When) > 0 {
		s += " when " + strings.Join(t.When, ", ")
	}
	if len(t.Unless) > 0 {
		s += " unless " + strings.Join(t.Unless, ", ")
	}
	return s
}

// criteria is the part of a transition that a re-conditioning changes.
func (t Transition) criteria() string {
	return strings.Join(t.When, ",") + "|" + strings.Join(t.Unless, ",")
}

// Same reports whether the documents are the same apart from the version
// in their names.
func (d *Diff) Same() bool {
	return len(d.Stages) == 0 && len(d.Transitions) == 0 && len(d.Cosmetic) == 0 && d.Old.Base == d.New.Base
}

// Compare compares two versions of a regimen.
func Compare(old, new Input) *Diff {
	d := &Diff{Old: side(old), New: side(new)}
	units := newUnits(old, new)
	o, n := old.Regimen, new.Regimen
	renames := d.compareStages(o, n, units)
	d.compareTransitions(o, n, renames)
	d.cosmetic(o, n, renames)
	d.Required, d.Reasons = requiredBump(d)
	d.Made = madeBump(d.Old.Version, d.New.Version)
	d.Verdict = verdict(d)
	return d
}

func side(in Input) Side {
	r := in.Regimen
	s := Side{Label: in.Label, Name: r.Name, Base: r.Base, Version: r.Version}
	if b, v, ok := compiler.SplitVersionedName(r.Name); ok {
		s.Base, s.Version = b, v
	} else if s.Base == "" {
		s.Base = r.Name
	}
	return s
}

// compareStages fills d.Stages and returns the renames (old name → new).
func (d *Diff) compareStages(o, n *compiler.Regimen, units *units) map[string]string {
	var removed, added []*compiler.Stage
	for _, s := range o.Stages {
		if n.Stage(s.Name) == nil {
			removed = append(removed, s)
		}
	}
	for _, s := range n.Stages {
		if o.Stage(s.Name) == nil {
			added = append(added, s)
		}
	}
	// A removed stage and an added one with the same script and the same
	// parameters (but for parameters.stage, which names the stage) are a
	// rename.
	renames := map[string]string{}
	taken := map[string]bool{}
	for _, r := range removed {
		for _, a := range added {
			if !taken[a.Name] && sameContent(r, a) {
				renames[r.Name] = a.Name
				taken[a.Name] = true
				break
			}
		}
	}
	for _, s := range o.Stages {
		ns := n.Stage(s.Name)
		switch {
		case renames[s.Name] != "":
			d.Stages = append(d.Stages, StageChange{Kind: Renamed, Name: s.Name, NewName: renames[s.Name]})
		case ns == nil:
			d.Stages = append(d.Stages, StageChange{Kind: Removed, Name: s.Name})
		default:
			c := StageChange{Kind: Changed, Name: s.Name, Script: scriptChange(s, ns)}
			diffValues(&c.Params, nil, s.Params, ns.Params, func(path []string) string { return units.of(ns, path) })
			diffValues(&c.Params, []string{"(stage key)"}, extraValue(s), extraValue(ns), func([]string) string { return "" })
			if c.Script != nil || len(c.Params) > 0 {
				d.Stages = append(d.Stages, c)
			}
		}
	}
	for _, a := range added {
		if !taken[a.Name] {
			d.Stages = append(d.Stages, StageChange{Kind: Added, Name: a.Name})
		}
	}
	return renames
}

func scriptOf(s *compiler.Stage) (url, md5 string) {
	if s.Script == nil {
		return "", ""
	}
	return s.Script.URL, s.Script.MD5
}

func scriptChange(o, n *compiler.Stage) *ScriptChange {
	ou, om := scriptOf(o)
	nu, nm := scriptOf(n)
	if ou == nu && om == nm {
		return nil
	}
	// A url's user name and password are never shown.
	return &ScriptChange{OldURL: safetext.WithoutUserinfo(ou), NewURL: safetext.WithoutUserinfo(nu), OldMD5: om, NewMD5: nm}
}

func extraValue(s *compiler.Stage) compiler.Value {
	return compiler.MapValue(s.Extra...)
}

// sameContent reports whether two stages run the same script with the same
// parameters, parameters.stage aside.
func sameContent(a, b *compiler.Stage) bool {
	au, am := scriptOf(a)
	bu, bm := scriptOf(b)
	if au != bu || am != bm {
		return false
	}
	return compiler.Equal(withoutStage(a.Params), withoutStage(b.Params)) &&
		compiler.Equal(extraValue(a), extraValue(b))
}

func withoutStage(v compiler.Value) compiler.Value {
	if v.Kind != compiler.Map {
		return v
	}
	out := compiler.Value{Kind: compiler.Map}
	for _, f := range v.Map {
		if f.Key != "stage" {
			out.Map = append(out.Map, f)
		}
	}
	return out
}

// diffValues appends the differences between a and b under path: records
// key by key (OLD's keys in order, then NEW's new keys), anything else as
// one change.
func diffValues(out *[]ParamChange, path []string, a, b compiler.Value, unit func([]string) string) {
	if a.Kind == compiler.Map && b.Kind == compiler.Map {
		for _, f := range a.Map {
			p := append(append([]string(nil), path...), f.Key)
			g, ok := b.Get(f.Key)
			if !ok {
				*out = append(*out, ParamChange{Path: strings.Join(p, "."), Old: withUnit(f.Value, unit(p))})
				continue
			}
			diffValues(out, p, f.Value, g, unit)
		}
		for _, g := range b.Map {
			if _, ok := a.Get(g.Key); !ok {
				p := append(append([]string(nil), path...), g.Key)
				*out = append(*out, ParamChange{Path: strings.Join(p, "."), New: withUnit(g.Value, unit(p))})
			}
		}
		return
	}
	if compiler.Equal(a, b) {
		return
	}
	u := unit(path)
	name := strings.Join(path, ".")
	if name == "" {
		name = "(parameters)"
	}
	*out = append(*out, ParamChange{Path: name, Old: withUnit(a, u), New: withUnit(b, u)})
}

func withUnit(v compiler.Value, unit string) string {
	s := valueText(v)
	if unit != "" && (v.Kind == compiler.Int || v.Kind == compiler.Float || v.Kind == compiler.List) {
		s += " " + unit
	}
	return s
}

// valueText writes v compactly: JSON with Python's floats and `, ` and `: `
// separators.
func valueText(v compiler.Value) string {
	var b strings.Builder
	writeValue(&b, v)
	return b.String()
}

func writeValue(b *strings.Builder, v compiler.Value) {
	switch v.Kind {
	case compiler.List:
		b.WriteByte('[')
		for i, x := range v.List {
			if i > 0 {
				b.WriteString(", ")
			}
			writeValue(b, x)
		}
		b.WriteByte(']')
	case compiler.Map:
		b.WriteByte('{')
		for i, f := range v.Map {
			if i > 0 {
				b.WriteString(", ")
			}
			b.Write(emit.JSON(compiler.StringValue(f.Key)))
			b.WriteString(": ")
			writeValue(b, f.Value)
		}
		b.WriteByte('}')
	default:
		b.Write(emit.JSON(v))
	}
}

func transitionOf(t *compiler.Transition, rename map[string]string) Transition {
	tr := Transition{Trigger: t.Trigger, Source: t.Source, Dest: t.Dest, When: t.When, Unless: t.Unless}
	if r, ok := rename[tr.Source]; ok {
		tr.Source = r
	}
	if r, ok := rename[tr.Dest]; ok {
		tr.Dest = r
	}
	return tr
}

// compareTransitions matches OLD's transitions with NEW's by trigger,
// source and dest (a renamed stage under its new name), in order; a match
// whose criteria differ is re-conditioned, an unmatched one added or
// removed. mtrain tries the transitions of one source and trigger in their
// written order, so a change in that order is reported; an order change
// between transitions of different sources or triggers changes nothing
// mtrain does (it is cosmetic).
func (d *Diff) compareTransitions(o, n *compiler.Regimen, renames map[string]string) {
	ot := make([]Transition, len(o.Transitions))
	for i, t := range o.Transitions {
		ot[i] = transitionOf(t, renames)
	}
	nt := make([]Transition, len(n.Transitions))
	for i, t := range n.Transitions {
		nt[i] = transitionOf(t, nil)
	}
	key := func(t Transition) string { return t.Trigger + "\x00" + t.Source + "\x00" + t.Dest }
	// Match identical transitions first, then the same key with other
	// criteria.
	match := make([]int, len(ot)) // OLD index → NEW index, -1
	used := make([]bool, len(nt))
	for i := range match {
		match[i] = -1
	}
	for pass := 0; pass < 2; pass++ {
		for i, t := range ot {
			if match[i] >= 0 {
				continue
			}
			for j, u := range nt {
				if !used[j] && key(t) == key(u) && (pass == 1 || t.criteria() == u.criteria()) {
					match[i], used[j] = j, true
					break
				}
			}
		}
	}
	for i, t := range ot {
		if match[i] < 0 {
			d.Transitions = append(d.Transitions, TransitionChange{Kind: Removed, Transition: t})
		} else if u := nt[match[i]]; u.criteria() != t.criteria() {
			old := t
			d.Transitions = append(d.Transitions, TransitionChange{Kind: Reconditned, Transition: u, Old: &old})
		}
	}
	for j, u := range nt {
		if !used[j] {
			d.Transitions = append(d.Transitions, TransitionChange{Kind: Added, Transition: u})
		}
	}
	// Reordering within a source and trigger: the matched transitions of a
	// group, in OLD's order, must keep their relative order in NEW.
	groups := map[string][]int{} // source+trigger → NEW indexes in OLD's order
	var order []string
	for i, t := range ot {
		if match[i] < 0 {
			continue
		}
		g := t.Trigger + "\x00" + t.Source
		if _, ok := groups[g]; !ok {
			order = append(order, g)
		}
		groups[g] = append(groups[g], match[i])
	}
	for _, g := range order {
		js := groups[g]
		if sort.IntsAreSorted(js) {
			continue
		}
		moved := outOfOrder(js)
		for _, j := range moved {
			d.Transitions = append(d.Transitions, TransitionChange{Kind: Reordered, Transition: nt[j]})
		}
	}
}

// outOfOrder returns the elements of js that are not in a longest
// increasing subsequence: the ones that moved.
func outOfOrder(js []int) []int {
	n := len(js)
	best := make([]int, n)
	prev := make([]int, n)
	end := 0
	for i := range js {
		best[i], prev[i] = 1, -1
		for k := 0; k < i; k++ {
			if js[k] < js[i] && best[k]+1 > best[i] {
				best[i], prev[i] = best[k]+1, k
			}
		}
		if best[i] > best[end] {
			end = i
		}
	}
	keep := map[int]bool{}
	for i := end; i >= 0; i = prev[i] {
		keep[i] = true
	}
	var out []int
	for i, j := range js {
		if !keep[i] {
			out = append(out, j)
		}
	}
	sort.Ints(out)
	return out
}

// cosmetic records changes to the document's text that change nothing
// mtrain does. (The order of the stages is not one: the document, JSON
// with its keys sorted as the old tools wrote it, lists them by name.)
func (d *Diff) cosmetic(o, n *compiler.Regimen, renames map[string]string) {
	reordered := false
	for _, t := range d.Transitions {
		reordered = reordered || t.Kind == Reordered
	}
	if !reordered && len(d.Transitions) == 0 && transitionOrderChanged(o, n, renames) {
		d.Cosmetic = append(d.Cosmetic, "the transitions are listed in another order (within each source and trigger the order is kept, so mtrain tries them as before)")
	}
	if len(d.Stages) == 0 && len(d.Transitions) == 0 && len(d.Cosmetic) == 0 && !sameBytes(o, n) {
		d.Cosmetic = append(d.Cosmetic, "the document's text changes without changing what mtrain does (a criterion written as one string rather than a list of one, or the like)")
	}
}

func transitionOrderChanged(o, n *compiler.Regimen, renames map[string]string) bool {
	if len(o.Transitions) != len(n.Transitions) {
		return false
	}
	for i := range o.Transitions {
		if transitionOf(o.Transitions[i], renames).String() != transitionOf(n.Transitions[i], nil).String() {
			return true
		}
	}
	return false
}

// sameBytes reports whether the two documents are the same text, their
// names aside.
func sameBytes(o, n *compiler.Regimen) bool {
	a, b := *o, *n
	a.Name, b.Name, a.NameValue, b.NameValue = "", "", nil, nil
	ab, err1 := emit.Document(&a, "json")
	bb, err2 := emit.Document(&b, "json")
	return err1 == nil && err2 == nil && bytes.Equal(ab, bb)
}
