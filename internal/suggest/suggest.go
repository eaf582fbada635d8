// Package suggest finds the known word nearest to a mistyped one, for
// "did you mean …?" in the config's, the command line's and the key map's
// messages.
package suggest

import "strings"

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// editDistance is the Levenshtein distance of a and b (bytes), or limit+1
// once it is certainly more than limit.
func editDistance(a, b string, limit int) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Nearest is the candidate nearest to s, ignoring case ("headline" →
// "headlines"), or "" when none is within a third of its length (at most 3
// edits). candidates are lower-case.
func Nearest(s string, candidates []string) string {
	s = strings.ToLower(s)
	best, bestD := "", 0
	for _, c := range candidates {
		limit := max(1, min(3, len(c)/3))
		if abs(len(c)-len(s)) > limit {
			continue
		}
		if d := editDistance(s, c, limit); d <= limit && (best == "" || d < bestD) {
			best, bestD = c, d
		}
	}
	return best
}
