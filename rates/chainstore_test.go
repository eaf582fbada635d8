package rates_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/steppe-news/steppe/rates"
)

// nbtServer answers the 2026-05-18 fixture for that date and the 2026-05-19
// one for any other (as the real server does for out-of-range dates).
func nbtServer(t *testing.T) (*fakeServer, rates.Provider) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/en/kurs/export_xml.php" {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("date") == "2026-05-18" {
			w.Write(fixture(t, "nbt_export_xml_2026-05-18.xml"))
			return
		}
		w.Write(fixture(t, "nbt_export_xml_2026-05-19.xml"))
	})
	return srv, newProv(t, "nbt", srv.URL)
}

func routes(t *testing.T, m map[string][]byte) *fakeServer {
	return serve(t, func(w http.ResponseWriter, r *http.Request) {
		if b, ok := m[r.URL.Path]; ok {
			w.Write(b)
			return
		}
		http.NotFound(w, r)
	})
}

func failing(t *testing.T, name string) (*fakeServer, rates.Provider) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", http.StatusBadGateway) })
	return srv, newProv(t, name, srv.URL)
}

func TestChainFallbackAndPreviousDay(t *testing.T) {
	_, ff := failing(t, "frankfurter")
	nbtSrv, np := nbtServer(t)
	// NBKR's files dated as NBT's: a quote dated after the clock is refused.
	nbkrSrv := routes(t, map[string][]byte{
		"/XML/daily.xml":  redated(fixture(t, "nbkr_daily.xml"), day("2026-05-24"), day("2026-05-19")),
		"/XML/weekly.xml": redated(fixture(t, "nbkr_weekly.xml"), day("2026-05-23"), day("2026-05-18")),
	})
	store, _ := openStore(t)
	c := newChain([]rates.Provider{ff, np, newProv(t, "nbkr", nbkrSrv.URL)}, store, time.Date(2026, 5, 20, 9, 0, 0, 0, time.UTC))
	rep, err := c.Refresh(context.Background(), "USD", ca)
	if err != nil {
		t.Fatal(err)
	}
	if got := codesOf(rep.Quotes); got != "KGS:nbt,KZT:nbt,TJS:nbt,UZS:nbt,TMT:nbt" {
		t.Errorf("winners %s", got)
	}
	if len(rep.Errors) != 1 || rep.Errors["frankfurter"] == nil || !strings.Contains(rep.Errors["frankfurter"].Error(), "502") {
		t.Errorf("errors %v", rep.Errors)
	}
	if strings.Join(rep.Providers, ",") != "nbt" || len(rep.Missing) != 0 || len(rep.Rejected) != 0 {
		t.Errorf("report %+v", rep)
	}
	// No change in the NBT file: the chain fetched the day before (05-18).
	checkQuote(t, rep.Quotes, "TJS", 9.3371, "2026-05-19", "nbt", 0.08460871148430194, true)
	checkQuote(t, rep.Quotes, "KZT", 470.1460221550856, "2026-05-19", "nbt", 0.8462876210085346, true)
	hits := nbtSrv.Hits()
	if len(hits) != 2 || hits[1].Query != "date=2026-05-18&export=xmlout" {
		t.Errorf("nbt requests %+v", hits)
	}
	// Winners and the previous day are in history, and Latest agrees.
	pts, _ := store.Series(context.Background(), "TJS", "USD", time.Time{})
	if len(pts) != 2 || !near(pts[0].InBase, 1/9.3450) || !near(pts[1].InBase, 1/9.3371) {
		t.Errorf("TJS series %+v", pts)
	}
	latest, _ := store.Latest(context.Background(), "USD", ca)
	for i, q := range latest {
		if r := rep.Quotes[i]; q.Code != r.Code || q.Source != r.Source || !near(q.ChangePct, r.ChangePct) || q.HasChange != r.HasChange {
			t.Errorf("Latest %+v differs from report %+v", q, r)
		}
	}
	// Second refresh: the previous day comes from history, no extra request.
	if _, err := c.Refresh(context.Background(), "USD", ca); err != nil {
		t.Fatal(err)
	}
	if n := len(nbtSrv.Hits()); n != 3 {
		t.Errorf("%d nbt requests after second refresh, want 3", n)
	}
}

func TestChainWeekendGap(t *testing.T) {
	latest := fixture(t, "frankfurter_v2_rates_USD_latest_synthetic.json")
	friday := fixture(t, "frankfurter_v2_rates_USD_2026-05-22_synthetic.json")
	monday := time.Date(2026, 5, 25, 8, 0, 0, 0, time.UTC)
	newSrv := func() *fakeServer {
		return serve(t, func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Query().Get("date") {
			case "":
				w.Write(latest)
			case "2026-05-24":
				w.Write(friday)
			default:
				http.NotFound(w, r)
			}
		})
	}
	t.Run("from history", func(t *testing.T) {
		s, _ := openStore(t)
		// Thursday and Friday from frankfurter; a Saturday from another source.
		must(t, s.Save(context.Background(), []rates.Quote{mkq("KZT", "frankfurter", "2026-05-21", 480), mkq("KZT", "frankfurter", "2026-05-22", 471.30), mkq("KZT", "erapi", "2026-05-23", 400)}))
		srv := newSrv()
		rep, err := newChain([]rates.Provider{newProv(t, "frankfurter", srv.URL)}, s, monday).Refresh(context.Background(), "USD", []string{"KZT"})
		if err != nil {
			t.Fatal(err)
		}
		// Monday 470.12 against Friday 471.30, not Saturday's other source.
		checkQuote(t, rep.Quotes, "KZT", 470.12, "2026-05-25", "frankfurter", 0.2509997447460277, true)
		if h := srv.Hits(); len(h) != 1 {
			t.Errorf("requests %+v, want only the latest", h)
		}
		got, _ := s.Latest(context.Background(), "USD", []string{"KZT"})
		if len(got) != 1 || !near(got[0].ChangePct, 0.2509997447460277) {
			t.Errorf("Latest %+v", got)
		}
	})
	t.Run("from the previous publication", func(t *testing.T) {
		s, _ := openStore(t)
		srv := newSrv()
		rep, err := newChain([]rates.Provider{newProv(t, "frankfurter", srv.URL)}, s, monday).Refresh(context.Background(), "USD", ca)
		if err != nil {
			t.Fatal(err)
		}
		checkQuote(t, rep.Quotes, "KZT", 470.12, "2026-05-25", "frankfurter", 0.2509997447460277, true)
		checkQuote(t, rep.Quotes, "TJS", 9.3371, "2026-05-25", "frankfurter", 0.08460871148430194, true)
		checkQuote(t, rep.Quotes, "TMT", 3.5, "2026-05-25", "frankfurter", 0, true)
		h := srv.Hits()
		// The day before the latest record's own date (Sunday), not before today.
		if len(h) != 2 || !strings.HasSuffix(h[1].Query, "&date=2026-05-24") {
			t.Errorf("requests %+v", h)
		}
		pts, _ := s.Series(context.Background(), "KZT", "USD", time.Time{})
		if len(pts) != 2 || !pts[0].Date.Equal(day("2026-05-22")) {
			t.Errorf("series %+v", pts)
		}
	})
}
