package compiler

import (
	"strconv"
	"strings"

	"github.com/regc/regc/lang"
)

// Regimen is the compiled model of one regimen: what emit and sync read.
// Nothing downstream of the compiler looks at the AST.
type Regimen struct {
	Name string // the mtrain name, e.g. VisualBehavior_Task1A_v1.2.0
	// NameValue, when set, is a name that is not a string (a legacy file's
	// `name: null`); emit.DocumentValue writes it instead of Name.
	NameValue   *Value
	Base        string // the name without version (empty for a raw quoted name)
	Version     string // the semver, when declared
	File        string
	Stages      []*Stage
	Transitions []*Transition
	Migrations  []*Migration
	Scripts     []*Script // every script declared or used, in declaration order
	// NullStages and NullTransitions make emit.DocumentValue write that section as
	// null (a legacy file's empty `stages:` or `transitions:` key; `stages
	// null` or `transitions null` in source) when it is empty.
	NullStages, NullTransitions bool
}

// Script is a camstim script: where it lives and the md5 it must have.
type Script struct {
	Name  string
	URL   string
	MD5   string // may be empty
	Range lang.Range
	// Where the source says it, for tools that edit the source (freeze):
	// the url and md5 string literals (MD5Range is not valid when the
	// script has no md5) and the body's braces.
	URLRange, MD5Range, BodyRange lang.Range
	// Schema is the name of the schema its parameters satisfy, or "".
	Schema string
}

// Stage is one training stage.
type Stage struct {
	Name   string
	Script *Script // nil when the stage names none
	Params Value   // a record; Kind Null when the stage has no parameters
	Range  lang.Range
	// Final is set for a stage declared `final stage`: one a mouse may end
	// its training on, which needs no transition out.
	Final bool
	// Written says how each quantity in Params was written in the source
	// ("7 uL" where Params holds 0.007), by key path ("reward_volume",
	// "stimulus.params.duration", "response_window.0"); nil when there are
	// none, and for a legacy file.
	Written map[string]string
	// Extra are keys of a legacy stage beyond script, script_md5 and
	// parameters, or those keys when their values are of another type;
	// emit.DocumentValue writes them as they are.
	Extra []Field
}

// Transition moves a mouse from Source to Dest when Trigger fires, every
// criterion of When holds and every one of Unless fails.
type Transition struct {
	Trigger      string
	Source, Dest string
	When, Unless []string
	// WhenForm and UnlessForm are how the document writes conditions and
	// unless: the zero value writes a list, and leaves the key out when
	// there are no criteria.
	WhenForm, UnlessForm CriteriaForm
	Range                lang.Range
	// Extra are keys of a legacy transition beyond trigger, source, dest,
	// conditions and unless; emit.DocumentValue writes them as they are.
	Extra []Field
}

// CriteriaForm is how a transition's conditions or unless are written in
// the document, kept from the source: mtrain reads one criterion given as
// a string as a list of one, but the old tools printed what the file said.
type CriteriaForm int

const (
	// CriteriaAuto writes a list, and nothing when there are no criteria
	// (`when a, b` in .regimen source; no when at all).
	CriteriaAuto CriteriaForm = iota
	// CriteriaString writes the one criterion as a string (`when a`;
	// `conditions: a` in YAML).
	CriteriaString
	// CriteriaList writes a list, even of one or none (`when [a]`, `when
	// []`; `conditions: [a]`, `conditions: []`).
	CriteriaList
	// CriteriaNull writes null (`when null`; `conditions: null` or an
	// empty value).
	CriteriaNull
)

// criteriaForm is the document form of criteria written as shape.
func criteriaForm(shape lang.CriteriaShape) CriteriaForm {
	switch shape {
	case lang.CriteriaOne:
		return CriteriaString
	case lang.CriteriaList:
		return CriteriaList
	case lang.CriteriaNull:
		return CriteriaNull
	}
	return CriteriaAuto
}

// Migration maps stages of an earlier regimen to stages of this one.
type Migration struct {
	From  string // the regimen base name
	Major int    // the major version it applies to; -1 for any
	Map   []StageMapping
	Range lang.Range
}

// StageMapping sends mice on stage From to stage To.
type StageMapping struct {
	From, To string
	Range    lang.Range
}

// Major returns the major version of a regimen declared with
// `regimen NAME version X.Y.Z`, and false for a raw or unnamed one.
func (r *Regimen) Major() (int, bool) {
	if r.Base == "" || r.Version == "" {
		return 0, false
	}
	major, err := strconv.Atoi(strings.SplitN(r.Version, ".", 2)[0])
	return major, err == nil
}

// Stage returns the stage called name, or nil.
func (r *Regimen) Stage(name string) *Stage {
	for _, s := range r.Stages {
		if s.Name == name {
			return s
		}
	}
	return nil
}
