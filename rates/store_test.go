package rates_test

import (
	"context"
	"testing"
	"time"

	"github.com/steppe-news/steppe/rates"
)

func TestOpenStoreMigrations(t *testing.T) {
	db := openDB(t)
	for i := 0; i < 2; i++ {
		if _, err := rates.OpenStore(db); err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
	}
	var v int
	if err := db.QueryRow(`SELECT version FROM rates_schema`).Scan(&v); err != nil || v != 2 {
		t.Errorf("schema version %d, %v", v, err)
	}
	var n int
	db.QueryRow(`SELECT COUNT(*) FROM rates_schema`).Scan(&n)
	if n != 1 {
		t.Errorf("%d version rows", n)
	}
	db.Exec(`UPDATE rates_schema SET version = 99`)
	if _, err := rates.OpenStore(db); err == nil {
		t.Error("newer schema accepted")
	}
}

func TestStoreLatest(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	// Older history from two sources.
	must(t, s.Save(ctx, []rates.Quote{mkq("KZT", "nbk", "2026-05-21", 480), mkq("KZT", "frankfurter", "2026-05-22", 471.30)}))
	must(t, s.Save(ctx, []rates.Quote{mkq("KZT", "nbk", "2026-05-22", 478)}))
	// Same date from two sources, in one save: the first ranks first.
	must(t, s.Save(ctx, []rates.Quote{mkq("KZT", "nbk", "2026-05-25", 470.50), mkq("KZT", "frankfurter", "2026-05-25", 470.12), withChange(mkq("UZS", "cbu", "2026-05-25", 12000), 0.25)}))
	got, err := s.Latest(ctx, "usd", []string{"UZS", "TMT", "KZT"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Code != "UZS" || got[1].Code != "KZT" {
		t.Fatalf("Latest = %+v", got)
	}
	if got[0].Source != "cbu" || !got[0].HasChange || got[0].ChangePct != 0.25 || !got[0].AsOf.Equal(day("2026-05-25")) {
		t.Errorf("UZS = %+v, want the source's change 0.25", got[0])
	}
	// KZT: nbk ranks first; change against nbk's own previous date (05-22, 478).
	k := got[1]
	if k.Source != "nbk" || k.PerBase != 470.50 || !near(k.InBase, 1/470.50) || !k.HasChange || !near(k.ChangePct, (478/470.50-1)*100) {
		t.Errorf("KZT = %+v, want nbk 470.50 with change %v", k, (478/470.50-1)*100)
	}
	// A later save of the same date ranks first: frankfurter now, against its own 05-22.
	must(t, s.Save(ctx, []rates.Quote{mkq("KZT", "frankfurter", "2026-05-25", 470.12)}))
	got, _ = s.Latest(ctx, "USD", []string{"KZT"})
	if len(got) != 1 || got[0].Source != "frankfurter" || !near(got[0].ChangePct, (471.30/470.12-1)*100) {
		t.Errorf("after resave: %+v, want frankfurter change %v", got, (471.30/470.12-1)*100)
	}
	// A source with no earlier date of its own: against any source.
	must(t, s.Save(ctx, []rates.Quote{mkq("KZT", "erapi", "2026-05-26", 469)}))
	got, _ = s.Latest(ctx, "USD", []string{"KZT"})
	if got[0].Source != "erapi" || !near(got[0].ChangePct, (470.12/469-1)*100) {
		t.Errorf("any-source change: %+v, want %v", got[0], (470.12/469-1)*100)
	}
	// Nothing before: no change.
	must(t, s.Save(ctx, []rates.Quote{mkq("TJS", "nbt", "2026-05-25", 9.3)}))
	got, _ = s.Latest(ctx, "USD", []string{"TJS"})
	if len(got) != 1 || got[0].HasChange {
		t.Errorf("TJS = %+v, want no change", got)
	}
	// Other bases are apart.
	if got, _ := s.Latest(ctx, "EUR", []string{"KZT"}); len(got) != 0 {
		t.Errorf("EUR = %+v", got)
	}
}

func TestStoreUpsertAndValidation(t *testing.T) {
	s, db := openStore(t)
	ctx := context.Background()
	must(t, s.Save(ctx, []rates.Quote{withChange(mkq("KZT", "nbk", "2026-05-25", 470), 0.1)}))
	must(t, s.Save(ctx, []rates.Quote{mkq("KZT", "nbk", "2026-05-25", 471)}))
	var n int
	db.QueryRow(`SELECT COUNT(*) FROM rate_history`).Scan(&n)
	if n != 1 {
		t.Errorf("%d rows after upsert, want 1", n)
	}
	got, _ := s.Latest(ctx, "USD", []string{"KZT"})
	if got[0].PerBase != 471 || !got[0].HasChange || got[0].ChangePct != 0.1 {
		t.Errorf("upserted = %+v", got[0])
	}
	if err := s.Save(ctx, []rates.Quote{mkq("KZT", "nbk", "2026-05-26", 0)}); err == nil {
		t.Error("zero rate saved")
	}
	if err := s.Save(ctx, []rates.Quote{{Code: "KZT", Base: "USD", PerBase: 1, InBase: 1, AsOf: day("2026-05-26")}}); err == nil {
		t.Error("quote without source saved")
	}
}

func TestStoreSeries(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	var qs []rates.Quote
	for i, d := range []string{"2025-01-10", "2025-06-02", "2026-05-20", "2026-05-21", "2026-05-22", "2026-05-25"} {
		qs = append(qs, mkq("KZT", "nbk", d, 470+float64(i)))
	}
	// erapi on two of the dates: nbk (source of the latest) is preferred there,
	// erapi fills a date nbk lacks.
	qs = append(qs, mkq("KZT", "erapi", "2026-05-21", 400), mkq("KZT", "erapi", "2026-05-23", 401))
	must(t, s.Save(ctx, qs))
	must(t, s.Save(ctx, []rates.Quote{mkq("KZT", "nbk", "2026-05-26", 480), mkq("KZT", "erapi", "2026-05-26", 402)}))
	pts, err := s.Series(ctx, "kzt", "USD", day("2026-05-21"))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		d string
		v float64
	}{{"2026-05-21", 473}, {"2026-05-22", 474}, {"2026-05-23", 401}, {"2026-05-25", 475}, {"2026-05-26", 480}}
	if len(pts) != len(want) {
		t.Fatalf("Series = %+v", pts)
	}
	for i, w := range want {
		if !pts[i].Date.Equal(day(w.d)) || !near(pts[i].InBase, 1/w.v) {
			t.Errorf("point %d = %v %v, want %s 1/%v", i, pts[i].Date, 1/pts[i].InBase, w.d, w.v)
		}
	}
	if pts, _ := s.Series(ctx, "TMT", "USD", time.Time{}); len(pts) != 0 {
		t.Errorf("TMT series %+v", pts)
	}
}

func TestStorePrune(t *testing.T) {
	s, db := openStore(t)
	ctx := context.Background()
	now := time.Now()
	today := now.UTC().Truncate(24 * time.Hour)
	at := func(days int) string { return today.AddDate(0, 0, -days).Format("2006-01-02") }
	must(t, s.Save(ctx, []rates.Quote{mkq("KZT", "nbk", at(800), 400), mkq("KZT", "nbk", at(420), 410), mkq("KZT", "nbk", at(300), 420), mkq("KZT", "nbk", at(1), 470)}))
	// The history kept is rates' own: a year and a day.
	n, err := s.Prune(ctx, now)
	if err != nil || n != 2 {
		t.Errorf("Prune(now) = %d, %v; want 2", n, err)
	}
	var left int
	db.QueryRow(`SELECT COUNT(*) FROM rate_history`).Scan(&left)
	if left != 2 {
		t.Errorf("%d rows left, want 2", left)
	}
	// The newest row of a pair is never pruned, however old: its source may
	// be the only one left for that currency.
	must(t, s.Save(ctx, []rates.Quote{mkq("TMT", "erapi", at(900), 3.5), mkq("TMT", "erapi", at(800), 3.5)}))
	if n, err := s.Prune(ctx, now); err != nil || n != 1 {
		t.Errorf("Prune with an old-only pair = %d, %v; want 1 (the older TMT row)", n, err)
	}
	if qs, err := s.Latest(ctx, "USD", []string{"TMT"}); err != nil || len(qs) != 1 {
		t.Errorf("the last TMT quote was pruned: %v %v", qs, err)
	}
	// A row dated more than a day ahead (stored by an older steppe, or under
	// a clock set wrong) goes, however new; tomorrow's stays.
	for _, d := range []int{-1, -3} {
		if _, err := db.Exec(`INSERT INTO rate_history (code, base, date, source, per_base, in_base, batch, pos, saved_at)
			VALUES ('KZT', 'USD', ?, 'nbk', 470, 1.0/470, 99, 0, '')`, at(d)); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.Prune(ctx, now); err != nil || n != 1 {
		t.Errorf("Prune with a row dated in 3 days = %d, %v; want 1", n, err)
	}
	if qs, _ := s.Latest(ctx, "USD", []string{"KZT"}); len(qs) != 1 || qs[0].AsOf.Format("2006-01-02") != at(-1) {
		t.Errorf("Latest after pruning the future = %+v, want tomorrow's", qs)
	}
}

// A store written by a steppe before schema 2 holds a quote dated 2199 (and
// one of absurd size): opening it drops them, and the rest is kept.
func TestStoreMigrationDropsRowsThatCannotBeRates(t *testing.T) {
	db := openDB(t)
	for _, q := range []string{
		`CREATE TABLE rates_schema (version INTEGER NOT NULL)`,
		`INSERT INTO rates_schema(version) VALUES (1)`,
		`CREATE TABLE rate_history (
			code TEXT NOT NULL, base TEXT NOT NULL, date TEXT NOT NULL, source TEXT NOT NULL,
			per_base REAL NOT NULL, in_base REAL NOT NULL, src_change REAL,
			batch INTEGER NOT NULL, pos INTEGER NOT NULL, saved_at TEXT NOT NULL,
			PRIMARY KEY (code, base, date, source))`,
		`INSERT INTO rate_history VALUES ('KZT', 'USD', '2026-05-25', 'nbk', 470, 1.0/470, NULL, 1, 0, '')`,
		`INSERT INTO rate_history VALUES ('KZT', 'USD', '2199-12-31', 'frankfurter', 471, 1.0/471, NULL, 2, 0, '')`,
		`INSERT INTO rate_history VALUES ('KGS', 'USD', '2026-05-25', 'erapi', 1e308, 1e-308, NULL, 2, 1, '')`,
		`INSERT INTO rate_history VALUES ('KGS', 'USD', '2026-05-24', 'erapi', 87.45, 1.0/87.45, NULL, 2, 2, '')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s, err := rates.OpenStore(db)
	if err != nil {
		t.Fatal(err)
	}
	var v, n int
	db.QueryRow(`SELECT version FROM rates_schema`).Scan(&v)
	db.QueryRow(`SELECT COUNT(*) FROM rate_history`).Scan(&n)
	if v != 2 || n != 2 {
		t.Errorf("schema %d with %d rows, want 2 with 2", v, n)
	}
	got, err := s.Latest(context.Background(), "USD", []string{"KZT", "KGS"})
	if err != nil || len(got) != 2 || !got[0].AsOf.Equal(day("2026-05-25")) || got[0].Source != "nbk" || got[1].PerBase != 87.45 || got[0].Unconfirmed {
		t.Errorf("Latest after the migration = %+v, %v", got, err)
	}
}
