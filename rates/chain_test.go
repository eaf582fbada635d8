package rates

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// fakeProv is a provider with canned answers, for the sanity rules.
type fakeProv struct {
	name string
	qs   []Quote
	err  error
}

func (f *fakeProv) Name() string { return f.name }
func (f *fakeProv) Fetch(ctx context.Context, base string, codes []string, date time.Time) ([]Quote, error) {
	if !date.IsZero() {
		return nil, errNoHistory
	}
	return f.qs, f.err
}

func newChain(ps []Provider, s *Store, now time.Time) *Chain {
	c := NewChain(ps, s)
	c.Now = func() time.Time { return now }
	return c
}

// nbtServer answers the 2026-05-18 fixture for that date and the 2026-05-19
// one for any other (as the real server does for out-of-range dates).
func nbtServer(t *testing.T) (*fakeServer, Provider) {
	return nbtServerOn(t, "2026-05-19")
}

// nbtServerOn is nbtServer with the fixtures dated today (2026-05-19's)
// and the day before (2026-05-18's), its provider's clock on today.
func nbtServerOn(t *testing.T, today string) (*fakeServer, Provider) {
	d := day(today)
	prev := d.AddDate(0, 0, -1)
	cur := redated(fixture(t, "nbt_export_xml_2026-05-19.xml"), day("2026-05-19"), d)
	old := redated(fixture(t, "nbt_export_xml_2026-05-18.xml"), day("2026-05-18"), prev)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/en/kurs/export_xml.php" {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("date") == prev.Format("2006-01-02") {
			w.Write(old)
			return
		}
		w.Write(cur)
	})
	p := newProv(t, "nbt", srv.URL)
	p.(*nbt).now = func() time.Time { return d }
	return srv, p
}

func failing(t *testing.T, name string) (*fakeServer, Provider) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", http.StatusBadGateway) })
	return srv, newProv(t, name, srv.URL)
}

func codesOf(qs []Quote) string {
	var s []string
	for _, q := range qs {
		s = append(s, q.Code+":"+q.Source)
	}
	return strings.Join(s, ",")
}

func TestChainMergesPerCurrency(t *testing.T) {
	nbkSrv := routes(t, map[string][]byte{"/rss/rates_all.xml": fixture(t, "nbk_rates_all_synthetic_02.04.2026.xml")})
	// NBT's fixtures dated as NBK's: a quote dated after the clock is refused.
	_, np := nbtServerOn(t, "2026-04-02")
	c := newChain([]Provider{newProv(t, "nbk", nbkSrv.URL), np}, nil, time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC))
	rep, err := c.Refresh(context.Background(), "USD", ca)
	if err != nil {
		t.Fatal(err)
	}
	// NBK has no TMT: it comes from NBT; the rest from NBK with its own change.
	if got := codesOf(rep.Quotes); got != "KGS:nbk,KZT:nbk,TJS:nbk,UZS:nbk,TMT:nbt" {
		t.Errorf("winners %s", got)
	}
	checkQuote(t, rep.Quotes, "KZT", 475.09, "2026-04-02", "nbk", 0.7745900776695125, true)
	checkQuote(t, rep.Quotes, "TMT", 3.5000562282115677, "2026-04-02", "nbt", (9.345/2.67/(9.3371/2.6677)-1)*100, true)
	if strings.Join(rep.Providers, ",") != "nbk,nbt" {
		t.Errorf("providers %v", rep.Providers)
	}
}

