package legacy

import (
	"fmt"
	"github.com/regc/regc/internal/spell"
	"math/big"
	"strconv"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
	"github.com/regc/regc/legacy/yaml"
)

// Compile reads a legacy regimen.yml exactly as mtrain's tools did
// (PyYAML) and builds the same compiled model a .regimen gives, with the
// same checks: undefined stages, a stage's parameters naming another stage,
// duplicate, shadowed and unreachable transitions, and the reader's own
// findings (duplicate keys, duplicate anchors, undefined aliases).
func Compile(path string, opts *compiler.Options) *compiler.Result {
	read := compiler.ReadSource
	if opts != nil && opts.ReadFile != nil {
		read = opts.ReadFile
	}
	src, err := read(path)
	if err != nil {
		res := &compiler.Result{Sources: map[string][]byte{}}
		compiler.ReadFailure(&res.Diagnostics, path, err)
		return res
	}
	return CompileSource(path, src)
}

// CompileSource is Compile on a file's text.
func CompileSource(path string, src []byte) (res *compiler.Result) {
	res = &compiler.Result{Sources: map[string][]byte{path: src}}
	defer func() {
		if r := recover(); r != nil {
			res.Regimen = nil
			res.Diagnostics.Errorf(lang.CodeInternal, lang.Range{File: path}, "internal compiler error: %v (please report this with the input)", r)
		}
		res.Diagnostics = res.Diagnostics.Normalize()
	}()
	root, diags := yaml.ReadValues(path, src)
	if root == nil || diags.HasErrors() {
		res.Diagnostics = append(res.Diagnostics, diags...)
		return res
	}
	res.Diagnostics = append(res.Diagnostics, legacyKeyVerdicts(root, diags)...)
	b := &legacyBuilder{path: path, diags: &res.Diagnostics}
	res.Regimen = b.regimen(root)
	if res.Regimen != nil {
		compiler.LintTransitions(res.Regimen, &res.Diagnostics)
		markDeadEndsFinal(res.Regimen)
		compiler.LintGraph(res.Regimen, &res.Diagnostics)
	}
	return res
}

// markDeadEndsFinal takes the stages no transition leaves as final, in a
// regimen of more than one stage. A regimen.yml cannot declare a final
// stage, but a regimen that ran had its mice end on its dead ends (the
// ophys stages an operator moves mice from by hand among them), so they are
// read as final: the file and its import (which writes them `final stage`,
// see deadEnds) get one verdict, with no trap-stage warning on either.
func markDeadEndsFinal(reg *compiler.Regimen) {
	if len(reg.Stages) < 2 {
		return
	}
	leaves := map[string]bool{}
	for _, t := range reg.Transitions {
		if t.Dest != t.Source {
			leaves[t.Source] = true
		}
	}
	for _, s := range reg.Stages {
		if !leaves[s.Name] {
			s.Final = true
		}
	}
}

