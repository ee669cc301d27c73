//go:build !unix

package migrate

import "os"

// lockFile does nothing where flock is not available.
func lockFile(f *os.File) error { return nil }
