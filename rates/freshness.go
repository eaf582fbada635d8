package rates

import "time"

// Stale reports whether q is older than two publication days at now.
// Publication days are Monday to Friday, so a Friday quote is still fresh
// on Saturday, Sunday, Monday and Tuesday, and stale on Wednesday. A quote
// dated ahead (official rates are often published for tomorrow) is fresh.
func Stale(q Quote, now time.Time) bool {
	if q.AsOf.IsZero() {
		return true
	}
	asOf := utcDate(q.AsOf)
	today := utcDate(now.UTC())
	if !asOf.Before(today) {
		return false
	}
	if today.Sub(asOf) > 30*24*time.Hour {
		return true
	}
	n := 0
	for d := asOf.AddDate(0, 0, 1); !d.After(today); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n > 2
}
