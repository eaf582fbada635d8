package rates

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// nbt is the National Bank of Tajikistan: XML <ValCurs Date="YYYY-MM-DD">
// of TJS per Nominal units, dot decimals. It has no change field, and a date
// out of its range silently answers today's rates.
type nbt struct {
	httpGetter
	now func() time.Time
}

// dushanbe is UTC+5, where the bank's day begins.
var dushanbe = time.FixedZone("TJT", 5*3600)

func (p *nbt) Fetch(ctx context.Context, base string, codes []string, date time.Time) ([]Quote, error) {
	day := date
	if day.IsZero() {
		day = p.now().In(dushanbe)
	}
	q := url.Values{}
	q.Set("date", day.Format("2006-01-02"))
	q.Set("export", "xmlout")
	body, err := p.get(ctx, "/en/kurs/export_xml.php?"+q.Encode())
	if err != nil {
		return nil, err
	}
	t, err := parseNBT(body)
	if err != nil {
		return nil, fmt.Errorf("nbt: %w", err)
	}
	if !date.IsZero() && t.Date.After(utcDate(date)) {
		return nil, fmt.Errorf("nbt: asked for %s, got rates of %s (date out of range)", date.Format("2006-01-02"), t.Date.Format("2006-01-02"))
	}
	return t.quotes(p.name, strings.ToUpper(base), upper(codes))
}

type nbtDoc struct {
	XMLName xml.Name `xml:"ValCurs"`
	Date    string   `xml:"Date,attr"`
	Valutes []struct {
		CharCode string `xml:"CharCode"`
		Nominal  string `xml:"Nominal"`
		Value    string `xml:"Value"`
	} `xml:"Valute"`
}

// parseNBT reads the NBT ValCurs document.
func parseNBT(body []byte) (*bankTable, error) {
	var doc nbtDoc
	if err := xmlDecoder(body).Decode(&doc); err != nil {
		return nil, fmt.Errorf("not the NBT ValCurs XML: %w", err)
	}
	d, err := parseDay(doc.Date, "2006-01-02", "02.01.2006")
	if err != nil {
		return nil, fmt.Errorf("ValCurs Date: %w", err)
	}
	t := &bankTable{Currency: "TJS", Date: d, Rows: map[string]bankRow{}}
	for _, v := range doc.Valutes {
		code := strings.ToUpper(strings.TrimSpace(v.CharCode))
		if len(code) != 3 || code == t.Currency {
			continue
		}
		val, err := parseNumber(v.Value)
		if err != nil || !usable(val) {
			continue
		}
		nom, err := parseNominal(v.Nominal)
		if err != nil {
			continue
		}
		t.Rows[code] = bankRow{PerUnit: val / nom}
	}
	if len(t.Rows) == 0 {
		return nil, fmt.Errorf("no usable rates")
	}
	return t, nil
}
