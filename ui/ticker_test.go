package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/rates"
)

func TestInvertFlipsTicker(t *testing.T) {
	f := newFixture(t, 200, 24)
	line := func() string { return ansi.Strip(strings.Split(f.view(), "\n")[0]) }
	if l := line(); !strings.Contains(l, "KGS/USD = 0.01144 ▲0.12%") || !strings.Contains(l, "UZS/USD = 0.00007869 ⌛") {
		t.Fatalf("ticker: %q", l)
	}
	f.keys("i")
	if l := line(); !strings.Contains(l, "USD/KGS = 87.41 ▼0.12%") || !strings.Contains(l, "USD/UZS = 12,707.57") || strings.Contains(l, "KGS/USD") {
		t.Fatalf("inverted ticker: %q", l)
	}
	f.keys("i")
	if l := line(); !strings.Contains(l, "KGS/USD") {
		t.Fatalf("ticker: %q", l)
	}
}

func TestTickerLoop(t *testing.T) {
	f := newFixture(t, 80, 24)
	if n := f.pending(isTick); n != 1 {
		t.Fatalf("%d tick loops", n)
	}
	before := f.m.ticker.View()
	f.fire(isTick)
	if f.m.ticker.View() == before || f.pending(isTick) != 1 {
		t.Fatal("a tick did not scroll or did not re-arm")
	}
	// pause: the in-flight tick dies
	f.keys("space")
	frozen := f.m.ticker.View()
	f.fire(isTick)
	if f.pending(isTick) != 0 || f.m.ticker.View() != frozen {
		t.Fatal("ticks continue while paused")
	}
	// resume, pause, resume quickly: still one loop
	f.keys("space", "space", "space")
	if f.m.ticker.Paused() {
		t.Fatal("paused")
	}
	for range 3 {
		f.fire(isTick)
	}
	if n := f.pending(isTick); n != 1 {
		t.Fatalf("%d loops after resume", n)
	}
	// resizing does not start a second loop
	f.send(tea.WindowSizeMsg{Width: 90, Height: 24})
	f.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	if n := f.pending(isTick); n != 1 {
		t.Fatalf("%d loops after resize", n)
	}
	// wide enough for the whole strip: no ticks at all
	f.send(tea.WindowSizeMsg{Width: 200, Height: 30})
	f.fire(isTick)
	if n := f.pending(isTick); n != 0 {
		t.Fatalf("%d ticks with nothing to scroll", n)
	}
}

func TestStaleTickDropped(t *testing.T) {
	f := newFixture(t, 80, 24)
	old := f.m.ticker.version
	f.keys("space", "space") // new loop, new version
	before := f.m.ticker.View()
	_, cmd := f.m.Update(tickerTickMsg{version: old})
	if cmd != nil || f.m.ticker.View() != before {
		t.Fatal("stale tick was honoured")
	}
	_, cmd = f.m.Update(tickerTickMsg{version: f.m.ticker.version})
	if cmd == nil || f.m.ticker.View() == before {
		t.Fatal("current tick was dropped")
	}
}

func TestNoQuotesNoTicks(t *testing.T) {
	f := newFixture(t, 80, 24, func(o *Options, _ *fakeStore) {
		o.Quotes = nil
		o.RefreshRates = nil
	})
	if n := f.pending(isTick); n != 0 {
		t.Fatalf("%d ticks without quotes", n)
	}
}

// A paused ticker says so at the left of its line, and the date line and
// the count line stay where they are.
func TestPausedTickerSaysSo(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.keys("space")
	lines := strings.Split(ansi.Strip(f.view()), "\n")
	if !strings.HasPrefix(lines[0], "⏸ ") || !strings.Contains(lines[1], "27 November 2026") || !strings.Contains(lines[2], "Viewing results") {
		t.Fatalf("paused:\n%s", strings.Join(lines[:3], "\n"))
	}
	checkFits(t, f.view(), 80, 24)
	f.keys("space")
	if strings.HasPrefix(ansi.Strip(f.view()), "⏸") {
		t.Fatal("still marked paused after resuming")
	}
}

// A lone source's implausible quote is shown as unconfirmed, without a
// change, in the ticker and the rates pane.
func TestUnconfirmedQuote(t *testing.T) {
	f := newFixture(t, 200, 30, func(o *Options, _ *fakeStore) {
		q := sampleQuotes()
		q[0] = rates.Quote{Code: "KGS", Base: "USD", PerBase: 1, InBase: 1, AsOf: testNow.Truncate(24 * time.Hour), Source: "erapi", Unconfirmed: true}
		o.Quotes = func(context.Context) ([]rates.Quote, error) { return q, nil }
	})
	line := ansi.Strip(strings.Split(f.view(), "\n")[0])
	if !strings.Contains(line, "KGS/USD = 1.000 (unconfirmed)") || strings.Contains(line, "8640") {
		t.Fatalf("ticker %q", line)
	}
	f.keys("$")
	if !strings.Contains(ansi.Strip(f.view()), "erapi · 27 Nov 2026 · unconfirmed") {
		t.Fatalf("rates pane:\n%s", ansi.Strip(f.view()))
	}
}
