package rates

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Bounds of the sanity checks.
const (
	// medianTolerance is how far a quote may be from the median of the other
	// providers' quotes of the same code.
	medianTolerance = 0.05
	// pegTolerance is how far a pegged currency may be from its peg.
	pegTolerance = 0.02
	// historyTolerance is how far a quote that no other source confirms may
	// move from the stored history (either way: ×1.2 or ÷1.2) before it is
	// held as unconfirmed. None of these currencies moves that much in a day.
	historyTolerance = 0.20
	// maxAhead is how far after now a quote may be dated: official rates
	// are often published for tomorrow, never for the day after.
	maxAhead = 24 * time.Hour
	// minRate and maxRate bound any rate (units of a currency per unit of
	// another): the currencies furthest apart today are about 10⁶ apart.
	minRate = 1e-9
	maxRate = 1e9
)

// peg is a currency fixed against a base.
type peg struct {
	Base    string
	PerBase float64
	Since   time.Time
}

// pegs: the Turkmen manat is fixed at 3.50 per USD since 2015-01-01.
var pegs = map[string]peg{
	"TMT": {Base: "USD", PerBase: 3.50, Since: time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)},
}

// pegOf is the peg q's currency is held to on q's date, if any.
func pegOf(q Quote) (peg, bool) {
	p, ok := pegs[q.Code]
	return p, ok && p.Base == q.Base && !q.AsOf.Before(p.Since)
}

// who names a quote in a reason: "KZT from nbk".
func who(q Quote) string { return q.Code + " from " + q.Source }

// implausible says why q cannot be a rate at all at now, or "": its
// numbers are not positive, do not agree, or are beyond any currency's; it
// has no date or is dated more than a day after now.
func implausible(q Quote, now time.Time) string {
	switch {
	case !usable(q.PerBase) || !usable(q.InBase):
		return fmt.Sprintf("rate %v is not a positive number", q.PerBase)
	case math.Abs(q.PerBase*q.InBase-1) > 1e-6:
		return fmt.Sprintf("per-base %v and in-base %v disagree", q.PerBase, q.InBase)
	case q.PerBase < minRate || q.PerBase > maxRate:
		return fmt.Sprintf("%s per %s is beyond any currency's rate (%g to %g)", FormatValue(q.PerBase), q.Base, minRate, maxRate)
	case q.AsOf.IsZero():
		return "no publication date"
	case q.AsOf.After(now.Add(maxAhead)):
		return fmt.Sprintf("dated %s, more than a day after now (%s)", q.AsOf.Format(dayLayout), now.UTC().Format("2006-01-02 15:04 MST"))
	}
	return ""
}

// insane says why q (provider i's quote among cands) is not sane at now,
// or "".
func insane(q Quote, cands []*Quote, i int, now time.Time) string {
	if r := implausible(q, now); r != "" {
		return who(q) + ": " + r
	}
	if p, ok := pegOf(q); ok {
		if off := q.PerBase/p.PerBase - 1; math.Abs(off) > pegTolerance {
			return fmt.Sprintf("%s: %s per %s is %s off the %s peg", who(q), FormatValue(q.PerBase), q.Base, pct(off), FormatValue(p.PerBase))
		}
		if q.HasChange {
			prevPer := q.PerBase * (1 + q.ChangePct/100)
			if off := prevPer/p.PerBase - 1; math.Abs(off) > pegTolerance || !finite(prevPer) {
				return fmt.Sprintf("%s: moved %s in a day (from %s per %s) although pegged at %s",
					who(q), signedPct(q.ChangePct), FormatValue(prevPer), q.Base, FormatValue(p.PerBase))
			}
		}
		return ""
	}
	var others []float64
	var names []string
	for j, o := range cands {
		if j == i || o == nil || implausible(*o, now) != "" {
			continue
		}
		others = append(others, o.PerBase)
		names = append(names, o.Source)
	}
	if len(others) == 0 {
		return ""
	}
	sort.Float64s(others)
	lo, hi := others[(len(others)-1)/2], others[len(others)/2]
	var off float64
	switch {
	case q.PerBase < lo:
		off = q.PerBase/lo - 1
	case q.PerBase > hi:
		off = q.PerBase/hi - 1
	}
	if math.Abs(off) > medianTolerance {
		med := (lo + hi) / 2
		return fmt.Sprintf("%s: %s per %s is %s off the median %s of %s", who(q), FormatValue(q.PerBase), q.Base,
			pct(off), FormatValue(med), strings.Join(names, ", "))
	}
	return ""
}

// agrees is whether two rates of one pair are within historyTolerance of
// each other, either way.
func agrees(a, b float64) bool {
	r := a / b
	return r <= 1+historyTolerance && r >= 1/(1+historyTolerance)
}

func pct(f float64) string { return fmt.Sprintf("%.2f%%", math.Abs(f)*100) }

func signedPct(p float64) string { return fmt.Sprintf("%+.2f%%", p) }
