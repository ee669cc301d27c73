package legacy

// The import's first step: the header, the stages and the transitions.

import (
	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
	"github.com/regc/regc/legacy/yaml"
)

// outline is the file's structure as the source writes it: the header,
// the stages, the transitions, the top-level keys that are none of these,
// and the criteria and triggers the transitions name.
type outline struct {
	header impHeader
	taken  map[*yaml.Node]bool // head comments already written elsewhere
	extras []yaml.Entry
	stages []*impStage
	trans  []*impTrans
	// nullSections are "stages" and "transitions" when the file gives
	// them as null (an empty key): written `stages null`
	nullSections []string
	// comments on the stages and transitions keys: before the first and
	// after the last
	stageHd, stageFt []string
	transHd, transFt []string

	criteria []string
	critSeen map[string]bool
	triggers []string
	trigSeen map[string]bool
}

type impHeader struct {
	text string // the declaration
	head []string
	line string
}

type impStage struct {
	name   string
	script *impScript
	params *yaml.Node // the parameters value node
	value  *irValue   // nil: no `params:` entry
	head   []string
	line   string
	pHead  []string // comments for the params entry
	pLine  string
	foot   []string
}

type impTrans struct {
	trigger, source, dest string
	when, unless          []string
	whenForm, unlessForm  compiler.CriteriaForm
	head, foot            []string
	line                  string
}

