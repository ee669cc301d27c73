package lsp

import (
	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
)

// site is what lies at a cursor inside a declaration: the innermost value
// and record around it, with the schema types the compiler would check
// them against, as far as they are known.
type site struct {
	decl   lang.Decl
	expr   *lang.Expr       // innermost value holding the cursor, or nil
	record *lang.Record     // innermost record holding the cursor, or nil
	rt     *lang.RecordType // the record's type, or nil when untyped
	entry  *lang.Entry      // the entry whose value holds the cursor
	ftype  *lang.Type       // that entry's declared type
}

// locator finds sites in one parsed file, resolving names in its scope.
type locator struct {
	p     *parsed
	scope map[nameKey]*declInfo
	off   int
	out   site
	depth int
}

// within reports whether the cursor is inside [pos, end), the end trimmed
// back over blanks and comments.
func (l *locator) within(r lang.Range) bool {
	r = lang.TrimRange(r, l.p.text.src)
	return l.p.text.langOffset(r.Start) <= l.off && l.off <= l.p.text.langOffset(r.End)
}

// locate returns the site at byte offset off of p.
func locate(p *parsed, scope map[nameKey]*declInfo, off int) site {
	l := &locator{p: p, scope: scope, off: off}
	if p.file == nil {
		return l.out
	}
	for _, d := range p.file.Decls {
		switch d := d.(type) {
		case *lang.StageDecl:
			if d.Body == nil || !l.within(lang.RangeOf(d.Pos, d.EndPos)) {
				continue
			}
			l.out.decl = d
			var pt *lang.Type
			for _, e := range d.Body.Entries {
				if e.Key(0) == "script" && e.Value != nil && e.Value.Ref != nil {
					pt = l.scriptSchema(*e.Value.Ref)
				}
			}
			l.recordOf(d.Body, nil, func(e *lang.Entry) *lang.Type {
				if e.Key(0) == "params" {
					return pt
				}
				return nil
			})
		case *lang.ParamsDecl:
			if !l.within(lang.RangeOf(d.Pos, d.EndPos)) {
				continue
			}
			l.out.decl = d
			var t *lang.Type
			if d.Schema != nil {
				t = l.schemaType(d.Schema.Name)
			}
			if d.Body != nil {
				l.record(d.Body, t)
			}
			l.expr(d.Value, t)
		case *lang.LetDecl:
			if !l.within(lang.RangeOf(d.Pos, d.EndPos)) {
				continue
			}
			l.out.decl = d
			l.expr(d.Value, d.Type)
		case *lang.ScriptDecl, *lang.SchemaDecl, *lang.TransitionDecl, *lang.TestDecl, *lang.MigrateDecl, *lang.CriterionDecl, *lang.TriggerDecl, *lang.RegimenDecl, *lang.ImportDecl:
			if r := declRange(d); l.within(r) {
				l.out.decl = d
			}
		}
	}
	return l.out
}

func (l *locator) expr(e *lang.Expr, t *lang.Type) {
	if e == nil || !l.within(e.Range()) || l.depth > 100 {
		return
	}
	l.depth++
	defer func() { l.depth-- }()
	l.out.expr = e
	if e.Ref != nil {
		if rt := l.refType(*e.Ref); rt != nil {
			t = rt
		}
	}
	if e.Record != nil {
		l.record(e.Record, t)
	}
	if e.List != nil {
		for i, x := range e.List.Items {
			l.expr(x, elemType(t, i))
		}
	}
	if e.Override != nil {
		l.record(e.Override, t)
	}
}

func (l *locator) record(r *lang.Record, t *lang.Type) {
	l.recordOf(r, t, nil)
}

// recordOf visits a record typed t; typeOf, when set, gives an entry's
// type instead of t's fields (a stage body).
func (l *locator) recordOf(r *lang.Record, t *lang.Type, typeOf func(*lang.Entry) *lang.Type) {
	if r == nil || !l.within(lang.RangeOf(r.Pos, r.EndPos)) {
		return
	}
	rt := l.recordType(t)
	l.out.record, l.out.rt, l.out.expr, l.out.entry, l.out.ftype = r, rt, nil, nil, nil
	for _, e := range r.Entries {
		if e.Value == nil || !l.within(e.Value.Range()) {
			continue
		}
		var ft *lang.Type
		if typeOf != nil {
			ft = typeOf(e)
		} else {
			ft = l.pathType(rt, e.Keys())
		}
		l.out.entry, l.out.ftype = e, ft
		l.expr(e.Value, ft)
		return
	}
}

// refType is the type a reference gives its value: a schema's own type,
// or the schema of a parameter set (through its bases).
func (l *locator) refType(name string) *lang.Type {
	for i := 0; i < 50; i++ {
		d := l.scope[nameKey{nsValue, name}]
		if d == nil {
			return nil
		}
		switch n := d.node.(type) {
		case *lang.SchemaDecl:
			return l.schemaType(name)
		case *lang.ParamsDecl:
			if n.Schema != nil {
				return l.schemaType(n.Schema.Name)
			}
			if n.Value == nil || n.Value.Ref == nil {
				return nil
			}
			name = *n.Value.Ref
		case *lang.LetDecl:
			if n.Type != nil {
				return n.Type
			}
			if n.Value == nil || n.Value.Ref == nil {
				return nil
			}
			name = *n.Value.Ref
		default:
			return nil
		}
	}
	return nil
}

