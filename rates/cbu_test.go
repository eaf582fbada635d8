package rates

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestCBUFixtures(t *testing.T) {
	srv := routes(t, map[string][]byte{
		"/en/arkhiv-kursov-valyut/json/":                fixture(t, "cbu_json_all_2026-04-02.json"),
		"/en/arkhiv-kursov-valyut/json/all/2026-04-01/": fixture(t, "cbu_json_all_2026-04-01.json"),
	})
	p := newProv(t, "cbu", srv.URL)
	qs, err := p.Fetch(context.Background(), "USD", ca, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	// UZS per USD is the USD Rate; KZT per USD = 12142.10 / 25.55; the
	// changes come from Diff: previous = Rate - Diff for both legs.
	checkQuote(t, qs, "UZS", 12142.10, "2026-04-02", "cbu", 0.42916793635368045, true)
	checkQuote(t, qs, "KZT", 475.22896281800394, "2026-04-02", "cbu", 0.5078433518933334, true)
	checkQuote(t, qs, "TJS", 9.585010814821832, "2026-04-02", "cbu", -0.05211696435316604, true)
	checkQuote(t, qs, "KGS", 87.47910662824206, "2026-04-02", "cbu", -0.003095340273373548, true)
	checkQuote(t, qs, "TMT", 3.500001441266931, "2026-04-02", "cbu", -13.711374717719039, true)
	if len(qs) != 5 || qs[0].Code != "KGS" {
		t.Errorf("want the 5 codes in order, got %v", qs)
	}

	qs, err = p.Fetch(context.Background(), "USD", []string{"tmt"}, day("2026-04-01"))
	if err != nil {
		t.Fatal(err)
	}
	checkQuote(t, qs, "TMT", 3.020103128529254, "2026-04-01", "cbu", (4037.68/12194.21/(3929.43/12210.71)-1)*100, true)

	hits := srv.Hits()
	if len(hits) != 2 || hits[0].Path != "/en/arkhiv-kursov-valyut/json/" || hits[1].Path != "/en/arkhiv-kursov-valyut/json/all/2026-04-01/" || hits[0].UA != "steppe-test/1" {
		t.Errorf("requests = %+v", hits)
	}
	// Asked for a day before what the server answers: refused.
	if _, err := p.Fetch(context.Background(), "USD", ca, day("2026-03-31")); err == nil {
		t.Error("cbu accepted rates dated after the day asked")
	}
	// A base the bank does not quote.
	if _, err := p.Fetch(context.Background(), "XAU", ca, time.Time{}); err == nil || !strings.Contains(err.Error(), "XAU") {
		t.Errorf("unquoted base: %v", err)
	}
	// Another base: KZT per EUR = (UZS per EUR) / (UZS per KZT).
	qs, err = p.Fetch(context.Background(), "EUR", []string{"KZT", "UZS"}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	eur := 0.0
	for _, r := range regexp.MustCompile(`"Ccy":"EUR"[^}]*"Rate":"([0-9.]+)"`).FindAllSubmatch(fixture(t, "cbu_json_all_2026-04-02.json"), 1) {
		eur, _ = parseNumber(string(r[1]))
	}
	if k := byCode(qs)["KZT"]; eur == 0 || !near(k.PerBase, eur/25.55) || k.Base != "EUR" {
		t.Errorf("KZT per EUR = %+v, want %v", k, eur/25.55)
	}
}

func TestCBUBroken(t *testing.T) {
	good := fixture(t, "cbu_json_all_2026-04-02.json")
	rep := func(old, new string) []byte {
		if !bytes.Contains(good, []byte(old)) {
			t.Fatalf("fixture lacks %q", old)
		}
		return bytes.Replace(good, []byte(old), []byte(new), 1)
	}
	noKZT := regexp.MustCompile(`\{[^{}]*"Ccy":"KZT"[^{}]*\},`).ReplaceAll(good, nil)
	runBroken(t, "cbu", []brokenCase{
		{"html", []byte(htmlPage), true, nil},
		{"truncated", good[:len(good)/2], true, nil},
		{"empty array", []byte("[]"), true, nil},
		{"missing code", noKZT, false, absent("KZT")},
		{"zero rate", rep(`"Rate":"25.55"`, `"Rate":"0"`), false, absent("KZT")},
		{"negative rate", rep(`"Rate":"25.55"`, `"Rate":"-25.55"`), false, absent("KZT")},
		{"NaN rate", rep(`"Rate":"25.55"`, `"Rate":"NaN"`), false, absent("KZT")},
		{"zero USD", rep(`"Rate":"12142.10"`, `"Rate":"0.00"`), true, nil},
		{"comma decimals", rep(`"Rate":"12142.10"`, `"Rate":"12142,10"`), false, func(t *testing.T, qs []Quote) {
			checkQuote(t, qs, "UZS", 12142.10, "2026-04-02", "cbu", 0.42916793635368045, true)
		}},
		{"bad diff", rep(`"Diff":"0.02"`, `"Diff":"n/a"`), false, func(t *testing.T, qs []Quote) {
			checkQuote(t, qs, "KZT", 475.22896281800394, "2026-04-02", "cbu", 0, false)
		}},
	})
}
