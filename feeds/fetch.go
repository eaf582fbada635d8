package feeds

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/steppe-news/steppe/internal/netmsg"
)

// Options configure a Fetcher. Zero values mean the defaults.
type Options struct {
	UserAgent   string        // default "steppe/dev"
	Timeout     time.Duration // per request, body included; default 20s
	MaxBody     int64         // bytes; default 10 MiB
	Concurrency int           // feeds fetched at once by RefreshAll; default 8
	Client      *http.Client  // default: a client with its own Transport
}

// Defaults for Options.
const (
	DefaultUserAgent   = "steppe/dev"
	DefaultTimeout     = 20 * time.Second
	DefaultMaxBody     = 10 << 20
	DefaultConcurrency = 8
)

// acceptFeeds is the Accept header sent with every feed request.
const acceptFeeds = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8"

// Fetcher downloads feeds over one shared HTTP client and stores them.
type Fetcher struct {
	st  *Store
	opt Options
	now func() time.Time
}

// NewFetcher returns a Fetcher storing into st.
func NewFetcher(st *Store, opt Options) *Fetcher {
	if opt.UserAgent == "" {
		opt.UserAgent = DefaultUserAgent
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.MaxBody <= 0 {
		opt.MaxBody = DefaultMaxBody
	}
	if opt.Concurrency <= 0 {
		opt.Concurrency = DefaultConcurrency
	}
	if opt.Client == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 4
		tr.ResponseHeaderTimeout = opt.Timeout
		// DisableCompression stays false: the transport asks for gzip and
		// decompresses transparently.
		opt.Client = &http.Client{Transport: tr}
	}
	return &Fetcher{st: st, opt: opt, now: time.Now}
}

// RefreshAll refreshes feeds, at most Concurrency at once, and returns
// their results in the order of feeds.
func (f *Fetcher) RefreshAll(ctx context.Context, feeds []Feed) []Result {
	out := make([]Result, len(feeds))
	sem := make(chan struct{}, f.opt.Concurrency)
	var wg sync.WaitGroup
	for i, fd := range feeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				out[i] = Result{Feed: fd, Err: ctx.Err()}
				return
			}
			defer func() { <-sem }()
			out[i] = f.Refresh(ctx, fd)
		}()
	}
	wg.Wait()
	return out
}

// Refresh fetches, parses and stores one feed. Articles and the feed's
// status are written in one transaction; a failed fetch only updates the
// status columns. It never panics: a panic becomes the result's error.
func (f *Fetcher) Refresh(ctx context.Context, feed Feed) (res Result) {
	start := time.Now()
	res.Feed = feed
	defer func() {
		if p := recover(); p != nil {
			res.Err = fmt.Errorf("internal error: %v", p)
		}
		res.Took = time.Since(start)
	}()
	now := f.now()
	// The stored row is the truth (ETag, Retry-After); feed may be stale.
	if stored, err := f.st.feed(ctx, f.st.db, feed.ID); err == nil {
		feed = stored
		res.Feed = stored
	} else {
		res.Err = fmt.Errorf("feed %d not in store: %w", feed.ID, err)
		return res
	}
	if !feed.NextFetch.IsZero() && now.Before(feed.NextFetch) {
		res.Skipped = true
		return res
	}

	status := feed
	status.LastFetch = now
	items, ct, resp, err := f.fetch(ctx, feed)
	if resp != nil && resp.StatusCode == http.StatusNotModified {
		status.LastOK = now
		status.LastStatus = "not modified"
		status.LastError = ""
		status.NextFetch = time.Time{}
		if v := resp.Header.Get("ETag"); v != "" {
			status.ETag = v
		}
		if v := resp.Header.Get("Last-Modified"); v != "" {
			status.LastModified = v
		}
		res.NotModified = true
		res.Err = f.saveStatus(ctx, status)
		res.Feed = status
		return res
	}
	var arts []Article
	if err == nil {
		arts, err = Parse(items, ct, feed.URL, now)
	}
	if err != nil && errors.Is(ctx.Err(), context.Canceled) {
		// The caller gave up (the dashboard quit): that says nothing about
		// the feed, so its stored status stays as it was.
		res.Err = err
		return res
	}
	if err != nil {
		status.LastStatus = "error"
		status.LastError = err.Error()
		status.NextFetch = time.Time{}
		if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
			if t, ok := retryAfter(resp.Header.Get("Retry-After"), now); ok {
				status.NextFetch = t
				status.LastError += fmt.Sprintf(" (retry after %s)", t.Sub(now).Round(time.Second))
			}
		}
		res.Err = errors.New(status.LastError)
		if serr := f.saveStatus(ctx, status); serr != nil {
			res.Err = fmt.Errorf("%s; saving status: %w", status.LastError, serr)
		}
		res.Feed = status
		return res
	}
	status.LastOK = now
	status.LastStatus = "ok"
	status.LastError = ""
	status.NextFetch = time.Time{}
	status.ETag = resp.Header.Get("ETag")
	status.LastModified = resp.Header.Get("Last-Modified")
	res.Total = len(arts)
	err = f.st.writeTx(ctx, func(tx *sql.Tx) error {
		n, err := saveArticles(ctx, tx, feed.ID, arts, now)
		if err != nil {
			return err
		}
		res.New = n
		return setStatus(ctx, tx, status)
	})
	if err != nil {
		res.New = 0
		res.Err = fmt.Errorf("storing articles: %w", err)
		return res
	}
	res.Feed = status
	return res
}

