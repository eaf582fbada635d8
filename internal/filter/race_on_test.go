//go:build race

package filter

// raceOn: the race detector slows SQLite (pure Go) some seventy times, so
// the randomised agreement test runs fewer rules under it.
const raceOn = true
