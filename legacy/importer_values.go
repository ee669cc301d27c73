package legacy

// Values: how each value node is written.

import (
	"github.com/regc/regc/internal/py"
	"math"
	"strings"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
	"github.com/regc/regc/legacy/yaml"
)

// write is one `key: value` the source gives a record, in order.
type write struct {
	key     string
	keyNode *yaml.Node // nil for an entry that comes from a merge
	val     *yaml.Node
}

// mappingWrites lists the entries a mapping's record writes when it has no
// base: merged entries first, in PyYAML's order, then the mapping's own
// pairs as written (a key written twice is written twice). Keys are the
// strings json.dumps writes.
func (g *importer) mappingWrites(m *yaml.Node) []write {
	entries, pairs := m.Entries(), m.Pairs()
	// the key of each own pair's node, for the pairs listed below
	type owned struct {
		node *yaml.Node
		key  string
	}
	keyOf := make([]owned, 0, len(pairs))
	out := make([]write, 0, len(entries)+len(pairs))
	for _, e := range entries {
		k := jsonKey(e.KeyValue)
		if e.Merged {
			out = append(out, write{key: k, val: e.Value})
			continue
		}
		keyOf = append(keyOf, owned{e.Key, k})
		for _, s := range e.Shadowed {
			keyOf = append(keyOf, owned{s.Key, k})
		}
	}
	var index map[*yaml.Node]string
	if len(keyOf) > smallRecord { // a scan per pair would be n*n/2 steps
		index = make(map[*yaml.Node]string, len(keyOf))
		for _, o := range keyOf {
			index[o.node] = o.key
		}
	}
	for _, p := range pairs {
		if p.Key.IsMergeKey() {
			continue
		}
		var k string
		ok := false
		if index != nil {
			k, ok = index[p.Key]
		} else {
			for _, o := range keyOf {
				if o.node == p.Key {
					k, ok = o.key, true
					break
				}
			}
		}
		if !ok {
			continue
		}
		out = append(out, write{key: k, keyNode: p.Key, val: p.Value})
	}
	return out
}

// fold applies writes to a record the way the language's overrides do: a
// key replaces the base's value in place, a new key goes last. The record
// is only compared, so it is built in one buffer for all of them
// (g.foldBuf), and holds until the next fold.
func (g *importer) fold(base compiler.Value, writes []write) compiler.Value {
	out := append(g.foldBuf[:0], base.Map...)
	find := func(key string) (int, bool) {
		for i := len(out) - 1; i >= 0; i-- { // the last of a repeated key
			if out[i].Key == key {
				return i, true
			}
		}
		return 0, false
	}
	if n := len(base.Map) + len(writes); n > smallRecord { // a scan per key would be n*n/2 steps
		index := make(map[string]int, n)
		for i, f := range out { // the last of a repeated key, as the scan finds it
			index[f.Key] = i
		}
		find = func(key string) (int, bool) {
			i, ok := index[key]
			if !ok {
				index[key] = len(out)
			}
			return i, ok
		}
	}
	for _, w := range writes {
		v := g.val(w.val)
		if i, ok := find(w.key); ok {
			out[i].Value = v
			continue
		}
		out = append(out, compiler.Field{Key: w.key, Value: v})
	}
	g.foldBuf = out
	return compiler.MapValue(out...)
}

// smallRecord is the size up to which a record's keys are found by a scan
// rather than an index.
const smallRecord = 32

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
func (g *importer) planMapping(m *yaml.Node) recordPlan {
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
		if base.Kind != compiler.Map {
			continue
		}
		var ws []write
		for _, w := range merged {
			if b, ok := base.Get(w.key); ok && compiler.Equal(b, g.val(w.val)) {
				continue
			}
			ws = append(ws, w)
		}
		ws = append(ws, explicit...)
		if (best == nil || len(ws) < len(best.writes)) && compiler.Equal(g.fold(base, ws), want) {
			best = &recordPlan{base: d, writes: ws}
		}
	}
	switch {
	case best != nil:
		return *best
	case compiler.Equal(g.fold(compiler.MapValue(), own), want):
		return recordPlan{writes: own}
	}
	return recordPlan{literal: true}
}

