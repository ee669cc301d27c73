package lsp

import (
	"bytes"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
)

// namespace is where a name is declared: values (schemas, scripts,
// parameter sets and constants share one), stages, criteria and triggers.
type namespace int

const (
	nsValue namespace = iota
	nsStage
	nsCriterion
	nsTrigger
)

type nameKey struct {
	ns   namespace
	name string
}

// declInfo is one declared name.
type declInfo struct {
	name string
	ns   namespace
	kind string // schema, script, params, let, stage, criterion, trigger
	file string
	rng  lang.Range // the name
	full lang.Range // the whole declaration
	node lang.Decl
}

// refInfo is one use of a name.
type refInfo struct {
	nameKey
	rng lang.Range
}

// parsed is one source file parsed and indexed: its declarations, the
// names it uses and the files it imports.
type parsed struct {
	path    string
	text    *text
	file    *lang.File // nil when nothing parsed
	decls   []*declInfo
	refs    []refInfo
	imports []string
}

// parseFile parses and indexes src. It never fails: a file that does not
// parse is indexed as far as its declarations parsed.
func parseFile(path string, src []byte) *parsed {
	p := &parsed{path: path, text: newText(src)}
	f, _ := lang.Parse(path, src)
	p.file = f
	if f == nil {
		return p
	}
	for _, d := range f.Decls {
		p.index(d)
	}
	return p
}

func (p *parsed) declare(name string, ns namespace, kind string, rng, full lang.Range, d lang.Decl) {
	rng.File, full.File = p.path, p.path
	p.decls = append(p.decls, &declInfo{name: name, ns: ns, kind: kind, file: p.path, rng: rng, full: full, node: d})
}

func (p *parsed) use(name string, ns namespace, rng lang.Range) {
	rng.File = p.path
	p.refs = append(p.refs, refInfo{nameKey{ns, name}, rng})
}

func (p *parsed) useName(n *lang.Name, ns namespace) {
	if n != nil {
		p.use(n.Value(), ns, n.Range())
	}
}

func (p *parsed) useIdent(id *lang.Ident, ns namespace) {
	if id != nil {
		p.use(id.Name, ns, id.Range())
	}
}

func (p *parsed) index(d lang.Decl) {
	switch d := d.(type) {
	case *lang.ImportDecl:
		if d.Path == nil {
			return
		}
		if rel, err := lang.Unquote(d.Path.Raw); err == nil && rel != "" {
			p.imports = append(p.imports, compiler.ImportTarget(p.path, rel))
		}
	case *lang.CriterionDecl:
		for _, n := range d.Names {
			p.declare(n.Value(), nsCriterion, "criterion", n.Range(), lang.RangeOf(d.Pos, d.EndPos), d)
		}
	case *lang.TriggerDecl:
		for _, n := range d.Names {
			p.declare(n.Value(), nsTrigger, "trigger", n.Range(), lang.RangeOf(d.Pos, d.EndPos), d)
		}
	case *lang.SchemaDecl:
		p.declare(d.Name.Name, nsValue, "schema", d.Name.Range(), lang.RangeOf(d.Pos, d.EndPos), d)
		p.recordType(d.Record)
		p.typ(d.Type)
	case *lang.ScriptDecl:
		p.declare(d.Name.Name, nsValue, "script", d.Name.Range(), lang.RangeOf(d.Pos, d.EndPos), d)
		p.useIdent(d.Schema, nsValue)
	case *lang.LetDecl:
		p.declare(d.Name.Name, nsValue, "let", d.Name.Range(), lang.RangeOf(d.Pos, d.EndPos), d)
		p.typ(d.Type)
		p.expr(d.Value)
	case *lang.ParamsDecl:
		p.declare(d.Name.Name, nsValue, "params", d.Name.Range(), lang.RangeOf(d.Pos, d.EndPos), d)
		p.useIdent(d.Schema, nsValue)
		p.record(d.Body)
		p.expr(d.Value)
	case *lang.StageDecl:
		p.declare(d.Name.Value(), nsStage, "stage", d.Name.Range(), lang.RangeOf(d.Pos, d.EndPos), d)
		p.record(d.Body)
	case *lang.TransitionDecl:
		p.useIdent(d.Trigger, nsTrigger)
		p.useName(d.Source, nsStage)
		p.useName(d.Dest, nsStage)
		for _, n := range append(append([]*lang.Name(nil), d.When...), d.Unless...) {
			p.useName(n, nsCriterion)
		}
	case *lang.MigrateDecl:
		for _, m := range d.Mappings {
			p.useName(m.To, nsStage)
		}
	case *lang.TestDecl:
		p.useName(d.Start, nsStage)
		for _, st := range d.Steps {
			p.useIdent(st.Trigger, nsTrigger)
			for _, n := range st.Criteria {
				p.useName(n, nsCriterion)
			}
			p.useName(st.Expect, nsStage)
		}
	}
}

func (p *parsed) expr(e *lang.Expr) {
	if e == nil {
		return
	}
	if e.Ref != nil {
		p.use(*e.Ref, nsValue, e.BaseRange())
	}
	p.record(e.Record)
	if e.List != nil {
		for _, x := range e.List.Items {
			p.expr(x)
		}
	}
	p.record(e.Override)
}

func (p *parsed) record(r *lang.Record) {
	if r == nil {
		return
	}
	for _, en := range r.Entries {
		p.expr(en.Value)
	}
}

func (p *parsed) recordType(r *lang.RecordType) {
	if r == nil {
		return
	}
	for _, f := range r.Fields {
		p.typ(f.Type)
	}
	for _, id := range r.Embeds {
		p.useIdent(id, nsValue)
	}
}

func (p *parsed) typ(t *lang.Type) {
	if t == nil {
		return
	}
	for _, a := range t.Alts {
		switch {
		case a.Named != nil:
			if !compiler.IsBuiltinType(a.Named) {
				p.useIdent(a.Named.Name, nsValue)
			}
		case a.Tuple != nil:
			for _, e := range a.Tuple.Elems {
				p.typ(e)
			}
		case a.Record != nil:
			p.recordType(a.Record)
		}
	}
}

// files keeps parsed files, re-parsing one only when its text changed.
type files struct {
	read  func(path string) ([]byte, bool)
	cache map[string]*parsed
}

func (fs *files) get(path string) *parsed {
	src, ok := fs.read(path)
	if !ok {
		return nil
	}
	if p := fs.cache[path]; p != nil && bytes.Equal(p.text.src, src) {
		return p
	}
	p := parseFile(path, src)
	fs.cache[path] = p
	return p
}

// closure returns path and every file it imports, directly or not, path first.
func (fs *files) closure(path string) []*parsed {
	var out []*parsed
	seen := map[string]bool{}
	var visit func(string)
	visit = func(p string) {
		if seen[p] || len(seen) > 1000 {
			return
		}
		seen[p] = true
		f := fs.get(p)
		if f == nil {
			return
		}
		out = append(out, f)
		for _, imp := range f.imports {
			visit(imp)
		}
	}
	visit(path)
	return out
}

// scope maps every name visible in path (declared in it or in a file it
// imports) to its first declaration.
func (fs *files) scope(path string) map[nameKey]*declInfo {
	out := map[nameKey]*declInfo{}
	for _, f := range fs.closure(path) {
		for _, d := range f.decls {
			k := nameKey{d.ns, d.name}
			if out[k] == nil {
				out[k] = d
			}
		}
	}
	return out
}
