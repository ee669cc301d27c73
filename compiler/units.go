package compiler

import "math/big"

// unit is a unit of measure: its dimension and its size in the dimension's
// base unit, as an exact ratio.
type unit struct {
	Name   string
	Dim    string
	Factor *big.Rat
}

func r(s string) *big.Rat {
	x, ok := new(big.Rat).SetString(s)
	if !ok {
		panic("bad unit factor " + s)
	}
	return x
}

// units lists every unit the language knows, by the name written after a
// number. Dimensions: volume (base L), time (base s), angle (deg),
// frequency (Hz), length (m).
var units = map[string]*unit{
	"nL":  {"nL", "volume", r("1/1000000000")},
	"uL":  {"uL", "volume", r("1/1000000")},
	"mL":  {"mL", "volume", r("1/1000")},
	"L":   {"L", "volume", r("1")},
	"ms":  {"ms", "time", r("1/1000")},
	"s":   {"s", "time", r("1")},
	"min": {"min", "time", r("60")},
	"h":   {"h", "time", r("3600")},
	"deg": {"deg", "angle", r("1")},
	"Hz":  {"Hz", "frequency", r("1")},
	"kHz": {"kHz", "frequency", r("1000")},
	"um":  {"um", "length", r("1/1000000")},
	"mm":  {"mm", "length", r("1/1000")},
	"cm":  {"cm", "length", r("1/100")},
	"m":   {"m", "length", r("1")},
}

// unitAliases are units as people write them that regc spells otherwise:
// the unit each one means.
var unitAliases = map[string]string{
	"ul": "uL", "UL": "uL", "µl": "uL", "microliter": "uL", "microliters": "uL",
	"ml": "mL", "mls": "mL", "ML": "mL", "milliliter": "mL", "milliliters": "mL",
	"nl": "nL", "l": "L",
	"sec": "s", "secs": "s", "second": "s", "seconds": "s",
	"msec": "ms", "msecs": "ms", "millisecond": "ms", "milliseconds": "ms",
	"mins": "min", "minute": "min", "minutes": "min",
	"hr": "h", "hrs": "h", "hour": "h", "hours": "h",
	"hz": "Hz", "khz": "kHz", "KHz": "kHz", "degree": "deg", "degrees": "deg",
}

// dimensions are the names a schema uses for a quantity type: volume(mL).
var dimensions = map[string]bool{"volume": true, "time": true, "angle": true, "frequency": true, "length": true}

func unitNames() []string {
	out := make([]string, 0, len(units))
	for n := range units {
		out = append(out, n)
	}
	return out
}

func unitsOf(dim string) []string {
	var out []string
	for n, u := range units {
		if u.Dim == dim {
			out = append(out, n)
		}
	}
	return out
}

// convert returns x (in from) expressed in to, exactly.
func convert(x *big.Rat, from, to *unit) *big.Rat {
	out := new(big.Rat).Mul(x, from.Factor)
	return out.Quo(out, to.Factor)
}

// literalSlips are the true, false and null of other languages (Python,
// YAML 1.1): the literal each one means.
var literalSlips = map[string]string{
	"True": "true", "TRUE": "true", "yes": "true", "Yes": "true", "on": "true",
	"False": "false", "FALSE": "false", "no": "false", "No": "false", "off": "false",
	"None": "null", "none": "null", "nil": "null", "Null": "null", "NULL": "null", "undefined": "null",
}
