package semdiff

import (
	"path/filepath"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
)

// units finds the unit a stage's schema declares for a parameter, so that
// a changed quantity is shown in it ("0.007 mL"). The compiled model keeps
// converted numbers only; the schemas are read again from the sources.
type units struct {
	schemas map[string]*lang.SchemaDecl
}

// newUnits reads the schemas of both sides' .regimen sources (NEW's win
// when both declare one name).
func newUnits(sides ...Input) *units {
	u := &units{schemas: map[string]*lang.SchemaDecl{}}
	for _, in := range sides {
		for path, src := range in.Sources {
			if filepath.Ext(path) != ".regimen" {
				continue
			}
			f, _ := lang.Parse(path, src)
			if f == nil {
				continue
			}
			for _, d := range f.Decls {
				if s, ok := d.(*lang.SchemaDecl); ok && s.Name != nil {
					u.schemas[s.Name.Name] = s
				}
			}
		}
	}
	return u
}

// of returns the unit of the parameter at path of stage s, or "".
func (u *units) of(s *compiler.Stage, path []string) string {
	if s == nil || s.Script == nil || s.Script.Schema == "" || len(path) == 0 {
		return ""
	}
	return u.schemaUnit(s.Script.Schema, path, 0)
}

// depth bounds the walk through schemas that refer to each other.
const maxUnitDepth = 32

func (u *units) schemaUnit(name string, path []string, depth int) string {
	d := u.schemas[name]
	if d == nil || depth > maxUnitDepth {
		return ""
	}
	if d.Record != nil {
		return u.recordUnit(d.Record, path, depth+1)
	}
	return u.typeUnit(d.Type, path, depth+1)
}

func (u *units) recordUnit(r *lang.RecordType, path []string, depth int) string {
	if len(path) == 0 {
		return ""
	}
	for _, f := range r.Fields {
		if f.Key != nil && keyName(f.Key) == path[0] {
			return u.typeUnit(f.Type, path[1:], depth)
		}
	}
	for _, e := range r.Embeds {
		if e != nil {
			if unit := u.schemaUnit(e.Name, path, depth+1); unit != "" {
				return unit
			}
		}
	}
	return ""
}

func keyName(k *lang.Key) string {
	if k.Quoted != "" {
		if s, err := lang.Unquote(k.Quoted); err == nil {
			return s
		}
	}
	return k.Ident
}

func (u *units) typeUnit(t *lang.Type, path []string, depth int) string {
	if t == nil || depth > maxUnitDepth {
		return ""
	}
	for _, alt := range t.Alts {
		if unit := u.termUnit(alt, path, depth); unit != "" {
			return unit
		}
	}
	return ""
}

func (u *units) termUnit(t *lang.TypeTerm, path []string, depth int) string {
	switch {
	case t == nil:
		return ""
	case t.Record != nil:
		return u.recordUnit(t.Record, path, depth)
	case t.Tuple != nil:
		if len(path) > 0 {
			return ""
		}
		// A list or tuple of quantities of one unit: [0.15, 0.75] s.
		unit := ""
		for _, e := range t.Tuple.Elems {
			eu := u.typeUnit(e, nil, depth+1)
			if eu == "" || (unit != "" && eu != unit) {
				return ""
			}
			unit = eu
		}
		return unit
	case t.Named != nil && t.Named.Name != nil:
		if t.Named.Unit != nil {
			if len(path) == 0 {
				return t.Named.Unit.Name
			}
			return ""
		}
		if compiler.IsBuiltinType(t.Named) { // a primitive: the unit was handled above
			return ""
		}
		return u.schemaUnit(t.Named.Name.Name, path, depth+1)
	}
	return ""
}
