package legacy

// Declarations: which anchored nodes get names.

import (
	"strings"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/legacy/yaml"
)

// declarations are the value and script declarations the source writes.
type declarations struct {
	// value declarations: anchored nodes that are aliased where a value is
	// written, and the top-level keys that hold them
	decls    map[*yaml.Node]*impDecl
	declList []*impDecl
	walked   []bool          // by node ID
	used     map[string]bool // names taken in the value namespace
	curDecl  *impDecl        // the declaration being written

	scripts  []*impScript
	scriptOf map[impScriptKey]*impScript
	// script anchors: URL and md5 nodes used by stages' script fields
	scriptAnchors map[*yaml.Node]*impScript
}

// impDecl is a `let` or `params` declaration.
type impDecl struct {
	node   *yaml.Node // the value as written (an alias for `let x = y`)
	holder *yaml.Node // the top-level key that holds it, or nil
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
	urlNode  *yaml.Node
	md5Node  *yaml.Node
	head     []string
}

type impScriptKey struct {
	url, md5 string
	md5Null  bool
}

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
		if e.Value.Kind != yaml.Alias && t != nil && t.Kind == yaml.Scalar && g.scriptAnchors[t] != nil {
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
		absorbed := e.Value.Kind != yaml.Alias && t != nil && t.Kind == yaml.Scalar && g.scriptAnchors[t] != nil && g.decls[t] == nil
		if absorbed {
			s := g.scriptAnchors[t]
			s.head = append(s.head, g.commentsOf(e.Key)...)
			s.head = append(s.head, g.commentsOf(e.Value)...)
			continue
		}
		var d *impDecl
		if e.Value.Kind != yaml.Alias && t != nil && t.Anchor() != "" {
			d = g.need(t)
		} else {
			d = &impDecl{node: e.Value}
			g.declList = append(g.declList, d)
		}
		d.holder = e.Key
		d.pos = e.Key.Range().Start.Offset
		d.head = append(g.headOf(e.Key), g.headOf(e.Value)...)
		d.line = joinLine(lineOf(e.Key), lineOf(e.Value))
		d.foot = append(g.footOf(e.Key), g.footOf(e.Value)...)
	}
	// parameter sets: what stages use as parameters, and their merge
	// sources; every other declaration is a constant
	seen := map[*yaml.Node]bool{}
	var mark func(n *yaml.Node)
	mark = func(n *yaml.Node) {
		t := n.Target()
		if t == nil || seen[t] || t.Kind != yaml.Mapping {
			return
		}
		seen[t] = true
		if d := g.decls[t]; d != nil {
			d.params = true
		}
		for _, src := range mergeSources(t) {
			mark(src)
		}
	}
	for _, st := range g.stages {
		mark(st.params)
	}
	// a mapping that overrides a parameter set is a parameter set too
	for changed := true; changed; {
		changed = false
		for _, d := range g.declList {
			if d.params || d.node.Kind != yaml.Mapping {
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
		if d.holder != nil && d.node.Kind == yaml.Alias {
			if t := g.decls[d.node.Target()]; t != nil && t.params {
				d.params = true
			}
		}
	}
}

// mergeSources are the nodes a mapping's merge keys name, in written order.
func mergeSources(m *yaml.Node) []*yaml.Node {
	var out []*yaml.Node
	for _, p := range m.Pairs() {
		if !p.Key.IsMergeKey() {
			continue
		}
		v := p.Value.Target()
		if v == nil {
			continue
		}
		if v.Kind == yaml.Sequence && p.Value.Kind != yaml.Alias {
			out = append(out, v.Items()...)
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
func (g *importer) pairScripts() map[*yaml.Node]bool {
	type holder struct {
		e    yaml.Entry
		name string
		s    string
	}
	var free []holder
	byName := map[string]int{}
	for _, e := range g.extras {
		t := e.Value.Target()
		if e.Value.Kind == yaml.Alias || t == nil || t.Kind != yaml.Scalar || g.decls[t] != nil || g.scriptAnchors[t] != nil {
			continue
		}
		v := g.val(t)
		if v.Kind != compiler.String {
			continue
		}
		name := t.Anchor()
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
	out := map[*yaml.Node]bool{}
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
func (g *importer) need(t *yaml.Node) *impDecl {
	if d := g.decls[t]; d != nil {
		return d
	}
	d := &impDecl{node: t, pos: t.Range().Start.Offset}
	g.decls[t] = d
	g.declList = append(g.declList, d)
	return d
}

// walkValue finds the aliases in a value that will be written.
func (g *importer) walkValue(n *yaml.Node) {
	if n == nil {
		return
	}
	t := n.Target()
	if t == nil {
		return
	}
	if n.Kind == yaml.Alias {
		g.need(t)
	}
	if g.walked[t.ID()] {
		return
	}
	g.walked[t.ID()] = true
	switch t.Kind {
	case yaml.Sequence:
		for _, it := range t.Items() {
			g.walkValue(it)
		}
	case yaml.Mapping:
		for _, p := range t.Pairs() {
			if p.Key.IsMergeKey() {
				v := p.Value.Target()
				if v != nil && v.Kind == yaml.Sequence && p.Value.Kind != yaml.Alias {
					for _, it := range v.Items() {
						g.walkValue(it)
					}
					continue
				}
			}
			g.walkValue(p.Value)
		}
	}
}
