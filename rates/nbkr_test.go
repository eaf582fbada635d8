package rates

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestNBKRFixtures(t *testing.T) {
	srv := routes(t, map[string][]byte{
		"/XML/daily.xml":  fixture(t, "nbkr_daily.xml"),
		"/XML/weekly.xml": fixture(t, "nbkr_weekly.xml"),
	})
	p := newProv(t, "nbkr", srv.URL)
	qs, err := p.Fetch(context.Background(), "USD", []string{"KZT", "KGS"}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	// KGS per USD is the USD Value 87,4500; KZT = 87.45 / 0.1859.
	checkQuote(t, qs, "KGS", 87.45, "2026-05-24", "nbkr", 0, false)
	checkQuote(t, qs, "KZT", 470.41420118343194, "2026-05-24", "nbkr", 0, false)
	if h := srv.Hits(); len(h) != 1 || h[0].Path != "/XML/daily.xml" {
		t.Errorf("weekly fetched though not needed: %+v", h)
	}
	qs, err = p.Fetch(context.Background(), "USD", ca, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	// Weekly rows (23.05, valid 7 days) cross with the daily USD of 24.05.
	checkQuote(t, qs, "TJS", 9.288566937162766, "2026-05-24", "nbkr", 0, false)
	checkQuote(t, qs, "UZS", 11979.452054794521, "2026-05-24", "nbkr", 0, false)
	checkQuote(t, qs, "TMT", 3.500002001144655, "2026-05-24", "nbkr", 0, false)
	if h := srv.Hits(); len(h) != 3 || h[2].Path != "/XML/weekly.xml" {
		t.Errorf("requests = %+v", h)
	}
	if _, err := p.Fetch(context.Background(), "USD", ca, day("2026-05-20")); !errors.Is(err, errNoHistory) {
		t.Errorf("dated fetch: %v", err)
	}
	if h := srv.Hits(); len(h) != 3 {
		t.Errorf("dated fetch made a request: %+v", h)
	}
}

func TestNBKRBroken(t *testing.T) {
	daily := fixture(t, "nbkr_daily.xml")
	weekly := fixture(t, "nbkr_weekly.xml")
	t.Run("weekly down keeps daily", func(t *testing.T) {
		srv := routes(t, map[string][]byte{"/XML/daily.xml": daily})
		qs, err := newProv(t, "nbkr", srv.URL).Fetch(context.Background(), "USD", ca, time.Time{})
		if err == nil || !strings.Contains(err.Error(), "404") {
			t.Errorf("weekly failure not reported: %v", err)
		}
		checkQuote(t, qs, "KZT", 470.41420118343194, "2026-05-24", "nbkr", 0, false)
		if _, ok := byCode(qs)["TJS"]; ok {
			t.Error("TJS without weekly.xml")
		}
	})
	t.Run("expired weekly keeps its date", func(t *testing.T) {
		old := bytes.Replace(weekly, []byte(`Date="23.05.2026"`), []byte(`Date="10.05.2026"`), 1)
		srv := routes(t, map[string][]byte{"/XML/daily.xml": daily, "/XML/weekly.xml": old})
		qs, err := newProv(t, "nbkr", srv.URL).Fetch(context.Background(), "USD", []string{"TJS"}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		checkQuote(t, qs, "TJS", 9.288566937162766, "2026-05-10", "nbkr", 0, false)
	})
	rep := func(old, new string) []byte {
		if !bytes.Contains(daily, []byte(old)) {
			t.Fatalf("fixture lacks %q", old)
		}
		return bytes.Replace(daily, []byte(old), []byte(new), 1)
	}
	// Real bodies may carry cp1251 bytes: a Cyrillic Name in windows-1251.
	win := rep(`Name="Daily Exchange Rates"`, string(cp1251(t, `Name="Официальные курсы валют"`)))
	noKZT := regexp.MustCompile(`(?s)<Currency ISOCode="KZT">.*?</Currency>`).ReplaceAll(daily, nil)
	check := func(code string) func(t *testing.T, qs []Quote) {
		return func(t *testing.T, qs []Quote) {
			checkQuote(t, qs, "KZT", 470.41420118343194, "2026-05-24", "nbkr", 0, false)
		}
	}
	// Only KZT and KGS are asked; weekly.xml (which lacks KZT) is served too.
	for _, c := range []brokenCase{
		{"html", []byte(htmlPage), true, nil},
		{"truncated", daily[:len(daily)/2], true, nil},
		{"missing code", noKZT, false, absent("KZT")},
		{"zero rate", rep("<Value>0,1859</Value>", "<Value>0,0000</Value>"), false, absent("KZT")},
		{"negative rate", rep("<Value>0,1859</Value>", "<Value>-0,1859</Value>"), false, absent("KZT")},
		{"zero USD", rep("<Value>87,4500</Value>", "<Value>0</Value>"), true, nil},
		{"dot decimals", rep("<Value>0,1859</Value>", "<Value>0.1859</Value>"), false, check("KZT")},
		{"cp1251 bytes", win, false, check("KZT")},
		{"utf-8 bytes under a cp1251 label", rep(`Name="Daily Exchange Rates"`, `Name="Официальные"`), false, check("KZT")},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := routes(t, map[string][]byte{"/XML/daily.xml": c.body, "/XML/weekly.xml": weekly})
			qs, err := newProv(t, "nbkr", srv.URL).Fetch(context.Background(), "USD", []string{"KZT", "KGS"}, time.Time{})
			if c.wantErr {
				if err == nil {
					t.Fatalf("no error: %v", qs)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, qs)
		})
	}
	if !bytes.Contains(win, []byte{0xce, 0xf4}) { // "Оф" in cp1251
		t.Fatal("cp1251 body not made")
	}
}
