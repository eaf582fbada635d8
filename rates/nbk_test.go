package rates

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestNBKFixtures(t *testing.T) {
	srv := routes(t, map[string][]byte{
		"/rss/rates_all.xml":                  fixture(t, "nbk_rates_all_synthetic_02.04.2026.xml"),
		"/rss/get_rates.cfm?fdate=01.04.2026": fixture(t, "nbk_get_rates_fdate_01.04.2026.xml"),
		"/rss/get_rates.cfm?fdate=02.04.2026": fixture(t, "nbk_get_rates_fdate_02.04.2026.xml"),
	})
	p := newProv(t, "nbk", srv.URL)
	for _, date := range []time.Time{{}, day("2026-04-02")} {
		qs, err := p.Fetch(context.Background(), "USD", ca, date)
		if err != nil {
			t.Fatal(err)
		}
		// KZT per USD is the USD description; change from <change>:
		// previous USD = 475.09 + 3.68.
		checkQuote(t, qs, "KZT", 475.09, "2026-04-02", "nbk", 0.7745900776695125, true)
		checkQuote(t, qs, "UZS", 12150.639386189257, "2026-04-02", "nbk", 0.26174229101469937, true)
		checkQuote(t, qs, "TJS", 9.549547738693466, "2026-04-02", "nbk", -0.10886916987332684, true)
		checkQuote(t, qs, "KGS", 87.49355432780847, "2026-04-02", "nbk", 0.037664373262402684, true)
		if _, ok := byCode(qs)["TMT"]; ok {
			t.Error("NBK has no TMT, yet a TMT quote came out")
		}
	}
	qs, err := p.Fetch(context.Background(), "USD", []string{"KZT"}, day("2026-04-01"))
	if err != nil {
		t.Fatal(err)
	}
	checkQuote(t, qs, "KZT", 478.77, "2026-04-01", "nbk", 0.5785659084737826, true)
	want := []hit{{"/rss/rates_all.xml", "", "steppe-test/1"}, {"/rss/get_rates.cfm", "fdate=02.04.2026", "steppe-test/1"}, {"/rss/get_rates.cfm", "fdate=01.04.2026", "steppe-test/1"}}
	if got := srv.Hits(); len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("requests = %+v", got)
	}
	// The server answers 01.04 when asked for 31.03: refused.
	srv2 := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write(fixture(t, "nbk_get_rates_fdate_01.04.2026.xml"))
	})
	if _, err := newProv(t, "nbk", srv2.URL).Fetch(context.Background(), "USD", ca, day("2026-03-31")); err == nil {
		t.Error("nbk accepted rates dated after the day asked")
	}
}

func TestNBKBroken(t *testing.T) {
	rss := fixture(t, "nbk_rates_all_synthetic_02.04.2026.xml")
	rep := func(old, new string) []byte {
		if !bytes.Contains(rss, []byte(old)) {
			t.Fatalf("fixture lacks %q", old)
		}
		return bytes.Replace(rss, []byte(old), []byte(new), 1)
	}
	noTJS := regexp.MustCompile(`(?s)<item>\s*<title>TJS</title>.*?</item>`).ReplaceAll(rss, nil)
	// The <rates> document re-encoded in windows-1251, as declared.
	dated := fixture(t, "nbk_get_rates_fdate_02.04.2026.xml")
	win := cp1251(t, strings.Replace(string(dated), `encoding="utf-8"`, `encoding="windows-1251"`, 1))
	if bytes.Equal(win, dated) || !bytes.Contains(win, []byte{0xc4, 0xce, 0xcb, 0xcb, 0xc0, 0xd0}) { // ДОЛЛАР
		t.Fatal("cp1251 body not made")
	}
	runBroken(t, "nbk", []brokenCase{
		{"html", []byte(htmlPage), true, nil},
		{"truncated", rss[:len(rss)/2], true, nil},
		{"atom instead", []byte(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>`), true, nil},
		{"missing code", noTJS, false, absent("TJS")},
		{"zero rate", rep("<description>49.75</description>", "<description>0</description>"), false, absent("TJS")},
		{"negative rate", rep("<description>49.75</description>", "<description>-49.75</description>"), false, absent("TJS")},
		{"zero USD", rep("<description>475.09</description>", "<description>0.00</description>"), true, nil},
		{"bad date", bytes.ReplaceAll(rss, []byte("02.04.2026"), []byte("2 April")), true, nil},
		{"comma decimals", rep("<description>475.09</description>", "<description>475,09</description>"), false, func(t *testing.T, qs []Quote) {
			checkQuote(t, qs, "KZT", 475.09, "2026-04-02", "nbk", 0.7745900776695125, true)
		}},
	})
	t.Run("cp1251 rates document", func(t *testing.T) {
		qs, hits, err := fetchBody(t, "nbk", win, day("2026-04-02"))
		if err != nil {
			t.Fatal(err)
		}
		checkQuote(t, qs, "KZT", 475.09, "2026-04-02", "nbk", 0.7745900776695125, true)
		if hits[0].Path != "/rss/get_rates.cfm" || hits[0].Query != "fdate=02.04.2026" {
			t.Errorf("request %+v", hits[0])
		}
	})
	t.Run("truncated rates document", func(t *testing.T) {
		if _, _, err := fetchBody(t, "nbk", dated[:len(dated)/2], day("2026-04-02")); err == nil {
			t.Error("no error")
		}
	})
}
