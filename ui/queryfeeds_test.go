package ui

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/feeds"
)

// queryStore is a fake store with query feeds: it records the views asked
// for.
type queryStore struct {
	*fakeStore
	qmu    sync.Mutex
	counts []feeds.QueryCount
	views  []feeds.View
}

func (q *queryStore) QueryCounts(context.Context) ([]feeds.QueryCount, error) {
	q.qmu.Lock()
	defer q.qmu.Unlock()
	return append([]feeds.QueryCount(nil), q.counts...), nil
}

func (q *queryStore) PageOf(ctx context.Context, v feeds.View, page, size int) (feeds.Page, error) {
	q.qmu.Lock()
	q.views = append(q.views, v)
	q.qmu.Unlock()
	return q.fakeStore.PageOf(ctx, v, page, size)
}

// The feeds pane lists the query feeds under ★ Starred with their counts,
// which it reads afresh each time it opens; enter lists one.
func TestFeedsPaneListsQueryFeeds(t *testing.T) {
	var qs *queryStore
	f := newFixture(t, 100, 30, func(o *Options, st *fakeStore) {
		qs = &queryStore{fakeStore: st, counts: []feeds.QueryCount{{Name: "Money", Unread: 2, Total: 5}, {Name: "Water", Total: 1}}}
		o.Articles = qs
	})
	f.keys("F")
	out := ansi.Strip(f.view())
	lines := strings.Split(out, "\n")
	at := func(sub string) int {
		for i, l := range lines {
			if strings.Contains(l, sub) {
				return i
			}
		}
		return -1
	}
	star, money, water := at("★ Starred"), at("⌕ Money"), at("⌕ Water")
	if star < 0 || money != star+1 || water != star+2 {
		t.Fatalf("query rows not under ★ Starred (%d %d %d):\n%s", star, money, water, out)
	}
	if !strings.Contains(lines[money], "2/5") || !strings.Contains(lines[water], "0/1") {
		t.Errorf("query counts:\n%s\n%s", lines[money], lines[water])
	}
	// A read elsewhere: the counts follow when the pane opens again.
	qs.qmu.Lock()
	qs.counts[0].Unread = 1
	qs.qmu.Unlock()
	f.keys("F", "F")
	if out := ansi.Strip(f.view()); !strings.Contains(out, "1/5") {
		t.Errorf("counts did not follow:\n%s", out)
	}
	f.keys("j", "j", "enter")
	qs.qmu.Lock()
	last := qs.views[len(qs.views)-1]
	qs.qmu.Unlock()
	if last.QueryFeed != "Money" || last.FeedID != 0 || last.Starred {
		t.Errorf("enter on ⌕ Money asked for %+v", last)
	}
	if v := ansi.Strip(f.view()); !strings.Contains(v, "⌕ Money — Viewing") {
		t.Errorf("the list does not name the query feed:\n%s", v)
	}
}

// A headline a highlight rule matches is drawn in the theme's highlight
// colour, in cards and in compact rows; the others are not.
func TestHighlightedHeadlines(t *testing.T) {
	f := newFixture(t, 100, 30, func(_ *Options, st *fakeStore) {
		st.articles[1].Highlight = true
	})
	st := f.m.sh.styles
	if st.Palette.Highlight == nil || st.Palette.Highlight == st.Palette.Text {
		t.Fatalf("no highlight colour in the palette: %+v", st.Palette)
	}
	for _, compact := range []bool{false, true} {
		if compact {
			f.keys("v")
		}
		out := f.view()
		// The style's opening sequence, then the title (compact rows pad it).
		on, _, _ := strings.Cut(st.TitleHigh.Render("\x00"), "\x00")
		if !strings.Contains(out, on+f.store.articles[1].Title) {
			t.Errorf("compact %v: the highlighted headline is not in the highlight colour:\n%q", compact, out)
		}
		if strings.Contains(out, on+f.store.articles[2].Title) {
			t.Errorf("compact %v: a headline no rule matches is highlighted", compact)
		}
	}
}
