package yaml

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/regc/regc/lang"
)

// A port of PyYAML's SafeConstructor (yaml/constructor.py): nodes to values.

// Map is a mapping as PyYAML constructs it, a Python dict: each key
// once, in the order it was first inserted, with the value inserted last.
type Map struct {
	Pairs []KV
}

// KV is one key and value of a Map.
type KV struct {
	Key, Value any
}

// Len returns the number of keys.
func (m *Map) Len() int { return len(m.Pairs) }

// Get returns the value of key, comparing keys as Python does (1, 1.0 and
// true are one key).
func (m *Map) Get(key any) (any, bool) {
	h, ok := keyHash(key)
	if !ok {
		return nil, false
	}
	for _, p := range m.Pairs {
		if k, ok := keyHash(p.Key); ok && k == h {
			return p.Value, true
		}
	}
	return nil, false
}

// Set is a !!set: its members in written order.
type Set struct {
	Items []any
}

// Timestamp is a !!timestamp: a Python date (HasTime false) or datetime,
// naive (HasZone false, Time in UTC with the written fields) or aware.
type Timestamp struct {
	Time    time.Time
	HasTime bool
	HasZone bool
}

// canonicalNaN is the one NaN object PyYAML returns for `.nan`; a dict
// treats it as one key. Every other NaN differs from every value.
var (
	canonicalNaN = math.Float64frombits(0x7FF8000000000001)
	otherNaN     = math.Float64frombits(0x7FF8000000000002)
)

// constructor is PyYAML's constructor in one of two modes. Read's
// constructor checks: it constructs every node once, reports what fails,
// and keeps only whether it succeeded (in the node's flags) and each
// mapping's effective entries; it builds no values. A value constructor
// (Construct) builds values and reports nothing, sharing a collection's
// value among the aliases of one call.
type constructor struct {
	diags  lang.Diagnostics
	values bool
	memo   map[*Node]memoValue // values mode: the collections constructed
	vc     *constructor        // check mode: a values constructor, for keys
	own    []Entry             // flatten's stack of mappings' own entries
}

type memoValue struct {
	v      any
	ok     bool
	active bool
}

func newConstructor() *constructor { return &constructor{} }

func newValueConstructor() *constructor { return &constructor{values: true} }

func (c *constructor) errorf(code string, n *Node, format string, args ...any) *lang.Diagnostic {
	return c.diags.Errorf(code, n.Range(), format, args...)
}

// construct is PyYAML's construct_object: memoized per node, so aliases
// share their value. It reports whether the value was constructed. In
// check mode the value is nil.
func (c *constructor) construct(n *Node) (any, bool) {
	if n == nil {
		return nil, false
	}
	if n.Kind == Alias {
		return c.construct(n.Target())
	}
	if c.values {
		if n.Kind == Scalar {
			return c.build(n)
		}
		if m, ok := c.memo[n]; ok {
			return m.v, m.ok // a cycle when active; the composer makes none
		}
		if c.memo == nil {
			c.memo = map[*Node]memoValue{}
		}
		c.memo[n] = memoValue{active: true}
		v, ok := c.build(n)
		c.memo[n] = memoValue{v: v, ok: ok}
		return v, ok
	}
	switch {
	case n.flags&flagChecked != 0:
		return nil, n.flags&flagOK != 0
	case n.flags&flagActive != 0:
		return nil, false // a cycle; the composer makes none
	}
	n.flags |= flagActive
	_, ok := c.build(n)
	n.flags = n.flags&^flagActive | flagChecked
	if ok {
		n.flags |= flagOK
	}
	return nil, ok
}

