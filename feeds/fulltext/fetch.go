package fulltext

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/steppe-news/steppe/internal/netmsg"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// acceptHTML is the Accept header of a page request.
const acceptHTML = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

// Fetch is Options.Fetch with the default options.
func Fetch(ctx context.Context, client *http.Client, pageURL string) (Article, error) {
	return Options{}.Fetch(ctx, client, pageURL)
}

// Fetch downloads the page at pageURL with client (nil: a client of
// net/http's default transport) and extracts its article (see Extract).
//
// Only http(s) URLs are fetched, redirects included, at most MaxRedirects
// of them; the whole fetch is bounded by ctx and by Timeout; a body over
// MaxBytes is not read further (one that says so in Content-Length is not
// read at all), and neither is one whose Content-Type is no HTML. Every
// failure is an *Error; its URL is the page asked for, redacted.
func (o Options) Fetch(ctx context.Context, client *http.Client, pageURL string) (Article, error) {
	o = o.withDefaults()
	u, err := sanitize.HTTPURL(pageURL)
	if err != nil {
		return Article{}, &Error{Kind: KindBadURL, URL: redactRaw(pageURL), Reason: "not an http(s) URL", Err: err}
	}
	shown := Redact(u)
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	page, contentType, final, err := o.get(ctx, client, u, shown)
	if err != nil {
		return Article{}, err
	}
	art, err := o.Extract(page, contentType, final)
	var e *Error
	if errors.As(err, &e) {
		e.URL = shown // the page asked for, not where it redirected
	}
	return art, err
}

// errRedirect marks a redirect refused by checkRedirect.
type errRedirect struct{ reason string }

func (e *errRedirect) Error() string { return e.reason }

// get does the GET and returns the body, its Content-Type and the URL it
// came from after redirects.
func (o Options) get(ctx context.Context, client *http.Client, u *url.URL, shown string) ([]byte, string, string, error) {
	if client == nil {
		client = &http.Client{}
	}
	c := *client // the caller's transport and jar, our redirect policy
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if _, err := sanitize.HTTPURL(req.URL.String()); err != nil {
			return &errRedirect{"redirected to a URL that is not http(s)"}
		}
		for _, v := range via {
			if v.URL.String() == req.URL.String() {
				return &errRedirect{"redirect loop"}
			}
		}
		if len(via) > o.MaxRedirects {
			return &errRedirect{"more than " + strconv.Itoa(o.MaxRedirects) + " redirects"}
		}
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", "", &Error{Kind: KindBadURL, URL: shown, Reason: "not a usable URL", Err: err}
	}
	req.Header.Set("User-Agent", o.UserAgent)
	req.Header.Set("Accept", acceptHTML)
	resp, err := c.Do(req)
	if err != nil {
		return nil, "", "", o.netError(ctx, shown, err)
	}
	defer resp.Body.Close()
	final := u.String()
	if resp.Request != nil && resp.Request.URL != nil {
		final = resp.Request.URL.String()
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // drained for reuse; its error is the status
		var wait time.Duration
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			wait = retryAfter(resp.Header.Get("Retry-After"), time.Now())
		}
		return nil, "", "", httpError(shown, resp.StatusCode, wait)
	}
	ct := resp.Header.Get("Content-Type")
	if mt, ok := declaredNotHTML(ct); ok {
		return nil, "", "", notHTML(shown, mt)
	}
	if resp.ContentLength > o.MaxBytes {
		return nil, "", "", &Error{Kind: KindTooLarge, URL: shown, Limit: o.MaxBytes,
			Reason: "page larger than " + netmsg.Bytes(o.MaxBytes)}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, o.MaxBytes+1))
	if err != nil {
		return nil, "", "", o.netError(ctx, shown, err)
	}
	if int64(len(body)) > o.MaxBytes {
		return nil, "", "", &Error{Kind: KindTooLarge, URL: shown, Limit: o.MaxBytes,
			Reason: "page larger than " + netmsg.Bytes(o.MaxBytes)}
	}
	return body, ct, final, nil
}

// netError explains a failed request, without the URL's secrets.
func (o Options) netError(ctx context.Context, shown string, err error) error {
	var re *errRedirect
	if errors.As(err, &re) {
		return &Error{Kind: KindRedirect, URL: shown, Reason: re.reason}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = redactRaw(ue.URL) // net/http names the URL in its words
	}
	d := netmsg.Describe(ctx, err, o.Timeout)
	return &Error{Kind: KindNetwork, URL: shown, Reason: sanitize.Line(sanitize.Redact(d.Error())), Err: d}
}

// declaredNotHTML reports whether a Content-Type names a type that is no
// HTML (application/pdf, image/png, …), and returns its media type. No
// Content-Type, a generic one (application/octet-stream, text/plain) or an
// unparsable one is left to the body to tell.
func declaredNotHTML(ct string) (string, bool) {
	if strings.TrimSpace(ct) == "" {
		return "", false
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return "", false
	}
	switch {
	case mt == "text/html", mt == "application/xhtml+xml", mt == "application/octet-stream",
		mt == "text/plain", mt == "application/xml", mt == "text/xml", mt == "binary/octet-stream":
		return mt, false
	}
	return mt, true
}

// htmlType reports whether a body with the given Content-Type is HTML,
// and returns the media type it is taken for: the declared one unless it
// is missing or generic, or the bytes say otherwise (a PDF served as
// text/html is still a PDF).
func htmlType(body []byte, ct string) (string, bool) {
	if mt, no := declaredNotHTML(ct); no {
		return mt, false
	}
	sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(body))
	mt, _, _ := mime.ParseMediaType(ct)
	switch {
	case sniffed == "text/html":
		return sniffed, true
	case mt == "text/html" || mt == "application/xhtml+xml":
		// Declared HTML that does not start like it: HTML still, unless
		// the bytes are of a known binary kind.
		if strings.HasPrefix(sniffed, "text/") {
			return mt, true
		}
	}
	return sniffed, false
}

func notHTML(shown, mt string) *Error {
	mt = sanitize.Line(mt)
	if mt == "" {
		mt = "unknown type"
	}
	return &Error{Kind: KindNotHTML, URL: shown, ContentType: mt, Reason: "not an HTML page (" + mt + ")"}
}
