package lsp

import (
	"sort"
	"strings"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/internal/lazyre"
	"github.com/regc/regc/lang"
)

// What the text before the cursor on its line says is wanted.
var (
	afterNumberRE   = lazyre.New(`(^|[^\w.])-?[0-9][0-9_.eE]*\s+[A-Za-z]*$`)
	afterCriteriaRE = lazyre.New(`\b(when|unless)\s+\[?\s*([\w"]+\s*,\s*)*[\w"]*$`)
	afterArrowRE    = lazyre.New(`(->|=>)\s*[\w"]*$`)
	transitionRE    = lazyre.New(`^\s*([A-Za-z_]\w*)\s+[\w"]*$`)
	testStartRE     = lazyre.New(`^\s*start\s+[\w"]*$`)
	keyPositionRE   = lazyre.New(`(^|[{,])\s*[\w"]*$`)
)

func (s *Server) complete(pos positionParams) (any, *rpcError) {
	d, e := s.doc(pos.TextDocument.URI)
	if e != nil {
		return nil, e
	}
	p := s.files.get(d.path)
	if p == nil {
		return completionList{Items: []CompletionItem{}}, nil
	}
	off := p.text.offset(pos.Position)
	line := string(p.text.src[p.text.lines[min(pos.Position.Line, len(p.text.lines)-1)]:off])
	scope := s.files.scope(d.path)
	items := s.completions(p, scope, off, line)
	if items == nil {
		items = []CompletionItem{}
	}
	return completionList{Items: items}, nil
}

func (s *Server) completions(p *parsed, scope map[nameKey]*declInfo, off int, line string) []CompletionItem {
	st := locate(p, scope, off)
	switch {
	case afterNumberRE.Re().MatchString(line):
		return unitItems(unitOf(st.ftype))
	case afterCriteriaRE.Re().MatchString(line):
		return names(scope, nsCriterion, kindEvent)
	case afterArrowRE.Re().MatchString(line), testStartRE.Re().MatchString(line):
		return names(scope, nsStage, kindClass)
	}
	if m := transitionRE.Re().FindStringSubmatch(line); m != nil && st.record == nil {
		if _, ok := scope[nameKey{nsTrigger, m[1]}]; ok || m[1] == "progress" || m[1] == "manual" {
			return names(scope, nsStage, kindClass)
		}
	}
	if st.record != nil && st.entry == nil && keyPositionRE.Re().MatchString(line) {
		if sd, ok := st.decl.(*lang.StageDecl); ok && st.record == sd.Body {
			return []CompletionItem{{Label: "script", Kind: kindField, Detail: "the stage's script"}, {Label: "params", Kind: kindField, Detail: "the stage's parameters"}}
		}
		return s.fieldItems(st, scope)
	}
	if st.decl != nil {
		return valueItems(scope)
	}
	return keywordItems(scope)
}

// fieldItems are the schema fields a record may still set, with their
// types and ranges as the schema writes them.
func (s *Server) fieldItems(st site, scope map[nameKey]*declInfo) []CompletionItem {
	if st.rt == nil {
		return nil
	}
	have := map[string]bool{}
	for _, e := range st.record.Entries {
		if len(e.Path) > 0 {
			have[e.Key(0)] = true
		}
	}
	l := &locator{scope: scope}
	var out []CompletionItem
	for _, f := range l.fields(st.rt) {
		if f.Key == nil || have[f.Key.Value()] {
			continue
		}
		detail := s.typeText(f)
		if f.Optional {
			detail += " (optional)"
		}
		out = append(out, CompletionItem{Label: f.Key.Text(), Kind: kindField, Detail: detail})
	}
	return out
}

// typeText is a field's type as its schema writes it.
func (s *Server) typeText(f *lang.FieldType) string {
	if f.Type == nil {
		return ""
	}
	r := lang.RangeOf(f.Type.Pos, f.Type.EndPos)
	t := s.textOf(r.File)
	if t == nil {
		return ""
	}
	r = lang.TrimRange(r, t.src)
	return strings.Join(strings.Fields(string(t.src[t.langOffset(r.Start):t.langOffset(r.End)])), " ")
}

func unitItems(fieldUnit string) []CompletionItem {
	dim := ""
	for _, u := range compiler.Units() {
		if u.Name == fieldUnit {
			dim = u.Dim
		}
	}
	var out []CompletionItem
	for _, u := range compiler.Units() {
		if dim != "" && u.Dim != dim {
			continue
		}
		detail := u.Dim
		if u.Name == fieldUnit {
			detail += " (the field's unit)"
		}
		out = append(out, CompletionItem{Label: u.Name, Kind: kindUnit, Detail: detail})
	}
	return out
}

func names(scope map[nameKey]*declInfo, ns namespace, kind int) []CompletionItem {
	var out []CompletionItem
	for k, d := range scope {
		if k.ns == ns {
			label := k.name
			if !compiler.IsIdent(label) || lang.IsKeyword(label) {
				label = lang.Quote(label)
			}
			out = append(out, CompletionItem{Label: label, Kind: kind, Detail: d.kind})
		}
	}
	if ns == nsTrigger {
		out = append(out, CompletionItem{Label: "progress", Kind: kind, Detail: "trigger"}, CompletionItem{Label: "manual", Kind: kind, Detail: "trigger"})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out
}

func valueKind(detail string) int {
	switch detail {
	case "schema":
		return kindStruct
	case "script":
		return kindModule
	case "params":
		return kindVariable
	case "let":
		return kindValue
	}
	return 0
}

// valueItems are what may stand as a value: declared names and true,
// false and null.
func valueItems(scope map[nameKey]*declInfo) []CompletionItem {
	out := names(scope, nsValue, kindVariable)
	for i := range out {
		out[i].Kind = valueKind(out[i].Detail)
	}
	for _, k := range []string{"true", "false", "null"} {
		out = append(out, CompletionItem{Label: k, Kind: kindKeyword})
	}
	return out
}

// keywordItems are what may start a declaration: keywords and triggers.
func keywordItems(scope map[nameKey]*declInfo) []CompletionItem {
	var out []CompletionItem
	for _, k := range lang.Keywords {
		if k != "true" && k != "false" && k != "null" {
			out = append(out, CompletionItem{Label: k, Kind: kindKeyword})
		}
	}
	return append(out, names(scope, nsTrigger, kindEvent)...)
}
