package lsp

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
)

// target is the name at a cursor: the declaration it means and where the
// cursor's occurrence of it is.
type target struct {
	decl *declInfo
	key  nameKey
	at   lang.Range
}

// nameAt returns the name under position pos of document d.
func (s *Server) nameAt(d *document, pos Position) (*parsed, target, bool) {
	p := s.files.get(d.path)
	if p == nil {
		return nil, target{}, false
	}
	off := p.text.offset(pos)
	for _, dc := range p.decls {
		if p.text.inRange(off, dc.rng) {
			return p, target{decl: dc, key: nameKey{dc.ns, dc.name}, at: dc.rng}, true
		}
	}
	for _, r := range p.refs {
		if p.text.inRange(off, r.rng) {
			return p, target{decl: s.files.scope(d.path)[r.nameKey], key: r.nameKey, at: r.rng}, true
		}
	}
	return p, target{}, false
}

func (s *Server) location(r lang.Range) Location {
	path := filepath.Clean(r.File)
	loc := Location{URI: s.uriOf(path)}
	if t := s.textOf(path); t != nil {
		loc.Range = t.rng(r)
	}
	return loc
}

// uriOf is the URI the client knows a file by: an open document's own.
func (s *Server) uriOf(path string) string {
	if d := s.docs[path]; d != nil {
		return d.uri
	}
	return pathURI(path)
}

func (s *Server) definition(pos positionParams) (any, *rpcError) {
	d, e := s.doc(pos.TextDocument.URI)
	if e != nil {
		return nil, e
	}
	p, t, ok := s.nameAt(d, pos.Position)
	if !ok || t.decl == nil {
		return s.importAt(p, pos.Position), nil
	}
	return []Location{s.location(t.decl.rng)}, nil
}

// importAt is the start of the file an import under the cursor names.
func (s *Server) importAt(p *parsed, pos Position) any {
	if p == nil || p.file == nil {
		return nil
	}
	off := p.text.offset(pos)
	for _, decl := range p.file.Decls {
		imp, ok := decl.(*lang.ImportDecl)
		if !ok || imp.Path == nil || !p.text.inRange(off, lang.RangeOf(imp.Path.Pos, imp.Path.EndPos)) {
			continue
		}
		rel, err := lang.Unquote(imp.Path.Raw)
		if err != nil || rel == "" {
			return nil
		}
		return []Location{{URI: s.uriOf(compiler.ImportTarget(p.path, rel))}}
	}
	return nil
}

// workspace is every file a rename or a reference search looks through:
// the open documents, the .regimen files beside them and beside the
// declaration, and everything those import.
func (s *Server) workspace(dirs ...string) []*parsed {
	paths := map[string]bool{}
	for p := range s.docs {
		paths[p] = true
		dirs = append(dirs, filepath.Dir(p))
	}
	seenDir := map[string]bool{}
	for _, dir := range dirs {
		if seenDir[dir] {
			continue
		}
		seenDir[dir] = true
		ents, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		n := 0
		for _, en := range ents {
			if strings.HasSuffix(en.Name(), ".regimen") && en.Type().IsRegular() && n < 500 {
				paths[filepath.Join(dir, en.Name())] = true
				n++
			}
		}
	}
	var out []*parsed
	seen := map[string]bool{}
	sorted := make([]string, 0, len(paths))
	for p := range paths {
		sorted = append(sorted, p)
	}
	sort.Strings(sorted)
	for _, p := range sorted {
		for _, f := range s.files.closure(p) {
			if !seen[f.path] {
				seen[f.path] = true
				out = append(out, f)
			}
		}
	}
	return out
}

// uses returns every place the declaration dc is used, in every file of
// the workspace whose scope resolves the name to it.
func (s *Server) uses(dc *declInfo, extraDirs ...string) []lang.Range {
	var out []lang.Range
	key := nameKey{dc.ns, dc.name}
	for _, f := range s.workspace(append(extraDirs, filepath.Dir(dc.file))...) {
		var scope map[nameKey]*declInfo
		for _, r := range f.refs {
			if r.nameKey != key {
				continue
			}
			if scope == nil {
				scope = s.files.scope(f.path)
			}
			if sameDecl(scope[key], dc) {
				out = append(out, r.rng)
			}
		}
	}
	return out
}

