package ui

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/steppe-news/steppe/feeds"
)

// BenchmarkKeypress is one `j`/`k` keypress (Update + View) on a loaded page.
func BenchmarkKeypress(b *testing.B) { benchMoves(b, newFixture(b, 120, 40)) }

// benchMoves presses j and k in turn (Update + View).
func benchMoves(b *testing.B, f *fixture) {
	j, k := keyMsg("j"), keyMsg("k")
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		msg := j
		if i%2 == 1 {
			msg = k
		}
		f.m.Update(msg)
		_ = f.view()
	}
}

// BenchmarkTickerFrame is one scroll frame of the ticker (Update + View).
func BenchmarkTickerFrame(b *testing.B) {
	f := newFixture(b, 120, 40)
	t := f.m.ticker
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		_, _ = t.Update(tickerTickMsg{version: t.version})
		_ = t.View()
	}
}

// BenchmarkTickerFrameRoot is a ticker frame as Bubble Tea runs it: the root
// Update and the whole screen's View.
func BenchmarkTickerFrameRoot(b *testing.B) {
	f := newFixture(b, 120, 40)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		f.m.Update(tickerTickMsg{version: f.m.ticker.version})
		_ = f.view()
	}
}

var _ tea.Model = (*Model)(nil)

// manyFeeds is a fixture whose store holds n feeds, every third failing,
// all of them known to the scheduler (some fetching).
func manyFeeds(b *testing.B, n int) *fixture {
	f := newFixture(b, 120, 40, func(o *Options, st *fakeStore) {
		st.feeds = make([]feeds.Feed, n)
		for i := range st.feeds {
			fd := feeds.Feed{ID: int64(i + 1), Name: fmt.Sprintf("Feed number %d", i+1), URL: fmt.Sprintf("https://feeds.example/%d.xml", i+1),
				LastOK: testNow.Add(-time.Duration(i%90) * time.Minute), LastFetch: testNow.Add(-time.Minute)}
			if i%3 == 0 {
				fd.LastError = "HTTP 503 Service Unavailable"
			}
			st.feeds[i] = fd
		}
	})
	f.fire(isDue) // eight start, the rest wait for a slot
	return f
}

// BenchmarkKeypress10kFeeds is a j/k keypress (Update + View) while ten
// thousand feeds are known and eight are fetching.
func BenchmarkKeypress10kFeeds(b *testing.B) { benchMoves(b, manyFeeds(b, 10000)) }

// BenchmarkSourcesPane10kFeeds opens the sources pane (`e`) over ten
// thousand feeds, draws it, scrolls a page and closes it: the first frame
// lays every source out once, later frames reuse the layout.
func BenchmarkSourcesPane10kFeeds(b *testing.B) {
	f := manyFeeds(b, 10000)
	e, pg := keyMsg("e"), keyMsg("pgdown")
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		f.m.Update(e)
		_ = f.view()
		f.m.Update(pg)
		_ = f.view()
		f.m.Update(e)
	}
}
