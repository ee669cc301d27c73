package semdiff

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Bump is a semantic version bump.
type Bump int

// The bumps, smallest first.
const (
	None Bump = iota
	Patch
	Minor
	Major
)

func (b Bump) String() string {
	switch b {
	case Patch:
		return "patch"
	case Minor:
		return "minor"
	case Major:
		return "major"
	}
	return "none"
}

// MarshalJSON writes the bump's name.
func (b Bump) MarshalJSON() ([]byte, error) { return json.Marshal(b.String()) }

// Reason is one change and the bump it requires.
type Reason struct {
	Bump Bump   `json:"bump"`
	Text string `json:"text"`
}

// Policy, as the README states it ("Versions: what regc diff requires"):
//
//   - major: a stage removed or renamed (downstream code keys on stage names,
//     and a mouse on it needs a mapping to move), or the regimen's base name
//     changed;
//   - minor: a stage added; a parameter added, removed or changed; a
//     transition added, removed, re-conditioned, or moved before or after
//     another of the same source and trigger (mtrain tries those in order);
//     a stage key other than script and parameters changed;
//   - patch: only scripts changed (url or md5: the same stages with the same
//     parameters run a fixed script), or the document's text changed without
//     changing what mtrain does (stages or transitions listed in another
//     order that mtrain does not depend on, a criterion written as a string
//     rather than a list of one): a regimen name stands for one document on
//     the server, so a new text needs a new name;
//   - none: the documents are the same text (comments, layout, names of
//     `let` and `params` declarations, how a value is spelled).
func requiredBump(d *Diff) (Bump, []Reason) {
	var rs []Reason
	add := func(b Bump, format string, args ...any) { rs = append(rs, Reason{b, fmt.Sprintf(format, args...)}) }
	if d.Old.Base != d.New.Base {
		add(Major, "the regimen's name changed from %s to %s", d.Old.Base, d.New.Base)
	}
	for _, s := range d.Stages {
		switch s.Kind {
		case Removed:
			add(Major, "stage %s removed", s.Name)
		case Renamed:
			add(Major, "stage %s renamed to %s", s.Name, s.NewName)
		case Added:
			add(Minor, "stage %s added", s.Name)
		case Changed:
			if len(s.Params) > 0 {
				keys := make([]string, len(s.Params))
				for i, p := range s.Params {
					keys[i] = p.Path
				}
				add(Minor, "stage %s: %s changed", s.Name, strings.Join(keys, ", "))
			}
			if s.Script != nil {
				what := "url"
				switch {
				case s.Script.OldURL != s.Script.NewURL && s.Script.OldMD5 != s.Script.NewMD5:
					what = "url and md5"
				case s.Script.OldURL == s.Script.NewURL:
					what = "md5"
				}
				add(Patch, "stage %s: script %s changed", s.Name, what)
			}
		}
	}
	for _, t := range d.Transitions {
		add(Minor, "transition %s %s", t.Transition, t.Kind)
	}
	for _, c := range d.Cosmetic {
		add(Patch, "%s", c)
	}
	req := None
	for _, r := range rs {
		req = max(req, r.Bump)
	}
	return req, rs
}

// semver is a parsed X.Y.Z (a pre-release or build suffix is ignored).
type semver struct{ major, minor, patch int }

func parseSemver(s string) (semver, bool) {
	s, _, _ = strings.Cut(s, "+")
	s, _, _ = strings.Cut(s, "-")
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return semver{}, false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return semver{}, false
		}
		n[i] = v
	}
	return semver{n[0], n[1], n[2]}, true
}

// Less orders two versions by semver precedence; a version that is not
// X.Y.Z sorts first, and such versions by text.
func Less(a, b string) bool {
	va, oka := parseSemver(a)
	vb, okb := parseSemver(b)
	if oka != okb {
		return okb
	}
	if !oka || va == vb {
		return a < b
	}
	if va.major != vb.major {
		return va.major < vb.major
	}
	if va.minor != vb.minor {
		return va.minor < vb.minor
	}
	return va.patch < vb.patch
}

// madeBump is the bump from version a to b: the highest part that went up;
// None when they are equal, not versions, or b is not above a.
func madeBump(a, b string) Bump {
	va, oka := parseSemver(a)
	vb, okb := parseSemver(b)
	if !oka || !okb {
		return None
	}
	switch {
	case vb.major != va.major:
		if vb.major > va.major {
			return Major
		}
	case vb.minor != va.minor:
		if vb.minor > va.minor {
			return Minor
		}
	case vb.patch > va.patch:
		return Patch
	}
	return None
}

// Verdict says whether NEW's version makes the bump the change requires.
type Verdict struct {
	// OK: the version is at least what is required (and above OLD's when
	// anything changed).
	OK bool `json:"ok"`
	// Higher: the version was bumped more than required (a warning).
	Higher bool `json:"higher,omitempty"`
	// Text says it in words.
	Text string `json:"text"`
}

func verdict(d *Diff) Verdict {
	o, n := d.Old.Version, d.New.Version
	_, oko := parseSemver(o)
	_, okn := parseSemver(n)
	switch {
	case d.Old.Base != d.New.Base && d.Required == Major && okn:
		// Another regimen: its version starts its own line.
		return Verdict{OK: true, Text: fmt.Sprintf("%s is another regimen than %s; its versions start their own line", d.New.Base, d.Old.Base)}
	case !oko || !okn:
		if d.Required == None {
			return Verdict{OK: true, Text: "the documents are the same; the names carry no semantic version to compare"}
		}
		return Verdict{Text: fmt.Sprintf("the change requires a %s bump, but the names carry no semantic version to compare (%s, %s)", d.Required, quoteOr(d.Old.Name), quoteOr(d.New.Name))}
	}
	made := d.Made
	above := Less(o, n)
	switch {
	case d.Required == None && !above && o == n:
		return Verdict{OK: true, Text: fmt.Sprintf("the documents are the same and so is the version (%s)", n)}
	case !above:
		return Verdict{Text: fmt.Sprintf("version %s is not above %s; the change requires a %s bump", n, o, atLeastPatch(d.Required))}
	case made < d.Required:
		return Verdict{Text: fmt.Sprintf("version %s → %s is a %s bump; the change requires a %s bump", o, n, made, d.Required)}
	case made > d.Required:
		return Verdict{OK: true, Higher: true, Text: fmt.Sprintf("version %s → %s is a %s bump; a %s bump would do", o, n, made, bumpOrNone(d.Required))}
	}
	return Verdict{OK: true, Text: fmt.Sprintf("version %s → %s is a %s bump, as the change requires", o, n, made)}
}

func quoteOr(s string) string {
	if s == "" {
		return "no name"
	}
	return strconv.Quote(s)
}

func atLeastPatch(b Bump) Bump { return max(b, Patch) }

func bumpOrNone(b Bump) string {
	if b == None {
		return "no"
	}
	return b.String()
}

// NextVersion is the smallest version above v that makes bump b.
func NextVersion(v string, b Bump) string {
	s, ok := parseSemver(v)
	if !ok {
		return ""
	}
	switch b {
	case Major:
		return fmt.Sprintf("%d.0.0", s.major+1)
	case Minor:
		return fmt.Sprintf("%d.%d.0", s.major, s.minor+1)
	}
	return fmt.Sprintf("%d.%d.%d", s.major, s.minor, s.patch+1)
}
