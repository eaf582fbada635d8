package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/rates"
)

// refreshing adds n new articles at the top.
func withNewArticles(n *int) fixOpt {
	made := 0
	return func(o *Options, st *fakeStore) {
		o.RefreshFeed = func(_ context.Context, fd feeds.Feed) feeds.Result {
			if fd.ID != 1 || *n == 0 {
				return feeds.Result{Feed: fd}
			}
			var add []feeds.Article
			for range *n {
				id := "new" + string(rune('A'+made))
				made++
				add = append([]feeds.Article{{ID: id, FeedName: "Times of CA", Title: "Breaking " + id, Published: testNow}}, add...)
			}
			st.prepend(add...)
			res := feeds.Result{Feed: fd, New: *n}
			*n = 0
			return res
		}
	}
}

// testNow is the fixed clock of every test.
var testNow = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

var sampleTitles = []struct{ feed, title, summary string }{
	{"The Times of Central Asia", "Navigating Energy and Diplomacy: Putin's Visit to Kazakhstan", "The Kremlin has confirmed that the Russian president will travel to Astana next week for talks on energy, transit corridors and the future of the Caspian Pipeline Consortium, officials said on Tuesday."},
	{"24.kg", "Токаев подписал закон о цифровых активах", "Президент Казахстана подписал закон, регулирующий оборот цифровых активов и деятельность криптобирж на территории страны."},
	{"Xinhua Central Asia", "中亚峰会在西安举行，各国领导人讨论贸易与能源合作", "中国与中亚五国领导人在西安举行会晤，就贸易、能源与交通互联互通达成多项共识。"},
	{"Kun.uz", "🚄 New rail link cuts Almaty–Tashkent trip to 7 hours 🎉", "The high-speed service launches in spring with four daily trains; tickets go on sale in February."},
	{"The Times of Central Asia", "Uzbekistan Shakes Up Top Security Positions", "President Mirziyoyev has replaced the heads of two security agencies in a reshuffle analysts link to next year's reform plans."},
	{"AKIpress", "Kyrgyz som steady as remittances from Russia recover", "The National Bank said inflows rose 4% in October."},
	{"Asia-Plus", "Таджикистан и Узбекистан договорились о водных квотах", "Стороны подписали соглашение о распределении воды на вегетационный период."},
	{"The Times of Central Asia", "Turkmenistan opens a new section of the TAPI pipeline", "Ashgabat says the Afghan section will be finished by 2028."},
	{"Kun.uz", "Tashkent metro extends its ring line", ""},
	{"24.kg", "Bishkek air quality: schools to close on smog days", "City hall approved a plan to close schools when PM2.5 exceeds the limit for three days in a row, a measure parents have asked for since last winter, when readings hit records."},
}

// sampleArticles makes n articles, an hour apart, newest first.
func sampleArticles(n int) []feeds.Article {
	out := make([]feeds.Article, n)
	for i := range n {
		s := sampleTitles[i%len(sampleTitles)]
		title := s.title
		if i >= len(sampleTitles) {
			title = fmt.Sprintf("%s (%d)", s.title, i/len(sampleTitles)+1)
		}
		out[i] = feeds.Article{
			ID:        fmt.Sprintf("a%03d", i),
			FeedID:    int64(i%3 + 1),
			FeedName:  s.feed,
			Title:     title,
			Link:      fmt.Sprintf("https://example.org/news/%03d", i),
			Summary:   s.summary,
			Content:   "## " + title + "\n\n" + s.summary + "\n\n- first point\n- second point\n\nRead more at [the source](https://example.org/).",
			Published: testNow.Add(-time.Duration(i+1) * 47 * time.Minute),
			Read:      i%4 == 3,
		}
	}
	return out
}

func sampleFeeds() []feeds.Feed {
	return []feeds.Feed{
		{ID: 1, Name: "Times of CA", URL: "https://timesca.com/feed/", LastOK: testNow.Add(-3 * time.Minute), LastFetch: testNow.Add(-3 * time.Minute)},
		{ID: 2, Name: "24.kg", URL: "https://24.kg/rss/", LastOK: testNow.Add(-2 * time.Hour), LastFetch: testNow.Add(-5 * time.Minute), LastError: "fetch https://24.kg/rss/: Get \"https://24.kg/rss/\": dial tcp: lookup 24.kg: no such host", LastStatus: "error"},
		{ID: 3, Name: "Kun.uz", URL: "https://kun.uz/news/rss", LastOK: testNow.Add(-20 * time.Minute), LastFetch: testNow.Add(-20 * time.Minute)},
	}
}

