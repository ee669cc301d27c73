package legacy

// regc import: a legacy regimen.yml, read as PyYAML read it, written as
// .regimen source that builds the very same document.
//
// The importer works on the reader's node tree, not on the constructed
// value, so that what a person wrote survives: an anchored mapping that is
// aliased becomes a named parameter set or constant (named after its
// anchor), a merge key becomes `base { overrides }`, the script URL and md5
// anchors become script declarations, comments are carried over, and
// defects (duplicate keys and stages, transitions to stages that do not
// exist, a stage whose parameters name another stage) are written as they
// were, so that `regc check` reports them on the result and the document
// stays the same.
//
// Every record the importer writes is checked against the value PyYAML
// constructs for it (the override form falls back to a plain record when
// the two would differ), and the whole source is compiled once more at the
// end and its document compared with the legacy file's: the importer
// either writes source that means what the file meant, or reports why it
// cannot.

import (
	"bytes"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
	"github.com/regc/regc/legacy/yaml"
)

// Import reads a legacy regimen.yml as PyYAML's yaml.safe_load does and
// returns .regimen source that compiles to the same mtrain document. The
// diagnostics are the reader's (a file PyYAML rejects is an error at
// PyYAML's position; a key written twice is a warning), and an
// `unsupported` error for what the language cannot express. When there is
// an error the source is nil. Defects that the compiler reports (undefined
// stages, duplicate transitions, ...) are kept in the source, so that
// `regc check` reports them where they are written.
func Import(path string, src []byte) ([]byte, lang.Diagnostics) {
	out, diags, _ := ImportChecked(path, src)
	return out, diags
}

// ImportChecked is Import, and also returns the imported source compiled
// (the importer compiles it to check that it builds the legacy file's
// document): its diagnostics are the defects kept from the legacy file. The
// result is nil when the import failed.
func ImportChecked(path string, src []byte) ([]byte, lang.Diagnostics, *compiler.Result) {
	return importLegacy(path, src, true)
}

// importLegacy is ImportChecked; check says whether to compile the result
// and compare its document with the legacy file's (the fuzz test turns it
// off to check the generator on its own).
func importLegacy(path string, src []byte, check bool) (out []byte, diags lang.Diagnostics, res *compiler.Result) {
	defer func() {
		if r := recover(); r != nil {
			out, res = nil, nil
			diags = append(diags, lang.Diagnostic{
				Code: lang.CodeInternal, Severity: lang.Error,
				Range:   lang.Range{File: path, Start: lang.Pos{Line: 1, Column: 1}, End: lang.Pos{Line: 1, Column: 1}},
				Message: fmt.Sprintf("internal error while importing: %v (please report this with the input)", r),
			})
			diags = diags.Normalize()
		}
	}()
	root, rd := yaml.Read(path, src)
	diags = append(diags, rd...)
	if root == nil || rd.HasErrors() {
		return nil, diags.Normalize(), nil
	}
	text, legacyDoc, imDiags := runImporter(path, src, root)
	diags = append(diags, imDiags...)
	if diags.HasErrors() {
		return nil, diags.Normalize(), nil
	}
	if check {
		// the node tree and the importer's tables are garbage now, and
		// what is live is small (the source and the legacy document):
		// collecting here costs little, and the compile below starts from
		// a small heap instead of adding to the reading's
		runtime.GC()
		var d *lang.Diagnostic
		if res, d = verify(path, &legacyDoc, text); d != nil {
			diags = append(diags, *d)
			return nil, diags.Normalize(), nil
		}
	}
	return text, diags.Normalize(), res
}

// runImporter imports the file read as root, and returns the source, the
// legacy build of the file and the importer's diagnostics: only these
// outlive it, so that its node tree and tables are garbage by the time the
// source is compiled to verify it.
func runImporter(path string, src []byte, root *yaml.Node) ([]byte, *compiler.Regimen, lang.Diagnostics) {
	im := newImporter(path, src, root)
	text := im.run()
	return text, im.legacy, im.diags
}

// ImportedPath is where `regc import` suggests writing the source of a
// legacy file: the same name with the extension .regimen.
func ImportedPath(path string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + ".regimen"
}

// importer holds one import: the file, and what each step makes of it.
type importer struct {
	path  string
	src   []byte
	lines []int // where each line of src starts
	root  *yaml.Node
	diags lang.Diagnostics

	legacyValues // the document values of nodes, as the legacy build gives them
	outline      // the header, stages and transitions (importer_structure.go)
	declarations // the value and script declarations (importer_decls.go)
}

// legacyValues are the document values of nodes, as the legacy build
// converts them (lb remembers them), and the legacy build of the whole
// file.
type legacyValues struct {
	lb      *legacyBuilder
	lbDiag  lang.Diagnostics
	legacy  *compiler.Regimen
	foldBuf []compiler.Field // the records fold makes to compare
}

func newImporter(path string, src []byte, root *yaml.Node) *importer {
	g := &importer{path: path, src: src, root: root}
	g.lines = lineStarts(src)
	// the tables of nodes are sized up front by the file's lines (a large
	// generated file converts 4 values every 7 lines and walks 2 every 7),
	// which saves growing them a step at a time
	g.decls = map[*yaml.Node]*impDecl{}
	g.walked = make([]bool, root.Nodes())
	g.used = map[string]bool{}
	g.scriptOf = map[impScriptKey]*impScript{}
	g.scriptAnchors = map[*yaml.Node]*impScript{}
	g.critSeen = map[string]bool{}
	g.trigSeen = map[string]bool{}
	g.lb = &legacyBuilder{path: path, diags: &g.lbDiag, memo: newValueMemo(root)}
	return g
}

// lineStarts returns the offsets in src where its lines start.
func lineStarts(src []byte) []int {
	out := make([]int, 1, bytes.Count(src, []byte("\n"))+1)
	for i, c := range src {
		if c == '\n' {
			out = append(out, i+1)
		}
	}
	return out
}

func (g *importer) unsupported(n *yaml.Node, format string, args ...any) {
	at := lang.Range{File: g.path, Start: lang.Pos{Line: 1, Column: 1}, End: lang.Pos{Line: 1, Column: 1}}
	if n != nil && n.Range().IsValid() {
		at = n.Range()
	}
	d := g.diags.Errorf(lang.CodeUnsupported, at, format, args...)
	d.Message = "regc import cannot write this in the language: " + d.Message
}

// val is the document value of a node, as the legacy build converts it.
func (g *importer) val(n *yaml.Node) compiler.Value {
	t := n.Target()
	if t == nil {
		return compiler.NullValue()
	}
	return g.lb.remember(t)
}

// run imports the file and returns the source.
func (g *importer) run() []byte {
	g.structure()
	if g.diags.HasErrors() {
		return nil
	}
	g.legacy = g.lb.regimen(g.root)
	g.collect()
	g.nameAll()
	g.render()
	if g.diags.HasErrors() {
		return nil
	}
	return g.print()
}
