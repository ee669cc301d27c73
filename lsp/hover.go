package lsp

import (
	"fmt"
	"github.com/regc/regc/internal/lazyre"
	"github.com/regc/regc/internal/py"
	"math/big"
	"path/filepath"
	"strings"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/emit"
	"github.com/regc/regc/lang"
)

func (s *Server) hover(pos positionParams) (any, *rpcError) {
	d, e := s.doc(pos.TextDocument.URI)
	if e != nil {
		return nil, e
	}
	if strings.HasSuffix(d.path, ".yml") || strings.HasSuffix(d.path, ".yaml") {
		return s.hoverLegacy(d, pos.Position), nil
	}
	p, t, ok := s.nameAt(d, pos.Position)
	if p == nil {
		return nil, nil
	}
	if ok && t.decl != nil {
		r := p.text.rng(t.at)
		var body string
		switch t.decl.ns {
		case nsStage:
			body = s.stageHover(d, t.decl)
		case nsCriterion:
			body = s.declHover(t.decl) + s.criterionUses(d, t.decl)
		default:
			body = s.declHover(t.decl)
		}
		return &Hover{Contents: markupContent{Kind: "markdown", Value: body}, Range: &r}, nil
	}
	off := p.text.offset(pos.Position)
	st := locate(p, s.files.scope(d.path), off)
	if st.expr != nil && st.expr.Quantity != nil {
		r := p.text.rng(st.expr.BaseRange())
		return &Hover{Contents: markupContent{Kind: "markdown", Value: quantityHover(*st.expr.Quantity, st.ftype)}, Range: &r}, nil
	}
	return nil, nil
}

// declHover shows a declaration's source, up to 15 lines, and where it is.
func (s *Server) declHover(dc *declInfo) string {
	t := s.textOf(dc.file)
	if t == nil {
		return dc.kind + " " + dc.name
	}
	full := lang.TrimRange(dc.full, t.src)
	src := string(t.src[t.langOffset(full.Start):t.langOffset(full.End)])
	if lines := strings.Split(src, "\n"); len(lines) > 15 {
		src = strings.Join(lines[:15], "\n") + "\n    …"
	}
	return fmt.Sprintf("```regimen\n%s\n```\n%s declared at %s:%d", src, dc.kind, filepath.Base(dc.file), dc.rng.Start.Line)
}

// criterionUses lists the transitions that use a criterion.
func (s *Server) criterionUses(d *document, dc *declInfo) string {
	var lines []string
	for _, f := range s.workspace(filepath.Dir(d.path)) {
		if f.file == nil {
			continue
		}
		scope := s.files.scope(f.path)
		for _, decl := range f.file.Decls {
			td, ok := decl.(*lang.TransitionDecl)
			if !ok || td.Source == nil || td.Dest == nil || td.Trigger == nil {
				continue
			}
			for _, part := range []struct {
				kw    string
				names []*lang.Name
			}{{"when", td.When}, {"unless", td.Unless}} {
				for _, n := range part.names {
					if n.Value() == dc.name && sameDecl(scope[nameKey{nsCriterion, n.Value()}], dc) {
						lines = append(lines, fmt.Sprintf("- `%s %s -> %s` (%s) %s:%d", td.Trigger.Name, td.Source.Value(), td.Dest.Value(), part.kw, filepath.Base(f.path), td.Pos.Line))
					}
				}
			}
		}
	}
	if len(lines) == 0 {
		return "\n\nno transition uses it"
	}
	return fmt.Sprintf("\n\nused by %d transition(s):\n%s", len(lines), strings.Join(lines, "\n"))
}

// stageHover shows a stage's parameters as the rig gets them, each with
// the parameter set or override line it came from.
func (s *Server) stageHover(d *document, dc *declInfo) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**stage %s** (%s:%d)\n\n", dc.name, filepath.Base(dc.file), dc.rng.Start.Line)
	res := s.compile(d.path)
	var st *compiler.Stage
	if res.Regimen != nil {
		st = res.Regimen.Stage(dc.name)
	}
	sd, _ := dc.node.(*lang.StageDecl)
	if st == nil || sd == nil {
		b.WriteString("its parameters are known once the regimen compiles (open the file that declares `regimen`)")
		return b.String()
	}
	if st.Script != nil {
		fmt.Fprintf(&b, "script `%s`\n\n", st.Script.Name)
	}
	if st.Params.Kind != compiler.Map {
		b.WriteString("no parameters")
		return b.String()
	}
	var paramsExpr *lang.Expr
	for _, e := range sd.Body.Entries {
		if e.Key(0) == "params" && len(e.Path) == 1 {
			paramsExpr = e.Value
		}
	}
	scope := s.files.scope(dc.file)
	fmt.Fprintf(&b, "parameters as the rig gets them (%d):\n\n", len(st.Params.Map))
	for _, f := range st.Params.Map {
		val := compact(emit.JSON(f.Value))
		if w := st.Written[f.Key]; w != "" {
			val += " (written " + w + ")"
		}
		from := "filled in by the compiler: the stage's name"
		if f.Key != "stage" || paramsHas(paramsExpr, scope, "stage") {
			from = s.origin(paramsExpr, scope, f.Key, "stage "+dc.name, 0)
		}
		fmt.Fprintf(&b, "- `%s`: `%s` — %s\n", f.Key, val, from)
	}
	return b.String()
}