func sameDecl(a, b *declInfo) bool {
	return a != nil && b != nil && a.file == b.file && a.rng == b.rng
}

func (s *Server) references(pos positionParams, withDecl bool) (any, *rpcError) {
	d, e := s.doc(pos.TextDocument.URI)
	if e != nil {
		return nil, e
	}
	_, t, ok := s.nameAt(d, pos.Position)
	if !ok || t.decl == nil {
		return []Location{}, nil
	}
	out := []Location{}
	if withDecl {
		out = append(out, s.location(t.decl.rng))
	}
	for _, r := range s.uses(t.decl, filepath.Dir(d.path)) {
		out = append(out, s.location(r))
	}
	return out, nil
}

func (s *Server) prepareRename(pos positionParams) (any, *rpcError) {
	d, e := s.doc(pos.TextDocument.URI)
	if e != nil {
		return nil, e
	}
	p, t, ok := s.nameAt(d, pos.Position)
	if !ok || t.decl == nil {
		return nil, &rpcError{codeRequestFailed, "there is no declared name here to rename"}
	}
	return p.text.rng(t.at), nil
}

func (s *Server) rename(pos positionParams, newName string) (any, *rpcError) {
	d, e := s.doc(pos.TextDocument.URI)
	if e != nil {
		return nil, e
	}
	_, t, ok := s.nameAt(d, pos.Position)
	if !ok || t.decl == nil {
		return nil, &rpcError{codeRequestFailed, "there is no declared name here to rename"}
	}
	text := newName
	if !compiler.IsIdent(newName) || lang.IsKeyword(newName) {
		if t.decl.ns != nsStage && t.decl.ns != nsCriterion && t.decl.ns != nsTrigger {
			return nil, &rpcError{codeRequestFailed, "a new name is letters, digits and underscores, not starting with a digit, and not a keyword: " + newName}
		}
		text = lang.Quote(newName)
	}
	if other := s.files.scope(d.path)[nameKey{t.decl.ns, newName}]; other != nil && !sameDecl(other, t.decl) {
		return nil, &rpcError{codeRequestFailed, newName + " is already declared at " + other.rng.String()}
	}
	edit := WorkspaceEdit{Changes: map[string][]TextEdit{}}
	add := func(r lang.Range) {
		loc := s.location(r)
		edit.Changes[loc.URI] = append(edit.Changes[loc.URI], TextEdit{Range: loc.Range, NewText: text})
	}
	add(t.decl.rng)
	for _, r := range s.uses(t.decl, filepath.Dir(d.path)) {
		add(r)
	}
	return edit, nil
}

// symbolKind is the LSP symbol kind of a declaration keyword.
func symbolKind(kind string) int {
	switch kind {
	case "schema":
		return symbolStruct
	case "script":
		return symbolModule
	case "params":
		return symbolVariable
	case "let":
		return symbolConstant
	case "stage":
		return symbolClass
	case "criterion", "trigger":
		return symbolEvent
	}
	return 0
}

func (s *Server) symbols(uri string) (any, *rpcError) {
	d, e := s.doc(uri)
	if e != nil {
		return nil, e
	}
	p := s.files.get(d.path)
	out := []DocumentSymbol{}
	if p == nil || p.file == nil {
		return out, nil
	}
	for _, decl := range p.file.Decls {
		if h, ok := decl.(*lang.RegimenDecl); ok {
			r := p.text.rng(lang.TrimRange(declRange(h), p.text.src))
			name := "regimen"
			if h.Name != nil {
				name = h.Name.Name
			}
			out = append(out, DocumentSymbol{Name: name, Detail: "regimen", Kind: symbolFile, Range: r, SelectionRange: r})
		}
	}
	for _, dc := range p.decls {
		full := p.text.rng(lang.TrimRange(dc.full, p.text.src))
		out = append(out, DocumentSymbol{Name: dc.name, Detail: dc.kind, Kind: symbolKind(dc.kind), Range: full, SelectionRange: p.text.rng(dc.rng)})
	}
	return out, nil
}

