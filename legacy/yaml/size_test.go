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
