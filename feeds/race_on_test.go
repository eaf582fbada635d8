//go:build race

package feeds

// raceOn: the race detector slows SQLite (pure Go) many times, so the
// agreement tests try fewer combinations under it.
const raceOn = true
