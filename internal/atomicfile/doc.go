// Package atomicfile writes the files regc produces so that a reader sees
// the old content or the new one, never a part, and so that writing never
// replaces something that is not a regular file.
//
// A path that is a symbolic link is followed: the file it names is
// replaced, and the link stays. A regular file (or a missing one) is
// written through a synced temporary file in the same folder that is then
// renamed over it, keeping the old file's permissions. A character device
// or a named pipe (/dev/null, /dev/stdout) is written straight through, as
// cp and gofmt do. A directory, a socket or a block device is refused.
package atomicfile
