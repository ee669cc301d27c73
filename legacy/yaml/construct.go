package yaml

import (
	"fmt"
	"math"
	"math/big"
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

type flatEntry struct {
	key, value *Node
	keyVal     any
	hash       string // keyHash of keyVal; "" for a NaN, which equals nothing
	merged     bool
	shadowed   []Pair
}

// constructor constructs values into the nodes' cache fields (see
// Node.cons): Read constructs the whole tree once, after which the
// tree is only read.
type constructor struct {
	diags lang.Diagnostics
}

// The construction states of a node.
const (
	consNone uint8 = iota
	consActive
	consDone
)

// consCache is what constructing a node leaves on it.
type consCache struct {
	state     uint8
	ok        bool
	flattened bool
	value     any
	flat      []flatEntry
}

func newConstructor() *constructor { return &constructor{} }

func (c *constructor) errorf(code string, n *Node, format string, args ...any) *lang.Diagnostic {
	return c.diags.Errorf(code, n.Range, format, args...)
}

// construct is PyYAML's construct_object: memoized per node, so aliases
// share their value. It reports whether the value was constructed.
func (c *constructor) construct(n *Node) (any, bool) {
	if n == nil {
		return nil, false
	}
	if n.Kind == Alias {
		return c.construct(n.Target())
	}
	switch n.cons.state {
	case consDone:
		return n.cons.value, n.cons.ok
	case consActive:
		return nil, false // a cycle; the composer does not make any
	}
	n.cons.state = consActive
	v, ok := c.build(n)
	n.cons.state, n.cons.value, n.cons.ok = consDone, v, ok
	return v, ok
}

func (c *constructor) build(n *Node) (any, bool) {
	switch n.Tag {
	case "!!null":
		_, ok := c.scalarText(n)
		return nil, ok
	case "!!bool":
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
	case "!!int":
		s, ok := c.scalarText(n)
		if !ok {
			return nil, false
		}
		v, err := constructInt(s)
		if err != nil {
			c.errorf(lang.CodeInvalidValue, n, "cannot construct an int from %s", quote(s))
			return nil, false
		}
		return v, true
	case "!!float":
		s, ok := c.scalarText(n)
		if !ok {
			return nil, false
		}
		v, err := constructFloat(s)
		if err != nil {
			c.errorf(lang.CodeInvalidValue, n, "cannot construct a float from %s", quote(s))
			return nil, false
		}
		return v, true
	case "!!str":
		s, ok := c.scalarText(n)
		if !ok {
			return nil, false
		}
		return s, true
	case "!!binary":
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
	case "!!timestamp":
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
	case "!!omap", "!!pairs":
		return c.buildPairs(n)
	case "!!set":
		if n.Kind != Mapping {
			c.errorf(lang.CodeInvalidValue, n, "expected a mapping node, but found %s", n.Kind)
			return nil, false
		}
		set := &Set{}
		for _, e := range c.mapping(n) {
			set.Items = append(set.Items, e.keyVal)
		}
		return set, true
	case "!!seq":
		if n.Kind != Sequence {
			c.errorf(lang.CodeInvalidValue, n, "expected a sequence node, but found %s", n.Kind)
			return nil, false
		}
		out := make([]any, 0, len(n.Items))
		for _, it := range n.Items {
			v, _ := c.construct(it)
			out = append(out, v)
		}
		return out, true
	case "!!map":
		if n.Kind != Mapping {
			c.errorf(lang.CodeInvalidValue, n, "expected a mapping node, but found %s", n.Kind)
			return nil, false
		}
		m := &Map{}
		for _, e := range c.mapping(n) {
			v, _ := c.construct(e.value)
			m.Pairs = append(m.Pairs, KV{Key: e.keyVal, Value: v})
		}
		return m, true
	}
	if n.Tagged {
		c.errorf(lang.CodeUnknownTag, n, "could not determine a constructor for the tag '%s'", n.Tag)
	} else {
		// "<<" or "=" where a value is expected.
		c.errorf(lang.CodeInvalidValue, n, "could not determine a constructor for the tag '%s' of %s", n.Tag, quote(n.Value))
	}
	return nil, false
}

// mapping flattens a mapping and constructs every value PyYAML constructs,
// those it then drops included.
func (c *constructor) mapping(n *Node) []flatEntry {
	entries := c.flatten(n)
	for _, p := range n.Pairs {
		if p.Key.IsMergeKey() {
			v := p.Value.Target()
			if v != nil && v.Kind == Mapping {
				c.construct(v)
			} else if v != nil && v.Kind == Sequence {
				for _, it := range v.Items {
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
		for _, p := range n.Pairs {
			if k := p.Key.Target(); k != nil && k.Kind == Scalar && k.Tag == "!!value" {
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
// duplicate keys of n.
func (c *constructor) flatten(n *Node) []flatEntry {
	if n.cons.flattened {
		return n.cons.flat
	}
	n.cons.flattened = true // a cycle guard; the composer makes none
	var merge, own []flatEntry
	for _, p := range n.Pairs {
		if p.Key.IsMergeKey() {
			v := p.Value.Target()
			if v == nil {
				continue // an undefined alias, reported already
			}
			switch v.Kind {
			case Mapping:
				merge = append(merge, c.flatten(v)...)
			case Sequence:
				var subs [][]flatEntry
				for _, it := range v.Items {
					t := it.Target()
					if t == nil {
						continue
					}
					if t.Kind != Mapping {
						d := c.errorf(lang.CodeInvalidMerge, it, "expected a mapping for merging, but found %s", t.Kind)
						d.Related = &lang.Related{Range: n.Range, Message: "while constructing this mapping"}
						continue
					}
					subs = append(subs, c.flatten(t))
				}
				for i := len(subs) - 1; i >= 0; i-- {
					merge = append(merge, subs[i]...)
				}
			default:
				d := c.errorf(lang.CodeInvalidMerge, p.Value, "expected a mapping or list of mappings for merging, but found %s", v.Kind)
				d.Related = &lang.Related{Range: n.Range, Message: "while constructing this mapping"}
			}
			continue
		}
		k, ok := c.constructKey(p.Key)
		if !ok {
			continue
		}
		if !hashable(k) {
			d := c.errorf(lang.CodeInvalidValue, p.Key, "found unhashable key")
			d.Related = &lang.Related{Range: n.Range, Message: "while constructing this mapping"}
			continue
		}
		h, _ := keyHash(k)
		own = append(own, flatEntry{key: p.Key, value: p.Value, keyVal: k, hash: h})
	}

	out := make([]flatEntry, 0, len(merge)+len(own))
	var index map[string]int
	if len(merge)+len(own) > 16 {
		index = make(map[string]int, len(merge)+len(own))
	}
	for _, e := range merge {
		e.merged, e.shadowed = true, nil
		out = insert(out, index, e)
	}
	var first map[string]*Node
	if len(own) > 16 {
		first = make(map[string]*Node, len(own))
	}
	for i, e := range own {
		if e.hash != "" {
			var f *Node
			if first != nil {
				if f = first[e.hash]; f == nil {
					first[e.hash] = e.key
				}
			} else {
				for _, g := range own[:i] {
					if g.hash == e.hash {
						f = g.key
						break
					}
				}
			}
			if f != nil {
				d := c.diags.Warnf(lang.CodeDuplicateKey, e.key.Range, "duplicate key %s: the later value replaces the earlier one", keyText(e.key, e.keyVal))
				d.Related = &lang.Related{Range: f.Range, Message: "first occurrence"}
			}
		}
		out = insert(out, index, e)
	}
	n.cons.flat = out
	return out
}

// insert is a Python dict assignment: an existing key keeps its place and
// its first key object, and takes the new value.
func insert(out []flatEntry, index map[string]int, e flatEntry) []flatEntry {
	h := e.hash
	if h == "" {
		return append(out, e) // a NaN equals nothing
	}
	i, found := -1, false
	if index != nil {
		i, found = index[h]
	} else {
		for j := range out {
			if out[j].hash == h {
				i, found = j, true
				break
			}
		}
	}
	if found {
		old := out[i]
		if !e.merged && !old.merged {
			// old leaves the mapping, so its list is e's to grow (a copy
			// each time made n duplicates of a key quadratic)
			e.shadowed = append(old.shadowed, Pair{Key: old.key, Value: old.value})
		}
		e.keyVal = old.keyVal
		out[i] = e
		return out
	}
	if index != nil {
		index[h] = len(out)
	}
	return append(out, e)
}

// constructKey constructs a mapping key; flatten_mapping reads the value
// key `=` as a string.
func (c *constructor) constructKey(k *Node) (any, bool) {
	if t := k.Target(); t != nil && t.Kind == Scalar && t.Tag == "!!value" {
		return t.Value, true
	}
	return c.construct(k)
}

func (c *constructor) buildPairs(n *Node) (any, bool) {
	what := "pairs"
	if n.Tag == "!!omap" {
		what = "an ordered map"
	}
	if n.Kind != Sequence {
		c.errorf(lang.CodeInvalidValue, n, "while constructing %s: expected a sequence, but found %s", what, n.Kind)
		return nil, false
	}
	out := []any{}
	ok := true
	for _, it := range n.Items {
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
		if len(t.Pairs) != 1 {
			c.errorf(lang.CodeInvalidValue, it, "while constructing %s: expected a single mapping item, but found %d items", what, len(t.Pairs))
			ok = false
			continue
		}
		k, _ := c.construct(t.Pairs[0].Key)
		v, _ := c.construct(t.Pairs[0].Value)
		out = append(out, []any{k, v})
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

// keyHash returns a string that two keys share exactly when Python's dict
// takes them for one key: numbers by value (true == 1 == 1.0), strings,
// bytes, dates and datetimes by what they hold. A NaN other than PyYAML's
// `.nan` equals nothing: the result is false.
func keyHash(v any) (string, bool) {
	switch v := v.(type) {
	case nil:
		return "N", true
	case bool:
		if v {
			return "I1", true
		}
		return "I0", true
	case *big.Int:
		return "I" + v.String(), true
	case float64:
		switch {
		case math.IsNaN(v):
			if math.Float64bits(v) == math.Float64bits(canonicalNaN) {
				return "Fnan", true
			}
			return "", false
		case math.IsInf(v, 1):
			return "F+inf", true
		case math.IsInf(v, -1):
			return "F-inf", true
		case v == math.Trunc(v):
			i, _ := new(big.Float).SetFloat64(v).Int(nil)
			return "I" + i.String(), true
		}
		return "F" + strconv.FormatFloat(v, 'g', -1, 64), true
	case string:
		return "S" + v, true
	case []byte:
		return "B" + string(v), true
	case Timestamp:
		switch {
		case !v.HasTime:
			return "D" + v.Time.Format("2006-01-02"), true
		case !v.HasZone:
			return "T" + v.Time.Format("2006-01-02T15:04:05.000000"), true
		}
		return "Z" + v.Time.UTC().Format("2006-01-02T15:04:05.000000"), true
	}
	return "", false
}

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
