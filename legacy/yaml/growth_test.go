package yaml

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

func duplicateKeys(n int) []byte {
	var b strings.Builder
	b.WriteString("m:\n")
	for i := range n {
		fmt.Fprintf(&b, "  k: %d\n", i)
	}
	return []byte(b.String())
}

// TestDuplicateKeysAllocateLinearly: a key written n times keeps the n-1
// earlier pairs in order (Shadowed), and a file with four times the
// duplicates allocates about four times the bytes. Each duplicate used to
// copy the list of the ones before it (10,000 duplicates: 898 MB).
func TestDuplicateKeysAllocateLinearly(t *testing.T) {
	read := func(n int) (*Node, uint64) {
		var a, b runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&a)
		root, _ := Read("d.yml", duplicateKeys(n))
		runtime.ReadMemStats(&b)
		return root, b.TotalAlloc - a.TotalAlloc
	}
	root, small := read(1000)
	es := root.Entries()[0].Value.Entries()
	if len(es) != 1 || len(es[0].Shadowed) != 999 {
		t.Fatalf("got %d entries, want 1 with 999 shadowed pairs", len(es))
	}
	for i, p := range es[0].Shadowed {
		if p.Value.Value != fmt.Sprint(i) {
			t.Fatalf("shadowed pair %d has value %s, want %d", i, p.Value.Value, i)
		}
	}
	if es[0].Value.Value != "999" {
		t.Errorf("the kept value is %s, want 999", es[0].Value.Value)
	}
	_, large := read(4000)
	if ratio := float64(large) / float64(small); ratio > 6 {
		t.Errorf("4,000 duplicate keys allocate %.1f times what 1,000 do (%d bytes against %d); want about 4", ratio, large, small)
	}
}

// TestReadValues: the build's reading is Read without the comments, and
// the same nodes, values and diagnostics otherwise.
func TestReadValues(t *testing.T) {
	src := []byte("# head\na: 1 # line\nb: [x, y]\nb: 2\n")
	withC, d1 := Read("c.yml", src)
	without, d2 := ReadValues("c.yml", src)
	if withC.Entries()[0].Key.HeadComment() == "" || withC.Entries()[0].Value.LineComment() == "" {
		t.Fatalf("Read lost the comments")
	}
	for _, e := range without.Entries() {
		if e.Key.HeadComment() != "" || e.Value.LineComment() != "" {
			t.Errorf("ReadValues kept a comment on %v", e.KeyValue)
		}
	}
	if fmt.Sprint(d1) != fmt.Sprint(d2) || len(d1) != 1 {
		t.Errorf("diagnostics differ or are not the one duplicate key:\n%v\n%v", d1, d2)
	}
	if fmt.Sprint(withC.Construct()) != fmt.Sprint(without.Construct()) {
		t.Errorf("values differ: %v against %v", withC.Construct(), without.Construct())
	}
}
