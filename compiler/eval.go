package compiler

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/regc/regc/lang"
)

// valueOf evaluates a parameter set or constant, once.
func (c *checker) valueOf(s *symbol) *ival {
	if s.val != nil {
		return s.val
	}
	if s.resolving {
		chain := []string{}
		for i := len(c.evalStack) - 1; i >= 0; i-- {
			chain = append([]string{c.evalStack[i].name}, chain...)
			if c.evalStack[i] == s {
				break
			}
		}
		c.diags.Errorf(lang.CodeReferenceCycle, s.rng, "%s refers to itself: %s -> %s", s.name, strings.Join(chain, " -> "), s.name)
		s.val = &ival{kind: iBad, rng: s.rng}
		return s.val
	}
	s.resolving = true
	c.evalStack = append(c.evalStack, s)
	defer func() {
		s.resolving = false
		c.evalStack = c.evalStack[:len(c.evalStack)-1]
	}()
	var v *ival
	switch d := s.decl.(type) {
	case *lang.ParamsDecl:
		if d.Body != nil {
			v = c.bounded(c.evalRecord(d.Body))
		} else {
			v = c.eval(d.Value)
		}
		if v.kind == iBad {
		} else if v.kind != iMap {
			c.diags.Errorf(lang.CodeTypeMismatch, v.rng, "a parameter set is a record, not %s", v.describe())
		} else if d.Schema != nil {
			sym := c.values[d.Schema.Name]
			switch {
			case sym == nil:
				e := c.diags.Errorf(lang.CodeUndefinedName, d.Schema.Range(), "undefined schema %s", d.Schema.Name)
				c.didYouMean(e, d.Schema.Name, c.names(symSchema))
			case sym.kind != symSchema:
				c.diags.Errorf(lang.CodeTypeMismatch, d.Schema.Range(), "%s is a %s, not a schema", d.Schema.Name, sym.kind)
			default:
				sym.used = true
				s.schema = sym
				c.check(v, c.schemaType(sym), true)
			}
		}
	case *lang.LetDecl:
		v = c.eval(d.Value)
		if d.Type != nil {
			c.check(v, c.resolveType(d.Type), false)
		}
	}
	if s.val != nil && s.val.kind == iBad { // a cycle through this one was found
		return s.val
	}
	s.val = v
	return v
}

// eval evaluates an expression to an intermediate value, within the bounds
// on a value's size.
func (c *checker) eval(e *lang.Expr) *ival { return c.bounded(c.evalExpr(e)) }

func (c *checker) evalExpr(e *lang.Expr) *ival {
	if e.Override == nil {
		return c.evalPrimary(e)
	}
	rng := e.Range()
	// `Schema { ... }`: a record literal checked against a schema.
	if ref := e.Ref; ref != nil {
		if sym := c.values[*ref]; sym != nil && sym.kind == symSchema {
			sym.used = true
			v := c.evalRecord(e.Override)
			v.rng = rng
			c.check(v, c.schemaType(sym), false)
			return v
		}
	}
	if e.Ref == nil {
		// `{ a } { b }`: two records with no comma between them
		d := c.diags.Errorf(lang.CodeSyntax, lang.RangeOf(e.Override.Pos, e.Override.EndPos), "a record follows a value with no comma between them; only a named value takes overrides (`base { ... }`)")
		d.Suggestion = "add a comma before this record"
		c.evalPrimary(e)
		c.evalRecord(e.Override)
		return &ival{kind: iBad, rng: rng}
	}
	base := c.evalPrimary(e)
	if base.kind == iBad {
		c.evalRecord(e.Override) // still check what the overrides say
		return base
	}
	if base.kind != iMap {
		c.diags.Errorf(lang.CodeTypeMismatch, base.rng, "only a record takes overrides `{ ... }`; this is %s", base.describe())
		return base
	}
	// room for each override as a new key, and for a stage's own key
	fields := make([]ifield, len(base.fields), len(base.fields)+len(e.Override.Entries)+1)
	copy(fields, base.fields)
	out := &ival{kind: iMap, fields: fields, rng: rng}
	c.applyEntries(out, e.Override, true)
	out.spare = cap(out.fields) > len(out.fields)
	return out
}

