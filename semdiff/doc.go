// Package semdiff compares two versions of a regimen as mtrain sees them:
// which stages were added, removed or renamed, which parameters and scripts
// changed, which transitions were added, removed, reordered or
// re-conditioned; and from that, the smallest version bump the change
// allows (see Policy), whether the new version makes it, whether every
// stage of the old version is mapped to the new one, and a `migrate` block
// to paste when it is not.
//
// It reads compiled regimens (compiler.Regimen), so a .regimen source, a
// legacy regimen.yml and a document read back from a server compare alike.
package semdiff
