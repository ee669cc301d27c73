// Package lazy holds package-level values built on their first use. A
// variable declared as a Value literal is laid out by the Go compiler, so
// nothing of it runs before main (sync.OnceValue allocates its closures at
// start-up, in every command, whether or not the value is ever used).
package lazy
