//go:build unix

package sandbox

import "syscall"

// Flags the database file is opened with: never through a symbolic link,
// and without waiting on a FIFO put in its place.
const (
	openNoFollow = syscall.O_NOFOLLOW
	openNonBlock = syscall.O_NONBLOCK
)
