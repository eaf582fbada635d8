package rates

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net/url"
	"time"

	"github.com/mmcdole/gofeed"
)

// nbk is the National Bank of Kazakhstan: the latest rates as RSS 2.0
// (rates_all.xml), a given day as a <rates> document (get_rates.cfm). Both
// carry KZT per quant units, and change, the absolute change in KZT.
type nbk struct{ httpGetter }

func (p *nbk) Fetch(ctx context.Context, base string, codes []string, date time.Time) ([]Quote, error) {
	path, parse := "/rss/rates_all.xml", parseNBKRSS
	if !date.IsZero() {
		path, parse = "/rss/get_rates.cfm?fdate="+url.QueryEscape(date.Format("02.01.2006")), parseNBK
	}
	return p.quotes(ctx, path, date, parse, base, codes)
}

type nbkDoc struct {
	XMLName xml.Name `xml:"rates"`
	Date    string   `xml:"date"`
	Items   []struct {
		Title       string `xml:"title"`
		Description string `xml:"description"`
		Quant       string `xml:"quant"`
		Change      string `xml:"change"`
	} `xml:"item"`
}

// parseNBK reads the get_rates.cfm <rates> document.
func parseNBK(body []byte) (*bankTable, error) {
	var doc nbkDoc
	if err := xmlDecoder(body).Decode(&doc); err != nil {
		return nil, fmt.Errorf("not the NBK <rates> XML: %w", err)
	}
	d, err := parseDay(doc.Date, "02.01.2006")
	if err != nil {
		return nil, fmt.Errorf("<date>: %w", err)
	}
	t := &bankTable{Currency: "KZT", Date: d, Rows: map[string]bankRow{}}
	rows := make([]rowText, 0, len(doc.Items))
	for _, it := range doc.Items {
		rows = append(rows, rowText{Code: it.Title, Value: it.Description, Nominal: it.Quant, Change: it.Change})
	}
	return t.fill(rows)
}

// parseNBKRSS reads the rates_all.xml RSS feed with gofeed: quant and change
// land in item.Custom, and each item's date ("27.06.2026") is parsed here;
// the table is of the newest.
func parseNBKRSS(body []byte) (*bankTable, error) {
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("not the NBK RSS feed: %w", err)
	}
	if feed.FeedType != "rss" {
		return nil, fmt.Errorf("not the NBK RSS feed: a %s feed", feed.FeedType)
	}
	t := &bankTable{Currency: "KZT", Rows: map[string]bankRow{}}
	var rows []rowText
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		d, err := parseDay(it.Published, "02.01.2006", dayLayout)
		if err != nil {
			continue
		}
		rows = append(rows, rowText{Code: it.Title, Value: it.Description, Nominal: it.Custom["quant"], Change: it.Custom["change"], Date: d})
	}
	return t.fill(rows)
}
