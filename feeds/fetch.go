package feeds

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/sync/semaphore"

	"github.com/steppe-news/steppe/feeds/parse"
	"github.com/steppe-news/steppe/internal/netmsg"
)

// Options configure a Fetcher. Zero values mean the defaults.
type Options struct {
	UserAgent string        // default "steppe/dev"
	Timeout   time.Duration // per request, body included; default 20s (a streamed body: see StreamTimeout)
	// MaxBody is the most bytes a body may have after decompression: a
	// guard against bombs, not a limit on feeds (those are capped by
	// items, MaxItems). Default 256 MiB.
	MaxBody int64
	// StreamAt is the body size from which a feed is parsed as it is read
	// (parse.Stream) rather than read whole: a body declared larger, or
	// one that grows past it. Default 4 MiB.
	StreamAt int64
	// MaxItems is the most items stored of one refresh of a feed: the
	// newest, by date; a feed carrying more says so in its Note. Default
	// 5000; at most MaxItemsLimit.
	MaxItems int
	// ItemsFor, when not nil, is a feed's own MaxItems (by its URL, say);
	// 0 means MaxItems.
	ItemsFor func(Feed) int
	// ReadTimeout is the longest a streamed body may send nothing; default
	// Timeout.
	ReadTimeout time.Duration
	// StreamTimeout is the longest a streamed feed may take in all;
	// default 5 minutes, and at least Timeout.
	StreamTimeout time.Duration
	Concurrency   int // feeds fetched at once by RefreshAll; default 8
	// MaxInFlight caps the bytes of feed bodies being downloaded, parsed
	// and stored at once, by all of the Fetcher's refreshes together:
	// parsing takes several times a body's size in memory, so this bounds
	// a refresh's memory whatever the sizes of the feeds, while small feeds
	// still go Concurrency at a time. A feed larger than the cap is
	// fetched alone. Default 2 MiB: with feeds of 600 KB, one is stored
	// while the next waits parsed and a third downloads and parses (1
	// MiB let the writer wait for the parser: a fresh refresh of 50 such
	// feeds took 1.9 s instead of 1.2 s).
	MaxInFlight int64
	Client      *http.Client // default: a client with its own Transport
}

// Defaults for Options.
const (
	DefaultUserAgent     = "steppe/dev"
	DefaultTimeout       = 20 * time.Second
	DefaultMaxBody       = 256 << 20
	DefaultStreamAt      = 4 << 20
	DefaultMaxItems      = 5000
	MaxItemsLimit        = 1_000_000
	DefaultStreamTimeout = 5 * time.Minute
	DefaultConcurrency   = 8
	DefaultMaxInFlight   = 2 << 20
)

// The bomb guard: past bombFloor bytes decompressed, a body may not have
// expanded more than bombRatio times.
const (
	bombFloor = 2 << 20
	bombRatio = 200
)

// maxValidator is the longest ETag or Last-Modified value kept: a longer
// one is not a validator any server needs, and sent back it can make every
// later request fail.
const maxValidator = 1024

// acceptFeeds is the Accept header sent with every feed request.
const acceptFeeds = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8"

// Fetcher downloads feeds over one shared HTTP client and stores them.
type Fetcher struct {
	st    *Store
	opt   Options
	now   func() time.Time
	bytes *semaphore.Weighted // MaxInFlight

	mu    sync.Mutex
	sizes map[int64]int64 // each feed's body size last time, for its first claim
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
	if opt.StreamAt <= 0 {
		opt.StreamAt = DefaultStreamAt
	}
	opt.MaxItems = itemsCap(opt.MaxItems, DefaultMaxItems)
	if opt.ReadTimeout <= 0 {
		opt.ReadTimeout = opt.Timeout
	}
	if opt.StreamTimeout <= 0 {
		opt.StreamTimeout = DefaultStreamTimeout
	}
	opt.StreamTimeout = max(opt.StreamTimeout, opt.Timeout)
	if opt.Concurrency <= 0 {
		opt.Concurrency = DefaultConcurrency
	}
	if opt.MaxInFlight <= 0 {
		opt.MaxInFlight = DefaultMaxInFlight
	}
	if opt.Client == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 4
		tr.ResponseHeaderTimeout = opt.Timeout
		// get asks for gzip itself and decompresses with a bomb guard.
		tr.DisableCompression = true
		opt.Client = &http.Client{Transport: tr}
	}
	return &Fetcher{st: st, opt: opt, now: time.Now,
		bytes: semaphore.NewWeighted(opt.MaxInFlight), sizes: map[int64]int64{}}
}

