package rates

import "math"

// finite is a number that is neither NaN nor infinite.
func finite(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0)
}

// usable is a positive finite number: the one test of a rate, a nominal
// or any leg of a cross rate.
func usable(v float64) bool {
	return v > 0 && finite(v)
}

// changePct is the percent change from prev to now, false when either is
// not usable or the change is not finite.
func changePct(now, prev float64) (float64, bool) {
	if !usable(now) || !usable(prev) {
		return 0, false
	}
	pct := (now/prev - 1) * 100
	if !finite(pct) {
		return 0, false
	}
	return pct, true
}
