package rates

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

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
