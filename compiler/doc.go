// Package compiler turns parsed regimen files into a checked, compiled model:
// it loads imports, resolves names, checks values against schemas, converts
// units exactly, merges parameter sets, and runs the lints. Every phase
// collects diagnostics rather than stopping at the first.
//
// One file per phase, in the order compile.go's run calls them:
//
//	compile.go      Compile, the checker's state, and run: the phases in order
//	load.go         reading a file and its imports, depth first
//	declare.go      pass 1: every name declared (values, criteria, triggers), "did you mean"
//	header.go       the `regimen NAME version X.Y.Z` header
//	script.go       script declarations: url, md5, schema
//	eval.go         evaluating expressions, records, overrides and references
//	types.go        the representation of a schema type
//	resolve.go      resolving written types and schemas to types
//	check.go        checking a value against a type (schemas, ranges, units)
//	stage.go        stages: script, parameters checked against its schema
//	transitions.go  transitions and references to stages, criteria, triggers
//	migrations.go   migrate blocks
//	lints.go        lints over the whole regimen (transitions, unused names)
//	tests.go        running the regimen's transition tests
//
// The compiled model is model.go and value.go (the mtrain document built
// from it is emit's: emit.DocumentValue); ival.go is the evaluator's
// intermediate value, units.go the units, bounds.go the bounds on sizes.
package compiler
