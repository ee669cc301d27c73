package spell

import (
	"sort"
	"strings"
)

// Nearest returns the candidate closest to name, or "" when none is close
// enough to be a plausible typo: an edit distance of at most a third of the
// name's length (at least 1), or the same name in another case.
func Nearest(name string, candidates []string) string {
	return NearestWithin(name, candidates, max(len(name)/3, 1))
}

// NearestWithin is Nearest with an explicit largest edit distance. The
// distance is counted in characters and ignores case; a candidate equal to
// name is never suggested, and among equally close candidates the first in
// sorted order wins.
func NearestWithin(name string, candidates []string, limit int) string {
	return nearest(name, candidates, limit, true)
}

// NearestCased is NearestWithin for names in which case matters (YAML
// anchors): another case counts as an edit like any other.
func NearestCased(name string, candidates []string, limit int) string {
	return nearest(name, candidates, limit, false)
}

func nearest(name string, candidates []string, limit int, fold bool) string {
	best, bestD := "", -1
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	for _, c := range sorted {
		if c == name {
			continue
		}
		var d int
		switch {
		case !fold:
			d = Distance(name, c)
		case strings.EqualFold(c, name):
			d = 0
		default:
			d = Distance(strings.ToLower(name), strings.ToLower(c))
		}
		if d <= limit && (bestD < 0 || d < bestD) {
			best, bestD = c, d
		}
	}
	return best
}

// maxDistanceLen bounds the work of Distance: names longer than this are
// never typos of each other, and comparing them would take time quadratic
// in their length.
const maxDistanceLen = 200

// Distance is the Levenshtein distance between a and b, counted in
// characters (runes). Past maxDistanceLen bytes it gives up: 0 for equal
// strings, else the longer length.
func Distance(a, b string) int {
	if len(a) > maxDistanceLen || len(b) > maxDistanceLen {
		if a == b {
			return 0
		}
		return max(len(a), len(b))
	}
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
