package rates

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/url"
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
	q.Set("date", day.Format(dayLayout))
	q.Set("export", "xmlout")
	return p.quotes(ctx, "/en/kurs/export_xml.php?"+q.Encode(), date, parseNBT, base, codes)
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
	d, err := parseDay(doc.Date, dayLayout, "02.01.2006")
	if err != nil {
		return nil, fmt.Errorf("ValCurs Date: %w", err)
	}
	t := &bankTable{Currency: "TJS", Date: d, Rows: map[string]bankRow{}}
	rows := make([]rowText, 0, len(doc.Valutes))
	for _, v := range doc.Valutes {
		rows = append(rows, rowText{Code: v.CharCode, Value: v.Value, Nominal: v.Nominal})
	}
	return t.fill(rows)
}
