package ui

import (
	"slices"
	"strings"
	"time"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/sanitize"
	"github.com/steppe-news/steppe/internal/textfmt"
	"github.com/steppe-news/steppe/rates"
)

// board is the rate state every component shares, held once by the root:
// the quotes on screen, whether pairs are inverted and the credits their
// sources ask for. rev changes with each of them; components that draw
// quotes rebuild what they cache when it does.
type board struct {
	quotes  []rates.Quote
	missing []MissingRate // configured currencies without a quote, and why
	invert  bool
	credits []string // the credits of the sources of the quotes shown
	sourced bool     // credits follow the quotes' sources (Options.Credit is set)
	rev     int
}

// setQuotes replaces the (sanitised) quotes and why currencies have none,
// and collects the quotes' credits.
func (b *board) setQuotes(q []rates.Quote, missing []MissingRate, credit func(string) string) {
	b.quotes, b.missing = q, missing
	if credit != nil {
		b.credits, b.sourced = b.credits[:0], true
		for _, quote := range q {
			if c := sanitize.Text(credit(quote.Source), false); c != "" && !slices.Contains(b.credits, c) {
				b.credits = append(b.credits, c)
			}
		}
	}
	b.rev++
}

func (b *board) toggleInvert() {
	b.invert = !b.invert
	b.rev++
}

// shownCredits are the credits to show beside rates: those of the sources
// of the quotes on screen (none while none is), or configured when the
// dashboard was given no way to tell a source's credit.
func (b *board) shownCredits(configured []string) []string {
	if b.sourced {
		return b.credits
	}
	return configured
}

// missingGroups are the missing currencies by reason, in the order the
// reasons first come: "KGS, KZT: nothing stored yet".
func (b *board) missingGroups() []string {
	var whys []string
	codes := map[string][]string{}
	for _, m := range b.missing {
		if _, ok := codes[m.Why]; !ok {
			whys = append(whys, m.Why)
		}
		codes[m.Why] = append(codes[m.Why], m.Code)
	}
	out := make([]string, len(whys))
	for i, w := range whys {
		out[i] = strings.Join(codes[w], ", ") + ": " + w
	}
	return out
}

// creditLine is the credits joined for the date line.
func (b *board) creditLine() string { return strings.Join(b.credits, " · ") }

// shared is what the root hands every component once: styles, keys, the
// clock, the way out to the world and the shared rate board.
type shared struct {
	styles *Styles
	keys   *KeyMap
	io     *deps
	board  *board
	stale  func(rates.Quote, time.Time) bool
}

func (s *shared) now() time.Time { return s.io.now() }

// isStale reports whether a quote is stale now (false without a rule).
func (s *shared) isStale(q rates.Quote, now time.Time) bool {
	return s.stale != nil && s.stale(q, now)
}

// when is a list item's time: its age, or "date unknown" for an item that
// came without a usable date (placed at its first-seen time), "" for none.
func when(a feeds.Article, now time.Time) string {
	switch {
	case a.NoDate:
		return "date unknown"
	case a.Published.IsZero():
		return ""
	}
	return textfmt.Age(now, a.Published)
}

// articleMeta is "Feed · 3h ago" for a list item.
func articleMeta(a feeds.Article, now time.Time) string {
	meta := a.FeedName
	if w := when(a, now); w != "" {
		if meta != "" {
			meta += " · "
		}
		meta += w
	}
	return meta
}