func (c *constructor) build(n *Node) (any, bool) {
	switch n.tag {
	case tagNull:
		_, ok := c.scalarText(n)
		return nil, ok
	case tagBool:
		s, ok := c.scalarText(n)
		if !ok {
			return nil, false
		}
		switch strings.ToLower(s) {
		case "yes", "true", "on":
			return true, true
		case "no", "false", "off":
			return false, true
		}
		c.errorf(lang.CodeInvalidValue, n, "cannot construct a bool from %s", quote(s))
		return nil, false
	case tagInt:
		s, ok := c.scalarText(n)
		if !ok {
			return nil, false
		}
		v, err := constructInt(s)
		if err != nil {
			c.errorf(lang.CodeInvalidValue, n, "cannot construct an int from %s", quote(s))
			return nil, false
		}
		if !c.values {
			return nil, true
		}
		return v, true
	case tagFloat:
		s, ok := c.scalarText(n)
		if !ok {
			return nil, false
		}
		v, err := constructFloat(s)
		if err != nil {
			c.errorf(lang.CodeInvalidValue, n, "cannot construct a float from %s", quote(s))
			return nil, false
		}
		if !c.values {
			return nil, true
		}
		return v, true
	case tagStr:
		s, ok := c.scalarText(n)
		if !ok || !c.values {
			return nil, ok
		}
		return s, true
	case tagBinary:
		s, ok := c.scalarText(n)
		if !ok {
			return nil, false
		}
		b, err := decodeBase64(s)
		if err != nil {
			c.errorf(lang.CodeInvalidValue, n, "failed to decode base64 data: %v", err)
			return nil, false
		}
		return b, true
	case tagTimestamp:
		if n.Kind != Scalar {
			c.errorf(lang.CodeInvalidValue, n, "expected a scalar node, but found %s", n.Kind)
			return nil, false
		}
		t, err := constructTimestamp(n.Value)
		if err != nil {
			c.errorf(lang.CodeInvalidValue, n, "cannot construct a timestamp from %s: %v", quote(n.Value), err)
			return nil, false
		}
		return t, true
	case tagOmap, tagPairs:
		return c.buildPairs(n)
	case tagSet:
		if n.Kind != Mapping {
			c.errorf(lang.CodeInvalidValue, n, "expected a mapping node, but found %s", n.Kind)
			return nil, false
		}
		entries := c.mapping(n)
		if !c.values {
			return nil, true
		}
		set := &Set{}
		for _, e := range entries {
			set.Items = append(set.Items, e.KeyValue)
		}
		return set, true
	case tagSeq:
		if n.Kind != Sequence {
			c.errorf(lang.CodeInvalidValue, n, "expected a sequence node, but found %s", n.Kind)
			return nil, false
		}
		items := n.Items()
		if !c.values {
			for _, it := range items {
				c.construct(it)
			}
			return nil, true
		}
		out := make([]any, 0, len(items))
		for _, it := range items {
			v, _ := c.construct(it)
			out = append(out, v)
		}
		return out, true
	case tagMap:
		if n.Kind != Mapping {
			c.errorf(lang.CodeInvalidValue, n, "expected a mapping node, but found %s", n.Kind)
			return nil, false
		}
		entries := c.mapping(n)
		if !c.values {
			return nil, true
		}
		m := &Map{Pairs: make([]KV, 0, len(entries))}
		for _, e := range entries {
			v, _ := c.construct(e.Value)
			m.Pairs = append(m.Pairs, KV{Key: e.KeyValue, Value: v})
		}
		return m, true
	}
	if n.Tagged() {
		c.errorf(lang.CodeUnknownTag, n, "could not determine a constructor for the tag '%s'", n.Tag())
	} else {
		// "<<" or "=" where a value is expected.
		c.errorf(lang.CodeInvalidValue, n, "could not determine a constructor for the tag '%s' of %s", n.Tag(), quote(n.Value))
	}
	return nil, false
}

// mapping flattens a mapping and, in check mode, constructs every value
// PyYAML constructs, those it then drops included.
func (c *constructor) mapping(n *Node) []Entry {
	entries := c.flatten(n)
	if c.values {
		return entries
	}
	for _, p := range n.Pairs() {
		if p.Key.IsMergeKey() {
			v := p.Value.Target()
			if v != nil && v.Kind == Mapping {
				c.construct(v)
			} else if v != nil && v.Kind == Sequence {
				for _, it := range v.Items() {
					if t := it.Target(); t != nil && t.Kind == Mapping {
						c.construct(t)
					}
				}
			}
			continue
		}
		c.construct(p.Value)
	}
	return entries
}

// scalarText is SafeConstructor.construct_scalar.
func (c *constructor) scalarText(n *Node) (string, bool) {
	if n.Kind == Mapping {
		for _, p := range n.Pairs() {
			if k := p.Key.Target(); k != nil && k.Kind == Scalar && k.tag == tagValue {
				if v := p.Value.Target(); v != nil {
					return c.scalarText(v)
				}
			}
		}
	}
	if n.Kind != Scalar {
		c.errorf(lang.CodeInvalidValue, n, "expected a scalar node, but found %s", n.Kind)
		return "", false
	}
	return n.Value, true
}

