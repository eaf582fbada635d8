package rates

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/steppe-news/steppe/internal/sanitize"

	"github.com/steppe-news/steppe/internal/netmsg"
)

// maxBody caps what is read from any rate source.
const maxBody = 4 << 20

// errNoHistory is returned by providers that only serve the latest rates.
var errNoHistory = errors.New("no history")

// httpGetter is what every provider shares: its name, base URL and client.
type httpGetter struct {
	name      string
	base      string
	shown     string // base as errors show it: user info replaced by "***"
	client    *http.Client
	userAgent string
}

func (h httpGetter) Name() string { return h.name }

// redactURL is raw with its user info, if any, replaced by "***":
// "http://bob:secret@h/x" reads "http://***@h/x".
func redactURL(raw string) string { return sanitize.Redact(raw) }

// statusError is a non-2xx answer.
type statusError struct {
	Provider string
	URL      string // as shown: without credentials
	Code     int
	Header   http.Header
}

func (e *statusError) Error() string {
	return fmt.Sprintf("%s: GET %s: HTTP %d %s", e.Provider, e.URL, e.Code, http.StatusText(e.Code))
}

// Short is the status for a status line: "HTTP 503".
func (e *statusError) Short() string { return fmt.Sprintf("HTTP %d", e.Code) }

// get fetches base+pathQuery and returns the body (at most maxBody bytes).
// Its errors show the URL without credentials.
func (h httpGetter) get(ctx context.Context, pathQuery string) ([]byte, error) {
	shown := h.shown + pathQuery
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.base+pathQuery, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: GET %s: cannot make the request", h.name, shown)
	}
	if h.userAgent != "" {
		req.Header.Set("User-Agent", h.userAgent)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", h.name, netmsg.Describe(ctx, err, h.client.Timeout))
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, &statusError{Provider: h.name, URL: shown, Code: resp.StatusCode, Header: resp.Header}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("%s: GET %s: %w", h.name, shown, netmsg.Describe(ctx, err, h.client.Timeout))
	}
	if len(body) > maxBody {
		return nil, fmt.Errorf("%s: GET %s: body larger than %d bytes", h.name, shown, maxBody)
	}
	return body, nil
}

// quotes is table's quotes of codes against base, the codes in capitals:
// the whole Fetch of a provider whose answer names the base itself.
func (h httpGetter) quotes(ctx context.Context, pathQuery string, asked time.Time, parse func([]byte) (*bankTable, error), base string, codes []string) ([]Quote, error) {
	t, err := h.table(ctx, pathQuery, asked, parse)
	if err != nil {
		return nil, err
	}
	return t.quotes(h.name, strings.ToUpper(base), upper(codes))
}

// table gets pathQuery and parses it into a table of the day asked for, or
// of a day before it (a zero day asks for the latest). Errors name the
// provider.
func (h httpGetter) table(ctx context.Context, pathQuery string, asked time.Time, parse func([]byte) (*bankTable, error)) (*bankTable, error) {
	body, err := h.get(ctx, pathQuery)
	if err != nil {
		return nil, err
	}
	t, err := parse(body)
	if err == nil {
		err = checkAsked(asked, t.Date)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", h.name, err)
	}
	return t, nil
}
