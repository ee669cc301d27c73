package compiler

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
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/regc/regc/lang"
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
func ImportChecked(path string, src []byte) ([]byte, lang.Diagnostics, *Result) {
	return importLegacy(path, src, true)
}

// importLegacy is ImportChecked; verify says whether to compile the result
// and compare its document with the legacy file's (the fuzz test turns it
// off to check the generator on its own).
func importLegacy(path string, src []byte, verify bool) (out []byte, diags lang.Diagnostics, res *Result) {
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
	root, rd := lang.ReadLegacy(path, src)
	diags = append(diags, rd...)
	if root == nil || rd.HasErrors() {
		return nil, diags.Normalize(), nil
	}
	im := newImporter(path, src, root)
	text := im.run()
	diags = append(diags, im.diags...)
	if diags.HasErrors() {
		return nil, diags.Normalize(), nil
	}
	if verify {
		var d *lang.Diagnostic
		if res, d = im.verify(text); d != nil {
			diags = append(diags, *d)
			return nil, diags.Normalize(), nil
		}
	}
	return text, diags.Normalize(), res
}

// ImportedPath is where `regc import` suggests writing the source of a
// legacy file: the same name with the extension .regimen.
func ImportedPath(path string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + ".regimen"
}

// keptDefects are the errors an imported source may have: the legacy
// file's defects, kept so that the document stays the same, and what the
// language requires where YAML did not.
var keptDefects = map[string]bool{
	"duplicate-key":        true, // a key written twice in a mapping
	"duplicate-stage":      true, // a stage written twice
	"undefined-stage":      true,
	"stage-param-mismatch": true,
	"duplicate-transition": true,
	"missing-field":        true, // a stage without a script
	"out-of-range":         true, // an empty script URL
	"unsafe-stage-name":    true, // a stage name that cannot name a file
}

// verify compiles the imported source and compares its document with the
// legacy file's. It returns an internal diagnostic when the source has an
// error that is not one of the legacy file's defects, or builds another
// document.
func (g *importer) verify(text []byte) (*Result, *lang.Diagnostic) {
	res := CompileSource(ImportedPath(g.path), text, &Options{ReadFile: func(p string) ([]byte, error) {
		return nil, fmt.Errorf("imported source has no imports")
	}})
	at := lang.Range{File: g.path, Start: lang.Pos{Line: 1, Column: 1}, End: lang.Pos{Line: 1, Column: 1}}
	for _, d := range res.Diagnostics {
		if d.Severity == lang.Error && !keptDefects[d.Code] {
			return nil, &lang.Diagnostic{Code: lang.CodeInternal, Severity: lang.Error, Range: at,
				Message: fmt.Sprintf("internal error: the imported source does not compile (%s at %s: %s); please report this with the input", d.Code, d.Range.Start, d.Message)}
		}
	}
	if res.Regimen == nil || g.legacy == nil {
		return nil, &lang.Diagnostic{Code: lang.CodeInternal, Severity: lang.Error, Range: at, Message: "internal error: the imported source has no regimen; please report this with the input"}
	}
	if diff := valueDiff(res.Regimen.Document(), g.legacy.Document(), ""); diff != "" {
		return nil, &lang.Diagnostic{Code: lang.CodeInternal, Severity: lang.Error, Range: at,
			Message: fmt.Sprintf("internal error: the imported source builds a different document (%s); please report this with the input", diff)}
	}
	return res, nil
}

