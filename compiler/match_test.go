package compiler

import (
	"regexp"
	"testing"
)

// The regular expressions the hand-written matchers of match.go stand for.
var (
	semverSpec       = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$`)
	conventionSpec   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$`)
	identSpec        = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	md5Spec          = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)
	exactVersionSpec = regexp.MustCompile(`^\d+\.\d+\.\d+$`)
	quantitySpec     = regexp.MustCompile(`^(-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?)[ \t]*(.*)$`)
	allowSpec        = regexp.MustCompile(`^//\s*regc:allow\b(.*)$`)
)

func checkMatchers(t *testing.T, s string) {
	t.Helper()
	for _, m := range []struct {
		name string
		got  bool
		re   *regexp.Regexp
	}{
		{"isSemver", isSemver(s), semverSpec},
		{"isConventionalName", isConventionalName(s), conventionSpec},
		{"isIdentText", isIdentText(s), identSpec},
		{"IsMD5", IsMD5(s), md5Spec},
		{"isExactVersion", isExactVersion(s), exactVersionSpec},
	} {
		if want := m.re.MatchString(s); m.got != want {
			t.Errorf("%s(%q) = %v, the expression says %v", m.name, s, m.got, want)
		}
	}
	num, unit := splitQuantity(s)
	wantNum, wantUnit := s, ""
	if m := quantitySpec.FindStringSubmatch(s); m != nil {
		wantNum, wantUnit = m[1], m[2]
	}
	if num != wantNum || unit != wantUnit {
		t.Errorf("splitQuantity(%q) = %q, %q; the expression says %q, %q", s, num, unit, wantNum, wantUnit)
	}
	rest, ok := allowDirective(s)
	m := allowSpec.FindStringSubmatch(s)
	if ok != (m != nil) || ok && rest != m[1] {
		t.Errorf("allowDirective(%q) = %q, %v; the expression says %q", s, rest, ok, m)
	}
}

var matcherCases = []string{
	"", "1.2.3", "0.0.0", "01.2.3", "1.02.3", "1.2", "1.2.3.4", "1.2.3-rc.1+b.5", "1.2.3-", "1.2.3+", "1.2.3-a-b", "1.2.3+a+b",
	"1.2.3-é", "10.20.30", "1.2.3\n", "Name", "Name_v1", "a__b", "a_", "_a", "a1_B2", "1a", "a-b", "x y",
	"0123456789abcdef0123456789ABCDEF", "0123456789abcdef0123456789abcde", "0123456789abcdef0123456789abcdeg",
	"7 uL", "7uL", "-1 s", "1e5 s", "1e5s", "2em", "2e", "1.5e-3 mL", ".5 s", "5. s", "1.", "-.5e+2\tms", "7 u\nL", "x", "-",
	"e5", "1e", "1e+", "1 ", "1\t \tmin", "12.5.6",
	"// regc:allow trap-stage", "//regc:allow", "// regc:allowx", "// regc:allow_x", "//\t\r regc:allow: why", "/ regc:allow",
	"// regc:allow\n", "// regc:allow é", "// regc:allow-x", " // regc:allow",
}

func TestMatchersMatchRegexps(t *testing.T) {
	for _, s := range matcherCases {
		checkMatchers(t, s)
	}
}

func FuzzMatchersMatchRegexps(f *testing.F) {
	for _, s := range matcherCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkMatchers(t, s) })
}
