// Issue 13, "rates that cannot pin": quotes dated ahead, absurd numbers and a
// lone source's wild move, through the exported Chain and Store.

package rates_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steppe-news/steppe/rates"
)

// erapiBody is the real open.er-api.com answer, published on date, with
// KGS per USD set to kgs.
func erapiBody(t *testing.T, date time.Time, kgs string) []byte {
	t.Helper()
	b := fixture(t, "open_er_api_latest_USD_2024-08-19.json")
	for old, new := range map[string]string{
		`"time_last_update_unix":1724025751`: fmt.Sprintf(`"time_last_update_unix":%d`, date.Add(151*time.Second).Unix()),
		`"KGS":85.734152`:                    `"KGS":` + kgs,
	} {
		if !bytes.Contains(b, []byte(old)) {
			t.Fatalf("fixture lacks %s", old)
		}
		b = bytes.Replace(b, []byte(old), []byte(new), 1)
	}
	return b
}

// switchable serves whatever body is set last; an empty body is a 503.
type switchable struct{ body atomic.Value }

func (s *switchable) set(b []byte) { s.body.Store(b) }

func (s *switchable) serve(t *testing.T) *fakeServer {
	return serve(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := s.body.Load().([]byte)
		if len(b) == 0 {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		w.Write(b)
	})
}

func TestChainRefusesAQuoteDatedAhead(t *testing.T) {
	// Frankfurter answers honest numbers dated 2199-12-31; NBT answers too.
	good := fixture(t, "frankfurter_v2_rates_USD_latest_synthetic.json")
	var ff switchable
	ff.set(bytes.ReplaceAll(good, []byte("2026-05-25"), []byte("2199-12-31")))
	ffSrv := ff.serve(t)
	_, np := nbtServer(t)
	store, db := openStore(t)
	now := time.Date(2026, 5, 25, 9, 0, 0, 0, time.UTC)
	c := newChain([]rates.Provider{newProv(t, "frankfurter", ffSrv.URL), np}, store, now)
	rep, err := c.Refresh(context.Background(), "USD", ca)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rejected) != 5 {
		t.Fatalf("rejected %+v, want frankfurter's five", rep.Rejected)
	}
	want := "KGS from frankfurter: dated 2199-12-31, more than a day after now (2026-05-25 09:00 UTC)"
	if rep.Rejected[0].Reason != want {
		t.Errorf("reason %q, want %q", rep.Rejected[0].Reason, want)
	}
	if got := codesOf(rep.Quotes); got != "KGS:nbt,KZT:nbt,TJS:nbt,UZS:nbt,TMT:nbt" {
		t.Errorf("winners %s", got)
	}
	var n int
	db.QueryRow(`SELECT COUNT(*) FROM rate_history WHERE date > '2100-01-01'`).Scan(&n)
	if n != 0 {
		t.Errorf("%d rows dated 2199 stored", n)
	}
	// It answers correctly again: its quote is the latest, not a 2199 one.
	ff.set(good)
	if _, err := c.Refresh(context.Background(), "USD", ca); err != nil {
		t.Fatal(err)
	}
	latest, _ := store.Latest(context.Background(), "USD", []string{"KZT"})
	if len(latest) != 1 || latest[0].Source != "frankfurter" || !latest[0].AsOf.Equal(day("2026-05-25")) {
		t.Errorf("Latest %+v, want frankfurter's 2026-05-25", latest)
	}
	// Alone and dated ahead: no quote, and the error says why.
	ff.set(bytes.ReplaceAll(good, []byte("2026-05-25"), []byte("2026-05-27")))
	_, err = newChain([]rates.Provider{newProv(t, "frankfurter", ffSrv.URL)}, store, now).Refresh(context.Background(), "USD", []string{"KZT"})
	if err == nil || !strings.Contains(err.Error(), "rejected KZT from frankfurter: dated 2026-05-27, more than a day after now") {
		t.Errorf("lone quote dated two days ahead: %v", err)
	}
	// Tomorrow is fine: official rates are published for the next day.
	ff.set(bytes.ReplaceAll(good, []byte("2026-05-25"), []byte("2026-05-26")))
	rep, err = newChain([]rates.Provider{newProv(t, "frankfurter", ffSrv.URL)}, store, now).Refresh(context.Background(), "USD", []string{"KZT"})
	if err != nil || len(rep.Quotes) != 1 || !rep.Quotes[0].AsOf.Equal(day("2026-05-26")) {
		t.Errorf("tomorrow's quote: %+v, %v", rep, err)
	}
}

