package rates

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/steppe-news/steppe/internal/netmsg"

	"golang.org/x/net/html/charset"
)

// DefaultProviders are the rate sources tried, in order, per currency.
var DefaultProviders = []string{"frankfurter", "erapi", "cbu", "nbk", "nbt", "nbkr"}

// defaultEndpoints are the real base URLs; each provider appends its own path.
var defaultEndpoints = map[string]string{
	"frankfurter": "https://api.frankfurter.dev",
	"erapi":       "https://open.er-api.com",
	"cbu":         "https://cbu.uz",
	"nbk":         "https://nationalbank.kz",
	"nbt":         "https://www.nbt.tj",
	"nbkr":        "https://www.nbkr.kg",
}

// credits are the attribution lines: ExchangeRate-API's terms require a
// visible credit; the central banks are named as the source of their
// official rates (nbt.tj for Tajikistan). Frankfurter requires none.
var credits = map[string]string{
	"erapi": "Rates: ExchangeRate-API (https://www.exchangerate-api.com)",
	"cbu":   "Rates: Central Bank of Uzbekistan (cbu.uz)",
	"nbk":   "Rates: National Bank of Kazakhstan (nationalbank.kz)",
	"nbt":   "Rates: National Bank of Tajikistan (nbt.tj)",
	"nbkr":  "Rates: National Bank of the Kyrgyz Republic (nbkr.kg)",
}

// DefaultEndpoint is the real base URL of a provider.
func DefaultEndpoint(name string) (string, bool) {
	u, ok := defaultEndpoints[name]
	return u, ok
}

// Credit is the attribution line for a source, "" where none is required.
func Credit(source string) string {
	return credits[source]
}

// maxBody caps what is read from any rate source.
const maxBody = 4 << 20

// NewProvider builds the named provider. baseURL "" means the real endpoint;
// the provider's own path is appended to baseURL. A nil client means a client
// with a 30 s timeout.
func NewProvider(name, baseURL string, client *http.Client, userAgent string) (Provider, error) {
	def, ok := defaultEndpoints[name]
	if !ok {
		return nil, fmt.Errorf("rates: unknown provider %q (known: %s)", name, strings.Join(DefaultProviders, ", "))
	}
	if baseURL == "" {
		baseURL = def
	}
	baseURL = strings.TrimRight(baseURL, "/")
	if !strings.HasPrefix(baseURL, "http://") && !strings.HasPrefix(baseURL, "https://") {
		return nil, fmt.Errorf("rates: provider %s: endpoint %q is not an http(s) URL", name, baseURL)
	}
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	h := httpGetter{name: name, base: baseURL, client: client, userAgent: userAgent}
	switch name {
	case "frankfurter":
		return &frankfurter{h}, nil
	case "erapi":
		return &erapi{httpGetter: h, now: time.Now}, nil
	case "cbu":
		return &cbu{h}, nil
	case "nbk":
		return &nbk{h}, nil
	case "nbt":
		return &nbt{httpGetter: h, now: time.Now}, nil
	case "nbkr":
		return &nbkr{h}, nil
	}
	panic("unreachable")
}

