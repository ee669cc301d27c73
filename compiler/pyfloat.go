package compiler

import "github.com/regc/regc/internal/py"

// PyFloat is py.Float, kept so callers being moved out of this package keep
// building; new code calls internal/py.
func PyFloat(f float64) string { return py.Float(f) }
