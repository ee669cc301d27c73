package compiler

import (
	"strconv"

	"github.com/regc/regc/internal/lazyre"
)

// versionSuffix is the one spelling of a versioned regimen name:
// NAME_vMAJOR[.MINOR[.PATCH]] with an optional semver pre-release or build
// suffix. The name is the longest prefix before a `_v` that such a version
// follows.
var versionSuffix = lazyre.New(`^(.+)_v(\d+(?:\.\d+){0,2}(?:[-+][0-9A-Za-z.+-]*)?)$`)

// SplitVersionSuffix splits name at its version suffix (see versionSuffix)
// into the name before it and the version after `_v`, as written; ok is
// false for a name without one. It is the loosest reading: callers that want
// a semver or an identifier check the parts (see SplitVersionedName).
func SplitVersionSuffix(name string) (base, version string, ok bool) {
	m := versionSuffix.Re().FindStringSubmatch(name)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// IsIdent reports whether s is spelled as an identifier of the language
// (keywords included).
func IsIdent(s string) bool { return isIdentText(s) }

// SplitVersionedName splits a regimen name spelled NAME_vX.Y.Z (the name
// `regimen NAME version X.Y.Z` compiles to) into NAME and X.Y.Z; ok is
// false for a name spelled otherwise.
func SplitVersionedName(name string) (base, version string, ok bool) {
	base, version, ok = SplitVersionSuffix(name)
	if !ok || !IsIdent(base) || !isSemver(version) {
		return "", "", false
	}
	return base, version, true
}

// VersionMajor returns the major version of a name with a version suffix
// (see SplitVersionSuffix) and the name before it; a name without one is
// its own base, with major -1.
func VersionMajor(name string) (base string, major int) {
	base, version, ok := SplitVersionSuffix(name)
	if !ok {
		return name, -1
	}
	digits := version
	for i, c := range version {
		if c < '0' || c > '9' {
			digits = version[:i]
			break
		}
	}
	n, err := strconv.Atoi(digits)
	if err != nil {
		return name, -1
	}
	return base, n
}

// suggestedHeader returns the `regimen NAME version X.Y.Z` a raw name
// spelled NAME_vX.Y.Z (a conventional NAME, a bare MAJOR.MINOR.PATCH)
// is better written as, or "".
func suggestedHeader(name string) string {
	base, version, ok := SplitVersionSuffix(name)
	if !ok || !isConventionalName(base) || !isExactVersion(version) {
		return ""
	}
	return "regimen " + base + " version " + version
}