func (c *checker) evalRecord(r *lang.Record) *ival {
	v := &ival{kind: iMap, rng: lang.RangeOf(r.Pos, r.EndPos), fields: []ifield{}}
	c.applyEntries(v, r, false)
	return v
}

// applyEntries sets each entry of r in the record v. In a literal a key may
// be given once; in overrides a key replaces the base's value in place (YAML
// merge-key semantics), and a dotted key reaches into a nested record.
func (c *checker) applyEntries(v *ival, r *lang.Record, override bool) {
	written := keysWritten{}
	for _, e := range r.Entries {
		path := e.Keys()
		keyRng := e.KeyRange()
		if len(path) > MaxValueDepth {
			c.diags.Errorf(lang.CodeTooLarge, e.FirstKeyRange(), "this dotted key has %d parts, more than the %d deep a value may nest", len(path), MaxValueDepth)
			continue
		}
		full := path[0]
		if len(path) > 1 {
			full = strings.Join(path, ".")
		}
		if first, dup := written.set(full, keyRng); dup {
			// an error; the later value wins, as in YAML, so a document
			// imported with its defects still means what it meant
			d := c.diags.Errorf(lang.CodeDuplicateKey, keyRng, "key %s is given twice in this record; the later value wins", full)
			d.Related = &lang.Related{Range: first, Message: "first given here"}
		}
		val := c.eval(e.Value)
		c.setPath(v, path, e.FirstKeyRange(), keyRng, val)
	}
}

// keysWritten are the keys a record literal or overrides wrote so far, with
// where each was last written: a few in a list, more in a map.
type keysWritten struct {
	few  [8]writtenKey
	n    int // how many of few are used
	many map[string]lang.Range
}

type writtenKey struct {
	key string
	rng lang.Range
}

// set records that key was written at rng, and returns where it was
// written before, if it was.
func (w *keysWritten) set(key string, rng lang.Range) (lang.Range, bool) {
	if w.many == nil {
		for i := range w.few[:w.n] {
			if w.few[i].key == key {
				before := w.few[i].rng
				w.few[i].rng = rng
				return before, true
			}
		}
		if w.n < len(w.few) {
			w.few[w.n] = writtenKey{key, rng}
			w.n++
			return lang.Range{}, false
		}
		w.many = make(map[string]lang.Range, 4*len(w.few))
		for _, k := range w.few {
			w.many[k.key] = k.rng
		}
	}
	before, dup := w.many[key]
	w.many[key] = rng
	return before, dup
}

// setPath sets path in v to val: first is the range of the path's first
// key, rest of the whole path (where a later key's own range would go).
func (c *checker) setPath(v *ival, path []string, first, rest lang.Range, val *ival) {
	key := path[0]
	cur, i := v.find(key)
	if len(path) == 1 {
		v.put(i, ifield{key: key, keyRng: first, val: val})
		return
	}
	var inner *ival
	switch {
	case cur == nil:
		inner = &ival{kind: iMap, rng: first, fields: []ifield{}, owner: v}
	case cur.kind == iMap && cur.owner == v:
		inner = cur // made by an earlier dotted key of this record
	case cur.kind == iMap:
		inner = &ival{kind: iMap, rng: cur.rng, fields: append([]ifield(nil), cur.fields...), owner: v}
	default:
		c.diags.Errorf(lang.CodeTypeMismatch, first, "%s is %s, so %s cannot reach into it", key, cur.describe(), path[1])
		return
	}
	c.setPath(inner, path[1:], rest, rest, val)
	if i >= 0 {
		v.fields[i].val = inner
	} else {
		v.put(i, ifield{key: key, keyRng: first, val: inner})
	}
}

