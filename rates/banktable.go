package rates

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// bankRow is one currency in a source's table: the table's currency per 1
// unit of the row's currency.
type bankRow struct {
	PerUnit float64   // table currency per 1 unit of the row's currency
	Prev    float64   // the same on the previous publication, 0 = unknown
	Date    time.Time // the row's own date; zero = the table's date
	Valid   int       // days the row is valid for (NBKR weekly), 0 = one publication
}

// bankTable is what every parser produces: one source's rates of one
// publication, in the source's own currency.
type bankTable struct {
	Currency string // the currency every row is expressed in (UZS for CBU)
	Date     time.Time
	Rows     map[string]bankRow
}

// errNoRates is a table with no usable row.
var errNoRates = errors.New("no usable rates")

// rowText is a row of a central bank's table as the bank writes it.
type rowText struct {
	Code    string    // ISO code of the row's currency
	Value   string    // table currency per Nominal units: "12142.10", "87,4500"
	Nominal string    // units the value is for; "" is 1
	Change  string    // absolute change of Value since the previous publication; "" none
	Date    time.Time // the row's own date; zero = the table's date
	Valid   int       // days the row is valid for, 0 = one publication
}

// fill reads a central bank's rows into t, later days' rows moving t.Date
// forward, and returns t. A row with a bad code, value or nominal is left
// out; a bad change only loses the change. No usable row at all is an error.
func (t *bankTable) fill(rows []rowText) (*bankTable, error) {
	for _, r := range rows {
		code := strings.ToUpper(strings.TrimSpace(r.Code))
		if len(code) != 3 || code == t.Currency {
			continue
		}
		v, err := parseNumber(r.Value)
		if err != nil || !usable(v) {
			continue
		}
		n, err := parseNominal(r.Nominal)
		if err != nil {
			continue
		}
		row := bankRow{PerUnit: v / n, Date: r.Date, Valid: r.Valid}
		if c, err := parseNumber(r.Change); err == nil && usable(v-c) {
			row.Prev = (v - c) / n
		}
		t.Rows[code] = row
		if r.Date.After(t.Date) {
			t.Date = r.Date
		}
	}
	if len(t.Rows) == 0 {
		return nil, errNoRates
	}
	return t, nil
}

func (t *bankTable) own(code string) (now, prev float64, date time.Time, valid int, ok bool) {
	if code == t.Currency {
		return 1, 1, t.Date, 0, true
	}
	r, ok := t.Rows[code]
	if !ok {
		return 0, 0, time.Time{}, 0, false
	}
	d := r.Date
	if d.IsZero() {
		d = t.Date
	}
	return r.PerUnit, r.Prev, d, r.Valid, true
}

// quotes derives codes against base through the table's own rate for base:
// InBase(code) = own(code) / own(base). Codes the table lacks are absent; a
// table that does not quote base is an error.
func (t *bankTable) quotes(source, base string, codes []string) ([]Quote, error) {
	bNow, bPrev, bDate, _, ok := t.own(base)
	if !ok {
		return nil, fmt.Errorf("%s: does not quote the base %s", source, base)
	}
	if !usable(bNow) {
		return nil, fmt.Errorf("%s: unusable %s rate %v", source, base, bNow)
	}
	var out []Quote
	for _, code := range codes {
		if code == base {
			continue
		}
		cNow, cPrev, cDate, valid, ok := t.own(code)
		if !ok || !usable(cNow) {
			continue
		}
		in := cNow / bNow
		per := bNow / cNow
		if !usable(in) || !usable(per) {
			continue
		}
		q := Quote{Code: code, Base: base, PerBase: per, InBase: in, Source: source}
		// A cross rate is as old as its older leg, except that a leg valid
		// for several days (NBKR weekly) still counts on the other's date.
		q.AsOf = cDate
		if bDate.Before(cDate) {
			q.AsOf = bDate
		} else if bDate.After(cDate) && valid > 0 && !cDate.AddDate(0, 0, valid).Before(bDate) {
			q.AsOf = bDate
		}
		if usable(cPrev) && usable(bPrev) {
			q.ChangePct, q.HasChange = changePct(in, cPrev/bPrev)
		}
		out = append(out, q)
	}
	return out, nil
}