// flatten is SafeConstructor.flatten_mapping followed by the dict that
// construct_mapping fills: merged entries first (from `<<: [*a, *b]`, a's
// winning over b's), then the mapping's own, each key kept once at its first
// place with its last value. It reports invalid merges, unhashable keys and
// duplicate keys of n, once: the entries are kept on the node.
func (c *constructor) flatten(n *Node) []Entry {
	if n.flags&flagFlattened != 0 {
		return n.ext.flat
	}
	n.flags |= flagFlattened // a cycle guard; the composer makes none
	pairs := n.Pairs()
	// the merged mappings' entries, in the order they are inserted, and
	// the mapping's own entries, on the constructor's stack (a merged
	// mapping is flattened on top of it meanwhile)
	var mergeBuf [4][]Entry
	merges := mergeBuf[:0]
	base := len(c.own)
	for _, p := range pairs {
		if p.Key.IsMergeKey() {
			v := p.Value.Target()
			if v == nil {
				continue // an undefined alias, reported already
			}
			switch v.Kind {
			case Mapping:
				merges = append(merges, c.flatten(v))
			case Sequence:
				first := len(merges)
				for _, it := range v.Items() {
					t := it.Target()
					if t == nil {
						continue
					}
					if t.Kind != Mapping {
						d := c.errorf(lang.CodeInvalidMerge, it, "expected a mapping for merging, but found %s", t.Kind)
						d.Related = &lang.Related{Range: n.Range(), Message: "while constructing this mapping"}
						continue
					}
					merges = append(merges, c.flatten(t))
				}
				slices.Reverse(merges[first:]) // the earlier map wins
			default:
				d := c.errorf(lang.CodeInvalidMerge, p.Value, "expected a mapping or list of mappings for merging, but found %s", v.Kind)
				d.Related = &lang.Related{Range: n.Range(), Message: "while constructing this mapping"}
			}
			continue
		}
		k, ok := c.constructKey(p.Key)
		if !ok {
			continue
		}
		if !hashable(k) {
			d := c.errorf(lang.CodeInvalidValue, p.Key, "found unhashable key")
			d.Related = &lang.Related{Range: n.Range(), Message: "while constructing this mapping"}
			continue
		}
		c.own = append(c.own, Entry{Key: p.Key, Value: p.Value, KeyValue: k})
	}
	own := c.own[base:]
	defer func() {
		clear(c.own[base:])
		c.own = c.own[:base]
	}()
	merged := 0
	for _, m := range merges {
		merged += len(m)
	}

	f := flattener{out: make([]Entry, 0, merged+len(own))}
	if merged+len(own) > 16 {
		f.index = make(map[hashKey]int, merged+len(own))
	}
	for _, m := range merges {
		for _, e := range m {
			e.Merged, e.Shadowed = true, nil
			f.insert(e)
		}
	}
	var first map[hashKey]*Node
	if len(own) > 16 {
		first = make(map[hashKey]*Node, len(own))
	}
	for i, e := range own {
		if h, ok := keyHash(e.KeyValue); ok {
			var fk *Node
			if first != nil {
				if fk = first[h]; fk == nil {
					first[h] = e.Key
				}
			} else {
				for _, g := range own[:i] {
					if gh, ok := keyHash(g.KeyValue); ok && gh == h {
						fk = g.Key
						break
					}
				}
			}
			if fk != nil {
				d := c.diags.Warnf(lang.CodeDuplicateKey, e.Key.Range(), "duplicate key %s: the later value replaces the earlier one", keyText(e.Key, e.KeyValue))
				d.Related = &lang.Related{Range: fk.Range(), Message: "first occurrence"}
			}
		}
		f.insert(e)
	}
	n.ext.flat = f.out[:len(f.out):len(f.out)]
	return n.ext.flat
}

// flattener builds a mapping's entries as a Python dict does.
type flattener struct {
	out   []Entry
	index map[hashKey]int // for a wide mapping; a narrow one is scanned
}

// insert is a Python dict assignment: an existing key keeps its place and
// its first key object, and takes the new value.
func (f *flattener) insert(e Entry) {
	h, ok := keyHash(e.KeyValue)
	if !ok {
		f.out = append(f.out, e) // a NaN equals nothing
		return
	}
	i, found := -1, false
	if f.index != nil {
		i, found = f.index[h]
	} else {
		for j := range f.out {
			if oh, ok := keyHash(f.out[j].KeyValue); ok && oh == h {
				i, found = j, true
				break
			}
		}
	}
	if found {
		old := f.out[i]
		if !e.Merged && !old.Merged {
			// old leaves the mapping, so its list is e's to grow (a copy
			// each time made n duplicates of a key quadratic)
			e.Shadowed = append(old.Shadowed, Pair{Key: old.Key, Value: old.Value})
		}
		e.KeyValue = old.KeyValue
		f.out[i] = e
		return
	}
	if f.index != nil {
		f.index[h] = len(f.out)
	}
	f.out = append(f.out, e)
}

