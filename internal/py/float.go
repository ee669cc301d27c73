package py

import (
	"math"
	"strconv"
	"strings"
)

// Float returns Python 3's repr of the float f: the shortest digits that
// read back as f; scientific notation ("1e-05", "1.5e+16", exponent of at
// least two digits) when the decimal exponent is below -4 or at least 16,
// positional notation with at least one digit after the point otherwise
// ("100000.0", "0.007", "-0.0"); "inf", "-inf" and "nan" for the
// non-finite values.
func Float(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	// Go's shortest formatting picks the same digits as Python's (the
	// shortest string that rounds to f, the nearest one to f among those).
	// Go's 'e' format writes the exponent with at least two digits, as
	// Python does.
	e := strconv.FormatFloat(f, 'e', -1, 64)
	i := strings.LastIndexByte(e, 'e')
	exp, _ := strconv.Atoi(e[i+1:])
	if exp < -4 || exp >= 16 {
		return e
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsRune(s, '.') {
		s += ".0"
	}
	return s
}

// JSONFloat spells f as Python's json module does: repr for finite values,
// Infinity, -Infinity and NaN otherwise.
func JSONFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return Float(f)
}
