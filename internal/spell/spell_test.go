package spell

import (
	"strings"
	"testing"
)

func TestNearest(t *testing.T) {
	names := []string{"reward_volume", "stage", "Stage2", "trigger", "dest"}
	for _, tc := range []struct{ name, want string }{
		{"reward_volum", "reward_volume"}, // one edit in 12 characters
		{"STAGE", "stage"},                // another case is always close
		{"trigger", ""},                   // the name itself is never suggested
		{"xyz", ""},                       // nothing within a third of the length
		{"dst", "dest"},                   // at least one edit is allowed
		{"stage2", "Stage2"},
	} {
		if got := Nearest(tc.name, names); got != tc.want {
			t.Errorf("Nearest(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestNearestWithinTies(t *testing.T) {
	// "ab" and "cb" are both one edit from "bb"; the first in sorted order wins,
	// whatever the order given.
	if got := NearestWithin("bb", []string{"cb", "ab"}, 2); got != "ab" {
		t.Errorf("NearestWithin tie = %q, want ab", got)
	}
	if got := NearestWithin("abcdef", []string{"uvwxyz"}, 2); got != "" {
		t.Errorf("NearestWithin beyond the limit = %q, want none", got)
	}
}

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"kitten", "sitting", 3}, {"é", "e", 1}, {"abc", "", 3},
	} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestNearestCased(t *testing.T) {
	anchors := []string{"defaults", "Defaults2", "base"}
	for _, tc := range []struct {
		name  string
		limit int
		want  string
	}{
		{"defualts", 2, "defaults"},
		{"DEFAULTS", 2, ""}, // another case is edits like any other
		{"bse", 1, "base"},
		{"bse", 0, ""},
	} {
		if got := NearestCased(tc.name, anchors, tc.limit); got != tc.want {
			t.Errorf("NearestCased(%q, %d) = %q, want %q", tc.name, tc.limit, got, tc.want)
		}
	}
}

// Long names cost no more than a comparison: past 200 bytes only equality
// counts.
func TestDistanceBounded(t *testing.T) {
	long := strings.Repeat("a", 100000)
	if d := Distance(long, long+"b"); d != 100001 {
		t.Errorf("Distance of long names = %d, want the longer length", d)
	}
	if d := Distance(long, long); d != 0 {
		t.Errorf("Distance of equal long names = %d", d)
	}
}
