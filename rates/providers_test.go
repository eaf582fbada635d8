package rates

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

const htmlPage = "<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head><body><h1>Maintenance</h1><p>Back soon.</p></body></html>\n"

func cp1251(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNewProviderAndEndpoints(t *testing.T) {
	for _, n := range DefaultProviders {
		u, ok := DefaultEndpoint(n)
		if !ok || !strings.HasPrefix(u, "https://") {
			t.Errorf("DefaultEndpoint(%q) = %q, %v", n, u, ok)
		}
		p, err := NewProvider(n, "", nil, "")
		if err != nil || p.Name() != n {
			t.Errorf("NewProvider(%q) = %v, %v", n, p, err)
		}
	}
	if u, _ := DefaultEndpoint("frankfurter"); u != "https://api.frankfurter.dev" {
		t.Errorf("frankfurter endpoint %q", u)
	}
	_, err := NewProvider("ecb", "", nil, "")
	if err == nil || !strings.Contains(err.Error(), `"ecb"`) || !strings.Contains(err.Error(), "frankfurter, erapi, cbu, nbk, nbt, nbkr") {
		t.Errorf("unknown provider error = %v", err)
	}
	ps, err := Providers([]string{"nbk", "erapi"}, map[string]string{"erapi": "http://127.0.0.1:1/"}, nil, "")
	if err != nil || len(ps) != 2 || ps[0].Name() != "nbk" || ps[1].Name() != "erapi" {
		t.Fatalf("Providers = %v, %v", ps, err)
	}
	if ps[1].(*erapi).base != "http://127.0.0.1:1" {
		t.Errorf("endpoint override not applied: %q", ps[1].(*erapi).base)
	}
	if _, err := Providers([]string{"nbk", "nbk"}, nil, nil, ""); err == nil {
		t.Error("duplicate provider accepted")
	}
	if _, err := Providers(nil, map[string]string{"nope": "http://x"}, nil, ""); err == nil {
		t.Error("endpoint of unknown provider accepted")
	}
	if ps, err := Providers(nil, nil, nil, ""); err != nil || len(ps) != 6 {
		t.Errorf("default Providers = %d, %v", len(ps), err)
	}
}

func TestCredit(t *testing.T) {
	if got := Credit("erapi"); got != "Rates: ExchangeRate-API (https://www.exchangerate-api.com)" {
		t.Errorf("Credit(erapi) = %q", got)
	}
	if got := Credit("nbt"); got != "Rates: National Bank of Tajikistan (nbt.tj)" {
		t.Errorf("Credit(nbt) = %q", got)
	}
	if Credit("frankfurter") != "" || Credit("nope") != "" {
		t.Error("credit for unknown source")
	}
}

// fetchBody serves body on every path and fetches the rates of date
// (zero: the latest), returning the requests the server saw.
func fetchBody(t *testing.T, name string, body []byte, date time.Time) ([]Quote, []hit, error) {
	t.Helper()
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { w.Write(body) })
	p := newProv(t, name, srv.URL)
	if n, ok := p.(*nbt); ok {
		n.now = func() time.Time { return day("2026-05-19") }
	}
	qs, err := p.Fetch(context.Background(), "USD", ca, date)
	return qs, srv.Hits(), err
}

// brokenCase is a damaged body and what must come of it.
type brokenCase struct {
	name    string
	body    []byte
	wantErr bool
	check   func(t *testing.T, qs []Quote)
}

func runBroken(t *testing.T, provider string, cases []brokenCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			qs, _, err := fetchBody(t, provider, c.body, time.Time{})
			if c.wantErr {
				if err == nil {
					t.Fatalf("no error; quotes %v", qs)
				}
				if !strings.HasPrefix(err.Error(), provider+":") {
					t.Errorf("error %q does not name the provider", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.check != nil {
				c.check(t, qs)
			}
		})
	}
}

func absent(code string) func(t *testing.T, qs []Quote) {
	return func(t *testing.T, qs []Quote) {
		t.Helper()
		m := byCode(qs)
		if _, ok := m[code]; ok {
			t.Errorf("%s present: %+v", code, m[code])
		}
		if len(m) == 0 {
			t.Error("every other code lost too")
		}
	}
}

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