// legacyKeyVerdicts gives the reader's findings about keys the verdict the
// same defect has in .regimen source, so that a file and its import agree:
// a key written twice is an error (duplicate-key), and a stage written twice
// is a duplicate-stage error (PyYAML silently dropped the first). Keys that
// differ in YAML but that JSON writes alike (1 and "1") are written twice
// in the document, where mtrain keeps one: a duplicate-key error too.
func legacyKeyVerdicts(root *yaml.Node, diags lang.Diagnostics) lang.Diagnostics {
	var stages *yaml.Node
	for _, e := range root.Entries() {
		if e.KeyValue == "stages" {
			stages = e.Value.Target()
		}
	}
	var stageKeys map[lang.Range]string // made when a duplicate key needs it
	out := make(lang.Diagnostics, 0, len(diags))
	for _, d := range diags {
		if d.Code == lang.CodeDuplicateKey {
			d.Severity = lang.Error
			if stageKeys == nil {
				stageKeys = map[lang.Range]string{}
				if stages != nil && stages.Kind == yaml.Mapping {
					for _, p := range stages.Pairs() {
						stageKeys[p.Key.Range()] = p.Key.Value
					}
				}
			}
			if name, ok := stageKeys[d.Range]; ok {
				d.Code = lang.CodeDuplicateStage
				d.Message = fmt.Sprintf("stage %s is written twice; PyYAML silently dropped the first: rename or remove one", name)
			}
		}
		out = append(out, d)
	}
	seen := map[*yaml.Node]bool{}
	var keys []string // the JSON keys of the mappings being walked, a stack
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		n = n.Target()
		if n == nil || depth > 10000 {
			return
		}
		// only an anchored node can be reached twice (through its
		// aliases), so only those are remembered
		if n.Anchor() != "" {
			if seen[n] {
				return
			}
			seen[n] = true
		}
		for _, it := range n.Items() {
			walk(it, depth+1)
		}
		if n.Kind != yaml.Mapping {
			return
		}
		ents := n.Entries()
		base := len(keys)
		var first map[string]int // for a wide mapping; a narrow one is scanned
		if len(ents) > 16 {
			first = make(map[string]int, len(ents))
		}
		for i, e := range ents {
			walk(e.Value, depth+1)
			key := jsonKey(e.KeyValue)
			keys = append(keys[:base+i], key)
			j, dup := -1, false
			if first != nil {
				if j, dup = first[key]; !dup {
					first[key] = i
				}
			} else {
				for k := range i {
					if keys[base+k] == key {
						j, dup = k, true
						break
					}
				}
			}
			if !dup {
				continue
			}
			f := ents[j]
			at, other := e, f
			if e.Merged {
				at, other = f, e
			}
			if at.Merged || at.Key == nil || other.Key == nil {
				continue
			}
			code, what := lang.CodeDuplicateKey, "key"
			if n == stages {
				code, what = lang.CodeDuplicateStage, "stage"
			}
			d := out.Errorf(code, at.Key.Range(), "%s %s and %s are one key in JSON (%q), so the document holds it twice and mtrain keeps one: rename or remove one",
				what, yamlKeyText(other), yamlKeyText(at), key)
			d.Related = &lang.Related{Range: other.Key.Range(), Message: "the other one"}
		}
		keys = keys[:base]
	}
	walk(root, 0)
	return out
}

// yamlKeyText is a mapping key as written: quoted when it is a string that
// YAML would read as something else.
func yamlKeyText(e yaml.Entry) string {
	if s, ok := e.KeyValue.(string); ok {
		return strconv.Quote(s)
	}
	return e.Key.Value
}

type legacyBuilder struct {
	path  string
	diags *lang.Diagnostics
	// values counts the values built; aliases repeat what they name, so a
	// small file can mean an enormous document (an "alias bomb")
	values   int
	text     int // the bytes of its strings
	exploded bool
	// shared holds the values of collections that aliases and merge keys
	// repeat, built once: the document's values are only read
	shared map[*yaml.Node]sharedValue
	// constructed holds what Construct made of a collection with another
	// tag (see nodeValue); convert only reads it
	constructed map[*yaml.Node]any
	// memo, when set (by the importer, which converts the values of the
	// same nodes again and again), holds the values converted, by node
	// (see remember)
	memo *valueMemo
}

// sharedValue is a collection's value with what building it counted.
type sharedValue struct {
	v           compiler.Value
	values, txt int
}

// valueMemo holds memoValues by node: the table, indexed by the node's
// ID, gives its place (plus one) in fixed chunks, which keeps the table's
// slots small and never moves what is held. (A map keyed by the node was
// the import's largest table, millions of entries on a large file, and
// its probes' cache misses made the import grow faster than the file.)
type valueMemo struct {
	at     []int32
	chunks [][]memoValue
}

const memoChunk = 1024

// newValueMemo makes a memo for the nodes of root's document.
func newValueMemo(root *yaml.Node) *valueMemo {
	return &valueMemo{at: make([]int32, root.Nodes())}
}

func (m *valueMemo) get(t *yaml.Node) (*memoValue, bool) {
	id := t.ID()
	if id >= len(m.at) || m.at[id] == 0 {
		return nil, false
	}
	i := m.at[id] - 1
	return &m.chunks[i/memoChunk][i%memoChunk], true
}

func (m *valueMemo) put(t *yaml.Node, v memoValue) {
	id := t.ID()
	if id >= len(m.at) {
		return // not a node of the memo's document: not remembered
	}
	last := len(m.chunks) - 1
	if last < 0 || len(m.chunks[last]) == memoChunk {
		m.chunks = append(m.chunks, make([]memoValue, 0, memoChunk))
		last++
	}
	m.at[id] = int32(last*memoChunk+len(m.chunks[last])) + 1
	m.chunks[last] = append(m.chunks[last], v)
}

