package ui

import (
	"context"
	"strings"
	"testing"
	"time"

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