func TestERAPIFixture(t *testing.T) {
	srv := routes(t, map[string][]byte{"/v6/latest/USD": fixture(t, "open_er_api_latest_USD_2024-08-19.json")})
	p := newProv(t, "erapi", srv.URL)
	qs, err := p.Fetch(context.Background(), "usd", ca, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	checkQuote(t, qs, "KGS", 85.734152, "2024-08-19", "erapi", 0, false)
	checkQuote(t, qs, "KZT", 478.947251, "2024-08-19", "erapi", 0, false)
	checkQuote(t, qs, "TJS", 10.605885, "2024-08-19", "erapi", 0, false)
	checkQuote(t, qs, "UZS", 12707.572003, "2024-08-19", "erapi", 0, false)
	checkQuote(t, qs, "TMT", 3.500532, "2024-08-19", "erapi", 0, false)
	if _, err := p.Fetch(context.Background(), "USD", ca, day("2024-08-18")); err == nil || !strings.Contains(err.Error(), "no history") {
		t.Errorf("dated fetch: %v", err)
	}
	if h := srv.Hits(); len(h) != 1 || h[0].Path != "/v6/latest/USD" {
		t.Errorf("requests = %+v", h)
	}
}

func TestERAPIBroken(t *testing.T) {
	good := fixture(t, "open_er_api_latest_USD_2024-08-19.json")
	rep := func(old, new string) []byte {
		if !bytes.Contains(good, []byte(old)) {
			t.Fatalf("fixture lacks %q", old)
		}
		return bytes.Replace(good, []byte(old), []byte(new), 1)
	}
	runBroken(t, "erapi", []brokenCase{
		{"html", []byte(htmlPage), true, nil},
		{"truncated", good[:len(good)/2], true, nil},
		{"error result", []byte(`{"result":"error","error-type":"unsupported-code"}`), true, nil},
		{"missing code", rep(`"KZT":478.947251,`, ``), false, absent("KZT")},
		{"zero rate", rep(`"KZT":478.947251`, `"KZT":0`), false, absent("KZT")},
		{"negative rate", rep(`"KZT":478.947251`, `"KZT":-478.947251`), false, absent("KZT")},
		{"rate as string", rep(`"KZT":478.947251`, `"KZT":"478,947251"`), true, nil},
		{"no date", rep(`"time_last_update_unix":1724025751,"time_last_update_utc":"Mon, 19 Aug 2024 00:02:31 +0000"`, `"time_last_update_unix":0`), true, nil},
	})
}

func TestERAPIBackoff(t *testing.T) {
	status := http.StatusTooManyRequests
	body := fixture(t, "open_er_api_latest_USD_2024-08-19.json")
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if status != 200 {
			http.Error(w, "too many", status)
			return
		}
		w.Write(body)
	})
	p := newProv(t, "erapi", srv.URL).(*erapi)
	now := time.Date(2026, 5, 25, 12, 0, 0, 0, time.UTC)
	p.now = func() time.Time { return now }
	_, err := p.Fetch(context.Background(), "USD", ca, time.Time{})
	if err == nil || !strings.Contains(err.Error(), "429") || !strings.Contains(err.Error(), "12:20") {
		t.Fatalf("429 error = %v", err)
	}
	status = 200
	now = now.Add(19 * time.Minute)
	_, err = p.Fetch(context.Background(), "USD", ca, time.Time{})
	if err == nil || !strings.Contains(err.Error(), "backing off") {
		t.Errorf("fetch during backoff: %v", err)
	}
	if n := len(srv.Hits()); n != 1 {
		t.Errorf("%d requests during backoff, want 1", n)
	}
	now = now.Add(2 * time.Minute)
	if _, err := p.Fetch(context.Background(), "USD", ca, time.Time{}); err != nil {
		t.Errorf("after backoff: %v", err)
	}
	if n := len(srv.Hits()); n != 2 {
		t.Errorf("%d requests after backoff, want 2", n)
	}
}

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

func TestERAPIRetryAfter(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		http.Error(w, "too many", http.StatusTooManyRequests)
	})
	p := newProv(t, "erapi", srv.URL).(*erapi)
	now := time.Date(2026, 5, 25, 12, 0, 0, 0, time.UTC)
	p.now = func() time.Time { return now }
	if _, err := p.Fetch(context.Background(), "USD", ca, time.Time{}); err == nil || !strings.Contains(err.Error(), "13:00") {
		t.Errorf("Retry-After longer than 20 minutes not honoured: %v", err)
	}
	now = now.Add(30 * time.Minute)
	p.Fetch(context.Background(), "USD", ca, time.Time{})
	if n := len(srv.Hits()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}
