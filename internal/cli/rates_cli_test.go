package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// erapiServer serves the real open.er-api.com answer with its date and KGS
// per USD set by set; status, when not 0, is answered instead.
type erapiServer struct {
	*httptest.Server
	real   []byte
	body   atomic.Value
	status atomic.Int32
}

func newERAPIServer(t *testing.T) *erapiServer {
	t.Helper()
	real, err := os.ReadFile(filepath.Join(repoRoot, "rates", "testdata", "open_er_api_latest_USD_2024-08-19.json"))
	if err != nil {
		t.Fatal(err)
	}
	es := &erapiServer{real: real}
	es.body.Store(real)
	es.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s := es.status.Load(); s != 0 {
			http.Error(w, "down", int(s))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(es.body.Load().([]byte))
	}))
	t.Cleanup(es.Close)
	return es
}

func (es *erapiServer) set(t *testing.T, date time.Time, kgs string) {
	t.Helper()
	b := bytes.Replace(es.real, []byte(`"time_last_update_unix":1724025751`), []byte(fmt.Sprintf(`"time_last_update_unix":%d`, date.Unix()+151)), 1)
	b = bytes.Replace(b, []byte(`"KGS":85.734152`), []byte(`"KGS":`+kgs), 1)
	es.body.Store(b)
}

// ratesOnlyConfig is a config with no feeds and erapi alone at endpoint.
func ratesOnlyConfig(t *testing.T, dir, endpoint string) string {
	t.Helper()
	path := filepath.Join(dir, "config.toml")
	cfg := fmt.Sprintf("feeds = []\n[rates]\nproviders = [\"erapi\"]\n[rates.endpoints]\nerapi = %q\n", endpoint)
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Issue 13, finding 2: erapi alone answers KGS = 1.0 after a history near
// 0.0114: held as unconfirmed, shown so, never as ▲8640%.
func TestRefreshHoldsALoneWildRateUnconfirmed(t *testing.T) {
	es := newERAPIServer(t)
	dir := t.TempDir()
	cfg := ratesOnlyConfig(t, dir, es.URL)
	data := filepath.Join(dir, "data")
	today := time.Now().UTC().Truncate(24 * time.Hour)
	es.set(t, today.AddDate(0, 0, -1), "87.45")
	if code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "refresh"); code != 0 || strings.Contains(out, "unconfirmed") {
		t.Fatalf("first refresh (exit %d):\n%s%s", code, out, errOut)
	}
	es.set(t, today, "1.0")
	code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "refresh")
	want := "unconfirmed: KGS from erapi: 1.000 per USD is 98.86% off 87.45 on " + today.AddDate(0, 0, -1).Format("2006-01-02") + " (from erapi); no other source quotes KGS"
	if code != 0 || !strings.Contains(out, want) || !strings.Contains(out, "5/5 rates from erapi") {
		t.Fatalf("refresh (exit %d) lacks %q:\n%s%s", code, want, out, errOut)
	}
	code, out, _ = steppe(t, "--config", cfg, "--data-dir", data, "rates")
	if code != 0 {
		t.Fatalf("rates exit %d", code)
	}
	var kgs string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "KGS/USD") {
			kgs = l
		}
	}
	if !strings.HasPrefix(kgs, "KGS/USD = 1.000 ") || !strings.HasSuffix(kgs, "erapi, "+today.Format("2006-01-02")+"  (unconfirmed)") || strings.ContainsAny(kgs, "▲▼%") {
		t.Errorf("KGS line %q, want 1.000 marked (unconfirmed), no change", kgs)
	}
	if strings.Count(out, "(unconfirmed)") != 1 {
		t.Errorf("other rates marked:\n%s", out)
	}
	code, out, _ = steppe(t, "--config", cfg, "--data-dir", data, "rates", "--json")
	var got []rateJSON
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil || len(got) != 5 {
		t.Fatalf("rates --json (exit %d, %v):\n%s", code, err, out)
	}
	for _, r := range got {
		if (r.Code == "KGS") != r.Unconfirmed || (r.Code == "KGS" && r.ChangePct != nil) {
			t.Errorf("%+v", r)
		}
	}
	if !strings.Contains(out, `"unconfirmed": true`) {
		t.Errorf("no \"unconfirmed\": true in\n%s", out)
	}
}

// Issue 13, finding 2: a quote dated 2199 is refused and named, never
// stored; the next good answer is what `rates` shows.
func TestRefreshRefusesARateDatedAhead(t *testing.T) {
	es := newERAPIServer(t)
	dir := t.TempDir()
	cfg := ratesOnlyConfig(t, dir, es.URL)
	data := filepath.Join(dir, "data")
	es.set(t, time.Date(2199, 12, 31, 0, 0, 0, 0, time.UTC), "87.45")
	code, out, _ := steppe(t, "--config", cfg, "--data-dir", data, "refresh")
	if code != 1 || !strings.Contains(out, "rejected KGS from erapi: dated 2199-12-31, more than a day after now") {
		t.Errorf("refresh of a 2199 answer (exit %d):\n%s", code, out)
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	es.set(t, today, "87.45")
	if code, out, _ := steppe(t, "--config", cfg, "--data-dir", data, "refresh"); code != 0 {
		t.Fatalf("refresh (exit %d):\n%s", code, out)
	}
	_, out, _ = steppe(t, "--config", cfg, "--data-dir", data, "rates")
	if !strings.Contains(out, "KGS/USD = 0.01144") || !strings.Contains(out, "erapi, "+today.Format("2006-01-02")) || strings.Contains(out, "2199") {
		t.Errorf("rates after a good answer:\n%s", out)
	}
}

// Issue 13, finding 4 (rates): an endpoint's credentials never appear in
// what refresh prints.
func TestRefreshHidesEndpointCredentials(t *testing.T) {
	es := newERAPIServer(t)
	es.status.Store(http.StatusServiceUnavailable)
	dir := t.TempDir()
	cfg := ratesOnlyConfig(t, dir, strings.Replace(es.URL, "http://", "http://bob:secret@", 1))
	code, out, errOut := steppe(t, "--config", cfg, "--data-dir", filepath.Join(dir, "data"), "refresh")
	if code != 1 || !strings.Contains(out, "GET http://***@127.0.0.1:") || !strings.Contains(out, "HTTP 503") {
		t.Errorf("refresh (exit %d):\n%s%s", code, out, errOut)
	}
	if strings.Contains(out+errOut, "secret") || strings.Contains(out+errOut, "bob") {
		t.Errorf("credentials shown:\n%s%s", out, errOut)
	}
	// A closed port: the network error is words, without the URL's secret.
	es.Close()
	code, out, errOut = steppe(t, "--config", cfg, "--data-dir", filepath.Join(dir, "data"), "refresh")
	if code != 1 || !strings.Contains(out, "connection refused") || strings.Contains(out+errOut, "secret") {
		t.Errorf("refresh against a closed port (exit %d):\n%s%s", code, out, errOut)
	}
}