// valueDiff describes the first difference between two document values, or
// returns "" when they are Equal.
func valueDiff(a, b Value, path string) string {
	if Equal(a, b) {
		return ""
	}
	if a.Kind == Map && b.Kind == Map {
		for _, f := range a.Map {
			g, ok := b.Get(f.Key)
			if !ok {
				return fmt.Sprintf("%s.%s is extra", path, f.Key)
			}
			if d := valueDiff(f.Value, g, path+"."+f.Key); d != "" {
				return d
			}
		}
		for _, f := range b.Map {
			if _, ok := a.Get(f.Key); !ok {
				return fmt.Sprintf("%s.%s is missing", path, f.Key)
			}
		}
	}
	if a.Kind == List && b.Kind == List && len(a.List) == len(b.List) {
		for i := range a.List {
			if d := valueDiff(a.List[i], b.List[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
	}
	if path == "" {
		path = "the document"
	}
	return fmt.Sprintf("%s is %s, want %s", path, describeValue(a), describeValue(b))
}

// importer holds one import.
type importer struct {
	path  string
	src   []byte
	lines []string
	root  *lang.YAMLNode
	diags lang.Diagnostics

	lb     *legacyBuilder
	lbDiag lang.Diagnostics
	legacy *Regimen
	vals   map[*lang.YAMLNode]Value

	// value declarations: anchored nodes that are aliased where a value is
	// written, and the top-level keys that hold them
	decls    map[*lang.YAMLNode]*impDecl
	declList []*impDecl
	walked   map[*lang.YAMLNode]bool
	used     map[string]bool // names taken in the value namespace
	curDecl  *impDecl        // the declaration being written

	scripts  []*impScript
	scriptOf map[impScriptKey]*impScript
	// script anchors: URL and md5 nodes used by stages' script fields
	scriptAnchors map[*lang.YAMLNode]*impScript

	criteria []string
	critSeen map[string]bool
	triggers []string
	trigSeen map[string]bool

	header impHeader
	taken  map[*lang.YAMLNode]bool // head comments already written elsewhere
	extras []lang.YAMLEntry
	stages []*impStage
	trans  []*impTrans
	// nullSections are "stages" and "transitions" when the file gives
	// them as null (an empty key): written `stages null`
	nullSections []string
	// comments on the stages and transitions keys: before the first and
	// after the last
	stageHd, stageFt []string
	transHd, transFt []string
}

type impHeader struct {
	text string // the declaration
	head []string
	line string
}

// impDecl is a `let` or `params` declaration.
type impDecl struct {
	node   *lang.YAMLNode // the value as written (an alias for `let x = y`)
	holder *lang.YAMLNode // the top-level key that holds it, or nil
	name   string
	params bool
	pos    int // where it is written, for ordering
	deps   []*impDecl
	value  *irValue
	head   []string
	line   string
	foot   []string
	done   bool
}

// impScript is a script declaration: one URL and md5 pair.
type impScript struct {
	name     string
	url, md5 string
	md5Null  bool // `script_md5: null`, written `md5: null`
	urlNode  *lang.YAMLNode
	md5Node  *lang.YAMLNode
	head     []string
}

type impScriptKey struct {
	url, md5 string
	md5Null  bool
}

type impStage struct {
	name   string
	script *impScript
	params *lang.YAMLNode // the parameters value node
	value  *irValue       // nil: no `params:` entry
	head   []string
	line   string
	pHead  []string // comments for the params entry
	pLine  string
	foot   []string
}

type impTrans struct {
	trigger, source, dest string
	when, unless          []string
	whenForm, unlessForm  CriteriaForm
	head, foot            []string
	line                  string
}

func newImporter(path string, src []byte, root *lang.YAMLNode) *importer {
	g := &importer{
		path: path, src: src, root: root,
		vals:          map[*lang.YAMLNode]Value{},
		decls:         map[*lang.YAMLNode]*impDecl{},
		walked:        map[*lang.YAMLNode]bool{},
		used:          map[string]bool{},
		scriptOf:      map[impScriptKey]*impScript{},
		scriptAnchors: map[*lang.YAMLNode]*impScript{},
		critSeen:      map[string]bool{},
		trigSeen:      map[string]bool{},
	}
	g.lines = strings.Split(string(src), "\n")
	g.lb = &legacyBuilder{path: path, diags: &g.lbDiag}
	return g
}

func (g *importer) unsupported(n *lang.YAMLNode, format string, args ...any) {
	at := lang.Range{File: g.path, Start: lang.Pos{Line: 1, Column: 1}, End: lang.Pos{Line: 1, Column: 1}}
	if n != nil && n.Range.IsValid() {
		at = n.Range
	}
	d := g.diags.Errorf(lang.CodeUnsupported, at, format, args...)
	d.Message = "regc import cannot write this in the language: " + d.Message
}

// val is the document value of a node, as the legacy build converts it.
func (g *importer) val(n *lang.YAMLNode) Value {
	t := n.Target()
	if t == nil {
		return NullValue()
	}
	if v, ok := g.vals[t]; ok {
		return v
	}
	v := g.lb.value(t)
	g.vals[t] = v
	return v
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

// ---------------------------------------------------------------------
// Structure: the header, the stages and the transitions.

// langKeywords are the reserved words; importKeywords adds the builtin
// value names, which a declaration must not shadow.
var (
	langKeywords = func() map[string]bool {
		m := map[string]bool{}
		for _, k := range lang.Keywords {
			m[k] = true
		}
		return m
	}()
	importKeywords = func() map[string]bool {
		m := map[string]bool{"inf": true, "nan": true}
		for _, k := range lang.Keywords {
			m[k] = true
		}
		return m
	}()
)

var versionedName = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)_v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$`)

func (g *importer) structure() {
	doc := g.root.Target()
	if doc == nil || doc.Kind != lang.YAMLMapping {
		g.unsupported(g.root, "a regimen.yml is a mapping with name, stages and transitions; this document is a %s", describeYAML(g.root))
		return
	}
	var nameE, stagesE, transE *lang.YAMLEntry
	for _, e := range doc.Entries() {
		e := e
		key, isStr := e.KeyValue.(string)
		switch {
		case isStr && key == "name":
			nameE = &e
		case isStr && key == "stages":
			stagesE = &e
		case isStr && key == "transitions":
			transE = &e
		case !e.Merged:
			g.extras = append(g.extras, e)
		}
	}
	for _, e := range []*lang.YAMLEntry{nameE, stagesE, transE} {
		if e != nil && expandedSize(e.Value, map[*lang.YAMLNode]int{}) > maxExpanded {
			g.unsupported(e.Value, "%s expands, through its aliases, to more than %d values", jsonKey(e.KeyValue), maxExpanded)
			return
		}
	}
	g.header.head = commentLines(g.root.HeadComment)
	// a comment that opens the file right above an anchor holder (yaml.v3
	// gives the document a head comment only when a blank line follows it)
	// is the file's: the holders are regrouped, so it would describe the
	// wrong thing
	if len(doc.Pairs) > 0 && len(g.header.head) == 0 {
		k := doc.Pairs[0].Key
		if first, ok := k.Construct().(string); k.HeadComment != "" && (!ok || first != "name" && first != "stages" && first != "transitions") {
			g.header.head = commentLines(k.HeadComment)
			g.taken = map[*lang.YAMLNode]bool{k: true}
		}
	}
	g.structHeader(nameE)
	if stagesE != nil {
		g.stageHd, g.stageFt = g.sectionComments(stagesE)
		g.structStages(stagesE.Value)
	}
	if transE != nil {
		g.transHd, g.transFt = g.sectionComments(transE)
		g.structTransitions(transE.Value)
	}
}

// maxExpanded bounds the size of the document, counted with every alias
// expanded: an alias to a list of aliases to lists ... (a "billion laughs")
// is a small file but a document no tool can write.
const maxExpanded = 1 << 20

// expandedSize counts the values of n with its aliases expanded, stopping
// past maxExpanded.
func expandedSize(n *lang.YAMLNode, memo map[*lang.YAMLNode]int) int {
	t := n.Target()
	if t == nil {
		return 1
	}
	if v, ok := memo[t]; ok {
		return v
	}
	memo[t] = maxExpanded + 1 // a cycle guard; the reader makes none
	size := 1
	for _, it := range t.Items {
		size += expandedSize(it, memo)
		if size > maxExpanded {
			break
		}
	}
	for _, p := range t.Pairs {
		size += expandedSize(p.Key, memo) + expandedSize(p.Value, memo)
		if size > maxExpanded {
			break
		}
	}
	memo[t] = size
	return size
}

// sectionComments are the comments of the stages or transitions key: those
// before and on it, and those after it.
func (g *importer) sectionComments(e *lang.YAMLEntry) (head, foot []string) {
	head = commentLines(e.Key.HeadComment)
	if l := joinLine(lineOf(e.Key), lineOf(e.Value)); l != "" {
		head = append(head, l)
	}
	head = append(head, commentLines(e.Value.HeadComment)...)
	foot = append(commentLines(e.Key.FootComment), commentLines(e.Value.FootComment)...)
	return head, foot
}

func (g *importer) structHeader(e *lang.YAMLEntry) {
	if e == nil {
		g.header.text = "regimen null"
		return
	}
	if h := g.headOf(e.Key); len(h) > 0 {
		if len(g.header.head) > 0 {
			g.header.head = append(g.header.head, "")
		}
		g.header.head = append(g.header.head, h...)
	}
	g.header.line = joinLine(lineOf(e.Key), lineOf(e.Value))
	v := g.val(e.Value)
	switch v.Kind {
	case Null:
		g.header.text = "regimen null"
	case String:
		if m := versionedName.FindStringSubmatch(v.Str); m != nil && !importKeywords[m[1]] && semverRE.MatchString(m[2]) {
			g.header.text = "regimen " + m[1] + " version " + m[2]
		} else {
			g.header.text = "regimen " + lang.Quote(v.Str)
		}
	default:
		g.unsupported(e.Value, "the regimen's name is %s; a name is a string (or null)", describeValue(v))
	}
}

func (g *importer) structStages(n *lang.YAMLNode) {
	if n.IsNull() {
		g.nullSections = append(g.nullSections, "stages")
		return
	}
	t := n.Target()
	if t == nil || t.Kind != lang.YAMLMapping || t.Tag != "!!map" {
		g.unsupported(n, "stages is a mapping from stage names to stages, not a %s", describeYAML(n))
		return
	}
	for _, w := range g.mappingWrites(t) {
		g.structStage(w)
	}
}

func (g *importer) structStage(w write) {
	name := w.key
	st := &impStage{name: name}
	if w.keyNode != nil {
		st.head = g.headOf(w.keyNode)
		st.line = lineOf(w.keyNode)
	}
	body := w.val.Target()
	if body == nil || body.Kind != lang.YAMLMapping || body.Tag != "!!map" {
		g.unsupported(w.val, "stage %s is %s; a stage is a mapping with script, script_md5 and parameters", name, describeYAML(w.val))
		return
	}
	st.head = append(st.head, g.headOf(w.val)...)
	st.foot = append(g.footOf(w.keyNode), g.footOf(w.val)...)
	st.line = joinLine(st.line, lineOf(w.val))
	var urlN, md5N, paramsN, paramsKey *lang.YAMLNode
	for _, e := range body.Entries() {
		key, _ := e.KeyValue.(string)
		switch key {
		case "script":
			urlN = e.Value
		case "script_md5":
			md5N = e.Value
		case "parameters":
			paramsN, paramsKey = e.Value, e.Key
		default:
			g.unsupported(e.Key, "stage %s has the key %s; a stage has only script, script_md5 and parameters", name, jsonKey(e.KeyValue))
			continue
		}
		if key != "parameters" && !e.Merged {
			st.head = append(st.head, g.commentsOf(e.Key)...)
			st.head = append(st.head, g.commentsOf(e.Value)...)
		}
	}
	var url, md5 string
	md5Null := false
	if urlN != nil {
		v := g.val(urlN)
		if v.Kind != String {
			g.unsupported(urlN, "the script of stage %s is %s; a script is a string (its URL)", name, describeValue(v))
			return
		}
		url = v.Str
	}
	if md5N != nil {
		v := g.val(md5N)
		if v.Kind != String && v.Kind != Null {
			g.unsupported(md5N, "the script_md5 of stage %s is %s; an md5 is a string (or null)", name, describeValue(v))
			return
		}
		if urlN == nil {
			g.unsupported(md5N, "stage %s has a script_md5 but no script", name)
			return
		}
		md5, md5Null = v.Str, v.Kind == Null
	}
	if paramsN == nil {
		g.unsupported(w.val, "stage %s has no parameters; in the language every stage has parameters (at least its own name)", name)
		return
	}
	pv := g.val(paramsN)
	if pv.Kind != Map {
		g.unsupported(paramsN, "the parameters of stage %s are %s; parameters are a mapping", name, describeValue(pv))
		return
	}
	if _, ok := pv.Get("stage"); !ok {
		g.unsupported(paramsN, "the parameters of stage %s have no stage key; the compiler always writes parameters.stage", name)
		return
	}
	st.params = paramsN
	if paramsKey != nil {
		// the comments of `parameters:` and of its value's first line
		st.pHead = append(g.headOf(paramsKey), g.headOf(paramsN)...)
		st.pLine = joinLine(lineOf(paramsKey), lineOf(paramsN))
	}
	if urlN != nil {
		st.script = g.script(url, md5, md5Null, urlN, md5N)
	}
	g.stages = append(g.stages, st)
}

// script returns the script declaration for a URL and md5 pair.
func (g *importer) script(url, md5 string, md5Null bool, urlN, md5N *lang.YAMLNode) *impScript {
	key := impScriptKey{url, md5, md5Null}
	s := g.scriptOf[key]
	if s == nil {
		s = &impScript{url: url, md5: md5, md5Null: md5Null, urlNode: urlN, md5Node: md5N}
		g.scriptOf[key] = s
		g.scripts = append(g.scripts, s)
	}
	for _, n := range []*lang.YAMLNode{urlN, md5N} {
		if n == nil {
			continue
		}
		if t := n.Target(); t != nil && t.Anchor != "" && g.scriptAnchors[t] == nil {
			g.scriptAnchors[t] = s
		}
	}
	return s
}

func (g *importer) structTransitions(n *lang.YAMLNode) {
	if n.IsNull() {
		g.nullSections = append(g.nullSections, "transitions")
		return
	}
	t := n.Target()
	if t == nil || t.Kind != lang.YAMLSequence || t.Tag != "!!seq" {
		g.unsupported(n, "transitions is a list, not a %s", describeYAML(n))
		return
	}
	for _, item := range t.Items {
		g.structTransition(item)
	}
}

func (g *importer) structTransition(item *lang.YAMLNode) {
	m := item.Target()
	if m == nil || m.Kind != lang.YAMLMapping || m.Tag != "!!map" {
		g.unsupported(item, "a transition is a mapping with trigger, source and dest, not a %s", describeYAML(item))
		return
	}
	tr := &impTrans{}
	tr.head, tr.line, tr.foot = g.gather(item)
	given := map[string]bool{}
	for _, e := range m.Entries() {
		key, _ := e.KeyValue.(string)
		v := g.val(e.Value)
		switch key {
		case "trigger", "source", "dest":
			if v.Kind != String {
				g.unsupported(e.Value, "a transition's %s is %s; it is a string", key, describeValue(v))
				return
			}
			given[key] = true
			switch key {
			case "trigger":
				tr.trigger = v.Str
			case "source":
				tr.source = v.Str
			default:
				tr.dest = v.Str
			}
		case "conditions", "unless":
			list, form, ok := criteriaList(v)
			if !ok {
				g.unsupported(e.Value, "%s is %s; it is a criterion name or a list of them", key, describeValue(v))
				return
			}
			if key == "conditions" {
				tr.when, tr.whenForm = list, form
			} else {
				tr.unless, tr.unlessForm = list, form
			}
		default:
			g.unsupported(e.Key, "a transition has the key %s; a transition has trigger, source, dest, conditions and unless", jsonKey(e.KeyValue))
			return
		}
	}
	for _, k := range []string{"trigger", "source", "dest"} {
		if !given[k] {
			g.unsupported(item, "this transition has no %s", k)
			return
		}
	}
	if !identRE.MatchString(tr.trigger) || langKeywords[tr.trigger] {
		g.unsupported(item, "trigger %q is not an identifier; the language names triggers with identifiers", tr.trigger)
		return
	}
	if tr.trigger != "progress" && tr.trigger != "manual" && !g.trigSeen[tr.trigger] {
		g.trigSeen[tr.trigger] = true
		g.triggers = append(g.triggers, tr.trigger)
	}
	for _, c := range append(append([]string(nil), tr.when...), tr.unless...) {
		if !g.critSeen[c] {
			g.critSeen[c] = true
			g.criteria = append(g.criteria, c)
		}
	}
	g.trans = append(g.trans, tr)
}

// ---------------------------------------------------------------------
// Declarations: which anchored nodes get names.

// collect finds the nodes that need declarations: every anchored node that
// is aliased where a value is written (parameters, constants, merge
// sources), and every top-level key other than name, stages and
// transitions, except the holders of script URLs and md5s, which the script
// declarations replace.
func (g *importer) collect() {
	for _, st := range g.stages {
		g.walkValue(st.params)
	}
	for _, e := range g.extras {
		t := e.Value.Target()
		if e.Value.Kind != lang.YAMLAlias && t != nil && t.Kind == lang.YAMLScalar && g.scriptAnchors[t] != nil {
			continue // a script's URL or md5: decided below
		}
		g.walkValue(e.Value)
	}
	paired := g.pairScripts()
	for _, e := range g.extras {
		t := e.Value.Target()
		if paired[e.Key] {
			continue
		}
		absorbed := e.Value.Kind != lang.YAMLAlias && t != nil && t.Kind == lang.YAMLScalar && g.scriptAnchors[t] != nil && g.decls[t] == nil
		if absorbed {
			s := g.scriptAnchors[t]
			s.head = append(s.head, g.commentsOf(e.Key)...)
			s.head = append(s.head, g.commentsOf(e.Value)...)
			continue
		}
		var d *impDecl
		if e.Value.Kind != lang.YAMLAlias && t != nil && t.Anchor != "" {
			d = g.need(t)
		} else {
			d = &impDecl{node: e.Value}
			g.declList = append(g.declList, d)
		}
		d.holder = e.Key
		d.pos = e.Key.Range.Start.Offset
		d.head = append(g.headOf(e.Key), g.headOf(e.Value)...)
		d.line = joinLine(lineOf(e.Key), lineOf(e.Value))
		d.foot = append(g.footOf(e.Key), g.footOf(e.Value)...)
	}
	// parameter sets: what stages use as parameters, and their merge
	// sources; every other declaration is a constant
	seen := map[*lang.YAMLNode]bool{}
	var mark func(n *lang.YAMLNode)
	mark = func(n *lang.YAMLNode) {
		t := n.Target()
		if t == nil || seen[t] || t.Kind != lang.YAMLMapping {
			return
		}
		seen[t] = true
		if d := g.decls[t]; d != nil {
			d.params = true
		}
		for _, p := range t.Pairs {
			if !p.Key.IsMergeKey() {
				continue
			}
			v := p.Value.Target()
			if v == nil {
				continue
			}
			if v.Kind == lang.YAMLSequence && p.Value.Kind != lang.YAMLAlias {
				for _, it := range v.Items {
					mark(it)
				}
			} else {
				mark(p.Value)
			}
		}
	}
	for _, st := range g.stages {
		mark(st.params)
	}
	// a mapping that overrides a parameter set is a parameter set too
	for changed := true; changed; {
		changed = false
		for _, d := range g.declList {
			if d.params || d.node.Kind != lang.YAMLMapping {
				continue
			}
			for _, src := range mergeSources(d.node) {
				if b := g.decls[src.Target()]; b != nil && b.params {
					d.params, changed = true, true
					break
				}
			}
		}
	}
	for _, d := range g.declList {
		if d.holder != nil && d.node.Kind == lang.YAMLAlias {
			if t := g.decls[d.node.Target()]; t != nil && t.params {
				d.params = true
			}
		}
	}
}

// mergeSources are the nodes a mapping's merge keys name, in written order.
func mergeSources(m *lang.YAMLNode) []*lang.YAMLNode {
	var out []*lang.YAMLNode
	for _, p := range m.Pairs {
		if !p.Key.IsMergeKey() {
			continue
		}
		v := p.Value.Target()
		if v == nil {
			continue
		}
		if v.Kind == lang.YAMLSequence && p.Value.Kind != lang.YAMLAlias {
			out = append(out, v.Items...)
		} else {
			out = append(out, p.Value)
		}
	}
	return out
}

// pairScripts finds the script URL and md5 that no stage uses: two
// top-level keys holding strings that nothing aliases, named X and X_md5
// (by anchor or key), with a URL that is not empty. They become a script
// declaration (which check reports as unused) rather than two constants.
// It returns the keys it consumed.
func (g *importer) pairScripts() map[*lang.YAMLNode]bool {
	type holder struct {
		e    lang.YAMLEntry
		name string
		s    string
	}
	var free []holder
	byName := map[string]int{}
	for _, e := range g.extras {
		t := e.Value.Target()
		if e.Value.Kind == lang.YAMLAlias || t == nil || t.Kind != lang.YAMLScalar || g.decls[t] != nil || g.scriptAnchors[t] != nil {
			continue
		}
		v := g.val(t)
		if v.Kind != String {
			continue
		}
		name := t.Anchor
		if name == "" {
			name = jsonKey(e.Key.Construct())
		}
		name = sanitize(name)
		if _, dup := byName[name]; dup {
			continue
		}
		byName[name] = len(free)
		free = append(free, holder{e, name, v.Str})
	}
	out := map[*lang.YAMLNode]bool{}
	for _, h := range free {
		if !strings.HasSuffix(h.name, "_md5") {
			continue
		}
		i, ok := byName[strings.TrimSuffix(h.name, "_md5")]
		if !ok || free[i].s == "" || out[free[i].e.Key] {
			continue
		}
		u := free[i]
		s := &impScript{url: u.s, md5: h.s, urlNode: u.e.Value, md5Node: h.e.Value}
		s.head = append(append(g.commentsOf(u.e.Key), g.commentsOf(u.e.Value)...), append(g.commentsOf(h.e.Key), g.commentsOf(h.e.Value)...)...)
		g.scripts = append(g.scripts, s)
		out[u.e.Key], out[h.e.Key] = true, true
	}
	return out
}

// need returns the declaration of an anchored node, making it.
func (g *importer) need(t *lang.YAMLNode) *impDecl {
	if d := g.decls[t]; d != nil {
		return d
	}
	d := &impDecl{node: t, pos: t.Range.Start.Offset}
	g.decls[t] = d
	g.declList = append(g.declList, d)
	return d
}

// walkValue finds the aliases in a value that will be written.
func (g *importer) walkValue(n *lang.YAMLNode) {
	if n == nil {
		return
	}
	t := n.Target()
	if t == nil {
		return
	}
	if n.Kind == lang.YAMLAlias {
		g.need(t)
	}
	if g.walked[t] {
		return
	}
	g.walked[t] = true
	switch t.Kind {
	case lang.YAMLSequence:
		for _, it := range t.Items {
			g.walkValue(it)
		}
	case lang.YAMLMapping:
		for _, p := range t.Pairs {
			if p.Key.IsMergeKey() {
				v := p.Value.Target()
				if v != nil && v.Kind == lang.YAMLSequence && p.Value.Kind != lang.YAMLAlias {
					for _, it := range v.Items {
						g.walkValue(it)
					}
					continue
				}
			}
			g.walkValue(p.Value)
		}
	}
}

// ---------------------------------------------------------------------
// Names.

var (
	nonWord    = regexp.MustCompile(`[^A-Za-z0-9_]+`)
	underscore = regexp.MustCompile(`__+`)
)

// sanitize turns an anchor or key into an identifier.
func sanitize(s string) string {
	s = nonWord.ReplaceAllString(s, "_")
	s = underscore.ReplaceAllString(s, "_")
	s = strings.Trim(s, "_")
	if s == "" {
		return "value"
	}
	if s[0] >= '0' && s[0] <= '9' {
		s = "_" + s
	}
	return s
}

// unique returns name, or name_2, name_3, ... whichever is free, and takes it.
func (g *importer) unique(name string) string {
	if importKeywords[name] {
		name += "_"
	}
	out := name
	for i := 2; g.used[out]; i++ {
		out = fmt.Sprintf("%s_%d", name, i)
	}
	g.used[out] = true
	return out
}

func trimSuffixes(s string, suffixes ...string) string {
	for _, suf := range suffixes {
		if strings.HasSuffix(s, suf) && len(s) > len(suf) {
			return strings.TrimSuffix(s, suf)
		}
	}
	return s
}

func anchorOf(n *lang.YAMLNode) string {
	if n == nil {
		return ""
	}
	if t := n.Target(); t != nil {
		return t.Anchor
	}
	return ""
}

func (g *importer) nameAll() {
	for _, s := range g.scripts {
		var base string
		switch {
		case anchorOf(s.urlNode) != "":
			base = sanitize(trimSuffixes(sanitize(anchorOf(s.urlNode)), "_script_url", "_script", "_url"))
		case anchorOf(s.md5Node) != "":
			base = sanitize(trimSuffixes(sanitize(anchorOf(s.md5Node)), "_script_md5", "_md5"))
		default:
			u := s.url
			if i := strings.IndexAny(u, "?#"); i >= 0 {
				u = u[:i]
			}
			u = strings.TrimRight(u, "/")
			if i := strings.LastIndexAny(u, "/\\"); i >= 0 {
				u = u[i+1:]
			}
			if i := strings.LastIndexByte(u, '.'); i > 0 {
				u = u[:i]
			}
			base = sanitize(u)
			if base == "value" {
				base = "script"
			}
		}
		s.name = g.unique(base)
	}
	sort.SliceStable(g.declList, func(i, j int) bool { return g.declList[i].pos < g.declList[j].pos })
	for _, d := range g.declList {
		var base string
		if d.node.Kind != lang.YAMLAlias && d.node.Anchor != "" {
			base = d.node.Anchor
		} else if d.holder != nil {
			base = jsonKey(d.holder.Construct())
		}
		d.name = g.unique(sanitize(base))
	}
}

// ---------------------------------------------------------------------
// Values.

// write is one `key: value` the source gives a record, in order.
type write struct {
	key     string
	keyNode *lang.YAMLNode // nil for an entry that comes from a merge
	val     *lang.YAMLNode
}

// mappingWrites lists the entries a mapping's record writes when it has no
// base: merged entries first, in PyYAML's order, then the mapping's own
// pairs as written (a key written twice is written twice). Keys are the
// strings json.dumps writes.
func (g *importer) mappingWrites(m *lang.YAMLNode) []write {
	entries := m.Entries()
	keyOf := map[*lang.YAMLNode]string{}
	var out []write
	for _, e := range entries {
		k := jsonKey(e.KeyValue)
		if e.Merged {
			out = append(out, write{key: k, val: e.Value})
			continue
		}
		keyOf[e.Key] = k
		for _, s := range e.Shadowed {
			keyOf[s.Key] = k
		}
	}
	for _, p := range m.Pairs {
		if p.Key.IsMergeKey() {
			continue
		}
		k, ok := keyOf[p.Key]
		if !ok {
			continue
		}
		out = append(out, write{key: k, keyNode: p.Key, val: p.Value})
	}
	return out
}

// fold applies writes to a record the way the language's overrides do: a
// key replaces the base's value in place, a new key goes last.
func (g *importer) fold(base Value, writes []write) Value {
	out := make([]Field, len(base.Map), len(base.Map)+len(writes))
	copy(out, base.Map)
	index := make(map[string]int, cap(out))
	for i, f := range out {
		index[f.Key] = i
	}
	for _, w := range writes {
		v := g.val(w.val)
		if i, ok := index[w.key]; ok {
			out[i].Value = v
			continue
		}
		index[w.key] = len(out)
		out = append(out, Field{w.key, v})
	}
	return MapValue(out...)
}

// recordPlan is how a mapping is written: a base (a declared name) or
// none, and the writes on top of it.
type recordPlan struct {
	base   *impDecl
	writes []write
	// literal: the mapping is written from its value (no references, no
	// comments); a fallback that is always exact
	literal bool
}

// planMapping chooses how to write mapping m: with one of its merge sources
// as the base when that is declared (the one that leaves the fewest
// overrides), else as a plain record. The plan is checked against the
// value PyYAML constructs.
func (g *importer) planMapping(m *lang.YAMLNode) recordPlan {
	want := g.val(m)
	var cands []*impDecl
	for _, src := range mergeSources(m) {
		if d := g.decls[src.Target()]; d != nil {
			cands = append(cands, d)
		}
	}
	own := g.mappingWrites(m)
	var merged, explicit []write
	for _, w := range own {
		if w.keyNode == nil {
			merged = append(merged, w)
		} else {
			explicit = append(explicit, w)
		}
	}
	var best *recordPlan
	for _, d := range cands {
		base := g.val(d.node)
		if base.Kind != Map {
			continue
		}
		var ws []write
		for _, w := range merged {
			if b, ok := base.Get(w.key); ok && Equal(b, g.val(w.val)) {
				continue
			}
			ws = append(ws, w)
		}
		ws = append(ws, explicit...)
		if (best == nil || len(ws) < len(best.writes)) && Equal(g.fold(base, ws), want) {
			best = &recordPlan{base: d, writes: ws}
		}
	}
	switch {
	case best != nil:
		return *best
	case Equal(g.fold(MapValue(), own), want):
		return recordPlan{writes: own}
	}
	return recordPlan{literal: true}
}

// expr is the source for a value node: a reference to its declaration, a
// literal, a list, or a record.
func (g *importer) expr(n *lang.YAMLNode) *irValue {
	t := n.Target()
	if t == nil {
		return &irValue{lit: "null"}
	}
	if d := g.decls[t]; d != nil {
		if g.curDecl != nil && g.curDecl != d {
			g.curDecl.deps = append(g.curDecl.deps, d)
		}
		return &irValue{lit: d.name}
	}
	switch t.Kind {
	case lang.YAMLScalar:
		return g.literal(g.val(t), t)
	case lang.YAMLSequence:
		if t.Tag != "!!seq" {
			return g.literal(g.val(t), t)
		}
		out := &irValue{isList: true}
		for _, it := range t.Items {
			e := &irEntry{val: g.expr(it)}
			e.head, e.line, e.foot = g.headOf(it), lineOf(it), g.footOf(it)
			out.list = append(out.list, e)
		}
		return out
	default:
		if t.Tag != "!!map" {
			return g.literal(g.val(t), t)
		}
		return g.record(t, g.planMapping(t))
	}
}

// record writes a mapping by its plan.
func (g *importer) record(m *lang.YAMLNode, plan recordPlan) *irValue {
	if plan.literal {
		return g.literal(g.val(m), m)
	}
	out := &irValue{isRec: true}
	if plan.base != nil {
		out.lit = plan.base.name
		if g.curDecl != nil && g.curDecl != plan.base {
			g.curDecl.deps = append(g.curDecl.deps, plan.base)
		}
	}
	// comments on merge keys go to the first entry
	var pending []string
	for _, p := range m.Pairs {
		if p.Key.IsMergeKey() {
			pending = append(pending, g.commentsOf(p.Key)...)
			pending = append(pending, g.commentsOf(p.Value)...)
		}
	}
	for i, w := range plan.writes {
		e := &irEntry{key: keyText(w.key), val: g.expr(w.val)}
		if w.keyNode != nil {
			e.head = g.headOf(w.keyNode)
			e.line = joinLine(lineOf(w.keyNode), lineOf(w.val))
			e.head = append(e.head, g.headOf(w.val)...)
			e.foot = append(g.footOf(w.keyNode), g.footOf(w.val)...)
			e.blank = i > 0 && g.blankBefore(w.keyNode)
		}
		if len(pending) > 0 {
			e.head = append(pending, e.head...)
			pending = nil
		}
		out.entries = append(out.entries, e)
	}
	if len(pending) > 0 {
		out.foot = pending
	}
	return out
}

// literal writes a document value with no references.
func (g *importer) literal(v Value, at *lang.YAMLNode) *irValue {
	switch v.Kind {
	case Null:
		return &irValue{lit: "null"}
	case Bool:
		if v.Bool {
			return &irValue{lit: "true"}
		}
		return &irValue{lit: "false"}
	case Int:
		return &irValue{lit: v.Int.String()}
	case Float:
		switch {
		case math.IsInf(v.Float, -1):
			g.unsupported(at, "negative infinity (-.inf) has no spelling in the language")
			return &irValue{lit: "null"}
		case math.IsInf(v.Float, 1):
			return &irValue{lit: "inf"}
		case math.IsNaN(v.Float):
			return &irValue{lit: "nan"}
		}
		return &irValue{lit: PyFloat(v.Float)}
	case String:
		return &irValue{lit: lang.Quote(v.Str)}
	case List:
		out := &irValue{isList: true}
		for _, x := range v.List {
			out.list = append(out.list, &irEntry{val: g.literal(x, at)})
		}
		return out
	default:
		out := &irValue{isRec: true}
		for _, f := range v.Map {
			out.entries = append(out.entries, &irEntry{key: keyText(f.Key), val: g.literal(f.Value, at)})
		}
		return out
	}
}

// keyText writes a record key: bare when it is an identifier (keywords
// included: they may be keys), quoted otherwise.
func keyText(k string) string {
	if identRE.MatchString(k) {
		return k
	}
	return lang.Quote(k)
}

// nameText writes a stage or criterion name: bare when it is an identifier
// that is not a keyword, quoted otherwise.
func nameText(s string) string {
	if identRE.MatchString(s) && !langKeywords[s] && s != "when" && s != "unless" {
		return s
	}
	return lang.Quote(s)
}

// render builds the declarations' and stages' values.
func (g *importer) render() {
	// values the legacy build could not convert (timestamps, binary, sets)
	for _, d := range g.lbDiag {
		if d.Code == lang.CodeTypeMismatch && strings.Contains(d.Message, "cannot be written as JSON") {
			g.diags.Errorf(lang.CodeUnsupported, d.Range, "regc import cannot write this in the language: %s", d.Message)
		}
	}
	for _, d := range g.declList {
		g.curDecl = d
		if d.node.Kind == lang.YAMLAlias {
			d.value = g.expr(d.node)
		} else {
			d.value = g.exprSelf(d.node)
		}
		if d.params && g.val(d.node).Kind != Map {
			d.params = false
		}
	}
	g.curDecl = nil
	for _, st := range g.stages {
		g.renderStage(st)
	}
}

// exprSelf writes a declaration's own node (not a reference to itself).
func (g *importer) exprSelf(t *lang.YAMLNode) *irValue {
	switch {
	case t.Kind == lang.YAMLMapping && t.Tag == "!!map":
		return g.record(t, g.planMapping(t))
	case t.Kind == lang.YAMLSequence && t.Tag == "!!seq":
		saved := g.decls[t]
		delete(g.decls, t)
		v := g.expr(t)
		g.decls[t] = saved
		return v
	default:
		return g.literal(g.val(t), t)
	}
}

// renderStage writes a stage's parameters: `stage:` is left out where it
// names the stage itself (the compiler fills it in), and kept where it does
// not (a defect that check reports).
func (g *importer) renderStage(st *impStage) {
	t := st.params.Target()
	legacy := g.val(st.params)
	if d := g.decls[t]; d != nil {
		st.value = &irValue{lit: d.name}
		return
	}
	if t.Tag != "!!map" {
		st.value = g.literal(legacy, t)
		return
	}
	plan := g.planMapping(t)
	if plan.literal {
		st.value = g.literal(legacy, t)
		return
	}
	dropped := g.dropStage(st, &plan, legacy)
	st.value = g.record(t, plan)
	if dropped != nil {
		carried := append(g.commentsOf(dropped.keyNode), g.commentsOf(dropped.val)...)
		if len(carried) > 0 {
			if len(st.value.entries) > 0 {
				st.value.entries[0].head = append(carried, st.value.entries[0].head...)
			} else {
				st.pHead = append(st.pHead, carried...)
			}
		}
	}
	if st.value.lit == "" && len(st.value.entries) == 0 && len(st.value.foot) == 0 {
		st.value = nil // the compiler writes {stage: NAME}
	}
}

// dropStage leaves `stage: NAME` out of a stage's parameters when it is the
// only write of stage, names the stage itself, and the parameters mean the
// same without it (the compiler fills it in). It returns the write left out.
func (g *importer) dropStage(st *impStage, plan *recordPlan, legacy Value) *write {
	idx := -1
	for i, w := range plan.writes {
		if w.key == "stage" {
			if idx >= 0 {
				return nil // written twice: a defect, kept as written
			}
			idx = i
		}
	}
	if idx < 0 {
		return nil
	}
	w := plan.writes[idx]
	if v := g.val(w.val); v.Kind != String || v.Str != st.name {
		return nil
	}
	base := MapValue()
	if plan.base != nil {
		base = g.val(plan.base.node)
	}
	ws := append(append([]write(nil), plan.writes[:idx]...), plan.writes[idx+1:]...)
	got := g.fold(base, ws)
	if _, ok := got.Get("stage"); !ok {
		got = got.Set("stage", StringValue(st.name))
	}
	if !Equal(got, legacy) {
		return nil
	}
	plan.writes = ws
	return &w
}

// ---------------------------------------------------------------------
// Comments.

// commentLines turns YAML comment text into source comment lines: `# x`
// becomes `// x`; an empty line stays a blank line.
func commentLines(text string) []string {
	if text == "" {
		return nil
	}
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			out = append(out, "")
			continue
		}
		l = strings.TrimPrefix(l, "#")
		if l != "" && l[0] != ' ' && l[0] != '\t' {
			l = " " + l
		}
		out = append(out, "//"+strings.TrimRight(l, " \t"))
	}
	// no blank lines at the ends of a comment block
	for len(out) > 0 && out[0] == "" {
		out = out[1:]
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// headOf is a node's head comment (unless it is written elsewhere).
func (g *importer) headOf(n *lang.YAMLNode) []string {
	if n == nil || g.taken[n] {
		return nil
	}
	return commentLines(n.HeadComment)
}

func (g *importer) footOf(n *lang.YAMLNode) []string {
	if n == nil {
		return nil
	}
	return commentLines(n.FootComment)
}

// lineOf is a node's line comment, as one source comment.
func lineOf(n *lang.YAMLNode) string {
	if n == nil || n.LineComment == "" {
		return ""
	}
	ls := commentLines(n.LineComment)
	var parts []string
	for _, l := range ls {
		if l != "" {
			parts = append(parts, strings.TrimSpace(strings.TrimPrefix(l, "//")))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "// " + strings.Join(parts, "; ")
}

func joinLine(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + strings.TrimSpace(strings.TrimPrefix(b, "//"))
}

// commentsOf is every comment of one node (not its children), as lines.
func (g *importer) commentsOf(n *lang.YAMLNode) []string {
	if n == nil {
		return nil
	}
	out := g.headOf(n)
	if l := lineOf(n); l != "" {
		out = append(out, l)
	}
	return append(out, commentLines(n.FootComment)...)
}

// gather collects every comment in a subtree that is written on one line
// (a transition): head comments before it, line comments after it, foot
// comments below it.
func (g *importer) gather(n *lang.YAMLNode) (head []string, line string, foot []string) {
	var walk func(n *lang.YAMLNode, depth int)
	walk = func(n *lang.YAMLNode, depth int) {
		if n == nil || depth > 50 {
			return
		}
		head = append(head, commentLines(n.HeadComment)...)
		line = joinLine(line, lineOf(n))
		if n.Kind != lang.YAMLAlias {
			for _, it := range n.Items {
				walk(it, depth+1)
			}
			for _, p := range n.Pairs {
				walk(p.Key, depth+1)
				walk(p.Value, depth+1)
			}
		}
		foot = append(foot, commentLines(n.FootComment)...)
	}
	walk(n, 0)
	return head, line, foot
}

// blankBefore reports whether the YAML has a blank line before a key (and
// its head comment).
func (g *importer) blankBefore(key *lang.YAMLNode) bool {
	l := key.Range.Start.Line - 1
	if key.HeadComment != "" {
		l -= len(strings.Split(key.HeadComment, "\n"))
	}
	if l < 1 || l > len(g.lines) {
		return false
	}
	return strings.TrimSpace(g.lines[l-1]) == ""
}
