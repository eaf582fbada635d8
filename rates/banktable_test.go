package rates

import (
	"errors"
	"sort"
	"testing"
)

func TestBankTableFill(t *testing.T) {
	tb := &bankTable{Currency: "KZT", Date: day("2026-04-01"), Rows: map[string]bankRow{}}
	got, err := tb.fill([]rowText{
		{Code: " usd ", Value: "475.09", Change: "-3.68"},                // per 1, with a change
		{Code: "UZS", Value: "3,91", Nominal: "100", Change: "n/a"},      // per 100, bad change: kept without one
		{Code: "RUB", Value: "5.77", Nominal: "0"},                       // bad nominal: left out
		{Code: "EUR", Value: "-512"},                                     // negative: left out
		{Code: "GBP", Value: "1e3"},                                      // not the sources' way of writing: left out
		{Code: "KZT", Value: "1"},                                        // the table's own currency: left out
		{Code: "TJS", Value: "49.75", Date: day("2026-04-02"), Valid: 7}, // a later row moves the date
		{Code: "TOOLONG", Value: "1"},                                    // not a code
		{Code: "XAU", Value: "2000", Change: "2000"},                     // change to a zero previous: no change
	})
	if err != nil || got != tb {
		t.Fatalf("fill = %v, %v", got, err)
	}
	if codes := tb.sortedCodes(); len(codes) != 4 || codes[0] != "TJS" || codes[1] != "USD" || codes[2] != "UZS" || codes[3] != "XAU" {
		t.Errorf("codes %v", codes)
	}
	if r := tb.Rows["USD"]; r.PerUnit != 475.09 || !near(r.Prev, 475.09+3.68) {
		t.Errorf("USD %+v", r)
	}
	if r := tb.Rows["UZS"]; !near(r.PerUnit, 0.0391) || r.Prev != 0 {
		t.Errorf("UZS %+v", r)
	}
	if r := tb.Rows["XAU"]; r.Prev != 0 {
		t.Errorf("XAU %+v", r)
	}
	if r := tb.Rows["TJS"]; r.Valid != 7 || !tb.Date.Equal(day("2026-04-02")) {
		t.Errorf("TJS %+v, table date %v", r, tb.Date)
	}
	empty := &bankTable{Currency: "KGS", Rows: map[string]bankRow{}}
	if _, err := empty.fill([]rowText{{Code: "USD", Value: "0"}}); !errors.Is(err, errNoRates) {
		t.Errorf("no usable row: %v", err)
	}
}

// sortedCodes is the table's codes, sorted (for tests).
func (t *bankTable) sortedCodes() []string {
	var cs []string
	for c := range t.Rows {
		cs = append(cs, c)
	}
	sort.Strings(cs)
	return cs
}
