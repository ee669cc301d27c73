package yaml

import (
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
