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
	daily, err := p.table(ctx, "/XML/daily.xml", date, nbkrFile("daily.xml"))
	if err != nil {
		return nil, err
	}
	need := false
	for _, c := range append([]string{base}, codes...) {
		if _, ok := daily.Rows[c]; !ok && c != daily.Currency {
			need = true
		}
	}
	if need {
		weekly, err := p.table(ctx, "/XML/weekly.xml", date, nbkrFile("weekly.xml"))
		if err != nil {
			// The daily rates still stand; say what is missing.
			qs, qerr := daily.quotes(p.name, base, codes)
			if qerr != nil {
				return nil, qerr
			}
			return qs, err
		}
		for c, r := range weekly.Rows {
			if _, ok := daily.Rows[c]; !ok {
				daily.Rows[c] = r
			}
		}
	}
	return daily.quotes(p.name, base, codes)
}

// nbkrFile parses one of the bank's files, naming it in errors.
func nbkrFile(name string) func([]byte) (*bankTable, error) {
	return func(body []byte) (*bankTable, error) {
		t, err := parseNBKR(body)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return t, nil
	}
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
	rows := make([]rowText, 0, len(doc.Currencies))
	for _, c := range doc.Currencies {
		row := rowText{Code: c.ISOCode, Value: c.Value, Nominal: c.Nominal, Date: d}
		if vf := strings.TrimSpace(c.ValidFor); vf != "" {
			if days, err := parseNominal(vf); err == nil && days <= 366 {
				row.Valid = int(days)
			}
		}
		rows = append(rows, row)
	}
	return t.fill(rows)
}
