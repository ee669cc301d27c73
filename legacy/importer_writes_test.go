package legacy

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/regc/regc/legacy/yaml"
)

// TestMappingWritesScanAndIndex holds mappingWrites, which finds the keys
// of a mapping's own pairs by a scan in small mappings and by an index in
// large ones, to a plain reading of its rule (merged entries first, then
// each own pair that an entry keeps or shadows, as written): on mappings
// with a merge, a key written twice, and 3 to 60 keys.
func TestMappingWritesScanAndIndex(t *testing.T) {
	for _, n := range []int{3, smallRecord - 1, smallRecord, smallRecord + 1, 60} {
		var b strings.Builder
		b.WriteString("base: &base {m1: 1, k0: 2, m2: 3}\nm:\n  <<: *base\n")
		for i := range n {
			fmt.Fprintf(&b, "  k%d: %d\n", i, i)
		}
		b.WriteString("  k1: again\n")
		root, diags := yaml.Read("w.yml", []byte(b.String()))
		if root == nil {
			t.Fatalf("%d keys: %v", n, diags)
		}
		m := root.Target().Get("m").Target()
		g := newImporter("w.yml", []byte(b.String()), root)
		got := g.mappingWrites(m)
		want := plainWrites(m)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%d keys: mappingWrites gives\n%v\nwant\n%v", n, got, want)
		}
		if len(want) != n+1+2 { // the own pairs, k1 again, m1 and m2 merged
			t.Errorf("%d keys: %d writes", n, len(want))
		}
	}
}

// plainWrites is mappingWrites' rule, read plainly.
func plainWrites(m *yaml.Node) []write {
	keyOf := map[*yaml.Node]string{}
	var out []write
	for _, e := range m.Entries() {
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
	for _, p := range m.Pairs() {
		if k, ok := keyOf[p.Key]; ok && !p.Key.IsMergeKey() {
			out = append(out, write{key: k, keyNode: p.Key, val: p.Value})
		}
	}
	return out
}
