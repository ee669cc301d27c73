package lazyre

import (
	"regexp"
	"sync"
	"sync/atomic"
)

// compiled counts the expressions compiled so far.
var compiled atomic.Int64

// Regexp is a regular expression compiled on its first use.
type Regexp struct {
	expr string
	once sync.Once
	re   *regexp.Regexp
}

// New returns expr, not yet compiled. A package-level variable set by New
// is laid out by the Go compiler: nothing of it runs at start-up.
func New(expr string) *Regexp { return &Regexp{expr: expr} }

// Re compiles the expression the first time it is called (panicking, as
// regexp.MustCompile does, if it is not valid) and returns the same
// *regexp.Regexp on every call after, from any goroutine.
func (r *Regexp) Re() *regexp.Regexp {
	r.once.Do(func() {
		compiled.Add(1)
		r.re = regexp.MustCompile(r.expr)
	})
	return r.re
}

// Compiled returns how many expressions have been compiled in this process
// (a test holds a command to compiling none).
func Compiled() int64 { return compiled.Load() }