func TestChainRejectsCBUManat(t *testing.T) {
	for _, tc := range []struct {
		file, reason string
		now          time.Time
	}{
		// 01.04: 12194.21/4037.68 = 3.020 TMT per USD, 13.71% off the peg.
		{"cbu_json_all_2026-04-01.json", "TMT from cbu: 3.020 per USD is 13.71% off the 3.500 peg", day("2026-04-01")},
		// 02.04: 3.500 per USD, but Diff says it moved -13.71% in a day.
		{"cbu_json_all_2026-04-02.json", "TMT from cbu: moved -13.71% in a day (from 3.020 per USD) although pegged at 3.500", day("2026-04-02")},
	} {
		t.Run(tc.file, func(t *testing.T) {
			cbuSrv := routes(t, map[string][]byte{"/en/arkhiv-kursov-valyut/json/": fixture(t, tc.file)})
			// NBKR's files dated as CBU's: a quote dated after the clock is refused.
			nbkrSrv := routes(t, map[string][]byte{
				"/XML/daily.xml":  redated(fixture(t, "nbkr_daily.xml"), day("2026-05-24"), tc.now),
				"/XML/weekly.xml": redated(fixture(t, "nbkr_weekly.xml"), day("2026-05-23"), tc.now.AddDate(0, 0, -1)),
			})
			c := newChain([]Provider{newProv(t, "cbu", cbuSrv.URL), newProv(t, "nbkr", nbkrSrv.URL)}, nil, tc.now)
			rep, err := c.Refresh(context.Background(), "USD", ca)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Rejected) != 1 || rep.Rejected[0].Reason != tc.reason || rep.Rejected[0].Quote.Code != "TMT" {
				t.Fatalf("rejected %+v, want %q", rep.Rejected, tc.reason)
			}
			if got := codesOf(rep.Quotes); got != "KGS:cbu,KZT:cbu,TJS:cbu,UZS:cbu,TMT:nbkr" {
				t.Errorf("winners %s", got)
			}
			checkQuote(t, rep.Quotes, "TMT", 3.500002001144655, tc.now.Format("2006-01-02"), "nbkr", 0, false)
		})
	}
}

func TestChainMedian(t *testing.T) {
	d := day("2026-05-25")
	q := func(src string, kzt float64) *fakeProv {
		return &fakeProv{name: src, qs: []Quote{mkq("KZT", src, "2026-05-25", kzt), mkq("UZS", src, "2026-05-25", 12000)}}
	}
	// One bad among three: rejected, the next provider wins.
	rep, err := newChain([]Provider{q("a", 520), q("b", 470), q("c", 472)}, nil, d).Refresh(context.Background(), "USD", []string{"KZT", "UZS"})
	if err != nil {
		t.Fatal(err)
	}
	if codesOf(rep.Quotes) != "KZT:b,UZS:a" || len(rep.Rejected) != 1 || !strings.HasPrefix(rep.Rejected[0].Reason, "KZT from a: 520.00 per USD is 10.17% off the median 471.00 of b, c") {
		t.Errorf("quotes %s rejected %+v", codesOf(rep.Quotes), rep.Rejected)
	}
	// The bad one last: the good ones are not dragged off by it.
	rep, _ = newChain([]Provider{q("a", 470), q("b", 472), q("c", 520)}, nil, d).Refresh(context.Background(), "USD", []string{"KZT"})
	if codesOf(rep.Quotes) != "KZT:a" || len(rep.Rejected) != 1 || rep.Rejected[0].Quote.Source != "c" {
		t.Errorf("quotes %s rejected %+v", codesOf(rep.Quotes), rep.Rejected)
	}
	// Within 5%: kept.
	rep, _ = newChain([]Provider{q("a", 490), q("b", 470)}, nil, d).Refresh(context.Background(), "USD", []string{"KZT"})
	if codesOf(rep.Quotes) != "KZT:a" || len(rep.Rejected) != 0 {
		t.Errorf("quotes %s rejected %+v", codesOf(rep.Quotes), rep.Rejected)
	}
	// Not a positive finite number.
	bad := &fakeProv{name: "z", qs: []Quote{{Code: "KZT", Base: "USD", PerBase: -1, InBase: -1, AsOf: d, Source: "z"}}}
	rep, err = newChain([]Provider{bad}, nil, d).Refresh(context.Background(), "USD", []string{"KZT"})
	if err == nil || len(rep.Rejected) != 1 || len(rep.Missing) != 1 {
		t.Errorf("negative quote: %+v, %v", rep, err)
	}
}

