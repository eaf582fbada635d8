package rates

import (
	"testing"
	"time"
)

func TestNumberParsing(t *testing.T) {
	ok := map[string]float64{"87,4500": 87.45, "12194.21": 12194.21, "+0.02": 0.02, " -2.77 ": -2.77, "0,0073": 0.0073, "1\u00a0000": 1000}
	for s, want := range ok {
		if got, err := parseNumber(s); err != nil || got != want {
			t.Errorf("parseNumber(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "NaN", "Inf", "-Inf", "1e5", "0x1p-2", "1,2,3", "1.2.3", "12 194,21x", "1_000", "."} {
		if _, err := parseNumber(s); err == nil {
			t.Errorf("parseNumber(%q) accepted", s)
		}
	}
}

func TestCheckAsked(t *testing.T) {
	if err := checkAsked(time.Time{}, day("2026-05-25")); err != nil {
		t.Errorf("latest asked: %v", err)
	}
	if err := checkAsked(day("2026-05-25").Add(13*time.Hour), day("2026-05-25")); err != nil {
		t.Errorf("the day asked: %v", err)
	}
	if err := checkAsked(day("2026-05-25"), day("2026-05-22")); err != nil {
		t.Errorf("a day before: %v", err)
	}
	if err := checkAsked(day("2026-05-24"), day("2026-05-25")); err == nil || err.Error() != "asked for 2026-05-24, got rates of 2026-05-25" {
		t.Errorf("a day after: %v", err)
	}
}

// Every provider that fetches by date refuses a later answer in the same
// words.
func TestAskedForOneDayGotAnotherSaysSoOnce(t *testing.T) {
	for _, c := range []struct {
		name, file string
		asked      time.Time
		got        string
	}{
		{"cbu", "cbu_json_all_2026-04-02.json", day("2026-04-01"), "2026-04-02"},
		{"nbk", "nbk_get_rates_fdate_02.04.2026.xml", day("2026-04-01"), "2026-04-02"},
		{"nbt", "nbt_export_xml_2026-05-19.xml", day("2026-05-18"), "2026-05-19"},
		{"frankfurter", "frankfurter_v2_rates_USD_latest_synthetic.json", day("2026-05-24"), "2026-05-25"},
	} {
		_, _, err := fetchBody(t, c.name, fixture(t, c.file), c.asked)
		want := c.name + ": asked for " + c.asked.Format("2006-01-02") + ", got rates of " + c.got
		if err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %q", c.name, err, want)
		}
	}
}
