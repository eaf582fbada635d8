package ui

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/steppe-news/steppe/feeds"
)

// fakeStore is an in-memory ArticleStore, newest first, with the views'
// semantics: filters, unread counts, and snapshots (an article's seq is
// its place in the order of storing; a pinned view leaves out later ones).
type fakeStore struct {
	mu          sync.Mutex
	articles    []feeds.Article // newest first
	seqs        map[string]int64
	next        int64
	feeds       []feeds.Feed
	searches    []string
	marked      []string // ids marked read, in order
	pageErr     error
	gen         int64 // the feeds' generation
	dataVersion int64 // bumped by a test as another process writing
	settings    map[string]string
}

// seq is an article's seq; the articles there at the start are stored
// oldest first.
func (s *fakeStore) seq(id string) int64 {
	if s.seqs == nil {
		s.seqs = map[string]int64{}
		for i := len(s.articles) - 1; i >= 0; i-- {
			s.next++
			s.seqs[s.articles[i].ID] = s.next
		}
	}
	return s.seqs[id]
}

func (s *fakeStore) in(v feeds.View, a feeds.Article) bool {
	switch {
	case v.Snapshot > 0 && s.seq(a.ID) > v.Snapshot:
		return false
	case v.FeedID != 0 && a.FeedID != v.FeedID:
		return false
	case v.UnreadOnly && a.Read, v.Starred && !a.Starred:
		return false
	case v.Query != "" && !strings.Contains(strings.ToLower(a.Title+" "+a.Summary), strings.ToLower(v.Query)):
		return false
	}
	return true
}

func (s *fakeStore) view(v feeds.View) []feeds.Article {
	var out []feeds.Article
	for _, a := range s.articles {
		if s.in(v, a) {
			out = append(out, a)
		}
	}
	return out
}

func (s *fakeStore) snapshot() int64 {
	s.seq("")
	return s.next
}

func (s *fakeStore) PageOf(_ context.Context, v feeds.View, page, size int) (feeds.Page, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pageErr != nil {
		return feeds.Page{}, s.pageErr
	}
	if v.Query != "" {
		s.searches = append(s.searches, v.Query)
	}
	all := s.view(v)
	pages := max(1, (len(all)+size-1)/size)
	page = max(1, min(page, pages))
	from := min(len(all), (page-1)*size)
	to := min(len(all), from+size)
	items := make([]feeds.Article, to-from)
	copy(items, all[from:to])
	for i := range items {
		items[i].Content, items[i].Body = "", "" // like a real list query
	}
	p := feeds.Page{Items: items, Page: page, Pages: pages, Total: len(all), Size: size, Query: v.Query, Snapshot: v.Snapshot}
	if p.Snapshot == 0 {
		p.Snapshot = s.snapshot()
	}
	for _, a := range all {
		if !a.Read {
			p.Unread++
		}
	}
	return p, nil
}

func (s *fakeStore) NewSince(_ context.Context, v feeds.View) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v.Snapshot == 0 {
		return 0, nil
	}
	pinned := len(s.view(v))
	v.Snapshot = 0
	return len(s.view(v)) - pinned, nil
}

func (s *fakeStore) RankIn(_ context.Context, v feeds.View, id string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, a := range s.view(v) {
		if a.ID == id {
			return i, nil
		}
	}
	return 0, feeds.ErrNotInView
}

func (s *fakeStore) Article(_ context.Context, id string) (feeds.Article, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.articles {
		if a.ID == id {
			return a, nil
		}
	}
	return feeds.Article{}, errors.New("not found")
}

func (s *fakeStore) set(id string, f func(*feeds.Article)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.articles {
		if s.articles[i].ID == id {
			f(&s.articles[i])
			return nil
		}
	}
	return feeds.ErrNotFound
}

func (s *fakeStore) SetRead(_ context.Context, id string, read bool) error {
	if read {
		s.mu.Lock()
		s.marked = append(s.marked, id)
		s.mu.Unlock()
	}
	return s.set(id, func(a *feeds.Article) { a.Read = read })
}

func (s *fakeStore) SetStarred(_ context.Context, id string, on bool) error {
	return s.set(id, func(a *feeds.Article) { a.Starred = on })
}

func (s *fakeStore) MarkViewRead(_ context.Context, v feeds.View) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for i := range s.articles {
		if s.in(v, s.articles[i]) && !s.articles[i].Read {
			s.articles[i].Read = true
			n++
		}
	}
	return n, nil
}

func (s *fakeStore) NextUnread(_ context.Context, v feeds.View, fromID string, dir int) (feeds.Article, int, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// As the store does: from is placed by its key among every article,
	// in the view or not (a read one in the unread-only view).
	pos := map[string]int{}
	for i, a := range s.articles {
		pos[a.ID] = i
	}
	from, known := pos[fromID]
	all := s.view(v)
	if dir > 0 {
		for i, a := range all {
			if !a.Read && (!known || pos[a.ID] > from) {
				return a, i, true, nil
			}
		}
	} else {
		for i := len(all) - 1; i >= 0; i-- {
			if a := all[i]; !a.Read && (!known || pos[a.ID] < from) {
				return a, i, true, nil
			}
		}
	}
	return feeds.Article{}, 0, false, nil
}

func (s *fakeStore) FeedCounts(context.Context) ([]feeds.FeedCount, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []feeds.FeedCount
	for _, f := range s.feeds {
		c := feeds.FeedCount{Feed: f}
		for _, a := range s.articles {
			if a.FeedID == f.ID {
				c.Total++
				if !a.Read {
					c.Unread++
				}
			}
		}
		out = append(out, c)
	}
	return out, nil
}

func (s *fakeStore) StarredCount(context.Context) (unread, total int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.articles {
		if a.Starred {
			total++
			if !a.Read {
				unread++
			}
		}
	}
	return unread, total, nil
}

// DataVersion is the count of writes made through the fake's own write
// calls: what another process's commits look like to the dashboard.
func (s *fakeStore) DataVersion(context.Context) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dataVersion, nil
}

func (s *fakeStore) FeedsGeneration(context.Context) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gen, nil
}

func (s *fakeStore) Feeds(context.Context) ([]feeds.Feed, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]feeds.Feed(nil), s.feeds...), nil
}

// prepend inserts new articles at the top (a refresh found them).
func (s *fakeStore) prepend(a ...feeds.Article) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq("")
	for i := len(a) - 1; i >= 0; i-- {
		s.next++
		s.seqs[a[i].ID] = s.next
	}
	s.articles = append(append([]feeds.Article(nil), a...), s.articles...)
}

// Get and Set make the fake store the dashboard's settings too.
func (s *fakeStore) Get(_ context.Context, key string) (string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.settings[key]
	return v, ok, nil
}

func (s *fakeStore) Set(_ context.Context, key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.settings == nil {
		s.settings = map[string]string{}
	}
	s.settings[key] = value
	return nil
}
