package lazy

import "sync"

// Value is the value its Build function returns, built by the first Get.
type Value[T any] struct {
	Build func() T
	once  sync.Once
	v     T
}

// Get builds the value on its first call (from any goroutine, once) and
// returns it. If Build panics, Get panics on that call and returns the zero
// value after.
func (l *Value[T]) Get() T {
	l.once.Do(func() { l.v = l.Build() })
	return l.v
}
