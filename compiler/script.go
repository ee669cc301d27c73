package compiler

import "github.com/regc/regc/lang"

// compileScript evaluates a script declaration: url, md5, and its schema.
func (c *checker) compileScript(s *symbol) *Script {
	if s.script != nil {
		return s.script
	}
	d := s.decl.(*lang.ScriptDecl)
	sc := &Script{Name: s.name, Range: d.Name.Range()}
	s.script = sc
	if d.Schema != nil {
		sym := c.values[d.Schema.Name]
		switch {
		case sym == nil:
			e := c.diags.Errorf(lang.CodeUndefinedName, d.Schema.Range(), "undefined schema %s", d.Schema.Name)
			c.didYouMean(e, d.Schema.Name, c.names(symSchema))
			s.schemaBroken = true
		case sym.kind != symSchema:
			c.diags.Errorf(lang.CodeTypeMismatch, d.Schema.Range(), "%s is a %s, not a schema", d.Schema.Name, sym.kind)
			s.schemaBroken = true
		default:
			sym.used = true
			s.schema = sym
		}
	}
	body := c.evalRecord(d.Body)
	sc.BodyRange = lang.TrimRange(lang.RangeOf(d.Body.Pos, d.Body.EndPos), c.sources[d.Name.Range().File])
	if s.schema != nil {
		sc.Schema = s.schema.name
	}
	var urlSet bool
	for _, f := range body.fields {
		switch f.key {
		case "url":
			if f.val.kind == iBad {
				urlSet = true
				continue
			}
			if f.val.kind != iString {
				c.diags.Errorf(lang.CodeTypeMismatch, f.val.rng, "got %s, want a string (the script's URL or path)", f.val.describe())
				continue
			}
			if f.val.s == "" {
				c.diags.Errorf(lang.CodeOutOfRange, f.val.rng, "a script's url cannot be empty")
			}
			sc.URL, urlSet, sc.URLRange = f.val.s, true, f.val.rng
		case "md5":
			if f.val.kind == iBad {
				continue
			}
			// regc import: a legacy file's `script_md5: null` is written
			// `md5: null`: the script has no md5 to verify, and the stages
			// that use it keep `script_md5: null` in the document.
			if f.val.kind == iNull {
				s.md5Null = true
				continue
			}
			if f.val.kind != iString {
				c.diags.Errorf(lang.CodeTypeMismatch, f.val.rng, "got %s, want a string of 32 hex digits", f.val.describe())
				continue
			}
			// regc import: legacy files hold placeholders ("NotImplemented")
			// and truncated md5s that mtrain accepted; they are kept, with a
			// warning (regc emit refuses a script whose md5 does not match).
			if !IsMD5(f.val.s) {
				c.diags.Warnf(lang.CodeOutOfRange, f.val.rng, "md5 %q is not 32 hex digits, so the script cannot be verified", f.val.s)
			}
			sc.MD5, sc.MD5Range = f.val.s, f.val.rng
		default:
			e := c.diags.Errorf(lang.CodeUnknownField, f.keyRng, "unknown field %s of a script (a script has url and md5)", f.key)
			c.didYouMean(e, f.key, []string{"url", "md5"})
		}
	}
	if !urlSet {
		c.diags.Errorf(lang.CodeMissingField, d.Name.Range(), "script %s has no url", s.name)
	}
	c.reg.Scripts = append(c.reg.Scripts, sc)
	return sc
}