// memoValue is a node's value as convert made it, what it added to the
// counts, and whether it is clean: it added no diagnostic and stopped at
// no bound, so that converting the node again, while the counts stay in
// bounds, makes the same value, adds the same and reports nothing.
type memoValue struct {
	v            compiler.Value
	values, text int
	clean        bool
}

// maxLegacyValues bounds the values a legacy document may expand to: the
// bound of a .regimen document, so that a file and its import build alike
// (100,000 stages of 14 values each are 1.4 million).
const maxLegacyValues = compiler.MaxDocumentNodes

func (b *legacyBuilder) at(n *yaml.Node) lang.Range {
	if n == nil {
		return lang.Range{File: b.path, Start: lang.Pos{Line: 1, Column: 1}, End: lang.Pos{Line: 1, Column: 1}}
	}
	return n.Range()
}

// regimen builds the model from the document's name, stages and
// transitions; other top-level keys (anchor holders) are not part of it.
func (b *legacyBuilder) regimen(root *yaml.Node) *compiler.Regimen {
	doc := root.Target()
	if doc == nil || doc.Kind != yaml.Mapping {
		b.diags.Errorf(lang.CodeTypeMismatch, b.at(root), "a regimen.yml is a mapping with name, stages and transitions; this document is a %s", describeYAML(root))
		return nil
	}
	reg := &compiler.Regimen{File: b.path}
	var nameNode, stagesNode, transNode *yaml.Node
	for _, e := range doc.Entries() {
		switch e.KeyValue {
		case "name":
			nameNode = e.Value
		case "stages":
			stagesNode = e.Value
		case "transitions":
			transNode = e.Value
		}
	}
	if nameNode == nil {
		v := compiler.NullValue()
		reg.NameValue = &v
		compiler.NoName(b.diags, b.at(root), "the file has no `name` key").Suggestion = "name: NAME_v1.0.0"
	} else {
		v := b.value(nameNode)
		if v.Kind == compiler.String {
			reg.Name = v.Str
		} else {
			reg.NameValue = &v
			if v.Kind == compiler.Null {
				compiler.NoName(b.diags, b.at(nameNode), "`name` is null").Suggestion = "name: NAME_v1.0.0"
			}
		}
	}
	reg.NullStages = stagesNode != nil && stagesNode.IsNull()
	reg.NullTransitions = transNode != nil && transNode.IsNull()
	if stagesNode != nil && !stagesNode.IsNull() {
		st := stagesNode.Target()
		if st == nil || st.Kind != yaml.Mapping {
			b.diags.Errorf(lang.CodeTypeMismatch, b.at(stagesNode), "stages is a mapping from stage names to stages, not a %s", describeYAML(stagesNode))
		} else {
			for _, e := range st.Entries() {
				if b.keyOK(e.KeyValue, e.Key) {
					reg.Stages = append(reg.Stages, b.stage(e))
				}
			}
		}
	}
	if transNode != nil && !transNode.IsNull() {
		tn := transNode.Target()
		if tn == nil || tn.Kind != yaml.Sequence {
			b.diags.Errorf(lang.CodeTypeMismatch, b.at(transNode), "transitions is a list, not a %s", describeYAML(transNode))
		} else {
			names := map[string]bool{}
			for _, s := range reg.Stages {
				names[s.Name] = true
			}
			for _, item := range tn.Items() {
				if t := b.transition(item, names, reg); t != nil {
					reg.Transitions = append(reg.Transitions, t)
				}
			}
		}
	}
	return reg
}