func (g *importer) structure() {
	doc := g.root.Target()
	if doc == nil || doc.Kind != yaml.Mapping {
		g.unsupported(g.root, "a regimen.yml is a mapping with name, stages and transitions; this document is a %s", describeYAML(g.root))
		return
	}
	var nameE, stagesE, transE *yaml.Entry
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
	for _, e := range []*yaml.Entry{nameE, stagesE, transE} {
		if e != nil && expandedSize(e.Value, map[*yaml.Node]int{}) > maxExpanded {
			g.unsupported(e.Value, "%s expands, through its aliases, to more than %d values", jsonKey(e.KeyValue), maxExpanded)
			return
		}
	}
	g.header.head = commentLines(g.root.HeadComment())
	// a comment that opens the file right above an anchor holder (yaml.v3
	// gives the document a head comment only when a blank line follows it)
	// is the file's: the holders are regrouped, so it would describe the
	// wrong thing
	if len(doc.Pairs()) > 0 && len(g.header.head) == 0 {
		k := doc.Pairs()[0].Key
		if first, ok := k.Construct().(string); k.HeadComment() != "" && (!ok || first != "name" && first != "stages" && first != "transitions") {
			g.header.head = commentLines(k.HeadComment())
			g.taken = map[*yaml.Node]bool{k: true}
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
// is a small file but a document no tool can write. It is the bound of
// the document the build writes.
const maxExpanded = compiler.MaxDocumentNodes

// expandedSize counts the values of n with its aliases expanded, stopping
// past maxExpanded.
func expandedSize(n *yaml.Node, memo map[*yaml.Node]int) int {
	t := n.Target()
	if t == nil {
		return 1
	}
	// only an anchored node can be reached twice (through its aliases), so
	// only those are remembered
	if t.Anchor() != "" {
		if v, ok := memo[t]; ok {
			return v
		}
		memo[t] = maxExpanded + 1 // a cycle guard; the reader makes none
	}
	size := 1
	for _, it := range t.Items() {
		size += expandedSize(it, memo)
		if size > maxExpanded {
			break
		}
	}
	for _, p := range t.Pairs() {
		size += expandedSize(p.Key, memo) + expandedSize(p.Value, memo)
		if size > maxExpanded {
			break
		}
	}
	if t.Anchor() != "" {
		memo[t] = size
	}
	return size
}

// sectionComments are the comments of the stages or transitions key: those
// before and on it, and those after it.
func (g *importer) sectionComments(e *yaml.Entry) (head, foot []string) {
	head = commentLines(e.Key.HeadComment())
	if l := joinLine(lineOf(e.Key), lineOf(e.Value)); l != "" {
		head = append(head, l)
	}
	head = append(head, commentLines(e.Value.HeadComment())...)
	foot = append(commentLines(e.Key.FootComment()), commentLines(e.Value.FootComment())...)
	return head, foot
}

func (g *importer) structHeader(e *yaml.Entry) {
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
	case compiler.Null:
		g.header.text = "regimen null"
	case compiler.String:
		if base, version, ok := compiler.SplitVersionedName(v.Str); ok && !reservedName(base) {
			g.header.text = "regimen " + base + " version " + version
		} else {
			g.header.text = "regimen " + lang.Quote(v.Str)
		}
	default:
		g.unsupported(e.Value, "the regimen's name is %s; a name is a string (or null)", describeValue(v))
	}
}

func (g *importer) structStages(n *yaml.Node) {
	if n.IsNull() {
		g.nullSections = append(g.nullSections, "stages")
		return
	}
	t := n.Target()
	if t == nil || t.Kind != yaml.Mapping || t.Tag() != "!!map" {
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
	if body == nil || body.Kind != yaml.Mapping || body.Tag() != "!!map" {
		g.unsupported(w.val, "stage %s is %s; a stage is a mapping with script, script_md5 and parameters", name, describeYAML(w.val))
		return
	}
	st.head = append(st.head, g.headOf(w.val)...)
	st.foot = append(g.footOf(w.keyNode), g.footOf(w.val)...)
	st.line = joinLine(st.line, lineOf(w.val))
	sf := readStage(body, g.val)
	for _, f := range sf.fields {
		if !f.known {
			g.unsupported(f.entry.Key, "stage %s has the key %s; a stage has only script, script_md5 and parameters", name, f.key)
			continue
		}
		if f.key != "parameters" && !f.entry.Merged {
			st.head = append(st.head, g.commentsOf(f.entry.Key)...)
			st.head = append(st.head, g.commentsOf(f.entry.Value)...)
		}
	}
	var url, md5 string
	var urlN, md5N *yaml.Node
	md5Null := false
	if f := sf.script; f != nil {
		if !f.ok {
			g.unsupported(f.entry.Value, "the script of stage %s is %s; a script is a string (its URL)", name, describeValue(f.value))
			return
		}
		url, urlN = f.value.Str, f.entry.Value
	}
	if f := sf.md5; f != nil {
		if !f.ok {
			g.unsupported(f.entry.Value, "the script_md5 of stage %s is %s; an md5 is a string (or null)", name, describeValue(f.value))
			return
		}
		if urlN == nil {
			g.unsupported(f.entry.Value, "stage %s has a script_md5 but no script", name)
			return
		}
		md5, md5Null, md5N = f.value.Str, f.value.Kind == compiler.Null, f.entry.Value
	}
	if sf.params == nil {
		g.unsupported(w.val, "stage %s has no parameters; in the language every stage has parameters (at least its own name)", name)
		return
	}
	paramsN, paramsKey := sf.params.entry.Value, sf.params.entry.Key
	if !sf.params.ok {
		g.unsupported(paramsN, "the parameters of stage %s are %s; parameters are a mapping", name, describeValue(sf.params.value))
		return
	}
	if _, ok := sf.params.value.Get("stage"); !ok {
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
func (g *importer) script(url, md5 string, md5Null bool, urlN, md5N *yaml.Node) *impScript {
	key := impScriptKey{url, md5, md5Null}
	s := g.scriptOf[key]
	if s == nil {
		s = &impScript{url: url, md5: md5, md5Null: md5Null, urlNode: urlN, md5Node: md5N}
		g.scriptOf[key] = s
		g.scripts = append(g.scripts, s)
	}
	for _, n := range []*yaml.Node{urlN, md5N} {
		if n == nil {
			continue
		}
		if t := n.Target(); t != nil && t.Anchor() != "" && g.scriptAnchors[t] == nil {
			g.scriptAnchors[t] = s
		}
	}
	return s
}

func (g *importer) structTransitions(n *yaml.Node) {
	if n.IsNull() {
		g.nullSections = append(g.nullSections, "transitions")
		return
	}
	t := n.Target()
	if t == nil || t.Kind != yaml.Sequence || t.Tag() != "!!seq" {
		g.unsupported(n, "transitions is a list, not a %s", describeYAML(n))
		return
	}
	for _, item := range t.Items() {
		g.structTransition(item)
	}
}

func (g *importer) structTransition(item *yaml.Node) {
	m := item.Target()
	if m == nil || m.Kind != yaml.Mapping || m.Tag() != "!!map" {
		g.unsupported(item, "a transition is a mapping with trigger, source and dest, not a %s", describeYAML(item))
		return
	}
	tr := &impTrans{}
	tr.head, tr.line, tr.foot = g.gather(item)
	tf := readTransition(m, g.val)
	for _, f := range tf.fields {
		switch {
		case !f.known:
			g.unsupported(f.entry.Key, "a transition has the key %s; a transition has trigger, source, dest, conditions and unless", f.key)
			return
		case !f.ok && endpoint(f.key):
			g.unsupported(f.entry.Value, "a transition's %s is %s; it is a string", f.key, describeValue(f.value))
			return
		case !f.ok:
			g.unsupported(f.entry.Value, "%s is %s; it is a criterion name or a list of them", f.key, describeValue(f.value))
			return
		}
	}
	for _, k := range []string{"trigger", "source", "dest"} {
		if tf.node(k) == nil {
			g.unsupported(item, "this transition has no %s", k)
			return
		}
	}
	tr.trigger, tr.source, tr.dest = tf.trigger, tf.source, tf.dest
	tr.when, tr.whenForm, tr.unless, tr.unlessForm = tf.when, tf.whenForm, tf.unless, tf.unlessForm
	if !compiler.IsIdent(tr.trigger) || lang.IsKeyword(tr.trigger) {
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