func (f *Fetcher) saveStatus(ctx context.Context, status Feed) error {
	// Save even if ctx was cancelled by the fetch's own failure.
	ctx = context.WithoutCancel(ctx)
	return f.st.writeTx(ctx, func(tx *sql.Tx) error { return setStatus(ctx, tx, status) })
}

// fetch does the conditional GET. It returns the body and Content-Type of
// a 200, or resp alone for a 304, or an error in words.
func (f *Fetcher) fetch(ctx context.Context, feed Feed) ([]byte, string, *http.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, f.opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, feed.URL, nil)
	if err != nil {
		return nil, "", nil, fmt.Errorf("bad feed URL: %v", err)
	}
	req.Header.Set("User-Agent", f.opt.UserAgent)
	req.Header.Set("Accept", acceptFeeds)
	if feed.ETag != "" {
		req.Header.Set("If-None-Match", feed.ETag)
	}
	if feed.LastModified != "" {
		req.Header.Set("If-Modified-Since", feed.LastModified)
	}
	resp, err := f.opt.Client.Do(req)
	if err != nil {
		return nil, "", nil, f.netError(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		return nil, "", resp, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, "", resp, fmt.Errorf("HTTP %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	tooBig := fmt.Errorf("feed larger than %s", sizeWords(f.opt.MaxBody))
	if resp.ContentLength > f.opt.MaxBody {
		return nil, "", resp, tooBig
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.opt.MaxBody+1))
	if err != nil {
		return nil, "", resp, f.netError(ctx, err)
	}
	if int64(len(body)) > f.opt.MaxBody {
		return nil, "", resp, tooBig
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, "", resp, errors.New("empty response")
	}
	return body, resp.Header.Get("Content-Type"), resp, nil
}

// netError turns a transport error into words.
func (f *Fetcher) netError(ctx context.Context, err error) error {
	return netmsg.Describe(ctx, err, f.opt.Timeout)
}

// retryAfter parses a Retry-After value: delay seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return time.Time{}, false
		}
		secs = min(secs, 7*24*3600)
		return now.Add(time.Duration(secs) * time.Second), true
	}
	if t, err := http.ParseTime(v); err == nil {
		if !t.After(now) {
			return time.Time{}, false
		}
		if limit := now.Add(7 * 24 * time.Hour); t.After(limit) {
			t = limit
		}
		return t, true
	}
	return time.Time{}, false
}

// sizeWords prints a byte count as a person would: "10 MiB", "512 KiB".
func sizeWords(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
