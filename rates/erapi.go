package rates

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// erapiBackoff is how long open.er-api.com asks clients to wait after a 429.
const erapiBackoff = 20 * time.Minute

// erapi is open.er-api.com: the latest rates only, units per 1 base. After
// an HTTP 429 it sends no request for erapiBackoff (or a longer Retry-After).
type erapi struct {
	httpGetter
	now func() time.Time

	mu      sync.Mutex
	blocked time.Time // no request before this
}

func (p *erapi) Fetch(ctx context.Context, base string, codes []string, date time.Time) ([]Quote, error) {
	if !date.IsZero() {
		return nil, fmt.Errorf("erapi: %w", errNoHistory)
	}
	p.mu.Lock()
	until := p.blocked
	p.mu.Unlock()
	if now := p.now(); now.Before(until) {
		return nil, &rateLimited{until: until}
	}
	base = strings.ToUpper(base)
	t, err := p.table(ctx, "/v6/latest/"+url.PathEscape(base), date, parseERAPI)
	if err != nil {
		var se *statusError
		if errors.As(err, &se) && se.Code == http.StatusTooManyRequests {
			wait := erapiBackoff
			if secs, err := strconv.Atoi(se.Header.Get("Retry-After")); err == nil && secs > 0 && time.Duration(secs)*time.Second > wait && secs <= 24*3600 {
				wait = time.Duration(secs) * time.Second
			}
			until := p.now().Add(wait)
			p.mu.Lock()
			if until.After(p.blocked) {
				p.blocked = until
			}
			p.mu.Unlock()
			return nil, &rateLimited{until: until}
		}
		return nil, err
	}
	return t.quotes(p.name, base, upper(codes))
}

// rateLimited is erapi after an HTTP 429: no request before until.
type rateLimited struct{ until time.Time }

func (e *rateLimited) Error() string {
	return "erapi: rate limited (HTTP 429); backing off until " + e.until.UTC().Format("15:04 MST")
}

// Short is the kind for a status line.
func (e *rateLimited) Short() string { return "rate limited" }

type erapiDoc struct {
	Result     string             `json:"result"`
	ErrorType  string             `json:"error-type"`
	UpdateUnix int64              `json:"time_last_update_unix"`
	UpdateUTC  string             `json:"time_last_update_utc"`
	BaseCode   string             `json:"base_code"`
	Rates      map[string]float64 `json:"rates"`
}

// parseERAPI reads a /v6/latest answer into a table in its base currency.
func parseERAPI(body []byte) (*bankTable, error) {
	var doc erapiDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("not the ExchangeRate-API JSON: %w", err)
	}
	if doc.Result != "success" {
		if doc.ErrorType != "" {
			return nil, fmt.Errorf("result %q: %s", doc.Result, clip(doc.ErrorType))
		}
		return nil, fmt.Errorf("result %q", clip(doc.Result))
	}
	base := strings.ToUpper(strings.TrimSpace(doc.BaseCode))
	if len(base) != 3 {
		return nil, fmt.Errorf("bad base_code %q", clip(doc.BaseCode))
	}
	var d time.Time
	if doc.UpdateUnix > 0 && doc.UpdateUnix < 7258118400 { // before 2200
		d = utcDate(time.Unix(doc.UpdateUnix, 0).UTC())
	} else if ut, err := time.Parse(time.RFC1123Z, doc.UpdateUTC); err == nil {
		d = utcDate(ut.UTC())
	} else {
		return nil, fmt.Errorf("no time_last_update")
	}
	if d.Year() < 1990 {
		return nil, fmt.Errorf("implausible time_last_update %s", d.Format(dayLayout))
	}
	t := &bankTable{Currency: base, Date: d, Rows: map[string]bankRow{}}
	for code, r := range doc.Rates {
		code = strings.ToUpper(code)
		if len(code) != 3 || code == base || !usable(r) {
			continue
		}
		if v := 1 / r; usable(v) {
			t.Rows[code] = bankRow{PerUnit: v}
		}
	}
	if len(t.Rows) == 0 {
		return nil, errNoRates
	}
	return t, nil
}
