package compiler

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
