package compiler

import "github.com/regc/regc/internal/spell"

// nearest is spell.Nearest for this package's phases.
func nearest(name string, candidates []string) string { return spell.Nearest(name, candidates) }
