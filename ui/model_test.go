package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/rates"
)

func TestQuit(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		f := newFixture(t, 80, 24)
		f.keys(k)
		if !f.quit {
			t.Fatalf("%s did not quit", k)
		}
	}
	f := newFixture(t, 80, 24)
	f.keys("/", "ctrl+c")
	if !f.quit {
		t.Fatal("ctrl+c in search did not quit")
	}
}

func TestCreditOfShownRateSourceOnDateLine(t *testing.T) {
	f := newFixture(t, 100, 30, func(o *Options, _ *fakeStore) {
		o.Credit = func(src string) string {
			if src == "erapi" {
				return "Rates: ExchangeRate-API"
			}
			return ""
		}
	})
	lines := strings.Split(ansi.Strip(f.view()), "\n")
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
	lines = strings.Split(ansi.Strip(f.view()), "\n")
	if !strings.Contains(lines[1], "27 November 2026") || strings.Contains(lines[1], "Rates:") {
		t.Errorf("narrow date line %q", lines[1])
	}
}

func TestProgramSmoke(t *testing.T) {
	st := &fakeStore{articles: sampleArticles(40), feeds: sampleFeeds()}
	quotes := sampleQuotes()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	m, err := New(Options{
		Context:  ctx,
		Articles: st,
		Quotes:   func(context.Context) ([]rates.Quote, error) { return quotes, nil },
		RefreshFeed: func(_ context.Context, f feeds.Feed) feeds.Result {
			return feeds.Result{Feed: f}
		},
		RefreshRates:  func(context.Context) (rates.Report, error) { return rates.Report{Quotes: quotes}, nil },
		Now:           func() time.Time { return testNow },
		FeedInterval:  15 * time.Minute,
		RatesInterval: time.Hour,
		FetchTimeout:  30 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	p := runProgram(t, m, 80, 24)
	p.wait("Viewing results 1 - 3 of 40")
	p.p.Send(keyMsg("l"))
	p.wait("Viewing results 4 - 6 of 40")
	p.p.Send(keyMsg("j"))
	p.p.Send(keyMsg("enter"))
	p.wait("second point")
	p.p.Send(keyMsg("esc"))
	p.p.Send(keyMsg("q"))
	fm := p.finished()
	if fm.mode != modeList || fm.list.SelectedID() != "a004" || fm.list.Page().Page != 2 {
		t.Fatalf("final: mode %v page %d sel %s", fm.mode, fm.list.Page().Page, fm.list.SelectedID())
	}
	if len(st.marked) != 1 || st.marked[0] != "a004" {
		t.Fatalf("marked %v", st.marked)
	}
}

// Keys that arrive together (one read of the terminal) each count, in the
// real program and through Bubble Tea's own input decoding: "jj" moves
// twice, "lj" pages and then moves on the new page (the j waits for it), a
// bracketed paste into the search field stays text (its q and space do
// not quit or pause), and "G" then enter reads the last page's first
// headline.
func TestKeysTogether(t *testing.T) {
	st := &fakeStore{articles: sampleArticles(40), feeds: sampleFeeds()}
	m, err := New(Options{Context: t.Context(), Articles: st, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	p := runProgram(t, m, 80, 24)
	p.wait("Viewing results 1 - 3 of 40")
	p.write("jjlj/\x1b[200~q r\x1b[201~")
	p.wait("Search: q r")
	// esc alone: Bubble Tea waits a moment for the rest of a sequence.
	p.write("\x1b")
	p.wait("Viewing results 4 - 6 of 40")
	if sel := p.screen(); !strings.Contains(sel, "▌ ● Uzbekistan Shakes Up Top Security Positions") {
		t.Errorf("jj lj did not end on the second headline of page 2:\n%s", sel)
	}
	p.write("G\r")
	p.wait("Read more at the source")
	p.write("Q")
	fm := p.finished()
	if fm.mode != modeReader || fm.reader.Article().ID != "a039" {
		t.Fatalf("final: mode %v article %s", fm.mode, fm.reader.Article().ID)
	}
	if !slices.Equal(st.marked, []string{"a039"}) {
		t.Fatalf("marked %v", st.marked)
	}
}
