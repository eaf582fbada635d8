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