func (b *legacyBuilder) stage(e yaml.Entry) *compiler.Stage {
	st := &compiler.Stage{Name: jsonKey(e.KeyValue), Range: b.at(e.Key), Params: compiler.Value{Kind: compiler.Null}}
	compiler.CheckStageName(b.diags, st.Name, st.Range)
	body := e.Value.Target()
	if body == nil || body.Kind != yaml.Mapping {
		// a stage that is not a mapping is kept as written
		st.Extra = append(st.Extra, compiler.Field{Key: "", Value: b.value(e.Value)})
		b.diags.Errorf(lang.CodeTypeMismatch, b.at(e.Value), "stage %s is a mapping with script, script_md5 and parameters, not a %s", st.Name, describeYAML(e.Value))
		return st
	}
	fields := readStage(body, b.value).fields
	var url, md5 *field
	for i := range fields {
		f := &fields[i]
		switch {
		case f.key == "script" && f.ok:
			url = f
		case f.key == "script_md5" && f.ok && f.value.Kind == compiler.String:
			md5 = f
		case f.key == "script_md5" && !f.ok:
			// kept as written, and refused: nothing can check a script
			// against it
			st.Extra = append(st.Extra, compiler.Field{Key: f.key, Value: f.value})
			d := b.diags.Errorf(lang.CodeTypeMismatch, b.at(f.entry.Value), "script_md5 is %s, not a string of 32 hex digits, so no script can be checked against it", describeValue(f.value))
			if t := f.entry.Value.Target(); t != nil && t.Kind == yaml.Scalar && f.value.Kind != compiler.Bool {
				article := "a"
				if f.value.Kind == compiler.Int {
					article = "an"
				}
				d.Message += fmt.Sprintf(": YAML read the unquoted text as %s %s; quote it: %q", article, f.value.Kind, t.Value)
				d.Suggestion = strconv.Quote(t.Value)
			}
		case f.key == "parameters" && f.ok:
			st.Params = f.value
			sv, ok := f.value.Get("stage")
			if !ok || sv.Kind != compiler.String || sv.Str != st.Name {
				at := b.at(f.entry.Value)
				if sn := f.entry.Value.Get("stage"); sn != nil {
					at = b.at(sn)
				}
				got := "missing"
				if ok {
					got = describeValue(sv)
				}
				d := b.diags.Errorf(lang.CodeStageParamMismatch, at, "parameters.stage is %s, but the stage is %s", got, st.Name)
				d.Suggestion = fmt.Sprintf("stage: %s", st.Name)
			}
		default:
			st.Extra = append(st.Extra, compiler.Field{Key: f.key, Value: f.value})
		}
	}
	if url != nil {
		st.Script = &compiler.Script{URL: url.value.Str, Range: b.at(url.entry.Value), URLRange: b.at(url.entry.Value)}
		if md5 != nil {
			st.Script.MD5, st.Script.MD5Range = md5.value.Str, b.at(md5.entry.Value)
		}
	} else if md5 != nil {
		st.Extra = append(st.Extra, compiler.Field{Key: "script_md5", Value: md5.value})
	}
	return st
}

func (b *legacyBuilder) transition(item *yaml.Node, names map[string]bool, reg *compiler.Regimen) *compiler.Transition {
	n := item.Target()
	if n == nil || n.Kind != yaml.Mapping {
		b.diags.Errorf(lang.CodeTypeMismatch, b.at(item), "a transition is a mapping with trigger, source and dest, not a %s", describeYAML(item))
		return nil
	}
	tf := readTransition(n, b.value)
	t := &compiler.Transition{Range: b.at(item), Trigger: tf.trigger, Source: tf.source, Dest: tf.dest,
		When: tf.when, WhenForm: tf.whenForm, Unless: tf.unless, UnlessForm: tf.unlessForm}
	for _, f := range tf.fields {
		switch {
		case f.ok:
			continue
		case f.known && endpoint(f.key):
			b.diags.Errorf(lang.CodeTypeMismatch, b.at(f.entry.Value), "a transition's %s is a string, not %s", f.key, f.value.Kind)
		case f.known:
			b.diags.Errorf(lang.CodeTypeMismatch, b.at(f.entry.Value), "%s is a criterion name or a list of them, not %s", f.key, f.value.Kind)
		}
		t.Extra = append(t.Extra, compiler.Field{Key: f.key, Value: f.value})
	}
	for _, end := range []string{"source", "dest"} {
		name := t.Source
		if end == "dest" {
			name = t.Dest
		}
		node := tf.node(end)
		if node == nil {
			b.diags.Errorf(lang.CodeMissingField, t.Range, "this transition has no %s", end)
			continue
		}
		if !names[name] {
			d := b.diags.Errorf(lang.CodeUndefinedStage, b.at(node), "undefined stage %s", name)
			var all []string
			for k := range names {
				all = append(all, k)
			}
			if s := spell.Nearest(name, all); s != "" {
				d.Message += fmt.Sprintf(" (did you mean %s?)", s)
				d.Suggestion = s
			}
		}
	}
	if tf.node("trigger") == nil {
		b.diags.Errorf(lang.CodeMissingField, t.Range, "this transition has no trigger")
	}
	return t
}