// constructKey constructs a mapping key; flatten_mapping reads the value
// key `=` as a string. In check mode the key is checked (once) and its
// value built by a values constructor.
func (c *constructor) constructKey(k *Node) (any, bool) {
	t := k.Target()
	if t != nil && t.Kind == Scalar && t.tag == tagValue {
		return t.Value, true
	}
	if c.values {
		return c.construct(k)
	}
	if _, ok := c.construct(k); !ok {
		return nil, false
	}
	if c.vc == nil {
		c.vc = newValueConstructor()
	}
	return c.vc.construct(t)
}

func (c *constructor) buildPairs(n *Node) (any, bool) {
	what := "pairs"
	if n.tag == tagOmap {
		what = "an ordered map"
	}
	if n.Kind != Sequence {
		c.errorf(lang.CodeInvalidValue, n, "while constructing %s: expected a sequence, but found %s", what, n.Kind)
		return nil, false
	}
	out := []any{}
	ok := true
	for _, it := range n.Items() {
		t := it.Target()
		if t == nil {
			ok = false
			continue
		}
		if t.Kind != Mapping {
			c.errorf(lang.CodeInvalidValue, it, "while constructing %s: expected a mapping of length 1, but found %s", what, t.Kind)
			ok = false
			continue
		}
		pairs := t.Pairs()
		if len(pairs) != 1 {
			c.errorf(lang.CodeInvalidValue, it, "while constructing %s: expected a single mapping item, but found %d items", what, len(pairs))
			ok = false
			continue
		}
		k, _ := c.construct(pairs[0].Key)
		v, _ := c.construct(pairs[0].Value)
		if c.values {
			out = append(out, []any{k, v})
		}
	}
	if !c.values {
		return nil, ok
	}
	return out, ok
}

// hashable reports whether Python can use v as a dict key.
func hashable(v any) bool {
	switch v.(type) {
	case []any, *Map, *Set:
		return false
	}
	return true
}

// hashKey is what two keys share exactly when Python's dict takes them for
// one key: a kind ('N' null, 'I' integer, 'F' float, 'S' string, 'B'
// bytes, 'D' date, 'T' naive and 'Z' aware datetime) and a text.
type hashKey struct {
	kind byte
	s    string
}

// keyHash returns the hashKey of a key: numbers by value (true == 1 ==
// 1.0), strings, bytes, dates and datetimes by what they hold. A NaN other
// than PyYAML's `.nan` equals nothing: the result is false.
func keyHash(v any) (hashKey, bool) {
	switch v := v.(type) {
	case nil:
		return hashKey{kind: 'N'}, true
	case bool:
		if v {
			return hashKey{'I', "1"}, true
		}
		return hashKey{'I', "0"}, true
	case *big.Int:
		if v.IsInt64() {
			if i := v.Int64(); i >= 0 && i < 10 {
				return hashKey{'I', digits[i : i+1]}, true
			}
		}
		return hashKey{'I', v.String()}, true
	case float64:
		switch {
		case math.IsNaN(v):
			if math.Float64bits(v) == math.Float64bits(canonicalNaN) {
				return hashKey{'F', "nan"}, true
			}
			return hashKey{}, false
		case math.IsInf(v, 1):
			return hashKey{'F', "+inf"}, true
		case math.IsInf(v, -1):
			return hashKey{'F', "-inf"}, true
		case v == math.Trunc(v):
			i, _ := new(big.Float).SetFloat64(v).Int(nil)
			return hashKey{'I', i.String()}, true
		}
		return hashKey{'F', strconv.FormatFloat(v, 'g', -1, 64)}, true
	case string:
		return hashKey{'S', v}, true
	case []byte:
		return hashKey{'B', string(v)}, true
	case Timestamp:
		switch {
		case !v.HasTime:
			return hashKey{'D', v.Time.Format("2006-01-02")}, true
		case !v.HasZone:
			return hashKey{'T', v.Time.Format("2006-01-02T15:04:05.000000")}, true
		}
		return hashKey{'Z', v.Time.UTC().Format("2006-01-02T15:04:05.000000")}, true
	}
	return hashKey{}, false
}

const digits = "0123456789"

// keyText names a key in a message.
func keyText(n *Node, v any) string {
	if s, ok := v.(string); ok {
		return quote(s)
	}
	if t := n.Target(); t != nil && t.Kind == Scalar {
		return quote(t.Value)
	}
	return fmt.Sprint(v)
}

// quote quotes a string for a message, shortening it when long.
func quote(s string) string {
	r := []rune(s)
	if len(r) > 60 {
		s = string(r[:57]) + "..."
	}
	return strconv.Quote(s)
}
