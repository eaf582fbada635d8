package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/rates"
)

func TestSparkline(t *testing.T) {
	cases := []struct {
		vals  []float64
		width int
		want  string
	}{
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8}, 8, "▁▂▃▄▅▆▇█"},
		{[]float64{8, 1}, 8, "█▁"},
		{[]float64{3.5, 3.5, 3.5}, 8, "▄▄▄"},
		{[]float64{1, 2, 3, 10}, 2, "▁█"}, // the newest points are kept
		{nil, 8, ""},
		{[]float64{1, 2}, 0, ""},
	}
	for _, c := range cases {
		if got := sparkline(c.vals, c.width); got != c.want {
			t.Errorf("sparkline(%v, %d) = %q, want %q", c.vals, c.width, got, c.want)
		}
	}
}

func TestRatesPaneLoadsHistoryAndInverts(t *testing.T) {
	var asked []string
	f := newFixture(t, 100, 30, func(o *Options, _ *fakeStore) {
		series := o.Series
		o.Series = func(ctx context.Context, code string, since time.Time) ([]rates.Point, error) {
			asked = append(asked, code)
			if want := testNow.AddDate(0, 0, -sparkDays); !since.Equal(want) {
				t.Errorf("history asked since %v, want %v", since, want)
			}
			return series(ctx, code, since)
		}
	})
	f.keys("$")
	if strings.Join(asked, ",") != "KGS,KZT,TJS,UZS,TMT" {
		t.Fatalf("history asked for %v", asked)
	}
	got := ansi.Strip(f.view())
	for _, want := range []string{"Rates  ($ or esc", "KGS/USD", "▅▁▆▃█▅▁▆▃█▅▁", "TMT/USD      0.2857            ▄▄▄▄", "cbu · 23 Nov 2026 ⌛ stale"} {
		if !strings.Contains(got, want) {
			t.Errorf("rates pane lacks %q:\n%s", want, got)
		}
	}
	f.keys("i")
	got = ansi.Strip(f.view())
	// Inverting flips the values and turns the sparklines upside down.
	if !strings.Contains(got, "USD/KGS") || !strings.Contains(got, "12,707.57") || !strings.Contains(got, "▄█▃▆▁▄█▃▆▁▄█") {
		t.Errorf("inverted rates pane:\n%s", got)
	}
	f.keys("esc")
	if strings.Contains(ansi.Strip(f.view()), "Rates  ($ or esc") {
		t.Error("esc did not close the rates pane")
	}
}

// realCredit is rates.Credit for the tests: ExchangeRate-API and CBU ask
// for one, frankfurter for none.
func realCredit(src string) string {
	switch src {
	case "erapi":
		return "Rates: ExchangeRate-API"
	case "cbu":
		return "Rates: Central Bank of Uzbekistan"
	}
	return ""
}

// The credits in the help, the sources pane and the rates pane are those
// of the sources of the rates on screen: every rate from frankfurter
// credits no ExchangeRate-API, and no rates at all (every provider failed)
// credit nothing, whatever the configured providers.
func TestCreditsFollowTheShownRates(t *testing.T) {
	only := func(src string, n int) fixOpt {
		return func(o *Options, _ *fakeStore) {
			o.Credit = realCredit
			o.Credits = []string{"Rates: ExchangeRate-API", "Rates: Central Bank of Uzbekistan"}
			q := sampleQuotes()[:n]
			for i := range q {
				q[i].Source = src
			}
			o.Quotes = func(context.Context) ([]rates.Quote, error) { return q, nil }
			o.RefreshRates = nil
		}
	}
	panes := []string{"?", "e", "$"}
	for _, c := range []struct {
		name   string
		opt    fixOpt
		want   []string
		unwant []string
	}{
		{"frankfurter", only("frankfurter", 5), nil, []string{"ExchangeRate-API", "Central Bank"}},
		{"none", only("frankfurter", 0), nil, []string{"ExchangeRate-API", "Central Bank"}},
		{"cbu", only("cbu", 5), []string{"Rates: Central Bank of Uzbekistan"}, []string{"ExchangeRate-API"}},
		{"mixed", nil, []string{"Rates: ExchangeRate-API", "Rates: Central Bank of Uzbekistan"}, nil},
	} {
		opts := []fixOpt{func(o *Options, _ *fakeStore) { o.Credit = realCredit }}
		if c.opt != nil {
			opts = []fixOpt{c.opt}
		}
		f := newFixture(t, 120, 40, opts...)
		for _, k := range panes {
			f.keys(k)
			v := ansi.Strip(f.view())
			for _, w := range c.want {
				if !strings.Contains(v, w) {
					t.Errorf("%s, pane %s: no %q:\n%s", c.name, k, w, v)
				}
			}
			for _, u := range c.unwant {
				if strings.Contains(v, u) {
					t.Errorf("%s, pane %s: credits %q for no rate shown:\n%s", c.name, k, u, v)
				}
			}
			f.keys("esc")
		}
	}
}

