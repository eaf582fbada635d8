//go:build !race

package filter

const raceOn = false
