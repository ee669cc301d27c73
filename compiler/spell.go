package compiler

import "github.com/regc/regc/internal/spell"

// Nearest is spell.Nearest, kept so callers outside this package that are
// still being moved keep building; new code calls internal/spell.
func Nearest(name string, candidates []string) string { return spell.Nearest(name, candidates) }

// NearestWithin is spell.NearestWithin (see Nearest).
func NearestWithin(name string, candidates []string, limit int) string {
	return spell.NearestWithin(name, candidates, limit)
}

// nearest is spell.Nearest for this package's phases.
func nearest(name string, candidates []string) string { return spell.Nearest(name, candidates) }