// HTTPError is a feed server's answer other than 2xx and 304.
type HTTPError struct {
	Code       int
	RetryAfter time.Duration // how long the server asked to wait (429, 503), else 0
}

func (e *HTTPError) Error() string {
	s := strings.TrimSpace(fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code)))
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter.Round(time.Second))
	}
	return s
}

// Short is the status and its words when they fit a status line
// ("HTTP 404 Not Found"), else the status alone ("HTTP 500").
func (e *HTTPError) Short() string {
	if s := strings.TrimSpace(fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))); utf8.RuneCountInString(s) <= 24 {
		return s
	}
	return fmt.Sprintf("HTTP %d", e.Code)
}

// TooLargeError is a feed body over Options.MaxBody (after decompression).
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string { return "feed larger than " + netmsg.Bytes(e.Limit) }

// Short is the whole message: it is short ("feed larger than 256 MiB").
func (e *TooLargeError) Short() string { return e.Error() }

// BombError is a compressed body that expands too far for a feed: more
// than 200 times its compressed size once past 2 MiB.
type BombError struct{ Compressed, Expanded int64 }

func (e *BombError) Error() string {
	return fmt.Sprintf("refused a compression bomb: the gzip body expanded more than %d times (%s from %s)",
		bombRatio, netmsg.Bytes(e.Expanded), netmsg.Bytes(e.Compressed))
}

// Short is "compression bomb".
func (e *BombError) Short() string { return "compression bomb" }

// StallError is a streamed body that sent nothing for Options.ReadTimeout.
type StallError struct{ After time.Duration }

func (e *StallError) Error() string {
	return fmt.Sprintf("the server stopped sending: nothing for %s", e.After)
}

// Short is "stalled".
func (e *StallError) Short() string { return "stalled" }

// ParseError is a body that is not a usable feed: parse.Feed's error ("not a
// feed: got text/html", "not a valid feed: …") or an empty response.
type ParseError struct{ Err error }

func (e *ParseError) Error() string { return e.Err.Error() }
func (e *ParseError) Unwrap() error { return e.Err }

// Short is what the error says first ("not a feed").
func (e *ParseError) Short() string {
	s := e.Err.Error()
	if i := strings.Index(s, ": "); i > 0 {
		s = s[:i]
	}
	return s
}

// RefreshAll refreshes feeds, at most Concurrency at once, and returns
// their results in the order of feeds.
//
// Their articles and statuses are stored by one writer, several feeds to
// a transaction when several are ready, while the others are fetched and
// parsed.
func (f *Fetcher) RefreshAll(ctx context.Context, feeds []Feed) []Result {
	return f.RefreshEach(ctx, feeds, nil)
}

// RefreshEach is RefreshAll that also calls each with every feed's result
// as soon as that feed is done (stored), from the feed's own goroutine:
// each must be safe for concurrent use. A nil each is RefreshAll.
func (f *Fetcher) RefreshEach(ctx context.Context, feeds []Feed, each func(Result)) []Result {
	out := make([]Result, len(feeds))
	w := f.st.startWriter(ctx)
	defer w.stop()
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
				if each != nil {
					each(out[i])
				}
				return
			}
			// The slot is the fetch's: it is free once the feed's save is
			// queued, so the next feeds are fetched while the writer
			// stores this one, and the writer finds several feeds
			// waiting (fewer, larger transactions). What the feed holds
			// meanwhile stays in its claim on MaxInFlight.
			release := sync.OnceFunc(func() { <-sem })
			defer release()
			out[i] = f.refresh(ctx, fd, &writerSlot{w, release})
			if each != nil {
				each(out[i])
			}
		}()
	}
	wg.Wait()
	return out
}

