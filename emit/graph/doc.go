// Package graph draws a compiled regimen's stage machine (DOT, Mermaid, and
// SVG and PNG drawn here, in pure Go) and tabulates its stages' parameters
// (`regc graph` and `regc graph --params`).
//
// The SVG and PNG are laid out by this package rather than by graphviz: the
// only graphviz that needs no installation on the user's machine
// (github.com/goccy/go-graphviz, graphviz compiled to WebAssembly) compiles
// its 1.5 MB module in a package init function, which would run on every
// regc command, whatever it is, and write a cache under the temporary
// folder. The DOT output is for users who have graphviz.
package graph
