// Package spell owns regc's one "did you mean": choosing, among the names a
// place accepts, the one a misspelt name most likely meant.
package spell
