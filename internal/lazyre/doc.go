// Package lazyre holds regular expressions compiled by their first use, not
// at start-up: a package-level regexp.MustCompile runs in every command
// that links its package, and most commands never match most of them.
package lazyre
