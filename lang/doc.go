// Package lang owns the surface of the regimen language: source positions and
// ranges, the one Diagnostic type and its renderer, the scanner, the
// participle grammar and its AST, the parser, the printer (Print: source
// from the tree, comments in place, one canonical layout) and range-based
// source edits (Apply). Legacy regimen.yml files are read by legacy/yaml.
//
// The tree keeps everything the source says: every node records its exact
// range (Pos, and EndPos just past its last byte), record keys included
// (Entry.Path holds Key nodes), and the comments sit beside the tree in
// File.Comments, as go/ast keeps them, so the parser never sees them.
//
// Expr is one struct of optional fields, not a sealed interface, and stays
// so on purpose. A value's alternatives (a reference, number, quantity,
// string, record, list, null, true, false) are followed by an optional
// record of overrides (`base { ... }`), so an interface would need a node
// for the value plus a node for the alternative, and a participle.Union
// tried alternative by alternative: values are most of a regimen's nodes,
// and each node costs the reflective parser time and memory. Converting
// would also rewrite the compiler's every use of the fields (81 places in
// compiler/, whose phases are being split meanwhile) for no change in
// behaviour. Kind and Text give a switchable view instead: switch
// e.Kind() { case ExprRef: ... }.
//
// Parsing has two parsers. participle, driven by the AST's struct tags, is
// the grammar (testdata/grammar.ebnf is derived from it), the reporter of
// every syntax error and the reference. The fast parser (fastparse.go) is
// hand-written recursive descent over the same scanner: Parse tries it on
// each batch of declarations and uses participle only where it fails, so
// its trees must be participle's exactly (every field and position, nil
// slices included) and it fails rather than guess. The differential tests
// and fuzzer in fastparse_test.go hold it to participle on every .regimen
// of the repository and the imported corpus. When the fast parser reads a
// whole file, participle's parser (milliseconds to build) is never built:
// that is most of a small `regc check`'s former cost. A grammar change is
// made in the struct tags first, then mirrored in the fast parser until
// the differential tests pass.
//
// It imports nothing else of this module; the compiler annotates what it
// produces through its own tables.
package lang
