package compiler

import (
	"github.com/regc/regc/lang"
)

// compileStage builds one stage: its script, and its parameters with
// `stage` filled in and checked against the script's schema.
func (c *checker) compileStage(sd *lang.StageDecl) {
	name := sd.Name.Value()
	st := &Stage{Name: name, Range: sd.Name.Range(), Params: Value{Kind: Null}, Final: sd.Final}
	if first, dup := c.stageDecl[name]; dup {
		// an error; the later stage replaces the first in its place, as a
		// YAML mapping's repeated key did
		e := c.diags.Errorf(lang.CodeDuplicateStage, sd.Name.Range(), "stage %s is already declared; this later one replaces it", name)
		e.Related = &lang.Related{Range: first.rng, Message: "first declared here"}
		c.reg.Stages[first.at] = st
	} else {
		c.stageDecl[name] = stageDecl{sd.Name.Range(), len(c.reg.Stages)}
		c.reg.Stages = append(c.reg.Stages, st)
	}
	checkStageName(&c.diags, name, sd.Name.Range())
	if sd.Name.Quoted != "" && !isIdentText(name) {
		c.diags.Warnf(lang.CodeNameConvention, sd.Name.Range(), "stage name %q is not an identifier: prefer letters, digits and underscores, not starting with a digit", name)
	}
	var params *ival
	var paramsRng lang.Range
	var script *symbol
	own := false
	var seen [2]bool // script, params
	for _, e := range sd.Body.Entries {
		key := e.Key(0)
		krng := e.FirstKeyRange()
		if len(e.Path) > 1 || (key != "script" && key != "params") {
			d := c.diags.Errorf(lang.CodeUnknownField, krng, "unknown field %s of a stage (a stage has script and params)", key)
			c.didYouMean(d, key, []string{"script", "params"})
			continue
		}
		slot := &seen[0]
		if key == "params" {
			slot = &seen[1]
		}
		if *slot {
			c.diags.Errorf(lang.CodeDuplicateKey, krng, "key %s is given twice in stage %s", key, name)
			continue
		}
		*slot = true
		if key == "script" {
			if e.Value.Ref == nil || e.Value.Override != nil {
				c.diags.Errorf(lang.CodeTypeMismatch, e.Value.Range(), "a stage's script is the name of a script declaration")
				continue
			}
			ref, refRng := *e.Value.Ref, e.Value.BaseRange()
			sym := c.values[ref]
			if sym == nil {
				d := c.diags.Errorf(lang.CodeUndefinedName, refRng, "undefined script %s", ref)
				c.didYouMean(d, ref, c.names(symScript))
				continue
			}
			if sym.kind != symScript {
				c.diags.Errorf(lang.CodeTypeMismatch, refRng, "%s is a %s, not a script", ref, sym.kind)
				continue
			}
			sym.used = true
			script = sym
			st.Script = c.compileScript(sym)
			if sym.md5Null { // regc import: see compileScript
				st.Extra = append(st.Extra, Field{"script_md5", NullValue()})
			}
			continue
		}
		params = c.eval(e.Value)
		paramsRng = e.Value.Range()
		// overrides written here make a record of the stage's own; any
		// other expression may give a parameter set's shared record
		own = e.Value.Override != nil
	}
	if script == nil && !seen[0] {
		c.diags.Errorf(lang.CodeMissingField, sd.Name.Range(), "stage %s has no script", name)
	}
	if params == nil {
		// a stage always has parameters, if only its own name
		params = &ival{kind: iMap, rng: sd.Name.Range(), fields: []ifield{}}
		paramsRng = sd.Name.Range()
	}
	if params.kind == iBad {
		return
	}
	if params.kind != iMap {
		c.diags.Errorf(lang.CodeTypeMismatch, params.rng, "a stage's params are a record, not %s", params.describe())
		return
	}
	fresh := params
	params = &ival{kind: iMap, fields: params.fields, rng: paramsRng}
	if sv, _ := params.get("stage"); sv != nil {
		if sv.kind != iString || sv.s != name {
			d := c.diags.Errorf(lang.CodeStageParamMismatch, sv.rng, "parameters.stage is %s, but the stage is %s", sv.describe(), name)
			d.Suggestion = "remove it: the compiler fills in the stage's own name"
		}
	} else {
		f := ifield{key: "stage", keyRng: sd.Name.Range(), val: &ival{kind: iString, s: name, rng: sd.Name.Range()}}
		if own && fresh.spare {
			// the stage's own overrides made these fields, with room
			// for this one: nothing else sees them
			n := len(params.fields)
			params.fields = params.fields[:n+1]
			copy(params.fields[1:], params.fields[:n])
			params.fields[0] = f
			fresh.spare = false
		} else {
			params.fields = append([]ifield{f}, params.fields...)
		}
	}
	if !c.admitStage(params, sd.Name.Range()) {
		return
	}
	st.Written = quantitiesWritten(params)
	switch {
	case script != nil && script.schema != nil:
		t := c.schemaType(script.schema)
		st.Params = c.check(params, withStage(t), false)
	case script == nil || script.schemaBroken:
		// the script (or its schema) is in error already
		st.Params = c.toValueQuiet(params)
	default:
		st.Params = c.toValue(params)
	}
}

// stageDecl is where a stage's name is first declared, and the stage's
// place in the regimen's stages.
type stageDecl struct {
	rng lang.Range
	at  int
}

// withStage returns t with a `stage: string` field when a closed record
// schema does not declare one: the compiler always fills it in.
func withStage(t *typ) *typ {
	if t.kind != tRecord {
		return t
	}
	for _, f := range t.fields {
		if f.name == "stage" {
			return t
		}
	}
	cp := *t
	cp.fields = append([]*fieldT{{name: "stage", t: &typ{kind: tString}}}, t.fields...)
	return &cp
}
