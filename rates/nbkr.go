package rates

import (
	"context"
	"encoding/xml"
	"fmt"
	"strings"
	"time"
)

// nbkr is the National Bank of the Kyrgyz Republic: daily.xml (USD, EUR, CNY,
// KZT, RUB) and weekly.xml (everything else, TJS, UZS and TMT included), KGS
// per Nominal units with decimal commas, windows-1251. No history by date.
type nbkr struct{ httpGetter }

func (p *nbkr) Fetch(ctx context.Context, base string, codes []string, date time.Time) ([]Quote, error) {
	if !date.IsZero() {
		return nil, fmt.Errorf("nbkr: %w by date", errNoHistory)
	}
	base, codes = strings.ToUpper(base), upper(codes)
	body, err := p.get(ctx, "/XML/daily.xml")
	if err != nil {
		return nil, err
	}
	daily, err := parseNBKR(body)
	if err != nil {
		return nil, fmt.Errorf("nbkr: daily.xml: %w", err)
	}
	need := false
	for _, c := range append([]string{base}, codes...) {
		if _, ok := daily.Rows[c]; !ok && c != daily.Currency {
			need = true
		}
	}
	if need {
		body, err := p.get(ctx, "/XML/weekly.xml")
		if err != nil {
			// The daily rates still stand; say what is missing.
			qs, qerr := daily.quotes(p.name, base, codes)
			if qerr != nil {
				return nil, qerr
			}
			return qs, err
		}
		weekly, err := parseNBKR(body)
		if err != nil {
			qs, qerr := daily.quotes(p.name, base, codes)
			if qerr != nil {
				return nil, qerr
			}
			return qs, fmt.Errorf("nbkr: weekly.xml: %w", err)
		}
		for c, r := range weekly.Rows {
			if _, ok := daily.Rows[c]; !ok {
				daily.Rows[c] = r
			}
		}
	}
	return daily.quotes(p.name, base, codes)
}

type nbkrDoc struct {
	XMLName    xml.Name `xml:"CurrencyRates"`
	Date       string   `xml:"Date,attr"`
	Currencies []struct {
		ISOCode  string `xml:"ISOCode,attr"`
		Nominal  string `xml:"Nominal"`
		ValidFor string `xml:"ValidFor"`
		Value    string `xml:"Value"`
	} `xml:"Currency"`
}

// parseNBKR reads daily.xml or weekly.xml.
func parseNBKR(body []byte) (*bankTable, error) {
	var doc nbkrDoc
	if err := xmlDecoder(body).Decode(&doc); err != nil {
		return nil, fmt.Errorf("not the NBKR CurrencyRates XML: %w", err)
	}
	d, err := parseDay(doc.Date, "02.01.2006")
	if err != nil {
		return nil, fmt.Errorf("CurrencyRates Date: %w", err)
	}
	t := &bankTable{Currency: "KGS", Date: d, Rows: map[string]bankRow{}}
	for _, c := range doc.Currencies {
		code := strings.ToUpper(strings.TrimSpace(c.ISOCode))
		if len(code) != 3 || code == t.Currency {
			continue
		}
		v, err := parseNumber(c.Value)
		if err != nil || !usable(v) {
			continue
		}
		n, err := parseNominal(c.Nominal)
		if err != nil {
			continue
		}
		row := bankRow{PerUnit: v / n, Date: d}
		if vf := strings.TrimSpace(c.ValidFor); vf != "" {
			if days, err := parseNominal(vf); err == nil && days <= 366 {
				row.Valid = int(days)
			}
		}
		t.Rows[code] = row
	}
	if len(t.Rows) == 0 {
		return nil, fmt.Errorf("no usable rates")
	}
	return t, nil
}