func (s *Server) format(uri string) (any, *rpcError) {
	d, e := s.doc(uri)
	if e != nil {
		return nil, e
	}
	if !strings.HasSuffix(d.path, ".regimen") {
		return []TextEdit{}, nil
	}
	f, diags := lang.Parse(d.path, d.src)
	if f == nil || diags.HasErrors() {
		return nil, &rpcError{codeRequestFailed, "the file has syntax errors: fix them before formatting"}
	}
	out := lang.Print(f)
	if string(out) == string(d.src) {
		return []TextEdit{}, nil
	}
	t := newText(d.src)
	return []TextEdit{{Range: Range{Start: Position{}, End: t.position(len(d.src))}, NewText: string(out)}}, nil
}

// replaceable reports whether a code's suggestion is text to put in place
// of the diagnostic's range.
func replaceable(code string) bool {
	switch code {
	case lang.CodeUndefinedName, lang.CodeUndefinedStage, lang.CodeUndefinedCriterion,
		lang.CodeUnknownField, lang.CodeUnknownUnit, lang.CodeUnitMismatch, lang.CodeTypeMismatch:
		return true
	}
	return false
}

func (s *Server) codeActions(p codeActionParams) (any, *rpcError) {
	d, e := s.doc(p.TextDocument.URI)
	if e != nil {
		return nil, e
	}
	out := []CodeAction{}
	t := newText(d.src)
	for _, dg := range p.Context.Diagnostics {
		sug := ""
		if dg.Data != nil {
			sug = dg.Data.Suggestion
		}
		switch {
		case sug != "" && replaceable(dg.Code) && isReplacement(sug):
			out = append(out, CodeAction{
				Title: "replace with " + sug, Kind: "quickfix", Diagnostics: []Diagnostic{dg}, IsPreferred: true,
				Edit: &WorkspaceEdit{Changes: map[string][]TextEdit{d.uri: {{Range: dg.Range, NewText: sug}}}},
			})
		case sug == "" && dg.Code == lang.CodeUndefinedCriterion:
			name := string(t.src[t.offset(dg.Range.Start):t.offset(dg.Range.End)])
			at := s.criterionInsertion(d)
			out = append(out, CodeAction{
				Title: "declare criterion " + name, Kind: "quickfix", Diagnostics: []Diagnostic{dg},
				Edit: &WorkspaceEdit{Changes: map[string][]TextEdit{d.uri: {{Range: Range{Start: at, End: at}, NewText: "criterion " + name + "\n"}}}},
			})
		}
	}
	out = append(out, s.pinActions(d, p.Range, p.Context.Diagnostics)...)
	return out, nil
}

// isReplacement reports whether a suggestion is source text rather than
// advice: a name, a number or a quantity, a quoted string.
func isReplacement(s string) bool {
	if strings.HasPrefix(s, `"`) {
		return true
	}
	return strings.Count(s, " ") <= 1 && !strings.ContainsAny(s, "`(")
}

// criterionInsertion is where a new criterion declaration goes: after the
// file's last criterion declaration, else after its header and imports.
func (s *Server) criterionInsertion(d *document) Position {
	p := s.files.get(d.path)
	line := 0
	if p != nil && p.file != nil {
		for _, decl := range p.file.Decls {
			switch decl.(type) {
			case *lang.CriterionDecl, *lang.RegimenDecl, *lang.ImportDecl:
				r := lang.TrimRange(declRange(decl), p.text.src)
				line = r.End.Line // zero-based: the line after it
			}
		}
	}
	return Position{Line: line}
}
