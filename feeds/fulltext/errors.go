package fulltext

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// Kind says what went wrong with a page.
type Kind uint8

// The kinds of Error.
const (
	KindBadURL    Kind = iota + 1 // not an absolute http(s) URL
	KindNetwork                   // the request failed: DNS, connection, TLS, timeout
	KindHTTP                      // the server answered with a status other than 2xx
	KindRedirect                  // too many redirects, a loop, or one to a URL that is not http(s)
	KindNotHTML                   // the page is no HTML (a PDF, an image, …)
	KindTooLarge                  // the page is over Options.MaxBytes (or MaxElements)
	KindNoContent                 // no readable article in the page
	KindInternal                  // the extractor failed on the page
	KindWaiting                   // not fetched: the host asked to wait (Fetcher)
)

// Error is why a page gave no article. Error() names the page (its
// secrets redacted) and the reason; Short() is the reason in a few words
// for a status line. Err, when set, is the underlying error.
type Error struct {
	Kind Kind
	// URL is the page as it may be shown: user info and secret-looking
	// query values replaced by "***".
	URL string
	// Reason is the explanation in words, without the URL.
	Reason string
	// Code is the HTTP status (KindHTTP, and KindWaiting: the status that
	// asked to wait); RetryAfter how long the server asked to wait (429,
	// 503), or is still to wait (KindWaiting), else 0.
	Code       int
	RetryAfter time.Duration
	// ContentType is the page's media type (KindNotHTML).
	ContentType string
	// Limit is the byte cap that was passed (KindTooLarge; 0 when the
	// page was over MaxElements).
	Limit int64
	Err   error
}

func (e *Error) Error() string {
	if e.URL == "" {
		return e.Reason
	}
	return e.URL + ": " + e.Reason
}

// Short is the reason alone when it fits a status line, else its first
// words ("HTTP 404 Not Found", "not an HTML page (application/pdf)").
func (e *Error) Short() string {
	s := e.Reason
	var short interface{ Short() string }
	if e.Kind == KindNetwork && errors.As(e.Err, &short) {
		s = sanitize.Line(sanitize.Redact(short.Short())) // "timeout", "host not found"
	}
	if e.Kind == KindHTTP {
		s = e.status()
		if e.RetryAfter > 0 {
			s += ", retry after " + durationWords(e.RetryAfter)
		}
	}
	if utf8.RuneCountInString(s) > 48 {
		if i := strings.Index(s, ": "); i > 0 {
			s = s[:i]
		}
	}
	return s
}

// Unwrap is the underlying error, if any.
func (e *Error) Unwrap() error { return e.Err }

func (e *Error) status() string {
	return strings.TrimSpace(fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code)))
}

// httpError is the Error for a status other than 2xx.
func httpError(shown string, code int, retry time.Duration) *Error {
	e := &Error{Kind: KindHTTP, URL: shown, Code: code, RetryAfter: retry}
	e.Reason = e.status()
	if retry > 0 {
		e.Reason += " (retry after " + durationWords(retry) + ")"
	}
	return e
}

// durationWords prints a wait as a person reads it: "45s", "2m", "1h30m"
// (to the second below ten minutes, else to the minute).
func durationWords(d time.Duration) string {
	if d < 10*time.Minute {
		d = d.Round(time.Second)
	} else {
		d = d.Round(time.Minute)
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// retryAfter reads a Retry-After value, delay seconds or an HTTP date, as
// a wait from now, at most a week; 0 when there is none or it is past.
func retryAfter(v string, now time.Time) time.Duration {
	const most = 7 * 24 * time.Hour
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseUint(v, 10, 63); err == nil {
		d = time.Duration(min(secs, uint64(most/time.Second))) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return max(0, min(d, most))
}

// Redact returns u as it may be shown in an error or a log, by the one
// rule of sanitize.Redact: user info becomes "***", and so does the value
// of every query parameter whose name says it is a secret (token, api_key,
// sig, password, session, …).
func Redact(u *url.URL) string {
	if u == nil {
		return ""
	}
	return sanitize.Redact(u.String())
}

// redactRaw is Redact for a URL given as text; text that is no URL is not
// shown at all.
func redactRaw(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return sanitize.Text(Redact(u), false)
}