func sampleQuotes() []rates.Quote {
	d := testNow.Truncate(24 * time.Hour)
	return []rates.Quote{
		{Code: "KGS", Base: "USD", PerBase: 87.41, InBase: 1 / 87.41, ChangePct: 0.12, HasChange: true, AsOf: d, Source: "erapi"},
		{Code: "KZT", Base: "USD", PerBase: 478.95, InBase: 1 / 478.95, ChangePct: -0.11, HasChange: true, AsOf: d, Source: "frankfurter"},
		{Code: "TJS", Base: "USD", PerBase: 10.92, InBase: 1 / 10.92, ChangePct: 0, HasChange: true, AsOf: d, Source: "nbt"},
		{Code: "UZS", Base: "USD", PerBase: 12707.57, InBase: 1 / 12707.57, ChangePct: 0.03, HasChange: true, AsOf: d.AddDate(0, 0, -4), Source: "cbu"},
		{Code: "TMT", Base: "USD", PerBase: 3.5, InBase: 1 / 3.5, AsOf: d, Source: "cbu"},
	}
}

// timerMsg stands for a timer in tests: the driver keeps it pending instead
// of waiting, and fires it on request.
type timerMsg struct {
	d   time.Duration
	msg tea.Msg
}

// fixture is a model wired to fakes and a synchronous driver.
type fixture struct {
	t        testing.TB
	m        *Model
	store    *fakeStore
	timers   []timerMsg
	quit     bool
	opened   []string
	feedRuns []int64
	rateRuns int
	mu       sync.Mutex
}

type fixOpt func(*Options, *fakeStore)

func newFixture(t testing.TB, w, h int, opts ...fixOpt) *fixture {
	t.Helper()
	st := &fakeStore{articles: sampleArticles(40), feeds: sampleFeeds()}
	f := &fixture{t: t, store: st}
	quotes := sampleQuotes()
	o := Options{
		Context:  t.Context(),
		Articles: st,
		Quotes:   func(context.Context) ([]rates.Quote, error) { return quotes, nil },
		RefreshFeed: func(_ context.Context, fd feeds.Feed) feeds.Result {
			f.mu.Lock()
			f.feedRuns = append(f.feedRuns, fd.ID)
			f.mu.Unlock()
			fd.LastOK = testNow
			fd.LastError = ""
			return feeds.Result{Feed: fd, Total: 10}
		},
		RefreshRates: func(context.Context) (rates.Report, error) {
			f.mu.Lock()
			f.rateRuns++
			f.mu.Unlock()
			return rates.Report{Quotes: quotes, Providers: []string{"erapi"}}, nil
		},
		Stale:   func(q rates.Quote, now time.Time) bool { return now.Sub(q.AsOf) > 3*24*time.Hour },
		Series:  sampleSeries(quotes),
		Credits: []string{"Rates: ExchangeRate-API"},
		OpenURL: func(u string) error {
			f.mu.Lock()
			f.opened = append(f.opened, u)
			f.mu.Unlock()
			return nil
		},
		Now:           func() time.Time { return testNow },
		FeedInterval:  15 * time.Minute,
		RatesInterval: time.Hour,
		FetchTimeout:  30 * time.Second,
	}
	for _, fn := range opts {
		fn(&o, st)
	}
	m, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	f.m = m
	f.m.sh.io.after = func(d time.Duration, msg tea.Msg) tea.Cmd {
		return func() tea.Msg { return timerMsg{d: d, msg: msg} }
	}
	f.run(f.m.Init())
	f.send(tea.WindowSizeMsg{Width: w, Height: h})
	return f
}

// run executes a Cmd and every Cmd that follows, synchronously. Timers are
// parked in f.timers.
func (f *fixture) run(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case timerMsg:
			f.timers = append(f.timers, msg)
		case tea.QuitMsg:
			f.quit = true
		default:
			_, next := f.m.Update(msg)
			queue = append(queue, next)
		}
	}
}

