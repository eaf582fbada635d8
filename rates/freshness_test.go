package rates

import (
	"testing"
	"time"
)

func TestStale(t *testing.T) {
	fri := Quote{AsOf: day("2026-05-22")}
	for _, c := range []struct {
		q     Quote
		now   string
		stale bool
	}{
		{fri, "2026-05-22", false},
		{fri, "2026-05-23", false},                            // Saturday
		{fri, "2026-05-24", false},                            // Sunday
		{fri, "2026-05-25", false},                            // Monday
		{fri, "2026-05-26", false},                            // Tuesday: two publication days later
		{fri, "2026-05-27", true},                             // Wednesday
		{Quote{AsOf: day("2026-05-20")}, "2026-05-22", false}, // Wed on Fri
		{Quote{AsOf: day("2026-05-20")}, "2026-05-25", true},  // Wed on Mon
		{Quote{AsOf: day("2026-05-26")}, "2026-05-25", false}, // dated tomorrow
		{Quote{AsOf: day("2025-01-01")}, "2026-05-25", true},
		{Quote{}, "2026-05-25", true},
	} {
		now := day(c.now).Add(15 * time.Hour)
		if got := Stale(c.q, now); got != c.stale {
			t.Errorf("Stale(%s at %s) = %v, want %v", c.q.AsOf.Format("Mon 2006-01-02"), now.Format("Mon 2006-01-02"), got, c.stale)
		}
	}
}
