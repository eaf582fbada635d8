package rates

import (
	"bytes"
	"context"
	"testing"
	"time"
)

func TestFrankfurterFixtures(t *testing.T) {
	srv := routes(t, map[string][]byte{
		"/v2/rates?base=USD&quotes=KGS,KZT,TJS,UZS,TMT":                 fixture(t, "frankfurter_v2_rates_USD_latest_synthetic.json"),
		"/v2/rates?base=USD&quotes=KGS,KZT,TJS,UZS,TMT&date=2026-05-24": fixture(t, "frankfurter_v2_rates_USD_2026-05-22_synthetic.json"),
	})
	p := newProv(t, "frankfurter", srv.URL)
	qs, err := p.Fetch(context.Background(), "USD", ca, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	checkQuote(t, qs, "KZT", 470.12, "2026-05-25", "frankfurter", 0, false)
	checkQuote(t, qs, "TMT", 3.5, "2026-05-25", "frankfurter", 0, false)
	qs, err = p.Fetch(context.Background(), "USD", ca, day("2026-05-24"))
	if err != nil {
		t.Fatal(err)
	}
	checkQuote(t, qs, "KZT", 471.30, "2026-05-22", "frankfurter", 0, false)
	if len(qs) != 5 {
		t.Errorf("got %d quotes", len(qs))
	}
	h := srv.Hits()
	if len(h) != 2 || h[0].Path != "/v2/rates" || h[0].Query != "base=USD&quotes=KGS,KZT,TJS,UZS,TMT" || h[1].Query != "base=USD&quotes=KGS,KZT,TJS,UZS,TMT&date=2026-05-24" {
		t.Errorf("requests = %+v", h)
	}
	// Asked for a day, answered a later one.
	if _, err := p.Fetch(context.Background(), "USD", ca, day("2026-05-20")); err == nil {
		t.Error("answer dated after the day asked accepted")
	}
}

func TestFrankfurterBroken(t *testing.T) {
	good := fixture(t, "frankfurter_v2_rates_USD_latest_synthetic.json")
	rep := func(old, new string) []byte {
		if !bytes.Contains(good, []byte(old)) {
			t.Fatalf("fixture lacks %q", old)
		}
		return bytes.Replace(good, []byte(old), []byte(new), 1)
	}
	runBroken(t, "frankfurter", []brokenCase{
		{"html", []byte(htmlPage), true, nil},
		{"truncated", good[:len(good)/2], true, nil},
		{"v1 object", []byte(`{"amount":1.0,"base":"USD","date":"2026-05-25","rates":{"KZT":470.12}}`), true, nil},
		{"other base only", bytes.ReplaceAll(good, []byte(`"base":"USD"`), []byte(`"base":"EUR"`)), true, nil},
		{"missing code", rep(`{"date":"2026-05-25","base":"USD","quote":"KZT","rate":470.12},`, ``), false, absent("KZT")},
		{"zero rate", rep(`"rate":470.12`, `"rate":0`), false, absent("KZT")},
		{"negative rate", rep(`"rate":470.12`, `"rate":-470.12`), false, absent("KZT")},
		{"bad date", rep(`"date":"2026-05-25","base":"USD","quote":"KZT"`, `"date":"25.05.2026","base":"USD","quote":"KZT"`), false, absent("KZT")},
	})
}