// Refresh fetches, parses and stores one feed. Articles and the feed's
// status are written together (a large feed in several short
// transactions, the status with the last); a failed fetch only updates the
// status columns. At most the newest MaxItems items (the feed's own cap,
// ItemsFor) are stored, and the feed's Note says when it carried more; a
// body over StreamAt is parsed as it is read. Result.Err keeps the error's
// value, for errors.As: an *HTTPError, a *TooLargeError, a *BombError, a
// *StallError, a *ParseError (each with a Short form for a status line) or
// the transport's error as netmsg.Describe returns it.
// It never panics: a panic becomes the result's error.
func (f *Fetcher) Refresh(ctx context.Context, feed Feed) (res Result) {
	return f.refresh(ctx, feed, nil)
}

// refresh is Refresh, storing through w when it is not nil.
func (f *Fetcher) refresh(ctx context.Context, feed Feed, w *writerSlot) (res Result) {
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

	claim := &claim{sem: f.bytes, max: f.opt.MaxInFlight}
	defer claim.release()
	// The claim starts at what the feed weighed last time, so a refresh
	// does not start while the budget is spent; it grows with the body and
	// is held until the articles are stored: parsing takes a few times the
	// body's size.
	if err := claim.to(ctx, f.lastSize(feed.ID)); err != nil {
		res.Err = err
		return res
	}
	status := feed
	status.LastFetch = now
	keep := f.keep(feed)
	got, err := f.fetch(ctx, feed, claim, now, keep)
	if err == nil && got.resp.StatusCode == http.StatusNotModified {
		status.LastOK = now
		status.LastStatus = "not modified"
		status.LastError, status.LastShort = "", ""
		status.NextFetch = time.Time{}
		if v := got.resp.Header.Get("ETag"); v != "" {
			status.ETag = validator(v)
		}
		if v := got.resp.Header.Get("Last-Modified"); v != "" {
			status.LastModified = validator(v)
		}
		res.NotModified = true
		res.Err = f.saveStatus(ctx, w, status)
		res.Feed = status
		return res
	}
	var arts []Article
	total := 0
	if err == nil {
		f.setSize(feed.ID, int64(max(cap(got.body), got.held)))
		arts, total = got.arts, got.total
		if !got.streamed {
			arts, total, err = parseArticles(got.body, got.contentType, feed.URL, finalURL(got, feed.URL), now, keep)
			if err != nil {
				err = &ParseError{err}
			}
		}
		got.body = nil
		// While they are stored, the articles are what this feed holds:
		// the next feed can be fetched and parsed meanwhile.
		claim.shrink(textSize(arts))
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
		status.LastShort = ""
		if sh := (interface{ Short() string })(nil); errors.As(err, &sh) {
			status.LastShort = sh.Short()
		}
		status.NextFetch = time.Time{}
		var he *HTTPError
		if errors.As(err, &he) && he.RetryAfter > 0 {
			status.NextFetch = now.Add(he.RetryAfter)
		}
		// A validator that came before an error may be its cause (a server
		// that chokes on it): the next request goes without.
		status.ETag, status.LastModified = "", ""
		res.Err = err
		if serr := f.saveStatus(ctx, w, status); serr != nil {
			res.Err = fmt.Errorf("%w; saving status: %w", err, serr)
		}
		res.Feed = status
		return res
	}
	status.LastOK = now
	status.LastStatus = "ok"
	status.LastError, status.LastShort = "", ""
	status.NextFetch = time.Time{}
	status.ETag = validator(got.resp.Header.Get("ETag"))
	status.LastModified = validator(got.resp.Header.Get("Last-Modified"))
	status.Note = cutNote(len(arts), total)
	res.Total = len(arts)
	final := func(tx *sql.Tx) error { return setStatus(ctx, tx, status) }
	if w != nil {
		res.New, err = w.save(ctx, feed.ID, arts, now, final)
	} else {
		res.New, err = f.st.saveFeed(ctx, feed.ID, arts, now, final)
	}
	if err != nil {
		res.Err = fmt.Errorf("storing articles: %w", err)
		return res
	}
	res.Feed = status
	return res
}

// keep is how many items of feed a refresh stores: its own cap, else
// Options.MaxItems.
func (f *Fetcher) keep(feed Feed) int {
	if f.opt.ItemsFor != nil {
		return itemsCap(f.opt.ItemsFor(feed), f.opt.MaxItems)
	}
	return f.opt.MaxItems
}

// itemsCap is n within 1..MaxItemsLimit, def when n is 0 or less.
func itemsCap(n, def int) int {
	if n <= 0 {
		return def
	}
	return min(n, MaxItemsLimit)
}

