package rates

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// nbk is the National Bank of Kazakhstan: the latest rates as RSS 2.0
// (rates_all.xml), a given day as a <rates> document (get_rates.cfm). Both
// carry KZT per quant units, and change, the absolute change in KZT.
type nbk struct{ httpGetter }

func (p *nbk) Fetch(ctx context.Context, base string, codes []string, date time.Time) ([]Quote, error) {
	var (
		t   *bankTable
		err error
	)
	if date.IsZero() {
		body, gerr := p.get(ctx, "/rss/rates_all.xml")
		if gerr != nil {
			return nil, gerr
		}
		t, err = parseNBKRSS(body)
	} else {
		body, gerr := p.get(ctx, "/rss/get_rates.cfm?fdate="+url.QueryEscape(date.Format("02.01.2006")))
		if gerr != nil {
			return nil, gerr
		}
		t, err = parseNBK(body)
		if err == nil && t.Date.After(utcDate(date)) {
			err = fmt.Errorf("asked for %s, got rates of %s", date.Format("2006-01-02"), t.Date.Format("2006-01-02"))
		}
	}
	if err != nil {
		return nil, fmt.Errorf("nbk: %w", err)
	}
	return t.quotes(p.name, strings.ToUpper(base), upper(codes))
}

// nbkRow makes a row from an item's text fields; ok is false for a bad one.
func nbkRow(desc, quant, change string) (bankRow, bool) {
	v, err := parseNumber(desc)
	if err != nil || !usable(v) {
		return bankRow{}, false
	}
	n, err := parseNominal(quant)
	if err != nil {
		return bankRow{}, false
	}
	row := bankRow{PerUnit: v / n}
	if c, err := parseNumber(change); err == nil && usable(v-c) {
		row.Prev = (v - c) / n
	}
	return row, true
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
	for _, it := range doc.Items {
		code := strings.ToUpper(strings.TrimSpace(it.Title))
		if len(code) != 3 || code == t.Currency {
			continue
		}
		if row, ok := nbkRow(it.Description, it.Quant, it.Change); ok {
			t.Rows[code] = row
		}
	}
	if len(t.Rows) == 0 {
		return nil, fmt.Errorf("no usable rates")
	}
	return t, nil
}

// parseNBKRSS reads the rates_all.xml RSS feed with gofeed: quant and change
// land in item.Custom, and the date ("27.06.2026") is parsed here.
func parseNBKRSS(body []byte) (*bankTable, error) {
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("not the NBK RSS feed: %w", err)
	}
	if feed.FeedType != "rss" {
		return nil, fmt.Errorf("not the NBK RSS feed: a %s feed", feed.FeedType)
	}
	t := &bankTable{Currency: "KZT", Rows: map[string]bankRow{}}
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		code := strings.ToUpper(strings.TrimSpace(it.Title))
		if len(code) != 3 || code == t.Currency {
			continue
		}
		d, err := parseDay(it.Published, "02.01.2006", "2006-01-02")
		if err != nil {
			continue
		}
		row, ok := nbkRow(it.Description, it.Custom["quant"], it.Custom["change"])
		if !ok {
			continue
		}
		row.Date = d
		if d.After(t.Date) {
			t.Date = d
		}
		t.Rows[code] = row
	}
	if len(t.Rows) == 0 {
		return nil, fmt.Errorf("no usable rates")
	}
	return t, nil
}
