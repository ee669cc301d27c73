package compiler

import (
	"math/big"
	"sort"
)

// UnitInfo is a unit of measure as tools outside the compiler see it: its
// name (written after a number) and its dimension (volume, time, angle,
// frequency, length).
type UnitInfo struct {
	Name, Dim string
}

// Units lists every unit the language knows, by dimension, then by size.
func Units() []UnitInfo {
	out := make([]UnitInfo, 0, len(units.Get()))
	for _, u := range units.Get() {
		out = append(out, UnitInfo{u.Name, u.Dim})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := units.Get()[out[i].Name], units.Get()[out[j].Name]
		if a.Dim != b.Dim {
			return a.Dim < b.Dim
		}
		return a.Factor.Cmp(b.Factor) < 0
	})
	return out
}

// ConvertUnit returns x, in unit from, expressed in unit to, exactly; false
// when either unit is unknown or they measure different dimensions.
func ConvertUnit(x *big.Rat, from, to string) (*big.Rat, bool) {
	f, t := units.Get()[from], units.Get()[to]
	if f == nil || t == nil || f.Dim != t.Dim {
		return nil, false
	}
	return convert(x, f, t), true
}
