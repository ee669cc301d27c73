// Package compiler turns parsed regimen files into a checked, compiled model:
// it loads imports, resolves names, checks values against schemas, converts
// units exactly, merges parameter sets, and runs the lints. Every phase
// collects diagnostics rather than stopping at the first.
package compiler