// cutNote is a feed's Note after a refresh that kept kept of total items.
func cutNote(kept, total int) string {
	if total <= kept {
		return ""
	}
	return fmt.Sprintf("kept the newest %d of %d items", kept, total)
}

// validator returns an ETag or Last-Modified value worth keeping, else "".
func validator(v string) string {
	if len(v) > maxValidator {
		return ""
	}
	return v
}

func (f *Fetcher) saveStatus(ctx context.Context, w *writerSlot, status Feed) error {
	// Save even if ctx was cancelled by the fetch's own failure.
	ctx = context.WithoutCancel(ctx)
	final := func(tx *sql.Tx) error { return setStatus(ctx, tx, status) }
	if w != nil {
		_, err := w.save(ctx, status.ID, nil, time.Time{}, final)
		return err
	}
	return f.st.writeTx(ctx, final)
}

// lastSize is the feed's body size last time, or a guess: the first claim
// on the byte budget.
func (f *Fetcher) lastSize(id int64) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	if n, ok := f.sizes[id]; ok {
		return n
	}
	return 64 << 10
}

func (f *Fetcher) setSize(id, n int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sizes[id] = n
}

// claim is one refresh's share of the Fetcher's byte budget.
type claim struct {
	sem       *semaphore.Weighted
	max, held int64
}

// to makes the claim at least n bytes (at most the whole budget), waiting
// for them if need be. It never waits while holding bytes: it lets go of
// them and asks for all n at once.
func (c *claim) to(ctx context.Context, n int64) error {
	n = min(n, c.max)
	if n <= c.held {
		return nil
	}
	if c.sem.TryAcquire(n - c.held) {
		c.held = n
		return nil
	}
	c.release()
	if err := c.sem.Acquire(ctx, n); err != nil {
		return err
	}
	c.held = n
	return nil
}

// shrink gives back what the claim holds beyond n bytes.
func (c *claim) shrink(n int64) {
	if n < c.held {
		c.sem.Release(c.held - n)
		c.held = n
	}
}

// textSize is about the memory the articles' text takes.
func textSize(arts []Article) int64 {
	var n int
	for _, a := range arts {
		n += len(a.ID) + len(a.Title) + len(a.Link) + len(a.Author) + len(a.Summary) + len(a.Content) + len(a.Body)
	}
	return int64(n)
}

func (c *claim) release() {
	if c.held > 0 {
		c.sem.Release(c.held)
		c.held = 0
	}
}

// finalURL is the URL the response came from after redirects (relative
// links resolve against it), else the feed's.
func finalURL(got fetched, feedURL string) string {
	if got.resp != nil && got.resp.Request != nil && got.resp.Request.URL != nil {
		return got.resp.Request.URL.String()
	}
	return feedURL
}

// fetched is a response: a 304 (resp alone), a 200 with its body, or a
// 200 too large to read whole, streamed into its newest articles.
type fetched struct {
	resp        *http.Response // body closed
	body        []byte
	contentType string

	streamed bool      // arts, total and title instead of body
	arts     []Article // the newest kept, in feed order
	total    int       // the items the feed carried
	title    string    // the feed's own title, not yet cleaned
	held     int       // bytes of the body held at once while streaming
}

// fetch does the conditional GET. When a request carrying validators fails
// (no response, or an error status other than 429 and 503), it is asked
// once more without them: some servers choke on a stale or huge ETag.
//
// keep is how many items a streamed body keeps (see Options.StreamAt).
func (f *Fetcher) fetch(ctx context.Context, feed Feed, c *claim, now time.Time, keep int) (fetched, error) {
	feed.ETag, feed.LastModified = validator(feed.ETag), validator(feed.LastModified)
	got, retry, err := f.get(ctx, feed, c, now, keep)
	if retry && (feed.ETag != "" || feed.LastModified != "") {
		feed.ETag, feed.LastModified = "", ""
		got, _, err = f.get(ctx, feed, c, now, keep)
	}
	return got, err
}

// timeoutCause is why get's context was cancelled by get's own clocks.
type timeoutCause struct {
	after   time.Duration
	stalled bool // ReadTimeout, else the whole request's
}

func (c *timeoutCause) Error() string { return "timeout" }

