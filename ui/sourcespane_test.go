package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/rates"
)

func TestSourcesPaneShowsFailedAndRejectedRateSources(t *testing.T) {
	f := newFixture(t, 100, 30, func(o *Options, _ *fakeStore) {
		quotes := sampleQuotes()
		o.RefreshRates = func(context.Context) (rates.Report, error) {
			return rates.Report{
				Quotes:    quotes,
				Providers: []string{"erapi"},
				Errors:    map[string]error{"cbu": errors.New("cbu: GET https://cbu.uz/x: HTTP 503 Service Unavailable")},
				Rejected:  []rates.Rejection{{Reason: "TMT from cbu: 3.020 per USD is 13.71% off the 3.500 peg"}},
			}, nil
		}
	})
	f.fire(isDue)
	f.keys("e")
	got := ansi.Strip(f.view())
	for _, want := range []string{"sources that failed (others answered): cbu: GET", "HTTP 503", "rejected: TMT from cbu: 3.020 per USD is 13.71% off"} {
		if !strings.Contains(strings.ReplaceAll(got, "\n   ", " "), want) {
			t.Errorf("sources pane lacks %q:\n%s", want, got)
		}
	}
}
