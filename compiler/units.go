package compiler

import (
	"github.com/regc/regc/internal/lazy"
	"math/big"
)

// unit is a unit of measure: its dimension and its size in the dimension's
// base unit, as an exact ratio.
type unit struct {
	Name   string
	Dim    string
	Factor *big.Rat
}

// units lists every unit the language knows, by the name written after a
// number. Dimensions: volume (base L), time (base s), angle (deg),
// frequency (Hz), length (m). It is built by its first use, not before
// main in every command.
var units = lazy.Value[map[string]*unit]{Build: func() map[string]*unit {
	return map[string]*unit{
		"nL":  {"nL", "volume", big.NewRat(1, 1000000000)},
		"uL":  {"uL", "volume", big.NewRat(1, 1000000)},
		"mL":  {"mL", "volume", big.NewRat(1, 1000)},
		"L":   {"L", "volume", big.NewRat(1, 1)},
		"ms":  {"ms", "time", big.NewRat(1, 1000)},
		"s":   {"s", "time", big.NewRat(1, 1)},
		"min": {"min", "time", big.NewRat(60, 1)},
		"h":   {"h", "time", big.NewRat(3600, 1)},
		"deg": {"deg", "angle", big.NewRat(1, 1)},
		"Hz":  {"Hz", "frequency", big.NewRat(1, 1)},
		"kHz": {"kHz", "frequency", big.NewRat(1000, 1)},
		"um":  {"um", "length", big.NewRat(1, 1000000)},
		"mm":  {"mm", "length", big.NewRat(1, 1000)},
		"cm":  {"cm", "length", big.NewRat(1, 100)},
		"m":   {"m", "length", big.NewRat(1, 1)},
	}
}}

// unitAliases are units as people write them that regc spells otherwise,
// each with the unit it means (a list, not a map: nothing is built before
// main).
var unitAliases = [...]struct{ written, meant string }{
	{"ul", "uL"}, {"UL", "uL"}, {"µl", "uL"}, {"microliter", "uL"}, {"microliters", "uL"},
	{"ml", "mL"}, {"mls", "mL"}, {"ML", "mL"}, {"milliliter", "mL"}, {"milliliters", "mL"},
	{"nl", "nL"}, {"l", "L"},
	{"sec", "s"}, {"secs", "s"}, {"second", "s"}, {"seconds", "s"},
	{"msec", "ms"}, {"msecs", "ms"}, {"millisecond", "ms"}, {"milliseconds", "ms"},
	{"mins", "min"}, {"minute", "min"}, {"minutes", "min"},
	{"hr", "h"}, {"hrs", "h"}, {"hour", "h"}, {"hours", "h"},
	{"hz", "Hz"}, {"khz", "kHz"}, {"KHz", "kHz"}, {"degree", "deg"}, {"degrees", "deg"},
}

// unitAlias is the unit a written alias means, "" for none.
func unitAlias(written string) string {
	for _, a := range unitAliases {
		if a.written == written {
			return a.meant
		}
	}
	return ""
}

// dimensions are the names a schema uses for a quantity type: volume(mL).
var dimensions = []string{"angle", "frequency", "length", "time", "volume"}

func unitNames() []string {
	out := make([]string, 0, len(units.Get()))
	for n := range units.Get() {
		out = append(out, n)
	}
	return out
}

func unitsOf(dim string) []string {
	var out []string
	for n, u := range units.Get() {
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

// literalSlip is the literal that a true, false or null of another
// language (Python, YAML 1.1) means, or "".
func literalSlip(name string) string {
	switch name {
	case "True", "TRUE", "yes", "Yes", "on":
		return "true"
	case "False", "FALSE", "no", "No", "off":
		return "false"
	case "None", "none", "nil", "Null", "NULL", "undefined":
		return "null"
	}
	return ""
}
