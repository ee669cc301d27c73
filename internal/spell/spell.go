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
	best, bestD := "", -1
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	for _, c := range sorted {
		if c == name {
			continue
		}
		d := Distance(strings.ToLower(name), strings.ToLower(c))
		if strings.EqualFold(c, name) {
			d = 0
		}
		if d <= limit && (bestD < 0 || d < bestD) {
			best, bestD = c, d
		}
	}
	return best
}

// Distance is the Levenshtein distance between a and b, counted in
// characters (runes).
func Distance(a, b string) int {
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
