// Package internal holds no code of its own: its subpackages are regc's
// leaves (spell, the one "did you mean"; py, Python's float and json
// spelling; atomicfile, the one atomic write; lazyre, regular
// expressions compiled by their first use; safetext, text made safe to
// show; corpustest, finding the historic corpus for tests), which import
// nothing of regc, and its layering test (layers_test.go) holds which of
// regc's packages may import which.
package internal
