package rates

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// cbu is the Central Bank of Uzbekistan: a JSON array of every currency in
// UZS per Nominal units, with Diff, the absolute change in UZS.
type cbu struct{ httpGetter }

func (p *cbu) Fetch(ctx context.Context, base string, codes []string, date time.Time) ([]Quote, error) {
	path := "/en/arkhiv-kursov-valyut/json/"
	if !date.IsZero() {
		path = "/en/arkhiv-kursov-valyut/json/all/" + date.Format("2006-01-02") + "/"
	}
	body, err := p.get(ctx, path)
	if err != nil {
		return nil, err
	}
	t, err := parseCBU(body)
	if err != nil {
		return nil, fmt.Errorf("cbu: %w", err)
	}
	if !date.IsZero() && t.Date.After(utcDate(date)) {
		return nil, fmt.Errorf("cbu: asked for %s, got rates of %s", date.Format("2006-01-02"), t.Date.Format("2006-01-02"))
	}
	return t.quotes(p.name, strings.ToUpper(base), upper(codes))
}

type cbuRow struct {
	Ccy     string `json:"Ccy"`
	Nominal string `json:"Nominal"`
	Rate    string `json:"Rate"`
	Diff    string `json:"Diff"`
	Date    string `json:"Date"`
}

// parseCBU reads the CBU JSON array. Rows with a bad rate are left out; a
// body with no usable row, or rows of different dates, is an error.
func parseCBU(body []byte) (*bankTable, error) {
	var rows []cbuRow
	if err := json.Unmarshal(body, &rows); err != nil {
		return nil, fmt.Errorf("not the CBU JSON array: %w", err)
	}
	t := &bankTable{Currency: "UZS", Rows: map[string]bankRow{}}
	for _, r := range rows {
		code := strings.ToUpper(strings.TrimSpace(r.Ccy))
		if len(code) != 3 || code == t.Currency {
			continue
		}
		d, err := parseDay(r.Date, "02.01.2006")
		if err != nil {
			continue
		}
		if t.Date.IsZero() {
			t.Date = d
		} else if !d.Equal(t.Date) {
			return nil, fmt.Errorf("rows of different dates (%s, %s)", t.Date.Format("2006-01-02"), d.Format("2006-01-02"))
		}
		rate, err := parseNumber(r.Rate)
		if err != nil || !usable(rate) {
			continue
		}
		nom, err := parseNominal(r.Nominal)
		if err != nil {
			continue
		}
		row := bankRow{PerUnit: rate / nom}
		if diff, err := parseNumber(r.Diff); err == nil && usable(rate-diff) {
			row.Prev = (rate - diff) / nom
		}
		t.Rows[code] = row
	}
	if len(t.Rows) == 0 {
		return nil, fmt.Errorf("no usable rates")
	}
	return t, nil
}
