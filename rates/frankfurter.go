package rates

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// frankfurter is the Frankfurter v2 API: /v2/rates answers a flat array of
// {date, base, quote, rate}, rate in units of quote per 1 base.
type frankfurter struct{ httpGetter }

func (p *frankfurter) Fetch(ctx context.Context, base string, codes []string, date time.Time) ([]Quote, error) {
	base, codes = strings.ToUpper(base), upper(codes)
	var want []string
	for _, c := range codes {
		if c != base {
			want = append(want, c)
		}
	}
	if len(want) == 0 {
		return nil, nil
	}
	// Built by hand so the comma list stays readable (base=USD&quotes=KGS,KZT).
	q := "base=" + url.QueryEscape(base) + "&quotes=" + url.QueryEscape(strings.Join(want, ","))
	q = strings.ReplaceAll(q, "%2C", ",")
	if !date.IsZero() {
		q += "&date=" + date.Format(dayLayout)
	}
	t, err := p.table(ctx, "/v2/rates?"+q, date, func(body []byte) (*bankTable, error) { return parseFrankfurter(body, base) })
	if err != nil {
		return nil, err
	}
	return t.quotes(p.name, base, codes)
}

type frankfurterRecord struct {
	Date  string  `json:"date"`
	Base  string  `json:"base"`
	Quote string  `json:"quote"`
	Rate  float64 `json:"rate"`
}

// parseFrankfurter reads the /v2/rates array into a table in base. When a
// range comes back (several dates), the newest record per quote is kept.
func parseFrankfurter(body []byte, base string) (*bankTable, error) {
	var recs []frankfurterRecord
	if err := json.Unmarshal(body, &recs); err != nil {
		return nil, fmt.Errorf("not the Frankfurter v2 JSON array: %w", err)
	}
	base = strings.ToUpper(base)
	t := &bankTable{Currency: base, Rows: map[string]bankRow{}}
	for _, r := range recs {
		if strings.ToUpper(r.Base) != base {
			continue
		}
		code := strings.ToUpper(strings.TrimSpace(r.Quote))
		if len(code) != 3 || code == base || !usable(r.Rate) {
			continue
		}
		d, err := parseDay(r.Date, dayLayout)
		if err != nil {
			continue
		}
		if old, ok := t.Rows[code]; ok && !d.After(old.Date) {
			continue
		}
		v := 1 / r.Rate
		if !usable(v) {
			continue
		}
		t.Rows[code] = bankRow{PerUnit: v, Date: d}
		if d.After(t.Date) {
			t.Date = d
		}
	}
	if len(t.Rows) == 0 {
		return nil, fmt.Errorf("no usable rates for base %s", base)
	}
	return t, nil
}
