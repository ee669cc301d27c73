package yaml

import (
	"bytes"
	"runtime"
	"testing"
	"unsafe"
)

// TestNodeSize holds a node to 64 bytes: a file of 10,000 stages has some
// 300,000 of them (issue 14).
func TestNodeSize(t *testing.T) {
	if s := unsafe.Sizeof(Node{}); s > 64 {
		t.Errorf("a Node is %d bytes, want at most 64", s)
	}
}

// TestReaderHoldsNoCopy: the reader works on the UTF-8 text itself, by
// byte offsets; it held a copy as runes with each one's offset (8 bytes a
// character), the largest thing but the nodes in reading a large file.
func TestReaderHoldsNoCopy(t *testing.T) {
	src := bytes.Repeat([]byte("key: välue # ü\n"), 1000)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r, d := newReader("x.yml", src)
	runtime.ReadMemStats(&after)
	if r == nil || d != nil {
		t.Fatalf("the text did not read: %v", d)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 1024 {
		t.Errorf("reading %d bytes allocated %d bytes, want at most 1024", len(src), got)
	}
}

// TestNodeIDs: every node of a document has its own ID, from 0 up to
// Nodes(), in the order it was read, so tables indexed by ID need no map.
func TestNodeIDs(t *testing.T) {
	src := []byte("a: &x [1, {b: 2}]\nc: *x\n<<: {d: 3}\ne: !!str 4\n")
	root, diags := Read("ids.yml", src)
	if root == nil || diags.HasErrors() {
		t.Fatalf("Read: %v", diags)
	}
	seen := make([]bool, root.Nodes())
	last := -1
	var walk func(n *Node)
	walk = func(n *Node) {
		if n == nil {
			return
		}
		id := n.ID()
		if id < 0 || id >= len(seen) || seen[id] {
			t.Fatalf("node at %v has ID %d (of %d): out of range or taken", n.Range(), id, len(seen))
		}
		if id <= last {
			t.Errorf("node at %v has ID %d after %d: not in reading order", n.Range(), id, last)
		}
		seen[id], last = true, id
		for _, it := range n.Items() {
			walk(it)
		}
		for _, p := range n.Pairs() {
			walk(p.Key)
			walk(p.Value)
		}
	}
	walk(root)
	for id, ok := range seen {
		if !ok {
			t.Errorf("no node has ID %d of %d", id, len(seen))
		}
	}
	if len(seen) < 12 {
		t.Errorf("the document has %d nodes, want at least 12", len(seen))
	}
	var none *Node
	if none.Nodes() != 0 {
		t.Errorf("a nil node's Nodes() = %d, want 0", none.Nodes())
	}
}
