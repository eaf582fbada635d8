package rates

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"
)

// Tolerances of the sanity check.
const (
	// medianTolerance is how far a quote may be from the median of the other
	// providers' quotes of the same code.
	medianTolerance = 0.05
	// pegTolerance is how far a pegged currency may be from its peg.
	pegTolerance = 0.02
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

// Chain tries its providers in order, per currency: the first fresh, sane
// quote of a code wins.
type Chain struct {
	// Now is the clock that decides freshness (Stale); NewChain sets
	// time.Now. Tests and replays may set another.
	Now func() time.Time

	providers []Provider
	store     *Store
}

// NewChain chains providers (in order) over a store (nil: no history).
func NewChain(providers []Provider, store *Store) *Chain {
	return &Chain{Now: time.Now, providers: providers, store: store}
}

type fetched struct {
	quotes []Quote
	err    error
}

// Refresh fetches every provider (concurrently), picks per code the first
// fresh, sane quote in provider order (else the newest sane stale one),
// completes changes from history or from the winner's previous publication,
// saves winners and the previous publications it fetched, and reports.
// A provider that returns quotes together with an error (NBKR when only
// weekly.xml failed) contributes the quotes and has its error reported.
// The error is non-nil only when no code got a quote; a failure to save is
// reported in Report.Errors["store"].
func (c *Chain) Refresh(ctx context.Context, base string, codes []string) (Report, error) {
	base = strings.ToUpper(strings.TrimSpace(base))
	codes = upper(codes)
	rep := Report{Errors: map[string]error{}}
	if base == "" || len(codes) == 0 {
		return rep, errors.New("rates: refresh: no base or no currencies")
	}
	now := time.Now()
	if c.Now != nil {
		now = c.Now()
	}

	res := make([]fetched, len(c.providers))
	var wg sync.WaitGroup
	for i, p := range c.providers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			qs, err := p.Fetch(ctx, base, codes, time.Time{})
			res[i] = fetched{qs, err}
		}()
	}
	wg.Wait()

	want := map[string]bool{}
	for _, code := range codes {
		want[code] = true
	}
	// cands[code][i] is provider i's quote of code, if any.
	cands := map[string][]*Quote{}
	for i, p := range c.providers {
		if res[i].err != nil {
			rep.Errors[p.Name()] = res[i].err
		}
		for _, q := range res[i].quotes {
			q.Code, q.Base = strings.ToUpper(q.Code), strings.ToUpper(q.Base)
			if !want[q.Code] || q.Base != base {
				continue
			}
			if q.Source == "" {
				q.Source = p.Name()
			}
			q.AsOf = utcDate(q.AsOf)
			if cands[q.Code] == nil {
				cands[q.Code] = make([]*Quote, len(c.providers))
			}
			if cands[q.Code][i] == nil {
				qq := q
				cands[q.Code][i] = &qq
			}
		}
	}

	winners := make([]*Quote, len(codes))
	winnerProv := make([]int, len(codes))
	for k, code := range codes {
		cs := cands[code]
		stale := -1
		winnerProv[k] = -1
		for i, q := range cs {
			if q == nil {
				continue
			}
			if reason := insane(*q, cs, i); reason != "" {
				rep.Rejected = append(rep.Rejected, Rejection{Quote: *q, Reason: reason})
				continue
			}
			if winnerProv[k] >= 0 {
				continue
			}
			if !Stale(*q, now) {
				winnerProv[k] = i
			} else if stale < 0 || q.AsOf.After(cs[stale].AsOf) {
				stale = i
			}
		}
		if winnerProv[k] < 0 {
			winnerProv[k] = stale
		}
		if winnerProv[k] >= 0 {
			q := *cs[winnerProv[k]]
			winners[k] = &q
		}
	}

	extra := c.completeChanges(ctx, base, winners, winnerProv)

	contributed := make([]bool, len(c.providers))
	var toSave []Quote
	for k, code := range codes {
		if winners[k] == nil {
			rep.Missing = append(rep.Missing, code)
			continue
		}
		rep.Quotes = append(rep.Quotes, *winners[k])
		contributed[winnerProv[k]] = true
		toSave = append(toSave, *winners[k])
	}
	for i, p := range c.providers {
		if contributed[i] {
			rep.Providers = append(rep.Providers, p.Name())
		}
	}
	if c.store != nil {
		if err := c.store.Save(ctx, append(toSave, extra...)); err != nil {
			rep.Errors["store"] = err
		}
	}
	if len(rep.Quotes) == 0 {
		var msgs []string
		for _, p := range c.providers {
			if err := rep.Errors[p.Name()]; err != nil {
				msgs = append(msgs, err.Error())
			}
		}
		for _, r := range rep.Rejected {
			msgs = append(msgs, "rejected "+r.Reason)
		}
		if len(msgs) == 0 {
			msgs = append(msgs, "no provider carries them")
		}
		return rep, fmt.Errorf("rates: no quote for %s: %s", strings.Join(codes, ", "), strings.Join(msgs, "; "))
	}
	return rep, nil
}

