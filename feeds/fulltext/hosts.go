package fulltext

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// DefaultPerHost is how many pages of one host a Fetcher fetches at once
// by default.
const DefaultPerHost = 2

// Fetcher fetches the pages of many articles, as a refresh does: at most
// PerHost pages of one host at a time, and none of a host that answered
// 429 or 503 with a Retry-After until that wait is over (those fail at
// once with KindWaiting). It is safe for concurrent use; its zero value is
// not: make one with NewFetcher.
type Fetcher struct {
	client  *http.Client
	opt     Options
	perHost int
	now     func() time.Time

	mu    sync.Mutex
	hosts map[string]*host
}

// host is one host's share of a Fetcher.
type host struct {
	slots chan struct{} // a token per page being fetched
	users int           // fetches holding or waiting for a slot
	until time.Time     // no fetch before this (Retry-After)
	code  int           // the status that asked to wait
}

// NewFetcher returns a Fetcher over client (nil: a client of net/http's
// default transport) with the options given; perHost <= 0 means
// DefaultPerHost.
func NewFetcher(client *http.Client, opt Options, perHost int) *Fetcher {
	if perHost <= 0 {
		perHost = DefaultPerHost
	}
	return &Fetcher{client: client, opt: opt, perHost: perHost, now: time.Now, hosts: map[string]*host{}}
}

// Fetch is Options.Fetch, within the Fetcher's per-host limits. Waiting
// for a slot ends with ctx.
func (f *Fetcher) Fetch(ctx context.Context, pageURL string) (Article, error) {
	u, err := sanitize.HTTPURL(pageURL)
	if err != nil {
		return f.opt.Fetch(ctx, f.client, pageURL) // says why
	}
	name := strings.ToLower(u.Host)
	h, wait := f.enter(name)
	defer f.leave(name)
	if wait > 0 {
		return Article{}, &Error{Kind: KindWaiting, URL: Redact(u), Code: h.code, RetryAfter: wait,
			Reason: "not fetched: the server asked to wait (retry after " + durationWords(wait) + ")"}
	}
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return Article{}, &Error{Kind: KindNetwork, URL: Redact(u), Reason: "stopped before the fetch began", Err: ctx.Err()}
	}
	defer func() { <-h.slots }()
	art, err := f.opt.Fetch(ctx, f.client, pageURL)
	var e *Error
	if errors.As(err, &e) && e.Kind == KindHTTP && e.RetryAfter > 0 {
		f.mu.Lock()
		if until := f.now().Add(e.RetryAfter); until.After(h.until) {
			h.until, h.code = until, e.Code
		}
		f.mu.Unlock()
	}
	return art, err
}

// enter registers a fetch of the named host and returns its share, and
// how long the host asked to wait (0: no wait).
func (f *Fetcher) enter(name string) (*host, time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	h := f.hosts[name]
	if h == nil {
		h = &host{slots: make(chan struct{}, f.perHost)}
		f.hosts[name] = h
	}
	h.users++
	return h, h.until.Sub(f.now())
}

// leave ends a fetch of the named host; a host nobody fetches and that
// asked for no wait still running is forgotten.
func (f *Fetcher) leave(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	h := f.hosts[name]
	h.users--
	if h.users == 0 && !h.until.After(f.now()) {
		delete(f.hosts, name)
	}
}
