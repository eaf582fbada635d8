package rates

import (
	"math"
	"testing"
)

// checkTable is what every parser promises: no panic, and on success only
// usable numbers and plausible dates.
func checkTable(t *testing.T, tb *bankTable, err error) {
	t.Helper()
	if err != nil {
		if tb != nil {
			t.Fatalf("table and error both returned")
		}
		return
	}
	if tb == nil || len(tb.Rows) == 0 {
		t.Fatalf("success without rows")
	}
	if tb.Date.Year() < 1990 || tb.Date.Year() > 2200 {
		t.Fatalf("implausible date %v", tb.Date)
	}
	for c, r := range tb.Rows {
		if !usable(r.PerUnit) || (r.Prev != 0 && !usable(r.Prev)) {
			t.Fatalf("%s: unusable row %+v", c, r)
		}
	}
	qs, _ := tb.quotes("fuzz", "USD", append(tb.sortedCodes(), tb.Currency))
	for _, q := range qs {
		if !usable(q.PerBase) || !usable(q.InBase) || math.IsNaN(q.ChangePct) || math.IsInf(q.ChangePct, 0) {
			t.Fatalf("unusable quote %+v", q)
		}
	}
}

func FuzzParseCBU(f *testing.F) {
	f.Add(fixture(f, "cbu_json_all_2026-04-01.json"))
	f.Add(fixture(f, "cbu_json_all_2026-04-02.json"))
	f.Add([]byte(`[{"Ccy":"USD","Nominal":"1","Rate":"12142,10","Diff":"-52.11","Date":"02.04.2026"}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := parseCBU(b)
		checkTable(t, tb, err)
	})
}

func FuzzParseNBK(f *testing.F) {
	f.Add(fixture(f, "nbk_get_rates_fdate_01.04.2026.xml"))
	f.Add(fixture(f, "nbk_get_rates_fdate_02.04.2026.xml"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := parseNBK(b)
		checkTable(t, tb, err)
	})
}

func FuzzParseNBKRSS(f *testing.F) {
	f.Add(fixture(f, "nbk_rates_all_synthetic_02.04.2026.xml"))
	f.Add([]byte(`<rss version="2.0"><channel><item><title>USD</title><pubDate>27.06.2026</pubDate><description>486,47</description><quant>1</quant><change>-1.2</change></item></channel></rss>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := parseNBKRSS(b)
		checkTable(t, tb, err)
	})
}

func FuzzParseNBT(f *testing.F) {
	f.Add(fixture(f, "nbt_export_xml_2026-05-18.xml"))
	f.Add(fixture(f, "nbt_export_xml_2026-05-19.xml"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := parseNBT(b)
		checkTable(t, tb, err)
	})
}

func FuzzParseNBKR(f *testing.F) {
	f.Add(fixture(f, "nbkr_daily.xml"))
	f.Add(fixture(f, "nbkr_weekly.xml"))
	f.Add([]byte("<?xml version=\"1.0\" encoding=\"windows-1251\" ?><CurrencyRates Name=\"\xce\xf4\" Date=\"24.05.2026\"><Currency ISOCode=\"USD\"><Nominal>1</Nominal><Value>87,45</Value></Currency></CurrencyRates>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := parseNBKR(b)
		checkTable(t, tb, err)
	})
}

func FuzzParseERAPI(f *testing.F) {
	f.Add(fixture(f, "open_er_api_latest_USD_2024-08-19.json"))
	f.Add([]byte(`{"result":"error","error-type":"unsupported-code"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := parseERAPI(b)
		checkTable(t, tb, err)
	})
}

func FuzzParseFrankfurter(f *testing.F) {
	f.Add(fixture(f, "frankfurter_v2_rates_USD_latest_synthetic.json"))
	f.Add(fixture(f, "frankfurter_v2_rates_USD_2026-05-22_synthetic.json"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := parseFrankfurter(b, "USD")
		checkTable(t, tb, err)
	})
}
