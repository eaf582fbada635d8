// External tests of the exported Store and Chain API against real SQLite
// (modernc.org/sqlite, WAL), as package main uses them.

package rates_test

import (
	"bytes"
	"context"
	"database/sql"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/steppe-news/steppe/rates"
)

var ca = []string{"KGS", "KZT", "TJS", "UZS", "TMT"}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func openDB(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "steppe.db")+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func openStore(t testing.TB) (*rates.Store, *sql.DB) {
	t.Helper()
	db := openDB(t)
	s, err := rates.OpenStore(db)
	if err != nil {
		t.Fatal(err)
	}
	return s, db
}

type hit struct{ Path, Query string }

type fakeServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits []hit
}

func serve(t testing.TB, h http.HandlerFunc) *fakeServer {
	t.Helper()
	fs := &fakeServer{}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		fs.hits = append(fs.hits, hit{r.URL.Path, r.URL.RawQuery})
		fs.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *fakeServer) Hits() []hit {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]hit(nil), fs.hits...)
}

func newProv(t testing.TB, name, url string) rates.Provider {
	t.Helper()
	p, err := rates.NewProvider(name, url, nil, "steppe-test/1")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func newChain(ps []rates.Provider, s *rates.Store, now time.Time) *rates.Chain {
	c := rates.NewChain(ps, s)
	c.Now = func() time.Time { return now }
	return c
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

func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func mkq(code, source, date string, perBase float64) rates.Quote {
	return rates.Quote{Code: code, Base: "USD", PerBase: perBase, InBase: 1 / perBase, AsOf: day(date), Source: source}
}

func withChange(q rates.Quote, pct float64) rates.Quote {
	q.ChangePct, q.HasChange = pct, true
	return q
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func codesOf(qs []rates.Quote) string {
	var s []string
	for _, q := range qs {
		s = append(s, q.Code+":"+q.Source)
	}
	return strings.Join(s, ",")
}

func checkQuote(t *testing.T, qs []rates.Quote, code string, perBase float64, asOf string, source string, change float64, hasChange bool) {
	t.Helper()
	for _, q := range qs {
		if q.Code != code {
			continue
		}
		if math.Abs(q.PerBase/perBase-1) > 1e-6 || math.Abs(q.InBase*perBase-1) > 1e-6 {
			t.Errorf("%s: PerBase %v InBase %v, want %v", code, q.PerBase, q.InBase, perBase)
		}
		if !q.AsOf.Equal(day(asOf)) || q.Source != source {
			t.Errorf("%s: %s from %s, want %s from %s", code, q.AsOf, q.Source, asOf, source)
		}
		if q.HasChange != hasChange || (hasChange && math.Abs(q.ChangePct-change) > 1e-6) {
			t.Errorf("%s: change %v,%v, want %v,%v", code, q.ChangePct, q.HasChange, change, hasChange)
		}
		return
	}
	t.Errorf("%s missing from %v", code, qs)
}

var _ = context.Background
