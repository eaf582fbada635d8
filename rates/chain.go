package rates

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Chain tries its providers in order, per currency: the first fresh, sane
// quote of a code wins.
type Chain struct {
	// Now is the clock that decides freshness (Stale) and what is dated
	// too far ahead to be a rate; NewChain sets time.Now. Tests and replays
	// may set another.
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
// A winner that is its code's only plausible quote and that moved further
// from the stored history than historyTolerance is stored, but held as
// unconfirmed (see holdUnconfirmed). The error is non-nil only when no code
// got a quote; a failure of the store is reported in Report.StoreErr.
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
			if reason := insane(*q, cs, i, now); reason != "" {
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

	c.holdUnconfirmed(ctx, &rep, winners, cands, now)
	extra := c.completeChanges(ctx, base, winners, winnerProv, now)

	contributed := make([]bool, len(c.providers))
	var toSave []Quote
	for k, code := range codes {
		if winners[k] == nil {
			rep.Missing = append(rep.Missing, code)
			continue
		}
		toSave = append(toSave, *winners[k])
		contributed[winnerProv[k]] = true
		rep.Quotes = append(rep.Quotes, shown(*winners[k]))
	}
	for i, p := range c.providers {
		if contributed[i] {
			rep.Providers = append(rep.Providers, p.Name())
		}
	}
	if c.store != nil {
		if err := c.store.Save(ctx, append(toSave, extra...)); err != nil {
			rep.StoreErr = err
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
func (c *Chain) completeChanges(ctx context.Context, base string, winners []*Quote, prov []int, now time.Time) []Quote {
	type key struct {
		prov int
		asOf time.Time
	}
	groups := map[key][]int{}
	var order []key
	for k, q := range winners {
		if q == nil || q.HasChange || q.Unconfirmed {
			continue
		}
		if c.store != nil {
			if prev, ok, err := c.store.previous(ctx, *q, true); err == nil && ok {
				q.ChangePct, q.HasChange = changePct(q.InBase, prev)
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
			if pq, ok := byCode[q.Code]; ok && insane(pq, nil, -1, now) == "" {
				q.ChangePct, q.HasChange = changePct(q.InBase, pq.InBase)
				pq.Code = q.Code
				extra = append(extra, pq)
				continue
			}
			if c.store != nil {
				if prev, ok, err := c.store.previous(ctx, *q, false); err == nil && ok {
					q.ChangePct, q.HasChange = changePct(q.InBase, prev)
				}
			}
		}
	}
	return extra
}

// holdUnconfirmed marks the winners no second source backs and that moved
// too far: a winner is held as unconfirmed when it is its code's only
// plausible quote in this refresh, its currency is not pegged (the peg rule
// bounds those), and it is further than historyTolerance from every stored
// quote it is checked against (see references). Each one held is reported
// with the reason. Every other winner confirms the stored quotes it agrees
// with (see confirm) now, before changes are measured against them.
func (c *Chain) holdUnconfirmed(ctx context.Context, rep *Report, winners []*Quote, cands map[string][]*Quote, now time.Time) {
	if c.store == nil {
		return
	}
	storeErr := func(err error) {
		if rep.StoreErr == nil {
			rep.StoreErr = err
		}
	}
	for _, q := range winners {
		if q == nil {
			continue
		}
		refs, err := references(ctx, c.store.db, *q)
		if err != nil {
			storeErr(err)
			continue
		}
		if held := wild(*q, cands[q.Code], refs, now); held != "" {
			q.Unconfirmed = true
			rep.Unconfirmed = append(rep.Unconfirmed, Held{Quote: shown(*q), Reason: held})
			continue
		}
		if err := confirmAmong(ctx, c.store.db, *q, refs); err != nil {
			storeErr(err)
		}
	}
}

// wild says why q, a winner among cands with the stored references refs,
// is to be held as unconfirmed, or "" (see holdUnconfirmed).
func wild(q Quote, cands []*Quote, refs []Quote, now time.Time) string {
	if _, ok := pegOf(q); ok {
		return ""
	}
	plausible := 0
	for _, o := range cands {
		if o != nil && implausible(*o, now) == "" {
			plausible++
		}
	}
	if plausible > 1 || len(refs) == 0 || slices.ContainsFunc(refs, func(r Quote) bool { return agrees(q.InBase, r.InBase) }) {
		return ""
	}
	ref := refs[0]
	for _, r := range refs {
		if r.AsOf.Before(q.AsOf) && !r.Unconfirmed {
			ref = r
			break
		}
	}
	return fmt.Sprintf("%s: %s per %s is %s off %s on %s (from %s); no other source quotes %s, so it is held as unconfirmed until a second source or the next publication agrees",
		who(q), FormatValue(q.PerBase), q.Base, pct(q.PerBase/ref.PerBase-1), FormatValue(ref.PerBase), ref.AsOf.Format(dayLayout), ref.Source, q.Code)
}

// shown is q as a report shows it: an unconfirmed quote has no change,
// since the move itself is in doubt.
func shown(q Quote) Quote {
	if q.Unconfirmed {
		q.ChangePct, q.HasChange = 0, false
	}
	return q
}
