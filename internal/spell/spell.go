package spell

import (
	"sort"
	"strings"
)

// Nearest returns the candidate closest to name, or "" when none is close
// enough to be a plausible typo: an edit distance of at most a third of the
// name's length (at least 1), or the same name in another case. Names with
// numbers as words of their own in them (`1_gratings`, `TRAINING_2_flashed`)
// are near only names with the same numbers: a number in a stage's name is
// its place in the training, and another number is another stage, not a
// typo. (A number inside a word, as in `Stage2` or `Task_v1.0.1`, is
// spelling like any other.)
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
		if c == name || !sameNumbers(name, c) {
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

// Distance is the edit distance between a and b (insertions, deletions,
// substitutions, and two neighbours swapped, each counting 1: the optimal
// string alignment distance), counted in characters (runes). Past maxDistanceLen bytes it gives up: 0 for equal
// strings, else the longer length.
func Distance(a, b string) int {
	if len(a) > maxDistanceLen || len(b) > maxDistanceLen {
		if a == b {
			return 0
		}
		return max(len(a), len(b))
	}
	ra, rb := []rune(a), []rune(b)
	before := make([]int, len(rb)+1) // the row two above
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
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], before[j-2]+1) // two neighbours swapped
			}
		}
		before, prev, cur = prev, cur, before
	}
	return prev[len(rb)]
}

// sameNumbers reports whether a and b hold the same number words, in the
// same order (both none included).
func sameNumbers(a, b string) bool {
	na, nb := numbers(a), numbers(b)
	if len(na) != len(nb) {
		return false
	}
	for i := range na {
		if na[i] != nb[i] {
			return false
		}
	}
	return true
}

// numbers returns the number words of s: runs of digits with a separator
// (or the end of s) on both sides.
func numbers(s string) []string {
	sep := func(i int) bool {
		return i < 0 || i >= len(s) || s[i] == '_' || s[i] == '-' || s[i] == ' '
	}
	var out []string
	for i := 0; i < len(s); {
		if s[i] < '0' || s[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if sep(i-1) && sep(j) {
			out = append(out, s[i:j])
		}
		i = j
	}
	return out
}