// view is the frame's content: what the renderer gets, styles and all.
func (f *fixture) view() string { return f.m.View().Content }

func (f *fixture) send(msg tea.Msg) {
	_, cmd := f.m.Update(msg)
	f.run(cmd)
}

// fire fires (and removes) the pending timers whose message matches.
func (f *fixture) fire(match func(tea.Msg) bool) int {
	var keep, fire []timerMsg
	for _, tm := range f.timers {
		if match(tm.msg) {
			fire = append(fire, tm)
		} else {
			keep = append(keep, tm)
		}
	}
	f.timers = keep
	for _, tm := range fire {
		f.send(tm.msg)
	}
	return len(fire)
}

func (f *fixture) pending(match func(tea.Msg) bool) int {
	n := 0
	for _, tm := range f.timers {
		if match(tm.msg) {
			n++
		}
	}
	return n
}

func isTick(m tea.Msg) bool { _, ok := m.(tickerTickMsg); return ok }

func isDue(m tea.Msg) bool { _, ok := m.(sourceDueMsg); return ok }

// keys sends key presses: names like "enter", "esc", "down", "space", or
// plain text typed rune by rune.
func (f *fixture) keys(ks ...string) {
	for _, k := range ks {
		f.send(keyMsg(k))
	}
}

// keyMsg is a key press as Bubble Tea's input decoder makes it: a named
// key ("enter", "pgdown", "space", "ctrl+c", "alt+d", "shift+enter") or
// one character.
func keyMsg(k string) tea.KeyPressMsg {
	named := map[string]rune{
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "up": tea.KeyUp, "down": tea.KeyDown,
		"left": tea.KeyLeft, "right": tea.KeyRight, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
		"home": tea.KeyHome, "end": tea.KeyEnd, "backspace": tea.KeyBackspace, "delete": tea.KeyDelete,
		"tab": tea.KeyTab,
	}
	var mod tea.KeyMod
	for {
		switch {
		case strings.HasPrefix(k, "ctrl+") && len(k) > 5:
			mod |= tea.ModCtrl
			k = k[5:]
			continue
		case strings.HasPrefix(k, "alt+") && len(k) > 4:
			mod |= tea.ModAlt
			k = k[4:]
			continue
		case strings.HasPrefix(k, "shift+") && len(k) > 6:
			mod |= tea.ModShift
			k = k[6:]
			continue
		}
		break
	}
	if c, ok := named[k]; ok {
		return tea.KeyPressMsg{Code: c, Mod: mod}
	}
	if k == "space" {
		if mod != 0 {
			return tea.KeyPressMsg{Code: tea.KeySpace, Mod: mod}
		}
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	r, _ := utf8.DecodeRuneInString(k)
	if mod != 0 {
		return tea.KeyPressMsg{Code: unicode.ToLower(r), Mod: mod}
	}
	p := tea.KeyPressMsg{Code: r, Text: k}
	if unicode.IsUpper(r) {
		p.Code, p.ShiftedCode, p.Mod = unicode.ToLower(r), r, tea.ModShift
	}
	return p
}

// typeText types s character by character.
func (f *fixture) typeText(s string) {
	for _, r := range s {
		if r == ' ' {
			f.send(keyMsg("space"))
			continue
		}
		f.send(keyMsg(string(r)))
	}
}

// sampleSeries is a history of each quote: twelve publications drifting
// towards the quote's value (TMT flat at its peg).
func sampleSeries(quotes []rates.Quote) func(context.Context, string, time.Time) ([]rates.Point, error) {
	return func(_ context.Context, code string, since time.Time) ([]rates.Point, error) {
		for _, q := range quotes {
			if q.Code != code {
				continue
			}
			var pts []rates.Point
			for i := 11; i >= 0; i-- {
				v := q.InBase
				if code != "TMT" {
					v *= 1 + float64((i*7)%5-2)/400
				}
				d := q.AsOf.AddDate(0, 0, -i)
				if !d.Before(since) {
					pts = append(pts, rates.Point{Date: d, InBase: v})
				}
			}
			return pts, nil
		}
		return nil, nil
	}
}
