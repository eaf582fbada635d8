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

func TestNBTFixtures(t *testing.T) {
	srv := routes(t, map[string][]byte{
		"/en/kurs/export_xml.php?date=2026-05-18&export=xmlout": fixture(t, "nbt_export_xml_2026-05-18.xml"),
		"/en/kurs/export_xml.php?date=2026-05-19&export=xmlout": fixture(t, "nbt_export_xml_2026-05-19.xml"),
	})
	p := newProv(t, "nbt", srv.URL)
	// 23:30 UTC on the 18th is already the 19th in Dushanbe.
	p.(*nbt).now = func() time.Time { return time.Date(2026, 5, 18, 23, 30, 0, 0, time.UTC) }
	qs, err := p.Fetch(context.Background(), "USD", ca, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	// TJS per USD is the USD Value; UZS = 9.3371 / (0.0777/100), and so on.
	checkQuote(t, qs, "TJS", 9.3371, "2026-05-19", "nbt", 0, false)
	checkQuote(t, qs, "UZS", 12016.859716859715, "2026-05-19", "nbt", 0, false)
	checkQuote(t, qs, "KGS", 87.45059473634916, "2026-05-19", "nbt", 0, false)
	checkQuote(t, qs, "KZT", 470.1460221550856, "2026-05-19", "nbt", 0, false)
	checkQuote(t, qs, "TMT", 3.5000562282115677, "2026-05-19", "nbt", 0, false)
	qs, err = p.Fetch(context.Background(), "USD", []string{"TJS"}, day("2026-05-18"))
	if err != nil {
		t.Fatal(err)
	}
	checkQuote(t, qs, "TJS", 9.3450, "2026-05-18", "nbt", 0, false)
	hits := srv.Hits()
	if len(hits) != 2 || hits[0].Path != "/en/kurs/export_xml.php" || hits[0].Query != "date=2026-05-19&export=xmlout" || hits[1].Query != "date=2026-05-18&export=xmlout" {
		t.Errorf("requests = %+v", hits)
	}
	// Out of range: the server silently answers today's rates.
	srv2 := serve(t, func(w http.ResponseWriter, r *http.Request) { w.Write(fixture(t, "nbt_export_xml_2026-05-19.xml")) })
	_, err = newProv(t, "nbt", srv2.URL).Fetch(context.Background(), "USD", ca, day("2019-01-01"))
	if err == nil || !strings.Contains(err.Error(), "2026-05-19") {
		t.Errorf("out-of-range answer accepted: %v", err)
	}
}

func TestNBTBroken(t *testing.T) {
	good := fixture(t, "nbt_export_xml_2026-05-19.xml")
	rep := func(old, new string) []byte {
		if !bytes.Contains(good, []byte(old)) {
			t.Fatalf("fixture lacks %q", old)
		}
		return bytes.Replace(good, []byte(old), []byte(new), 1)
	}
	noKZT := regexp.MustCompile(`(?s)<Valute ID="398">.*?</Valute>`).ReplaceAll(good, nil)
	win := append([]byte(nil), rep(`encoding="utf-8"`, `encoding="windows-1251"`)...)
	win = bytes.Replace(win, []byte("<Name>Kazakhstan Tenge</Name>"), cp1251(t, "<Name>Казахстанский тенге</Name>"), 1)
	runBroken(t, "nbt", []brokenCase{
		{"html", []byte(htmlPage), true, nil},
		{"truncated", good[:len(good)/2], true, nil},
		{"missing code", noKZT, false, absent("KZT")},
		{"zero rate", rep("<Value>0.1986</Value>", "<Value>0</Value>"), false, absent("KZT")},
		{"negative rate", rep("<Value>0.1986</Value>", "<Value>-0.1986</Value>"), false, absent("KZT")},
		{"zero nominal", rep("<Nominal>10</Nominal>\n   <Name>Kazakhstan", "<Nominal>0</Nominal>\n   <Name>Kazakhstan"), false, absent("KZT")},
		{"zero USD", rep("<Value>9.3371</Value>", "<Value>0.0000</Value>"), true, nil},
		{"no date", rep(`Date="2026-05-19"`, `Date=""`), true, nil},
		{"comma decimals", rep("<Value>9.3371</Value>", "<Value>9,3371</Value>"), false, func(t *testing.T, qs []Quote) {
			checkQuote(t, qs, "TJS", 9.3371, "2026-05-19", "nbt", 0, false)
		}},
		{"cp1251 bytes", win, false, func(t *testing.T, qs []Quote) {
			checkQuote(t, qs, "KZT", 470.1460221550856, "2026-05-19", "nbt", 0, false)
		}},
	})
}