func TestChainFreshness(t *testing.T) {
	now := day("2026-05-27")                                                           // Wednesday
	old := &fakeProv{name: "old", qs: []Quote{mkq("KZT", "old", "2026-05-22", 470)}}   // Friday: stale on Wednesday
	newer := &fakeProv{name: "new", qs: []Quote{mkq("KZT", "new", "2026-05-26", 471)}} // Tuesday
	rep, _ := newChain([]Provider{old, newer}, nil, now).Refresh(context.Background(), "USD", []string{"KZT"})
	if codesOf(rep.Quotes) != "KZT:new" {
		t.Errorf("stale first provider won: %s", codesOf(rep.Quotes))
	}
	// Only stale quotes: the newest is still given (Stale tells the UI).
	older := &fakeProv{name: "older", qs: []Quote{mkq("KZT", "older", "2026-05-15", 471)}}
	rep, err := newChain([]Provider{older, old}, nil, now).Refresh(context.Background(), "USD", []string{"KZT"})
	if err != nil || codesOf(rep.Quotes) != "KZT:old" {
		t.Errorf("stale fallback: %s, %v", codesOf(rep.Quotes), err)
	}
}

func TestChainERAPIBackoff(t *testing.T) {
	erSrv := serve(t, func(w http.ResponseWriter, r *http.Request) { http.Error(w, "slow down", http.StatusTooManyRequests) })
	_, np := nbtServer(t)
	now := time.Date(2026, 5, 19, 10, 0, 0, 0, time.UTC)
	ep := newProv(t, "erapi", erSrv.URL)
	ep.(*erapi).now = func() time.Time { return now }
	c := newChain([]Provider{ep, np}, nil, now)
	for i := 0; i < 2; i++ {
		rep, err := c.Refresh(context.Background(), "USD", ca)
		if err != nil {
			t.Fatal(err)
		}
		e := rep.Errors["erapi"]
		if e == nil || !strings.Contains(e.Error(), "429") || !strings.Contains(e.Error(), "backing off until 10:20") {
			t.Errorf("refresh %d: erapi error %v", i, e)
		}
		if codesOf(rep.Quotes) != "KGS:nbt,KZT:nbt,TJS:nbt,UZS:nbt,TMT:nbt" {
			t.Errorf("refresh %d: %s", i, codesOf(rep.Quotes))
		}
	}
	if n := len(erSrv.Hits()); n != 1 {
		t.Errorf("%d erapi requests, want 1 (backoff)", n)
	}
}

func TestChainAllFail(t *testing.T) {
	_, a := failing(t, "cbu")
	_, b := failing(t, "nbk")
	rep, err := newChain([]Provider{a, b}, nil, day("2026-05-25")).Refresh(context.Background(), "USD", ca)
	if err == nil || !strings.Contains(err.Error(), "cbu: GET") || !strings.Contains(err.Error(), "nbk: GET") {
		t.Errorf("err = %v", err)
	}
	if len(rep.Quotes) != 0 || strings.Join(rep.Missing, ",") != "KGS,KZT,TJS,UZS,TMT" || len(rep.Errors) != 2 {
		t.Errorf("report %+v", rep)
	}
	// A provider erroring with partial quotes still counts.
	part := &fakeProv{name: "p", qs: []Quote{mkq("KZT", "p", "2026-05-25", 470)}, err: errors.New("p: weekly.xml: 404")}
	rep, err = newChain([]Provider{part}, nil, day("2026-05-25")).Refresh(context.Background(), "USD", []string{"KZT", "TJS"})
	if err != nil || codesOf(rep.Quotes) != "KZT:p" || rep.Errors["p"] == nil || strings.Join(rep.Missing, ",") != "TJS" {
		t.Errorf("partial: %+v, %v", rep, err)
	}
}
