//go:build !race

package feeds

const raceOn = false