// scriptSchema is the type of the parameters of the script called name.
func (l *locator) scriptSchema(name string) *lang.Type {
	d := l.scope[nameKey{nsValue, name}]
	if d == nil {
		return nil
	}
	if s, ok := d.node.(*lang.ScriptDecl); ok && s.Schema != nil {
		return l.schemaType(s.Schema.Name)
	}
	return nil
}

// schemaType is the type a schema declares.
func (l *locator) schemaType(name string) *lang.Type {
	d := l.scope[nameKey{nsValue, name}]
	if d == nil {
		return nil
	}
	s, ok := d.node.(*lang.SchemaDecl)
	if !ok {
		return nil
	}
	if s.Type != nil {
		return s.Type
	}
	if s.Record != nil {
		return &lang.Type{Alts: []*lang.TypeTerm{{Record: s.Record}}}
	}
	return nil
}

// recordType is the record type among t's alternatives (the first, for a
// union of several).
func (l *locator) recordType(t *lang.Type) *lang.RecordType {
	for i := 0; t != nil && i < 50; i++ {
		var next *lang.Type
		for _, a := range t.Alts {
			if a.Record != nil {
				return a.Record
			}
			if a.Named != nil && next == nil && !compiler.IsBuiltinType(a.Named) {
				next = l.schemaType(a.Named.Name.Name)
			}
		}
		t = next
	}
	return nil
}

// fields lists a record type's fields, those of the schemas it embeds
// included.
func (l *locator) fields(rt *lang.RecordType) []*lang.FieldType {
	var out []*lang.FieldType
	seen := map[*lang.RecordType]bool{}
	var walk func(*lang.RecordType)
	walk = func(rt *lang.RecordType) {
		if rt == nil || seen[rt] {
			return
		}
		seen[rt] = true
		out = append(out, rt.Fields...)
		for _, id := range rt.Embeds {
			walk(l.recordType(l.schemaType(id.Name)))
		}
	}
	walk(rt)
	return out
}

// field is the field called key of rt, or nil.
func (l *locator) field(rt *lang.RecordType, key string) *lang.FieldType {
	for _, f := range l.fields(rt) {
		if f.Key != nil && f.Key.Value() == key {
			return f
		}
	}
	return nil
}

// pathType is the type of a dotted key path in rt.
func (l *locator) pathType(rt *lang.RecordType, keys []string) *lang.Type {
	var t *lang.Type
	for i, k := range keys {
		if i > 0 {
			rt = l.recordType(t)
		}
		f := l.field(rt, k)
		if f == nil {
			return nil
		}
		t = f.Type
	}
	return t
}

// elemType is the type of a list's i-th item.
func elemType(t *lang.Type, i int) *lang.Type {
	if t == nil {
		return nil
	}
	for _, a := range t.Alts {
		if a.Tuple != nil && len(a.Tuple.Elems) > 0 {
			if i < len(a.Tuple.Elems) && !a.Tuple.Variadic {
				return a.Tuple.Elems[i]
			}
			return a.Tuple.Elems[0]
		}
	}
	return nil
}

// unitOf is the unit a quantity type declares, such as mL of volume(mL).
func unitOf(t *lang.Type) string {
	if t == nil {
		return ""
	}
	for _, a := range t.Alts {
		if a.Named != nil && a.Named.Unit != nil {
			return a.Named.Unit.Name
		}
	}
	return ""
}

func declRange(d lang.Decl) lang.Range {
	switch d := d.(type) {
	case *lang.RegimenDecl:
		return lang.RangeOf(d.Pos, d.EndPos)
	case *lang.ImportDecl:
		return lang.RangeOf(d.Pos, d.EndPos)
	case *lang.CriterionDecl:
		return lang.RangeOf(d.Pos, d.EndPos)
	case *lang.TriggerDecl:
		return lang.RangeOf(d.Pos, d.EndPos)
	case *lang.SchemaDecl:
		return lang.RangeOf(d.Pos, d.EndPos)
	case *lang.ScriptDecl:
		return lang.RangeOf(d.Pos, d.EndPos)
	case *lang.LetDecl:
		return lang.RangeOf(d.Pos, d.EndPos)
	case *lang.ParamsDecl:
		return lang.RangeOf(d.Pos, d.EndPos)
	case *lang.StageDecl:
		return lang.RangeOf(d.Pos, d.EndPos)
	case *lang.TransitionDecl:
		return lang.RangeOf(d.Pos, d.EndPos)
	case *lang.MigrateDecl:
		return lang.RangeOf(d.Pos, d.EndPos)
	case *lang.TestDecl:
		return lang.RangeOf(d.Pos, d.EndPos)
	case *lang.NullSectionDecl:
		return lang.RangeOf(d.Pos, d.EndPos)
	}
	return lang.Range{}
}