// value converts a node's value as PyYAML constructs it. Values JSON
// cannot hold (timestamps, binary, sets) are errors: the old tools crashed
// on them. Strings, sequences and mappings are read from the nodes, with no
// constructed value in between; any other value is constructed.
func (b *legacyBuilder) value(n *yaml.Node) compiler.Value {
	if b.memo != nil {
		// what converting the node again would do, without doing it
		if m, ok := b.memo.get(n.Target()); ok && m.clean && b.values+m.values <= maxLegacyValues && b.text+m.text <= compiler.MaxDocumentText {
			b.values += m.values
			b.text += m.text
			return m.v
		}
	}
	return b.nodeValue(n, n, false)
}

// remember is the value of t, a node's target, converted once: later calls
// return it again, without counting it again.
func (b *legacyBuilder) remember(t *yaml.Node) compiler.Value {
	if m, ok := b.memo.get(t); ok {
		return m.v
	}
	values, text, diags := b.values, b.text, len(*b.diags)
	v := b.nodeValue(t, t, false)
	b.memo.put(t, memoValue{v: v, values: b.values - values, text: b.text - text, clean: len(*b.diags) == diags && !b.exploded})
	return v
}

// nodeValue is convert(n.Construct(), at) read from the nodes where they
// say all: strings, sequences and mappings (their entries as Entries gives
// them, which is what Construct builds a mapping from). A collection
// reached through an alias or a merge key (repeated) is built once, and
// its value shared.
func (b *legacyBuilder) nodeValue(n, at *yaml.Node, repeated bool) compiler.Value {
	t := n.Target()
	if t == nil {
		return b.convert(nil, at)
	}
	repeated = repeated || t != n
	switch {
	case t.Kind == yaml.Scalar && t.Tag() == "!!str":
		if !b.count(at) {
			return compiler.NullValue()
		}
		return b.str(t.Value, at)
	case t.Kind == yaml.Sequence && t.Tag() == "!!seq", t.Kind == yaml.Mapping && t.Tag() == "!!map":
		if !repeated {
			return b.collection(t, at, false)
		}
		if sv, ok := b.shared[t]; ok && b.values+sv.values <= maxLegacyValues && b.text+sv.txt <= compiler.MaxDocumentText {
			b.values += sv.values
			b.text += sv.txt
			return sv.v
		}
		values, txt, diags := b.values, b.text, len(*b.diags)
		v := b.collection(t, at, true)
		// a value with findings is built anew each time, to report them
		// where each use is, as before
		if !b.exploded && len(*b.diags) == diags {
			if b.shared == nil {
				b.shared = map[*yaml.Node]sharedValue{}
			}
			b.shared[t] = sharedValue{v: v, values: b.values - values, txt: b.text - txt}
		}
		return v
	}
	if t.Kind == yaml.Scalar {
		return b.convert(t.Construct(), at)
	}
	// another collection (!!set, !!omap, !!pairs, a local tag) is
	// constructed once, however many aliases repeat it: each use reports
	// it and counts one value, so the bounds would not stop the repeats
	c, ok := b.constructed[t]
	if !ok {
		c = t.Construct()
		if b.constructed == nil {
			b.constructed = map[*yaml.Node]any{}
		}
		b.constructed[t] = c
	}
	return b.convert(c, at)
}

// collection builds a !!seq sequence or a !!map mapping of nodeValue.
func (b *legacyBuilder) collection(t, at *yaml.Node, repeated bool) compiler.Value {
	if !b.count(at) {
		return compiler.NullValue()
	}
	if t.Kind == yaml.Sequence {
		items := t.Items()
		out := make([]compiler.Value, len(items))
		for i, it := range items {
			out[i] = b.nodeValue(it, at, repeated)
		}
		return compiler.ListValue(out...)
	}
	entries := t.Entries()
	m := fieldSet{fields: make([]compiler.Field, 0, len(entries))}
	for _, e := range entries {
		if !b.keyOK(e.KeyValue, at) {
			continue
		}
		m.set(jsonKey(e.KeyValue), b.nodeValue(e.Value, at, repeated || e.Merged))
	}
	return compiler.MapValue(m.fields...)
}