// get is one GET. retry says whether the failure may be the validators'
// fault: it happened before a usable response, and was not a timeout, the
// caller giving up, or the server asking to wait.
//
// The request has Options.Timeout, body included, unless the body is
// streamed: then it has StreamTimeout in all and each read ReadTimeout.
// get asks for gzip and decompresses it itself, refusing a bomb.
func (f *Fetcher) get(ctx context.Context, feed Feed, c *claim, now time.Time, keep int) (got fetched, retry bool, err error) {
	start := time.Now()
	rctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	deadline := time.AfterFunc(f.opt.Timeout, func() { cancel(&timeoutCause{after: f.opt.Timeout}) })
	defer deadline.Stop()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, feed.URL, nil)
	if err != nil {
		return got, false, fmt.Errorf("bad feed URL: %v", err)
	}
	req.Header.Set("User-Agent", f.opt.UserAgent)
	req.Header.Set("Accept", acceptFeeds)
	// Asked for explicitly, gzip is not decompressed by the transport:
	// bodyOf does it, with the bomb guard.
	req.Header.Set("Accept-Encoding", "gzip")
	if feed.ETag != "" {
		req.Header.Set("If-None-Match", feed.ETag)
	}
	if feed.LastModified != "" {
		req.Header.Set("If-Modified-Since", feed.LastModified)
	}
	resp, err := f.opt.Client.Do(req)
	if err != nil {
		return got, rctx.Err() == nil && !isTimeout(err), f.netError(rctx, err)
	}
	defer resp.Body.Close()
	got.resp = resp
	if resp.StatusCode == http.StatusNotModified {
		return got, false, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // drained for reuse; its error is the status
		he := &HTTPError{Code: resp.StatusCode}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			if t, ok := retryAfter(resp.Header.Get("Retry-After"), now); ok {
				he.RetryAfter = t.Sub(now)
			}
			return got, false, he
		}
		return got, true, he
	}
	if resp.ContentLength > f.opt.MaxBody {
		return got, false, &TooLargeError{f.opt.MaxBody}
	}
	raw := &rawBody{r: resp.Body, timeout: f.opt.ReadTimeout, cancel: cancel}
	body, size, err := f.bodyOf(resp, raw)
	if err != nil {
		return got, false, err
	}
	got.contentType = resp.Header.Get("Content-Type")
	var prefix []byte
	if size <= f.opt.StreamAt {
		var more bool
		prefix, more, err = f.readBody(rctx, body, size, c)
		if err != nil {
			return got, false, f.bodyError(rctx, err)
		}
		if !more {
			if len(bytes.TrimSpace(prefix)) == 0 {
				return got, false, &ParseError{errors.New("empty response")}
			}
			got.body = prefix
			return got, false, nil
		}
	}

	// Streamed: the whole request has StreamTimeout from its start, each
	// read ReadTimeout.
	if !deadline.Stop() {
		return got, false, f.netError(rctx, rctx.Err())
	}
	streamDeadline := time.AfterFunc(f.opt.StreamTimeout-time.Since(start), func() { cancel(&timeoutCause{after: f.opt.StreamTimeout}) })
	defer streamDeadline.Stop()
	raw.arm()
	defer raw.disarm()
	if err := c.to(rctx, f.opt.StreamAt); err != nil {
		return got, false, f.netError(rctx, err)
	}
	got.held = int(f.opt.StreamAt)
	r := io.MultiReader(bytes.NewReader(prefix), body)
	st, err := parse.Stream(r, got.contentType, feed.URL, finalURL(got, feed.URL), now, keep)
	if err != nil {
		var re *parse.ReadError
		if errors.As(err, &re) {
			return got, false, f.bodyError(rctx, re.Err)
		}
		return got, false, &ParseError{err}
	}
	got.streamed, got.arts, got.total, got.title = true, articlesOf(st.Items, now), st.Total, st.Title
	return got, false, nil
}

// bodyOf is resp's body decompressed (gzip) and guarded: a *BombError when
// it expands too far, a *TooLargeError past MaxBody. size is its length
// when known (-1 when not, as for any compressed body).
func (f *Fetcher) bodyOf(resp *http.Response, raw *rawBody) (io.Reader, int64, error) {
	switch strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))) {
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(raw)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, 0, &ParseError{errors.New("empty response")}
			}
			var re *rawError
			if errors.As(err, &re) {
				return nil, 0, f.netError(resp.Request.Context(), re.err)
			}
			return nil, 0, &ParseError{fmt.Errorf("not a valid feed: gzip: %v", err)}
		}
		return &guard{r: zr, raw: raw, max: f.opt.MaxBody, zipped: true}, -1, nil
	}
	return &guard{r: raw, raw: raw, max: f.opt.MaxBody}, resp.ContentLength, nil
}

