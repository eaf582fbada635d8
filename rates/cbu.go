package rates

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// cbu is the Central Bank of Uzbekistan: a JSON array of every currency in
// UZS per Nominal units, with Diff, the absolute change in UZS.
type cbu struct{ httpGetter }

func (p *cbu) Fetch(ctx context.Context, base string, codes []string, date time.Time) ([]Quote, error) {
	path := "/en/arkhiv-kursov-valyut/json/"
	if !date.IsZero() {
		path = "/en/arkhiv-kursov-valyut/json/all/" + date.Format(dayLayout) + "/"
	}
	return p.quotes(ctx, path, date, parseCBU, base, codes)
}

type cbuRow struct {
	Ccy     string `json:"Ccy"`
	Nominal string `json:"Nominal"`
	Rate    string `json:"Rate"`
	Diff    string `json:"Diff"`
	Date    string `json:"Date"`
}

// parseCBU reads the CBU JSON array. Rows with a bad rate or date are left
// out; a body with no usable row, or rows of different dates, is an error.
func parseCBU(body []byte) (*bankTable, error) {
	var doc []cbuRow
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("not the CBU JSON array: %w", err)
	}
	t := &bankTable{Currency: "UZS", Rows: map[string]bankRow{}}
	var rows []rowText
	for _, r := range doc {
		d, err := parseDay(r.Date, "02.01.2006")
		if err != nil {
			continue
		}
		if t.Date.IsZero() {
			t.Date = d
		} else if !d.Equal(t.Date) {
			return nil, fmt.Errorf("rows of different dates (%s, %s)", t.Date.Format(dayLayout), d.Format(dayLayout))
		}
		rows = append(rows, rowText{Code: r.Ccy, Value: r.Rate, Nominal: r.Nominal, Change: r.Diff})
	}
	return t.fill(rows)
}
