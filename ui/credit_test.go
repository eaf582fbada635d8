package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/rates"

	"github.com/charmbracelet/x/ansi"
)

func TestCreditOfShownRateSourceOnDateLine(t *testing.T) {
	f := newFixture(t, 100, 30, func(o *Options, _ *fakeStore) {
		o.Credit = func(src string) string {
			if src == "erapi" {
				return "Rates: ExchangeRate-API"
			}
			return ""
		}
	})
	lines := strings.Split(ansi.Strip(f.m.View()), "\n")
	if !strings.Contains(lines[1], "27 November 2026") || !strings.HasSuffix(lines[1], "Rates: ExchangeRate-API") {
		t.Errorf("date line %q should end with the credit of the erapi quotes shown", lines[1])
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > 100 {
			t.Errorf("line wider than 100: %q", l)
		}
	}
	// A narrow screen drops the credit rather than the date.
	f.send(tea.WindowSizeMsg{Width: 30, Height: 20})
	lines = strings.Split(ansi.Strip(f.m.View()), "\n")
	if !strings.Contains(lines[1], "27 November 2026") || strings.Contains(lines[1], "Rates:") {
		t.Errorf("narrow date line %q", lines[1])
	}
}

func TestStatusLineSummarisesWhenCrowded(t *testing.T) {
	f := newFixture(t, 60, 20)
	got := ansi.Strip(f.m.status.View())
	if ansi.StringWidth(got) > 60 {
		t.Fatalf("status wider than 60: %q", got)
	}
	f.send(tea.WindowSizeMsg{Width: 200, Height: 20})
	wide := ansi.Strip(f.m.status.View())
	if !strings.Contains(wide, "updated") {
		t.Fatalf("wide status names no source state: %q", wide)
	}
}

func TestEmptyListSaysWhy(t *testing.T) {
	f := newFixture(t, 80, 24, func(o *Options, st *fakeStore) {
		st.articles = nil
		o.RefreshFeed = func(_ context.Context, fd feeds.Feed) feeds.Result {
			return feeds.Result{Feed: fd, Err: errors.New("host not found: " + fd.Name)}
		}
	})
	f.fire(isDue)
	got := ansi.Strip(f.m.View())
	if !strings.Contains(got, "No articles yet: no feed could be fetched") {
		t.Errorf("every feed failed, but the empty list does not say so:\n%s", got)
	}
	off := newFixture(t, 80, 24, func(o *Options, st *fakeStore) {
		st.articles = nil
		o.Offline = true
	})
	if got := ansi.Strip(off.m.View()); !strings.Contains(got, "No articles yet: offline") {
		t.Errorf("offline and empty:\n%s", got)
	}
}

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
	got := ansi.Strip(f.m.View())
	for _, want := range []string{"sources that failed (others answered): cbu: GET", "HTTP 503", "rejected: TMT from cbu: 3.020 per USD is 13.71% off"} {
		if !strings.Contains(strings.ReplaceAll(got, "\n   ", " "), want) {
			t.Errorf("sources pane lacks %q:\n%s", want, got)
		}
	}
}

func TestOverflowingPageScrollsOnlyAsFarAsTheSelectionNeeds(t *testing.T) {
	f := newFixture(t, 80, 20, func(o *Options, _ *fakeStore) { o.PageSize = 6 })
	first := f.m.list.Page().Items[0].Title
	f.keys("j") // the second headline still fits below the first
	f.expect(1, "a001")
	if got := ansi.Strip(f.m.View()); !strings.Contains(got, first) {
		t.Errorf("moving to the second headline scrolled the first out of view:\n%s", got)
	}
	f.keys("j", "j", "j", "j") // the last one does not: the top scrolls away
	f.expect(1, "a005")
	got := ansi.Strip(f.m.View())
	if strings.Contains(got, first) || !strings.Contains(got, f.m.list.Page().Items[5].Title) {
		t.Errorf("the sixth headline should be in view and the first scrolled away:\n%s", got)
	}
}
