package lazyre

import (
	"regexp"
	"sync"
	"sync/atomic"
)

// compiled counts the expressions compiled so far.
var compiled atomic.Int64

// New returns a function that compiles expr the first time it is called
// (panicking, as regexp.MustCompile does, if expr is not valid) and returns
// the same *regexp.Regexp on every call after, from any goroutine.
func New(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp {
		compiled.Add(1)
		return regexp.MustCompile(expr)
	})
}

// Compiled returns how many expressions New's functions have compiled in
// this process (a test holds a command to compiling none).
func Compiled() int64 { return compiled.Load() }
