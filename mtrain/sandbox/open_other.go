//go:build !unix

package sandbox

// Where the system has no such flags (Windows), the Lstat checks before
// opening are what keeps a link or another kind of file out.
const (
	openNoFollow = 0
	openNonBlock = 0
)
