package compiler

import "testing"

func TestVersionedNames(t *testing.T) {
	for _, tc := range []struct {
		name          string
		base, version string // SplitVersionedName; "" when not ok
		major         int    // VersionMajor
		majorBase     string
		suggested     string
	}{
		{"VisualBehavior_Task1A_v1.2.0", "VisualBehavior_Task1A", "1.2.0", 1, "VisualBehavior_Task1A", "regimen VisualBehavior_Task1A version 1.2.0"},
		{"Foo_v2.0.0-rc.1+b7", "Foo", "2.0.0-rc.1+b7", 2, "Foo", ""},
		{"Foo_v10", "", "", 10, "Foo", ""},
		{"Foo_v01.2.3", "", "", 1, "Foo", "regimen Foo version 01.2.3"},
		{"a.b_v1.0.0", "", "", 1, "a.b", ""},
		{"A_v1_v1.0.0", "A_v1", "1.0.0", 1, "A_v1", "regimen A_v1 version 1.0.0"},
		{"X_v1.0.0_v2", "", "", 2, "X_v1.0.0", ""},
		{"Pilot_Training", "", "", -1, "Pilot_Training", ""},
		{"v1.0.0", "", "", -1, "v1.0.0", ""},
		{"Foo_v1.2.3.4", "", "", -1, "Foo_v1.2.3.4", ""},
	} {
		base, version, ok := SplitVersionedName(tc.name)
		if ok != (tc.base != "") || base != tc.base || version != tc.version {
			t.Errorf("SplitVersionedName(%q) = %q, %q, %v; want %q, %q", tc.name, base, version, ok, tc.base, tc.version)
		}
		if b, m := VersionMajor(tc.name); b != tc.majorBase || m != tc.major {
			t.Errorf("VersionMajor(%q) = %q, %d; want %q, %d", tc.name, b, m, tc.majorBase, tc.major)
		}
		if got := suggestedHeader(tc.name); got != tc.suggested {
			t.Errorf("suggestedHeader(%q) = %q, want %q", tc.name, got, tc.suggested)
		}
	}
}

// TestIsIdentIsIdentRE holds IsIdent (isIdentText, spelled out for speed) to the
// pattern it spells: ASCII letters, digits and underscores, not starting
// with a digit.
func TestIsIdentIsIdentRE(t *testing.T) {
	for _, s := range []string{"", "a", "_", "A9", "9a", "a-b", "a b", "é", "aé", "a\n", "ab_c9", "Z", "_0", "0", "a.b", "\x00", "stage", "a\u0660"} {
		if got, want := IsIdent(s), identSpec.MatchString(s); got != want {
			t.Errorf("IsIdent(%q) = %v, the pattern says %v", s, got, want)
		}
	}
}