// count counts one value built, and reports false once there are too many.
func (b *legacyBuilder) count(at *yaml.Node) bool {
	b.values++
	if b.values > maxLegacyValues {
		if !b.exploded {
			b.exploded = true
			b.diags.Errorf(lang.CodeOutOfRange, b.at(at), "the document expands to more than %d values through its aliases; regc stops here", maxLegacyValues)
		}
		return false
	}
	return true
}

// str is a string value, counted against the bound on text.
func (b *legacyBuilder) str(x string, at *yaml.Node) compiler.Value {
	// a long string repeated by aliases is a bomb of text, not values
	b.text += len(x)
	if b.text > compiler.MaxDocumentText {
		if !b.exploded {
			b.exploded = true
			b.diags.Errorf(lang.CodeOutOfRange, b.at(at), "the document expands to more than %d MiB of text through its aliases; regc stops here", compiler.MaxDocumentText>>20)
		}
		return compiler.NullValue()
	}
	return compiler.StringValue(x)
}

// fieldSet builds a record as json.dumps writes a dict: keys that JSON
// writes alike (1 and "1") are one, the later value winning in the
// earlier place.
type fieldSet struct {
	fields []compiler.Field
	index  map[string]int // for a wide record; a narrow one is scanned
}

func (m *fieldSet) set(key string, v compiler.Value) {
	if m.index == nil && len(m.fields) >= 16 {
		m.index = make(map[string]int, 2*len(m.fields))
		for i, f := range m.fields {
			if _, dup := m.index[f.Key]; !dup {
				m.index[f.Key] = i
			}
		}
	}
	if m.index != nil {
		if i, dup := m.index[key]; dup {
			m.fields[i].Value = v
			return
		}
		m.index[key] = len(m.fields)
	} else {
		for i := range m.fields {
			if m.fields[i].Key == key {
				m.fields[i].Value = v
				return
			}
		}
	}
	m.fields = append(m.fields, compiler.Field{Key: key, Value: v})
}

func (b *legacyBuilder) convert(x any, at *yaml.Node) compiler.Value {
	if !b.count(at) {
		return compiler.NullValue()
	}
	switch x := x.(type) {
	case nil:
		return compiler.NullValue()
	case bool:
		return compiler.BoolValue(x)
	case *big.Int:
		return compiler.BigIntValue(x)
	case float64:
		return compiler.FloatValue(x)
	case string:
		return b.str(x, at)
	case []any:
		out := make([]compiler.Value, len(x))
		for i, e := range x {
			out[i] = b.convert(e, at)
		}
		return compiler.ListValue(out...)
	case *yaml.Map:
		m := fieldSet{fields: make([]compiler.Field, 0, len(x.Pairs))}
		for _, kv := range x.Pairs {
			if !b.keyOK(kv.Key, at) {
				continue
			}
			m.set(jsonKey(kv.Key), b.convert(kv.Value, at))
		}
		return compiler.MapValue(m.fields...)
	default:
		b.diags.Errorf(lang.CodeTypeMismatch, b.at(at), "%s cannot be written as JSON, so mtrain cannot hold it: write it as a string", yamlTypeName(x))
		return compiler.NullValue()
	}
}

// keyOK reports whether a constructed mapping key is one json.dumps
// writes (a string, an int, a float, a bool or null); another (a
// timestamp, binary data) is an error, as json.dumps refused it.
func (b *legacyBuilder) keyOK(k any, at *yaml.Node) bool {
	switch k.(type) {
	case nil, bool, *big.Int, float64, string:
		return true
	}
	b.diags.Errorf(lang.CodeTypeMismatch, b.at(at), "a mapping key that is %s cannot be written as JSON (json.dumps refused it), so mtrain cannot hold it: write the key as a string", yamlTypeName(k))
	return false
}

// yamlTypeName names a constructed value JSON cannot hold as YAML names its
// type (binary, timestamp, set).
func yamlTypeName(x any) string {
	switch x := x.(type) {
	case []byte:
		return fmt.Sprintf("binary data (!!binary, %d bytes)", len(x))
	case yaml.Timestamp:
		if x.HasTime {
			return "a timestamp (" + x.Time.Format("2006-01-02 15:04:05") + ")"
		}
		return "a timestamp (" + x.Time.Format("2006-01-02") + ")"
	case *yaml.Set:
		return "a set (!!set)"
	}
	return "a value of a YAML type JSON has no form for"
}
