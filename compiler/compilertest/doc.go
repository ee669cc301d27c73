// Package compilertest holds what tests of the compiler and of the command
// line share: small sources that mean enormous values.
package compilertest