// bodyError is an error reading the body in words: the guards' errors as
// they are, a gzip stream's as a ParseError, the transport's explained.
func (f *Fetcher) bodyError(ctx context.Context, err error) error {
	var bomb *BombError
	var large *TooLargeError
	var re *rawError
	switch {
	case errors.As(err, &bomb), errors.As(err, &large):
		return err
	case errors.As(err, &re):
		return f.netError(ctx, re.err)
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader), errors.Is(err, io.ErrUnexpectedEOF):
		return &ParseError{fmt.Errorf("not a valid feed: gzip: %v", err)}
	}
	return f.netError(ctx, err)
}

// rawBody is a response body as it comes, counted; armed, each read must
// return within timeout or the request is cancelled. Its errors are
// *rawError, to tell them from the decompressor's.
type rawBody struct {
	r       io.Reader
	n       int64
	timeout time.Duration
	cancel  context.CancelCauseFunc
	armed   bool
}

type rawError struct{ err error }

func (e *rawError) Error() string { return e.err.Error() }
func (e *rawError) Unwrap() error { return e.err }

func (b *rawBody) arm()    { b.armed = true }
func (b *rawBody) disarm() { b.armed = false }

func (b *rawBody) Read(p []byte) (int, error) {
	var t *time.Timer
	if b.armed {
		t = time.AfterFunc(b.timeout, func() { b.cancel(&timeoutCause{after: b.timeout, stalled: true}) })
	}
	n, err := b.r.Read(p)
	if t != nil {
		t.Stop()
	}
	b.n += int64(n)
	if err != nil && !errors.Is(err, io.EOF) {
		err = &rawError{err}
	}
	return n, err
}

// guard counts a body's bytes after decompression and fails it past max
// or, zipped, when it expands like a bomb.
type guard struct {
	r      io.Reader
	raw    *rawBody
	n, max int64
	zipped bool
}

func (g *guard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.n += int64(n)
	switch {
	case g.n > g.max:
		return 0, &TooLargeError{g.max}
	case g.zipped && g.n > bombFloor && g.n > bombRatio*g.raw.n:
		return 0, &BombError{Compressed: g.raw.n, Expanded: g.n}
	}
	return n, err
}

// readBody reads the body into one buffer, at most StreamAt bytes: of the
// declared size when it is known, else grown by a quarter at a time (so at
// most a fifth of it is slack). more says the body goes on past StreamAt:
// the buffer is its start. The claim covers the buffer: when the budget
// is spent, the read waits (the claim lets go of its bytes while it waits,
// so claims never wait on one another in a circle).
func (f *Fetcher) readBody(ctx context.Context, r io.Reader, size int64, c *claim) (buf []byte, more bool, err error) {
	want := int64(32 << 10)
	if size >= 0 {
		want = size + 1 // +1: the read that sees EOF
	}
	if err := c.to(ctx, want); err != nil {
		return nil, false, err
	}
	buf = make([]byte, 0, want)
	for {
		if len(buf) == cap(buf) {
			grown := slices.Grow(buf, max(cap(buf)/4, 32<<10))
			if err := c.to(ctx, int64(cap(grown))); err != nil {
				return nil, false, err
			}
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, false, nil
		}
		if err != nil {
			return nil, false, err
		}
		if int64(len(buf)) > f.opt.StreamAt {
			return buf, true, nil
		}
	}
}

// netError turns a transport error into words; a timeout of get's own
// clocks says which.
func (f *Fetcher) netError(ctx context.Context, err error) error {
	var tc *timeoutCause
	if errors.As(context.Cause(ctx), &tc) {
		if tc.stalled {
			return &StallError{After: tc.after}
		}
		return netmsg.Describe(ctx, context.DeadlineExceeded, tc.after)
	}
	return netmsg.Describe(ctx, err, f.opt.Timeout)
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &t) && t.Timeout()
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