// noRates is a store without quotes whose reasons (as main's Missing gives
// them from the last refresh) are *why; a rates refresh finds nothing and
// sets them to after.
func noRates(why *[]MissingRate, after []MissingRate) fixOpt {
	return func(o *Options, _ *fakeStore) {
		o.Quotes = func(context.Context) ([]rates.Quote, error) { return nil, nil }
		o.Missing = func(_ context.Context, shown []rates.Quote) []MissingRate {
			if len(shown) != 0 {
				panic("shown quotes")
			}
			return *why
		}
		o.RefreshRates = func(context.Context) (rates.Report, error) {
			*why = after
			return rates.Report{Missing: []string{"KGS", "KZT", "TMT"}}, errors.New("every provider failed")
		}
	}
}

// With no rates stored, the ticker row says why, each currency's reason
// as `steppe rates` gives it (currencies of one reason together), and so
// does the rates pane, a line a currency; a refresh that finds nothing
// brings its own reasons.
func TestNoRatesSaysWhy(t *testing.T) {
	why := []MissingRate{{"KGS", "USD", "nothing stored yet"}, {"KZT", "USD", "nothing stored yet"}, {"TMT", "USD", "nothing stored yet"}}
	failed := []MissingRate{
		{"KGS", "USD", "no source that answered carries it (frankfurter, erapi failed)"},
		{"KZT", "USD", "no source that answered carries it (frankfurter, erapi failed)"},
		{"TMT", "USD", "every quote of it was rejected (TMT from cbu: 4.04% off the 3.50 peg)"},
	}
	f := newFixture(t, 200, 30, noRates(&why, failed))
	// The first refresh ran in Init: its reasons are on screen.
	line := ansi.Strip(strings.Split(f.view(), "\n")[0])
	want := "No rates: KGS, KZT: no source that answered carries it (frankfurter, erapi failed)  •  TMT: every quote of it was rejected (TMT from cbu: 4.04% off the 3.50 peg)"
	if line != want {
		t.Fatalf("ticker %q\nwant   %q", line, want)
	}
	f.keys("$")
	v := ansi.Strip(f.view())
	for _, w := range []string{
		" KGS/USD  no quote: no source that answered carries it (frankfurter, erapi failed)",
		" KZT/USD  no quote: no source that answered carries it (frankfurter, erapi failed)",
		" TMT/USD  no quote: every quote of it was rejected (TMT from cbu: 4.04% off the 3.50 peg)",
	} {
		if !strings.Contains(v, w) {
			t.Errorf("rates pane lacks %q:\n%s", w, v)
		}
	}
	if strings.Contains(v, "no rates stored yet") {
		t.Errorf("rates pane says only that nothing is stored:\n%s", v)
	}
	f.keys("i")
	if v := ansi.Strip(f.view()); !strings.Contains(v, " USD/TMT  no quote: every quote") {
		t.Errorf("inverted rates pane:\n%s", v)
	}
	f.keys("esc", "i")

	// Before any refresh (offline): nothing stored yet, said once for all.
	why = why[:0]
	why = append(why, MissingRate{"KGS", "USD", "nothing stored yet"}, MissingRate{"KZT", "USD", "nothing stored yet"})
	f = newFixture(t, 200, 30, noRates(&why, nil), func(o *Options, _ *fakeStore) { o.Offline = true })
	line = ansi.Strip(strings.Split(f.view(), "\n")[0])
	if line != "No rates: KGS, KZT: nothing stored yet" {
		t.Fatalf("offline ticker %q", line)
	}
	// A narrow terminal scrolls the reasons; nothing is wider than it.
	f.send(tea.WindowSizeMsg{Width: 30, Height: 20})
	checkFits(t, f.view(), 30, 20)
	if n := f.pending(isTick); n != 1 {
		t.Fatalf("%d tick loops for a long reason", n)
	}
}

// A reason is text from outside (a provider's error): it reaches neither
// the ticker nor the rates pane with its controls (a lone 0x9b byte is
// not looked for: the sample's Cyrillic holds it inside its characters).
func TestNoRatesReasonIsSanitised(t *testing.T) {
	why := []MissingRate{{"KGS" + hostile, "USD", "erapi said " + hostile}}
	f := newFixture(t, 120, 30, noRates(&why, why))
	for _, k := range []string{"", "$"} {
		if k != "" {
			f.keys(k)
		}
		plain := sgrSeq.ReplaceAllString(f.view(), "")
		for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e", "\x00", "\x08", "\r"} {
			if strings.Contains(plain, bad) {
				t.Fatalf("pane %q: %q in output:\n%q", k, bad, plain)
			}
		}
		if !strings.Contains(plain, "erapi said") {
			t.Fatalf("pane %q: no reason:\n%s", k, ansi.Strip(plain))
		}
		checkFits(t, f.view(), 120, 30)
	}
}
