// Package yaml reads legacy regimen.yml files as mtrain's own tools read
// them, with PyYAML's yaml.safe_load (YAML 1.1). The reader (reader.go),
// scanner, parser, composer and constructor are a port of PyYAML's
// pure-Python loader, so a file is accepted or rejected exactly as PyYAML
// does, and a rejected file gets PyYAML's problem and context positions.
// Unlike PyYAML, the reader keeps what `regc import` needs to write
// readable source: anchors, aliases, merge keys as written, key order,
// every node's range, and comments (comments.go).
//
// It imports only lang, for positions, ranges and diagnostics.
//
// PyYAML is MIT-licensed, copyright Ingy döt Net and Kirill Simonov; its
// behaviour (which positions an error gets, which scalars are ints) is the
// specification this reader is held to.
package yaml