// evalPrimary evaluates the value of e before any overrides.
func (c *checker) evalPrimary(p *lang.Expr) *ival {
	rng := p.BaseRange()
	switch {
	case p.Quantity != nil:
		num, unitName := splitQuantity(*p.Quantity)
		n, err := parseNumber(num, rng)
		if err != nil { // the scanner read a number: it is too large
			c.diags.Errorf(lang.CodeOutOfRange, rng, "%s", err.Error())
			return &ival{kind: iBad, rng: rng}
		}
		u := units.Get()[unitName]
		if u == nil {
			if msg := otherNumberForm(num, unitName); msg != "" {
				c.diags.Errorf(lang.CodeSyntax, rng, "%s", msg)
				return &ival{kind: iBad, rng: rng}
			}
			d := c.diags.Errorf(lang.CodeUnknownUnit, rng, "unknown unit %s", unitName)
			if meant := unitAlias(unitName); meant != "" {
				d.Message += fmt.Sprintf(" (did you mean %s?)", meant)
				d.Suggestion = meant
			} else {
				c.didYouMean(d, unitName, unitNames())
			}
			return &ival{kind: iBad, rng: rng}
		}
		return &ival{kind: iQuantity, num: n.num, text: strings.TrimSpace(*p.Quantity), unit: u, rng: rng}
	case p.Number != nil:
		n, err := parseNumber(*p.Number, rng)
		if err != nil {
			c.diags.Errorf(lang.CodeOutOfRange, rng, "%s", err.Error())
			return &ival{kind: iBad, rng: rng}
		}
		return n
	case p.Str != nil:
		s, err := lang.Unquote(*p.Str)
		if err != nil {
			var ue *lang.UnquoteError
			if errors.As(err, &ue) && ue.Surrogate {
				c.diags.Errorf(lang.CodeSyntax, ue.Range(*p.Str, rng), "%s", err.Error())
			} else {
				c.diags.Errorf(lang.CodeSyntax, rng, "%s", err.Error()).Suggestion = "double each backslash (\\\\), or use forward slashes in paths"
			}
			return &ival{kind: iBad, rng: rng}
		}
		return &ival{kind: iString, s: s, rng: rng}
	case p.Null:
		return &ival{kind: iNull, rng: rng}
	case p.True, p.False:
		return &ival{kind: iBool, b: p.True, rng: rng}
	case p.List != nil:
		v := &ival{kind: iList, rng: rng, list: make([]*ival, 0, len(p.List.Items))}
		for _, it := range p.List.Items {
			v.list = append(v.list, c.eval(it))
		}
		return v
	case p.Record != nil:
		return c.evalRecord(p.Record)
	default:
		return c.evalRef(*p.Ref, rng)
	}
}

func (c *checker) evalRef(name string, rng lang.Range) *ival {
	id := struct{ Name string }{name}
	sym := c.values[id.Name]
	if sym == nil {
		switch id.Name {
		case "inf":
			return &ival{kind: iFloat, f: math.Inf(1), num: new(big.Rat), text: "inf", rng: rng}
		case "nan":
			return &ival{kind: iFloat, f: math.NaN(), num: new(big.Rat), text: "nan", rng: rng}
		}
		d := c.diags.Errorf(lang.CodeUndefinedName, rng, "undefined: %s", id.Name)
		if lit := literalSlip(id.Name); lit != "" {
			d.Message += fmt.Sprintf(" (did you mean %s? the literals are true, false and null)", lit)
			d.Suggestion = lit
		} else {
			c.didYouMean(d, id.Name, append(c.allValueNames(), "true", "false", "null"))
		}
		return &ival{kind: iBad, rng: rng}
	}
	sym.used = true
	switch sym.kind {
	case symSchema:
		c.diags.Errorf(lang.CodeTypeMismatch, rng, "%s is a schema, not a value: write %s { ... } for a value of it", id.Name, id.Name)
		return &ival{kind: iBad, rng: rng}
	case symScript:
		c.diags.Errorf(lang.CodeTypeMismatch, rng, "%s is a script: a script is named only by a stage's `script:`", id.Name)
		return &ival{kind: iBad, rng: rng}
	}
	v := c.valueOf(sym)
	// a record or list keeps the range of the declaration it names, so an
	// error in it is reported once, where it was written; a scalar stands
	// where it is used, so `volume { ... }` is blamed at the use
	cp := *v
	if v.kind != iMap && v.kind != iList {
		cp.rng = rng
	}
	return &cp
}