// Providers builds the named providers in order; endpoints override base URLs
// by provider name. nil names means DefaultProviders.
func Providers(names []string, endpoints map[string]string, client *http.Client, userAgent string) ([]Provider, error) {
	if names == nil {
		names = DefaultProviders
	}
	for n := range endpoints {
		if _, ok := defaultEndpoints[n]; !ok {
			return nil, fmt.Errorf("rates: endpoint for unknown provider %q (known: %s)", n, strings.Join(DefaultProviders, ", "))
		}
	}
	seen := map[string]bool{}
	var ps []Provider
	for _, n := range names {
		if seen[n] {
			return nil, fmt.Errorf("rates: provider %q listed twice", n)
		}
		seen[n] = true
		p, err := NewProvider(n, endpoints[n], client, userAgent)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// errNoHistory is returned by providers that only serve the latest rates.
var errNoHistory = errors.New("no history")

// httpGetter is what every provider shares: its name, base URL and client.
type httpGetter struct {
	name      string
	base      string
	client    *http.Client
	userAgent string
}

func (h httpGetter) Name() string { return h.name }

// statusError is a non-2xx answer.
type statusError struct {
	Provider string
	URL      string
	Code     int
	Header   http.Header
}

func (e *statusError) Error() string {
	return fmt.Sprintf("%s: GET %s: HTTP %d %s", e.Provider, e.URL, e.Code, http.StatusText(e.Code))
}

// get fetches base+pathQuery and returns the body (at most maxBody bytes).
func (h httpGetter) get(ctx context.Context, pathQuery string) ([]byte, error) {
	u := h.base + pathQuery
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", h.name, err)
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
		return nil, &statusError{Provider: h.name, URL: u, Code: resp.StatusCode, Header: resp.Header}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("%s: GET %s: %w", h.name, u, netmsg.Describe(ctx, err, h.client.Timeout))
	}
	if len(body) > maxBody {
		return nil, fmt.Errorf("%s: GET %s: body larger than %d bytes", h.name, u, maxBody)
	}
	return body, nil
}

// bankRow is one currency in a source's table: Value units of the table's
// currency per Nominal units of the row's currency.
type bankRow struct {
	PerUnit float64   // table currency per 1 unit of the row's currency
	Prev    float64   // the same on the previous publication, 0 = unknown
	Date    time.Time // the row's own date; zero = the table's date
	Valid   int       // days the row is valid for (NBKR weekly), 0 = one publication
}

// bankTable is what every parser produces: one source's rates of one
// publication, in the source's own currency.
type bankTable struct {
	Currency string // the currency every row is expressed in (UZS for CBU)
	Date     time.Time
	Rows     map[string]bankRow
}

func (t *bankTable) own(code string) (now, prev float64, date time.Time, valid int, ok bool) {
	if code == t.Currency {
		return 1, 1, t.Date, 0, true
	}
	r, ok := t.Rows[code]
	if !ok {
		return 0, 0, time.Time{}, 0, false
	}
	d := r.Date
	if d.IsZero() {
		d = t.Date
	}
	return r.PerUnit, r.Prev, d, r.Valid, true
}

// quotes derives codes against base through the table's own rate for base:
// InBase(code) = own(code) / own(base). Codes the table lacks are absent; a
// table that does not quote base is an error.
func (t *bankTable) quotes(source, base string, codes []string) ([]Quote, error) {
	bNow, bPrev, bDate, _, ok := t.own(base)
	if !ok {
		return nil, fmt.Errorf("%s: does not quote the base %s", source, base)
	}
	if !usable(bNow) {
		return nil, fmt.Errorf("%s: unusable %s rate %v", source, base, bNow)
	}
	var out []Quote
	for _, code := range codes {
		if code == base {
			continue
		}
		cNow, cPrev, cDate, valid, ok := t.own(code)
		if !ok || !usable(cNow) {
			continue
		}
		in := cNow / bNow
		per := bNow / cNow
		if !usable(in) || !usable(per) {
			continue
		}
		q := Quote{Code: code, Base: base, PerBase: per, InBase: in, Source: source}
		// A cross rate is as old as its older leg, except that a leg valid
		// for several days (NBKR weekly) still counts on the other's date.
		q.AsOf = cDate
		if bDate.Before(cDate) {
			q.AsOf = bDate
		} else if bDate.After(cDate) && valid > 0 && !cDate.AddDate(0, 0, valid).Before(bDate) {
			q.AsOf = bDate
		}
		if usable(cPrev) && usable(bPrev) {
			prevIn := cPrev / bPrev
			if usable(prevIn) {
				pct := (in/prevIn - 1) * 100
				if !math.IsNaN(pct) && !math.IsInf(pct, 0) {
					q.ChangePct, q.HasChange = pct, true
				}
			}
		}
		out = append(out, q)
	}
	return out, nil
}

// usable is a positive finite number.
func usable(v float64) bool {
	return v > 0 && !math.IsInf(v, 0) && !math.IsNaN(v)
}

var numberRE = regexp.MustCompile(`^[+-]?[0-9]+(?:[.,][0-9]+)?$`)

// parseNumber reads a decimal as the sources write it: "12194.21",
// "87,4500", "+0.02", " 478.77 ". No exponents, hex, NaN or Inf.
func parseNumber(s string) (float64, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", ""))
	if !numberRE.MatchString(s) {
		return 0, fmt.Errorf("not a number: %q", clip(s))
	}
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, fmt.Errorf("not a number: %q", clip(s))
	}
	return v, nil
}

// parseNominal reads a nominal: a positive integer (blank means 1).
func parseNominal(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > 1e9 {
		return 0, fmt.Errorf("bad nominal %q", clip(s))
	}
	return float64(n), nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// utcDate is the UTC midnight of a calendar day.
func utcDate(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// parseDay reads a date in one of layouts into a UTC midnight, refusing
// years outside 1990..2200.
func parseDay(s string, layouts ...string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range layouts {
		if t, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			if t.Year() < 1990 || t.Year() > 2200 {
				return time.Time{}, fmt.Errorf("implausible date %q", clip(s))
			}
			return utcDate(t), nil
		}
	}
	return time.Time{}, fmt.Errorf("bad date %q", clip(s))
}

// xmlDecoder decodes XML in any charset it declares (windows-1251 included).
func xmlDecoder(body []byte) *xml.Decoder {
	d := xml.NewDecoder(strings.NewReader(string(body)))
	d.CharsetReader = charset.NewReaderLabel
	return d
}

// upper normalises codes: upper case, trimmed, deduplicated, order kept.
func upper(codes []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range codes {
		c = strings.ToUpper(strings.TrimSpace(c))
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		out = append(out, c)
	}
	return out
}

// sortedCodes is the table's codes, sorted (for errors and tests).
func (t *bankTable) sortedCodes() []string {
	var cs []string
	for c := range t.Rows {
		cs = append(cs, c)
	}
	sort.Strings(cs)
	return cs
}
