// Package legacy owns everything about legacy regimen.yml files above the
// reader (legacy/yaml): the legacy build (build.go: a file read as PyYAML
// read it, built into the compiled model the compiler's .regimen front end
// gives), the importer (`regc import`: a file written as .regimen source
// that builds the same document), the one reading of a legacy stage and
// transition both share, and the choice of front end by file kind
// (CompileFile).
//
// It builds on compiler (the compiled model, its lints, "did you mean");
// compiler does not import it.
package legacy
