package compiler

import "regexp"

// versionedName is a regimen name spelled NAME_vX.Y.Z (the version part
// loosely; SplitVersionedName checks it is semver).
var versionedName = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)_v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$`)

// IsIdent reports whether s is spelled as an identifier of the language
// (keywords included).
func IsIdent(s string) bool { return identRE.MatchString(s) }

// SplitVersionedName splits a regimen name spelled NAME_vX.Y.Z (the name
// `regimen NAME version X.Y.Z` compiles to) into NAME and X.Y.Z; ok is
// false for a name spelled otherwise.
func SplitVersionedName(name string) (base, version string, ok bool) {
	m := versionedName.FindStringSubmatch(name)
	if m == nil || !semverRE.MatchString(m[2]) {
		return "", "", false
	}
	return m[1], m[2], true
}