func TestChainRefusesAbsurdNumbers(t *testing.T) {
	// The numbers that printed 300 digits: erapi's KGS at 1e308 and 1e-308.
	for _, c := range []struct{ kgs, reason string }{
		// 1e-308 KGS per USD: erapi's rates are per USD already.
		{"1e-308", "KGS from erapi: 1.000e-308 per USD is beyond any currency's rate (1e-09 to 1e+09)"},
		{"1e308", "KGS from erapi: 1.000e+308 per USD is beyond any currency's rate (1e-09 to 1e+09)"},
		{"1000000000000", "KGS from erapi: 1,000,000,000,000.00 per USD is beyond any currency's rate (1e-09 to 1e+09)"},
	} {
		t.Run(c.kgs, func(t *testing.T) {
			var er switchable
			er.set(erapiBody(t, day("2024-08-19"), c.kgs))
			srv := er.serve(t)
			store, _ := openStore(t)
			ch := newChain([]rates.Provider{newProv(t, "erapi", srv.URL)}, store, day("2024-08-19").Add(9*time.Hour))
			rep, err := ch.Refresh(context.Background(), "USD", ca)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Rejected) != 1 || rep.Rejected[0].Reason != c.reason {
				t.Fatalf("rejected %+v, want %q", rep.Rejected, c.reason)
			}
			if strings.Join(rep.Missing, ",") != "KGS" {
				t.Errorf("missing %v, want KGS", rep.Missing)
			}
			if got, _ := store.Latest(context.Background(), "USD", []string{"KGS"}); len(got) != 0 {
				t.Errorf("stored %+v", got)
			}
		})
	}
	// Nor can anyone store one directly.
	store, _ := openStore(t)
	for _, per := range []float64{1e308, 1e-308} {
		err := store.Save(context.Background(), []rates.Quote{mkq("KGS", "x", "2026-05-25", per)})
		if err == nil || !strings.Contains(err.Error(), "beyond any currency's rate") {
			t.Errorf("Save(%g per USD) = %v", per, err)
		}
	}
	err := store.Save(context.Background(), []rates.Quote{mkq("KGS", "x", time.Now().AddDate(0, 0, 2).Format("2006-01-02"), 87)})
	if err == nil || !strings.Contains(err.Error(), "more than a day after now") {
		t.Errorf("Save of a quote dated in two days = %v", err)
	}
}

// kgsHistory is a store holding a week of KGS near 0.0114 USD from
// frankfurter, up to Friday 2024-08-16.
func kgsHistory(t *testing.T) *rates.Store {
	t.Helper()
	s, _ := openStore(t)
	var qs []rates.Quote
	for i, d := range []string{"2024-08-12", "2024-08-13", "2024-08-14", "2024-08-15", "2024-08-16"} {
		qs = append(qs, mkq("KGS", "frankfurter", d, 87.40+float64(i)*0.01))
	}
	must(t, s.Save(context.Background(), qs))
	return s
}

// latestKGS is the stored latest KGS quote.
func latestKGS(t *testing.T, s *rates.Store) rates.Quote {
	t.Helper()
	qs, err := s.Latest(context.Background(), "USD", []string{"KGS"})
	if err != nil || len(qs) != 1 {
		t.Fatalf("Latest = %+v, %v", qs, err)
	}
	return qs[0]
}

// tickerText is the ticker's text of q as the UI composes it.
func tickerText(q rates.Quote) string {
	s := rates.Pair(q, false) + " = " + rates.FormatValue(rates.Value(q, false))
	if c := rates.FormatChange(rates.Change(q, false), q.HasChange); c != "" {
		s += " " + c
	}
	return s
}

