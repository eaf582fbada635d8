package rates

import (
	"bytes"
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// fixture reads a file from testdata.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type hit struct {
	Path, Query, UA string
}

// fakeServer is a loopback server that records every request.
type fakeServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits []hit
}

// serve answers with h and records requests.
func serve(t *testing.T, h http.HandlerFunc) *fakeServer {
	t.Helper()
	fs := &fakeServer{}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		fs.hits = append(fs.hits, hit{r.URL.Path, r.URL.RawQuery, r.UserAgent()})
		fs.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(fs.Close)
	return fs
}

// routes serves fixed bodies by "path?query" (or just path when the key has
// no '?'); anything else is a 404.
func routes(t *testing.T, m map[string][]byte) *fakeServer {
	return serve(t, func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.Path
		if r.URL.RawQuery != "" {
			key += "?" + r.URL.RawQuery
		}
		if b, ok := m[key]; ok {
			w.Write(b)
			return
		}
		if b, ok := m[r.URL.Path]; ok && r.URL.RawQuery == "" {
			w.Write(b)
			return
		}
		http.NotFound(w, r)
	})
}

func (fs *fakeServer) Hits() []hit {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]hit(nil), fs.hits...)
}

func newProv(t *testing.T, name, url string) Provider {
	t.Helper()
	p, err := NewProvider(name, url, nil, "steppe-test/1")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// redated is a fixture with every mention of the date from (as 2006-01-02
// and as 02.01.2006) changed to to.
func redated(b []byte, from, to time.Time) []byte {
	for _, l := range []string{"2006-01-02", "02.01.2006"} {
		b = bytes.ReplaceAll(b, []byte(from.Format(l)), []byte(to.Format(l)))
	}
	return b
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// near is equality to within 1e-9 relative (or 1e-9 absolute around 0).
func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func byCode(qs []Quote) map[string]Quote {
	m := map[string]Quote{}
	for _, q := range qs {
		m[q.Code] = q
	}
	return m
}

// checkQuote checks a quote against hand-computed numbers.
func checkQuote(t *testing.T, qs []Quote, code string, perBase float64, asOf string, source string, change float64, hasChange bool) {
	t.Helper()
	q, ok := byCode(qs)[code]
	if !ok {
		t.Errorf("%s: missing from %v", code, qs)
		return
	}
	if math.Abs(q.PerBase/perBase-1) > 1e-6 {
		t.Errorf("%s: PerBase = %v, want %v", code, q.PerBase, perBase)
	}
	if math.Abs(q.InBase*perBase-1) > 1e-6 {
		t.Errorf("%s: InBase = %v, want 1/%v", code, q.InBase, perBase)
	}
	if !q.AsOf.Equal(day(asOf)) {
		t.Errorf("%s: AsOf = %v, want %s", code, q.AsOf, asOf)
	}
	if q.Source != source || q.Base != "USD" {
		t.Errorf("%s: Source/Base = %s/%s, want %s/USD", code, q.Source, q.Base, source)
	}
	if q.HasChange != hasChange || (hasChange && math.Abs(q.ChangePct-change) > 1e-6) {
		t.Errorf("%s: change = %v,%v, want %v,%v", code, q.ChangePct, q.HasChange, change, hasChange)
	}
}

var ca = []string{"KGS", "KZT", "TJS", "UZS", "TMT"}

func mkq(code, source, date string, perBase float64) Quote {
	return Quote{Code: code, Base: "USD", PerBase: perBase, InBase: 1 / perBase, AsOf: day(date), Source: source}
}

const htmlPage = "<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head><body><h1>Maintenance</h1><p>Back soon.</p></body></html>\n"

func cp1251(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
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
