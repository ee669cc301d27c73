// Package dotcheck holds only a test: it reads the DOT that package graph
// writes back with graphviz itself (github.com/goccy/go-graphviz, graphviz
// compiled to WebAssembly). It is a package of its own because that library
// compiles its WebAssembly module when the package is initialised, which
// takes seconds: only this test binary pays for it, and regc never links it.
package dotcheck