func TestChainHoldsALoneWildQuoteUnconfirmed(t *testing.T) {
	ctx := context.Background()
	monday := day("2024-08-19")
	// The case: erapi alone answers KGS = 1.0 (1 KGS per USD, so
	// KGS/USD = 1.000) after a history near 0.0114.
	setup := func(t *testing.T) (*rates.Store, *switchable, *rates.Chain) {
		s := kgsHistory(t)
		er := &switchable{}
		er.set(erapiBody(t, monday, "1.0"))
		srv := er.serve(t)
		c := newChain([]rates.Provider{newProv(t, "erapi", srv.URL)}, s, monday.Add(9*time.Hour))
		rep, err := c.Refresh(ctx, "USD", ca)
		if err != nil {
			t.Fatal(err)
		}
		k := rep.Quotes[0]
		if k.Code != "KGS" || !k.Unconfirmed || k.HasChange || k.PerBase != 1 {
			t.Fatalf("reported KGS %+v, want unconfirmed 1.0 without a change", k)
		}
		for _, q := range rep.Quotes[1:] {
			if q.Unconfirmed {
				t.Errorf("%s unconfirmed with no history to differ from", q.Code)
			}
		}
		want := "KGS from erapi: 1.000 per USD is 98.86% off 87.44 on 2024-08-16 (from frankfurter); no other source quotes KGS, so it is held as unconfirmed until a second source or the next publication agrees"
		if len(rep.Unconfirmed) != 1 || rep.Unconfirmed[0].Reason != want {
			t.Errorf("unconfirmed %+v\nwant reason %q", rep.Unconfirmed, want)
		}
		return s, er, c
	}

	t.Run("stored, shown as such, no 8640%", func(t *testing.T) {
		s, _, c := setup(t)
		q := latestKGS(t, s)
		if !q.Unconfirmed || q.HasChange || q.Source != "erapi" || !q.AsOf.Equal(monday) {
			t.Errorf("Latest KGS %+v, want erapi's unconfirmed 1.0 without a change", q)
		}
		if got := tickerText(q); got != "KGS/USD = 1.000" {
			t.Errorf("ticker text %q, want %q (no ▲8640%%)", got, "KGS/USD = 1.000")
		}
		if got := rates.FormatQuote(q, true); got != "USD/KGS = 1.000" {
			t.Errorf("inverted %q", got)
		}
		// The sparkline draws the confirmed history only.
		pts, _ := s.Series(ctx, "KGS", "USD", time.Time{})
		if len(pts) != 5 || !pts[4].Date.Equal(day("2024-08-16")) {
			t.Errorf("series %+v, want the five confirmed days", pts)
		}
		// Asked again the same day: still unconfirmed.
		rep, _ := c.Refresh(ctx, "USD", ca)
		if !rep.Quotes[0].Unconfirmed || !latestKGS(t, s).Unconfirmed {
			t.Error("a second refresh of the same answer confirmed it")
		}
	})

	t.Run("the next publication agrees", func(t *testing.T) {
		s, er, c := setup(t)
		er.set(erapiBody(t, monday.AddDate(0, 0, 1), "1.02"))
		c.Now = func() time.Time { return monday.AddDate(0, 0, 1).Add(9 * time.Hour) }
		rep, err := c.Refresh(ctx, "USD", ca)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Quotes[0].Unconfirmed || len(rep.Unconfirmed) != 0 {
			t.Errorf("Tuesday's 1.02 after Monday's 1.0: %+v", rep.Quotes[0])
		}
		q := latestKGS(t, s)
		// Confirmed, its change is against Monday's, now confirmed too.
		if q.Unconfirmed || !q.HasChange || !near(q.ChangePct, (1/1.02-1)*100) {
			t.Errorf("Latest %+v, want confirmed with change %v", q, (1/1.02-1)*100)
		}
		pts, _ := s.Series(ctx, "KGS", "USD", time.Time{})
		if len(pts) != 7 {
			t.Errorf("series %+v, want 7 points (Monday confirmed)", pts)
		}
	})

	t.Run("a second source agrees", func(t *testing.T) {
		s, _, _ := setup(t)
		var ff switchable
		ff.set([]byte(`[{"date":"2024-08-19","base":"USD","quote":"KGS","rate":1.05}]`))
		srv := ff.serve(t)
		c := newChain([]rates.Provider{newProv(t, "frankfurter", srv.URL)}, s, monday.Add(10*time.Hour))
		rep, err := c.Refresh(ctx, "USD", []string{"KGS"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Quotes[0].Unconfirmed {
			t.Errorf("frankfurter's 1.05 of the same day: %+v", rep.Quotes[0])
		}
		// erapi's Monday row is confirmed: the series has it.
		pts, _ := s.Series(ctx, "KGS", "USD", monday)
		if len(pts) != 1 || !near(pts[0].InBase, 1/1.05) {
			t.Errorf("Monday's series %+v", pts)
		}
		if q := latestKGS(t, s); q.Unconfirmed || q.Source != "frankfurter" {
			t.Errorf("Latest %+v", q)
		}
	})

	t.Run("the next publication returns to the history", func(t *testing.T) {
		s, er, c := setup(t)
		er.set(erapiBody(t, monday.AddDate(0, 0, 1), "87.50"))
		c.Now = func() time.Time { return monday.AddDate(0, 0, 1).Add(9 * time.Hour) }
		rep, err := c.Refresh(ctx, "USD", ca)
		if err != nil {
			t.Fatal(err)
		}
		q := latestKGS(t, s)
		// Confirmed against Friday's confirmed 87.44, never against Monday's 1.0.
		want := (87.44/87.50 - 1) * 100
		if rep.Quotes[0].Unconfirmed || q.Unconfirmed || !q.HasChange || !near(q.ChangePct, want) {
			t.Errorf("Latest %+v, want confirmed with change %v", q, want)
		}
		if strings.Contains(tickerText(q), "▼98") {
			t.Errorf("ticker %q measures the change from the unconfirmed 1.0", tickerText(q))
		}
		// Monday's 1.0 stays unconfirmed, out of the series.
		pts, _ := s.Series(ctx, "KGS", "USD", monday)
		if len(pts) != 1 || !pts[0].Date.Equal(monday.AddDate(0, 0, 1)) {
			t.Errorf("series since Monday %+v, want Tuesday only", pts)
		}
	})

	t.Run("two sources agreeing are not held", func(t *testing.T) {
		s := kgsHistory(t)
		var er, ff switchable
		er.set(erapiBody(t, monday, "1.0"))
		ff.set([]byte(`[{"date":"2024-08-19","base":"USD","quote":"KGS","rate":1.01}]`))
		erSrv, ffSrv := er.serve(t), ff.serve(t)
		c := newChain([]rates.Provider{newProv(t, "frankfurter", ffSrv.URL), newProv(t, "erapi", erSrv.URL)}, s, monday.Add(9*time.Hour))
		rep, err := c.Refresh(ctx, "USD", []string{"KGS"})
		if err != nil || rep.Quotes[0].Unconfirmed || len(rep.Unconfirmed) != 0 {
			t.Errorf("two agreeing sources: %+v, %v", rep, err)
		}
	})

	t.Run("within the bound is confirmed", func(t *testing.T) {
		s := kgsHistory(t)
		var er switchable
		er.set(erapiBody(t, monday, "75")) // 14% stronger: a big day, not beyond the bound
		srv := er.serve(t)
		rep, err := newChain([]rates.Provider{newProv(t, "erapi", srv.URL)}, s, monday.Add(9*time.Hour)).Refresh(ctx, "USD", []string{"KGS"})
		if err != nil || rep.Quotes[0].Unconfirmed || !rep.Quotes[0].HasChange {
			t.Errorf("a 14%% move: %+v, %v", rep.Quotes, err)
		}
	})
}

// BenchmarkChainRefreshWithHistory is one refresh of erapi alone over a
// store holding a year of the five currencies: the cost of checking each
// lone quote against its history.
func BenchmarkChainRefreshWithHistory(b *testing.B) {
	body := fixture(b, "open_er_api_latest_USD_2024-08-19.json")
	srv := serve(b, func(w http.ResponseWriter, r *http.Request) { w.Write(body) })
	s, _ := openStore(b)
	var qs []rates.Quote
	for d := day("2023-08-19"); d.Before(day("2024-08-19")); d = d.AddDate(0, 0, 1) {
		for code, per := range map[string]float64{"KGS": 85.7, "KZT": 478.9, "TJS": 10.6, "UZS": 12707, "TMT": 3.5} {
			qs = append(qs, mkq(code, "erapi", d.Format("2006-01-02"), per))
		}
	}
	if err := s.Save(context.Background(), qs); err != nil {
		b.Fatal(err)
	}
	c := newChain([]rates.Provider{newProv(b, "erapi", srv.URL)}, s, day("2024-08-19").Add(9*time.Hour))
	for b.Loop() {
		if _, err := c.Refresh(context.Background(), "USD", ca); err != nil {
			b.Fatal(err)
		}
	}
}