// completeChanges gives a change to winners without one: against the
// history of the same source, else against the source's own previous
// publication (fetched, and returned to be saved), else against the history
// of any source.
func (c *Chain) completeChanges(ctx context.Context, base string, winners []*Quote, prov []int) []Quote {
	type key struct {
		prov int
		asOf time.Time
	}
	groups := map[key][]int{}
	var order []key
	for k, q := range winners {
		if q == nil || q.HasChange {
			continue
		}
		if c.store != nil {
			if prev, ok, err := c.store.previous(ctx, *q, true); err == nil && ok {
				setChange(q, prev)
				continue
			}
		}
		kk := key{prov[k], q.AsOf}
		if groups[kk] == nil {
			order = append(order, kk)
		}
		groups[kk] = append(groups[kk], k)
	}
	var extra []Quote
	for _, kk := range order {
		idx := groups[kk]
		var codes []string
		for _, k := range idx {
			codes = append(codes, winners[k].Code)
		}
		p := c.providers[kk.prov]
		prevs, err := p.Fetch(ctx, base, codes, kk.asOf.AddDate(0, 0, -1))
		byCode := map[string]Quote{}
		if err == nil {
			for _, pq := range prevs {
				pq.AsOf = utcDate(pq.AsOf)
				if pq.Source == "" {
					pq.Source = p.Name()
				}
				if strings.ToUpper(pq.Base) == base && pq.AsOf.Before(kk.asOf) && usable(pq.InBase) && usable(pq.PerBase) {
					byCode[strings.ToUpper(pq.Code)] = pq
				}
			}
		}
		for _, k := range idx {
			q := winners[k]
			if pq, ok := byCode[q.Code]; ok && insane(pq, nil, -1) == "" {
				setChange(q, pq.InBase)
				pq.Code = q.Code
				extra = append(extra, pq)
				continue
			}
			if c.store != nil {
				if prev, ok, err := c.store.previous(ctx, *q, false); err == nil && ok {
					setChange(q, prev)
				}
			}
		}
	}
	return extra
}

// insane says why q (provider i's quote among cands) is not sane, or "".
func insane(q Quote, cands []*Quote, i int) string {
	who := q.Code + " from " + q.Source
	if !usable(q.PerBase) || !usable(q.InBase) {
		return fmt.Sprintf("%s: rate %v is not a positive number", who, q.PerBase)
	}
	if d := math.Abs(q.PerBase*q.InBase - 1); d > 1e-6 {
		return fmt.Sprintf("%s: per-base %v and in-base %v disagree", who, q.PerBase, q.InBase)
	}
	if p, ok := pegs[q.Code]; ok && p.Base == q.Base && !q.AsOf.Before(p.Since) {
		if off := q.PerBase/p.PerBase - 1; math.Abs(off) > pegTolerance {
			return fmt.Sprintf("%s: %s per %s is %s off the %s peg", who, FormatValue(q.PerBase), q.Base, pct(off), FormatValue(p.PerBase))
		}
		if q.HasChange {
			prevPer := q.PerBase * (1 + q.ChangePct/100)
			if off := prevPer/p.PerBase - 1; math.Abs(off) > pegTolerance || isBad(prevPer) {
				return fmt.Sprintf("%s: moved %s in a day (from %s per %s) although pegged at %s",
					who, signedPct(q.ChangePct), FormatValue(prevPer), q.Base, FormatValue(p.PerBase))
			}
		}
		return ""
	}
	var others []float64
	var names []string
	for j, o := range cands {
		if j == i || o == nil || !usable(o.PerBase) {
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
		return fmt.Sprintf("%s: %s per %s is %s off the median %s of %s", who, FormatValue(q.PerBase), q.Base,
			pct(off), FormatValue(med), strings.Join(names, ", "))
	}
	return ""
}

func pct(f float64) string { return fmt.Sprintf("%.2f%%", math.Abs(f)*100) }

func signedPct(p float64) string { return fmt.Sprintf("%+.2f%%", p) }

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
