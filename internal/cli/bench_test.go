package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steppe-news/steppe/internal/synctest"

	tea "charm.land/bubbletea/v2"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/rates"
	"github.com/steppe-news/steppe/ui"
)

// The keypress budget (issue 5): Update plus View, and the store read a page
// change causes, with 100,000 stored articles, under 1 ms.

var (
	bigStoreOnce sync.Once
	bigStore     *stores
	bigStoreErr  error
)

// seededStore is a store of 100,000 articles, built once per test binary.
func seededStore(b *testing.B) *stores {
	bigStoreOnce.Do(func() {
		dir, err := mkTemp()
		if err != nil {
			bigStoreErr = err
			return
		}
		ctx := context.Background()
		st, err := openStores(ctx, dir)
		if err != nil {
			bigStoreErr = err
			return
		}
		list, err := st.feeds.SyncFeeds(ctx, []feeds.Spec{{Name: "Bench Feed", URL: "https://bench.example/feed"}})
		if err != nil {
			bigStoreErr = err
			return
		}
		now := time.Now()
		for start := 0; start < 100000; start += 10000 {
			items := make([]feeds.Article, 0, 10000)
			for i := start; i < start+10000; i++ {
				items = append(items, feeds.Article{
					ID:        fmt.Sprintf("bench-%d", i),
					Title:     fmt.Sprintf("Headline %d: Kazakhstan and Uzbekistan sign a water agreement", i),
					Link:      fmt.Sprintf("https://bench.example/%d", i),
					Summary:   strings.Repeat("Negotiators met again in Tashkent to agree summer releases. ", 3),
					Content:   strings.Repeat("A paragraph of the article body.\n\n", 10),
					Published: now.Add(-time.Duration(i) * time.Minute),
				})
			}
			if _, err := st.feeds.SaveArticles(ctx, list[0].ID, items, now); err != nil {
				bigStoreErr = err
				return
			}
		}
		bigStore = st
	})
	if bigStoreErr != nil {
		b.Fatal(bigStoreErr)
	}
	return bigStore
}

var tempDirs []string

func mkTemp() (string, error) {
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("steppe-bench-%d", time.Now().UnixNano()))
	tempDirs = append(tempDirs, dir)
	return dir, os.MkdirAll(dir, 0o700)
}

// drain runs cmd and feeds its messages back into m, as the Bubble Tea loop
// would, skipping anything that waits (ticks, timers, refreshes): it runs each
// command with a short deadline and drops what does not answer in time.
func drain(m tea.Model, cmd tea.Cmd) tea.Model {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		done := make(chan tea.Msg, 1)
		go func() { done <- c() }()
		var msg tea.Msg
		select {
		case msg = <-done:
		case <-time.After(20 * time.Millisecond):
			continue
		}
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			var next tea.Cmd
			m, next = m.Update(msg)
			queue = append(queue, next)
		}
	}
	return m
}

func benchModel(b *testing.B) (tea.Model, context.CancelFunc) {
	st := seededStore(b)
	ctx, cancel := context.WithCancel(context.Background())
	m, err := ui.New(ui.Options{
		Context:  ctx,
		Articles: st.feeds,
		Quotes: func(ctx context.Context) ([]rates.Quote, error) {
			return st.rates.Latest(ctx, "USD", []string{"KGS", "KZT", "TJS", "UZS", "TMT"})
		},
		Stale:    rates.Stale,
		Offline:  true,
		PageSize: 0,
		Now:      time.Now,
	})
	if err != nil {
		b.Fatal(err)
	}
	var tm tea.Model = m
	tm, cmd := tm.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	tm = drain(tm, tea.Batch(m.Init(), cmd))
	if !strings.Contains(tm.View().Content, "of 100000") && !strings.Contains(tm.View().Content, "of 100,000") {
		b.Fatalf("the model did not load the 100,000-article store:\n%s", tm.View().Content)
	}
	return tm, cancel
}

// BenchmarkKeypress100k presses keys in turn on a 100,000-article store:
// move (j/k: Update and View only), next page (each press reads a page from
// the store, back to the first page every 500), last/first page (G/g),
// read/unread (N: the store write included), the next unread (n, found in
// the store), the feeds pane opened and closed (F, esc: the counts read
// from the store) and mark-all-read (A) on the 100k view. A's keypress
// marks the page at once and hands the store's UPDATE of 100,000 rows to a
// Cmd: that Cmd is not run here (it takes ~0.3 s in the background; see
// BenchmarkReadState in feeds), so "mark-all" is what the user waits for.
func BenchmarkKeypress100k(b *testing.B) {
	runes := func(r rune) tea.Msg { return keyPress(string(r)) }
	next := make([]tea.Msg, 500)
	for i := range next {
		next[i] = runes('l')
	}
	next[499] = runes('g')
	esc := keyPress("esc")
	for _, bc := range []struct {
		name    string
		keys    []tea.Msg
		noDrain bool
	}{
		{"move", []tea.Msg{runes('j'), runes('k')}, false},
		{"next-page", next, false},
		{"last-page", []tea.Msg{runes('G'), runes('g')}, false},
		{"toggle-read", []tea.Msg{runes('N')}, false},
		{"next-unread", []tea.Msg{runes('n'), runes('p')}, false},
		{"feeds-pane", []tea.Msg{runes('F'), esc}, false},
		{"mark-all", []tea.Msg{runes('A')}, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			m, cancel := benchModel(b)
			defer cancel()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var cmd tea.Cmd
				m, cmd = m.Update(bc.keys[i%len(bc.keys)])
				if !bc.noDrain {
					m = drain(m, cmd)
				}
				_ = m.View()
			}
		})
	}
}

func TestMain(m *testing.M) {
	code := synctest.Main(m) // runs the tests, then stops the sync tests' server
	if bigStore != nil {
		bigStore.Close()
	}
	for _, d := range tempDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}
