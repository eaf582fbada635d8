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

// editDistance is the edit distance of a and b (bytes) where swapping two
// neighbours counts as one edit, as it is one slip of the fingers ("paeg"
// is one from "page"); or limit+1 once it is certainly more than limit.
// (The optimal string alignment distance: Levenshtein's with
// transpositions.)
func editDistance(a, b string, limit int) int {
	prev2 := make([]int, len(b)+1) // row i-2
	prev := make([]int, len(b)+1)  // row i-1
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
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
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