// expr is the source for a value node: a reference to its declaration, a
// literal, a list, or a record.
func (g *importer) expr(n *yaml.Node) *irValue {
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
	case yaml.Scalar:
		return g.literal(g.val(t), t)
	case yaml.Sequence:
		if t.Tag() != "!!seq" {
			return g.literal(g.val(t), t)
		}
		out := &irValue{isList: true}
		for _, it := range t.Items() {
			e := &irEntry{val: g.expr(it)}
			e.head, e.line, e.foot = g.headOf(it), lineOf(it), g.footOf(it)
			out.list = append(out.list, e)
		}
		return out
	default:
		if t.Tag() != "!!map" {
			return g.literal(g.val(t), t)
		}
		return g.record(t, g.planMapping(t))
	}
}

// record writes a mapping by its plan.
func (g *importer) record(m *yaml.Node, plan recordPlan) *irValue {
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
	for _, p := range m.Pairs() {
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
func (g *importer) literal(v compiler.Value, at *yaml.Node) *irValue {
	switch v.Kind {
	case compiler.Null:
		return &irValue{lit: "null"}
	case compiler.Bool:
		if v.Bool {
			return &irValue{lit: "true"}
		}
		return &irValue{lit: "false"}
	case compiler.Int:
		return &irValue{lit: v.Int.String()}
	case compiler.Float:
		switch {
		case math.IsInf(v.Float, -1):
			g.unsupported(at, "negative infinity (-.inf) has no spelling in the language")
			return &irValue{lit: "null"}
		case math.IsInf(v.Float, 1):
			return &irValue{lit: "inf"}
		case math.IsNaN(v.Float):
			return &irValue{lit: "nan"}
		}
		return &irValue{lit: py.Float(v.Float)}
	case compiler.String:
		return &irValue{lit: lang.Quote(v.Str)}
	case compiler.List:
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
	if compiler.IsIdent(k) {
		return k
	}
	return lang.Quote(k)
}

// nameText writes a stage or criterion name: bare when it is an identifier
// that is not a keyword, quoted otherwise.
func nameText(s string) string {
	if compiler.IsIdent(s) && !lang.IsKeyword(s) && s != "when" && s != "unless" {
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
		if d.node.Kind == yaml.Alias {
			d.value = g.expr(d.node)
		} else {
			d.value = g.exprSelf(d.node)
		}
		if d.params && g.val(d.node).Kind != compiler.Map {
			d.params = false
		}
	}
	g.curDecl = nil
	for _, st := range g.stages {
		g.renderStage(st)
	}
}

// exprSelf writes a declaration's own node (not a reference to itself).
func (g *importer) exprSelf(t *yaml.Node) *irValue {
	switch {
	case t.Kind == yaml.Mapping && t.Tag() == "!!map":
		return g.record(t, g.planMapping(t))
	case t.Kind == yaml.Sequence && t.Tag() == "!!seq":
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
	if t.Tag() != "!!map" {
		st.value = g.literal(legacy, t)
		return
	}
	plan := g.planMapping(t)
	if plan.literal {
		st.value = g.literal(legacy, t)
		return
	}
	dropped := g.dropStage(st, &plan)
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
func (g *importer) dropStage(st *impStage, plan *recordPlan) *write {
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
	if v := g.val(w.val); v.Kind != compiler.String || v.Str != st.name {
		return nil
	}
	// the plan folds to legacy (planMapping checked it), and w is its only
	// write of stage: without w, every other key folds to what it did, and
	// stage is the base's, or the stage's own name when the base has none
	// (the compiler fills it in); the records are equal, in any order,
	// exactly when that is the stage's name too
	if plan.base != nil {
		if b, ok := g.val(plan.base.node).Get("stage"); ok && !compiler.Equal(b, compiler.StringValue(st.name)) {
			return nil
		}
	}
	plan.writes = append(plan.writes[:idx:idx], plan.writes[idx+1:]...)
	return &w
}
