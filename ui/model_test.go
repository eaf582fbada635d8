package ui

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
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

func TestTeatestSmoke(t *testing.T) {
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
	tm, wait := runTeatest(t, m)
	wait("Viewing results 1 - 3 of 40")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("l")})
	wait("Viewing results 4 - 6 of 40")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("j")})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	wait("second point")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	if fm.mode != modeList || fm.list.SelectedID() != "a004" || fm.list.Page().Page != 2 {
		t.Fatalf("final: mode %v page %d sel %s", fm.mode, fm.list.Page().Page, fm.list.SelectedID())
	}
	if len(st.marked) != 1 || st.marked[0] != "a004" {
		t.Fatalf("marked %v", st.marked)
	}
}

// Keys that arrive in one message each count, in the real program: "jj"
// moves twice, "lj" pages and then moves on the new page (the j waits for
// it), "G" then enter reads the last page's first headline, and a paste
// into the search field stays text.
func TestTeatestKeysTogether(t *testing.T) {
	st := &fakeStore{articles: sampleArticles(40), feeds: sampleFeeds()}
	m, err := New(Options{Context: t.Context(), Articles: st, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	tm, wait := runTeatest(t, m)
	wait("Viewing results 1 - 3 of 40")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jj")})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("lj")})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/")})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q r"), Paste: true})
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("G")})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	wait("Read more at the source")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("Q")})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	if fm.mode != modeReader || fm.reader.Article().ID != "a039" {
		t.Fatalf("final: mode %v article %s", fm.mode, fm.reader.Article().ID)
	}
	if !slices.Equal(st.marked, []string{"a039"}) {
		t.Fatalf("marked %v", st.marked)
	}
}

// runTeatest runs m in teatest at 80x24 and gives a wait for text on its
// output.
func runTeatest(t *testing.T, m *Model) (*teatest.TestModel, func(string)) {
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	return tm, func(s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
			teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
}