var newlineIndent = lazyre.New(`\n\s*`)

// compact is emit.JSON's output on one line (JSON strings hold no raw
// newline, so only layout is removed).
func compact(b []byte) string {
	s := newlineIndent.Re().ReplaceAllString(string(b), " ")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

func paramsHas(e *lang.Expr, scope map[nameKey]*declInfo, key string) bool {
	return e != nil && !strings.HasPrefix(originOf(e, scope, key, "", 0), "not found")
}

// origin says where the value of key in the parameters e came from.
func (s *Server) origin(e *lang.Expr, scope map[nameKey]*declInfo, key, where string, depth int) string {
	return originOf(e, scope, key, where, depth)
}

func originOf(e *lang.Expr, scope map[nameKey]*declInfo, key, where string, depth int) string {
	if e == nil || depth > 50 {
		return "not found in the source"
	}
	at := func(en *lang.Entry) string {
		return fmt.Sprintf("%s, `%s` at %s:%d", where, en.PathText(), filepath.Base(en.Pos.Filename), en.Pos.Line)
	}
	for _, r := range []*lang.Record{e.Override, e.Record} {
		if r == nil {
			continue
		}
		for i := len(r.Entries) - 1; i >= 0; i-- {
			if en := r.Entries[i]; len(en.Path) > 0 && en.Key(0) == key {
				if r == e.Override {
					return "override in " + at(en)
				}
				return "set in " + at(en)
			}
		}
	}
	if e.Ref == nil {
		return "not found in the source"
	}
	dc := scope[nameKey{nsValue, *e.Ref}]
	if dc == nil {
		return "not found in the source"
	}
	switch n := dc.node.(type) {
	case *lang.ParamsDecl:
		if n.Body != nil {
			return originOf(&lang.Expr{Record: n.Body}, scope, key, "params "+n.Name.Name, depth+1)
		}
		return originOf(n.Value, scope, key, "params "+n.Name.Name, depth+1)
	case *lang.LetDecl:
		return originOf(n.Value, scope, key, "let "+n.Name.Name, depth+1)
	}
	return "not found in the source"
}

var quantityRE = lazyre.New(`^(-?[0-9][0-9_.eE+-]*)\s*([A-Za-z]+)$`)

// quantityHover shows a quantity in its field's unit.
func quantityHover(q string, ft *lang.Type) string {
	unit := unitOf(ft)
	m := quantityRE.Re().FindStringSubmatch(strings.TrimSpace(q))
	if m == nil {
		return "`" + q + "`"
	}
	if unit == "" {
		return fmt.Sprintf("`%s`: the field declares no unit here", q)
	}
	x, ok := new(big.Rat).SetString(m[1])
	if !ok {
		return "`" + q + "`"
	}
	y, ok := compiler.ConvertUnit(x, m[2], unit)
	if !ok {
		return fmt.Sprintf("`%s`: the field's unit is %s, which %s does not convert to", q, unit, m[2])
	}
	f, _ := y.Float64()
	return fmt.Sprintf("`%s` = `%s %s` (the field's unit: the rig gets `%s`)", q, ratText(y), unit, py.Float(f))
}

func ratText(x *big.Rat) string {
	if x.IsInt() {
		return x.Num().String()
	}
	// a finite decimal when there is one, else the fraction
	d := strings.TrimRight(x.FloatString(30), "0")
	if y, ok := new(big.Rat).SetString(d); ok && y.Cmp(x) == 0 {
		return d
	}
	return x.RatString()
}

// hoverLegacy shows, in a legacy regimen.yml, the compiled parameters of
// the stage whose key is under the cursor.
func (s *Server) hoverLegacy(d *document, pos Position) any {
	res := s.compile(d.path)
	if res.Regimen == nil {
		return nil
	}
	t := newText(d.src)
	off := t.offset(pos)
	for _, st := range res.Regimen.Stages {
		if st.Range.File == d.path && t.inRange(off, st.Range) {
			r := t.rng(st.Range)
			return &Hover{Range: &r, Contents: markupContent{Kind: "markdown",
				Value: fmt.Sprintf("**stage %s**\n\n```json\n%s\n```", st.Name, emit.JSON(st.Params))}}
		}
	}
	return nil
}
