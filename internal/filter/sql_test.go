package filter

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"modernc.org/sqlite"
)

// The driver's functions are registered once for the process (the driver
// keeps them globally).
var registerOnce sync.Once

func openDB(t testing.TB) *sql.DB {
	t.Helper()
	registerOnce.Do(func() {
		for _, f := range SQLFunctions() {
			sqlite.MustRegisterDeterministicScalarFunction(f.Name, int32(f.NArgs),
				func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) { return f.Func(args) })
		}
	})
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1) // one connection: one in-memory database
	t.Cleanup(func() { db.Close() })
	for _, q := range []string{
		`CREATE TABLE feeds (id INTEGER PRIMARY KEY, name TEXT NOT NULL, url TEXT NOT NULL, grp TEXT NOT NULL)`,
		`CREATE TABLE articles (id INTEGER PRIMARY KEY, feed_id INTEGER NOT NULL, title TEXT NOT NULL,
			link TEXT NOT NULL, author TEXT NOT NULL, content TEXT NOT NULL, published INTEGER NOT NULL,
			read INTEGER NOT NULL, starred INTEGER NOT NULL, enclosures TEXT NOT NULL DEFAULT '[]')`,
		`CREATE INDEX articles_published ON articles(published)`,
		`CREATE TABLE enclosures (article_id INTEGER NOT NULL, url TEXT NOT NULL, type TEXT NOT NULL)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func testSchema(unit time.Duration) Schema {
	return Schema{
		Columns: map[string]string{
			"title": "a.title", "link": "a.link", "author": "a.author", "content": "a.content",
			"feed": "f.name", "feedurl": "f.url", "group": "f.grp",
			"unread": "a.read = 0", "starred": "a.starred = 1", "published": "a.published",
		},
		Lists: map[string]List{
			"enclosure":      {From: "enclosures e", Where: "e.article_id = a.id", Value: "e.url"},
			"enclosure_type": {From: "enclosures e", Where: "e.article_id = a.id", Value: "e.type"},
		},
		PublishedUnit: unit,
	}
}

// stored is what the store keeps of t in unit (floor), and the time Match
// should see for it.
func stored(t time.Time, unit time.Duration) (int64, time.Time) {
	if unit == time.Nanosecond {
		return t.UnixNano(), t
	}
	perSec := int64(time.Second / unit)
	u := t.Unix()*perSec + int64(t.Nanosecond())/int64(unit)
	return u, time.Unix(u/perSec, u%perSec*int64(unit))
}

// insert stores items (one feed each) and returns them as Match should see
// them.
func insert(t testing.TB, db *sql.DB, items []Item, unit time.Duration) []Item {
	t.Helper()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]Item, len(items))
	for i, it := range items {
		id := i + 1
		if _, err := tx.Exec(`INSERT INTO feeds VALUES (?, ?, ?, ?)`, id, it.Feed, it.FeedURL, it.Group); err != nil {
			t.Fatal(err)
		}
		p, seen := stored(it.Published, unit)
		it.Published = seen
		var js []string
		for _, e := range it.Enclosures {
			js = append(js, fmt.Sprintf(`{"url":%q,"type":%q}`, e.URL, e.Type))
			if _, err := tx.Exec(`INSERT INTO enclosures VALUES (?, ?, ?)`, id, e.URL, e.Type); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := tx.Exec(`INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, id, it.Title, it.Link,
			it.Author, it.Content, p, !it.Unread, it.Starred, "["+strings.Join(js, ",")+"]"); err != nil {
			t.Fatal(err)
		}
		out[i] = it
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return out
}

// selectIDs runs f's SQL and returns the ids of the rows it keeps.
func selectIDs(t testing.TB, db *sql.DB, f *Filter, s Schema, at time.Time) []int {
	t.Helper()
	where, args, err := f.SQL(s, at)
	if err != nil {
		t.Fatalf("SQL(%q): %v", f.Source(), err)
	}
	rows, err := db.Query(`SELECT a.id FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE `+where+` ORDER BY a.id`, args...)
	if err != nil {
		t.Fatalf("SQL(%q) = %s %v: %v", f.Source(), where, args, err)
	}
	defer rows.Close()
	var ids []int
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}

func matchIDs(f *Filter, items []Item, at time.Time) []int {
	var ids []int
	for i := range items {
		if f.Match(&items[i], at) {
			ids = append(ids, i+1)
		}
	}
	return ids
}

// Vocabularies for random articles and rules: small, so that comparisons
// often hold, with the edge cases of each operator.
var (
	words = []string{"", "tenge", "Tenge som", "42", "007", "-5 below", "a  b", " lead", "trail ",
		"2147483648", "News", "news/asia", "yes", "no", `say "hi"`, `back\slash`, "ä ö", "x' OR 1=1 --", "1 2 3"}
	groups   = []string{"", "News", "News/Asia", "News/Asia/Kazakhstan", "News/Asia Pacific", "Newsletters", "Old/News", "Finance", "Central Asia", "Central Asia/Money", "News0", "News/"}
	encURLs  = []string{"", "https://cdn.example/a.mp3", "https://cdn.example/b.jpg", "42", "yes"}
	encTypes = []string{"", "audio/mpeg", "image/jpeg", "video/mp4"}
	// Regular expressions as written in a rule's string.
	patterns = []string{"tenge", "^a", "b$", `\.mp3$`, "(?-i)Tenge", "^$", "[0-9]", "^1", "e|o", "yes", "^-", "^0$", "^7$", `\"hi\"`, `\\`, "news/", "^News(/|$)", " "}
	numbers  = []string{"-1", "0", "1", "2", "3", "7", "007", "42", "-5", "2147483648", "-2147483649", "106751"}
	ranges   = []string{"0:7", "3:-1", "1:1", "0:100000", "-10:0", "-2147483648:2147483647", "200000:300000"}
	ruleAttr = []string{"title", "link", "author", "content", "feed", "feedurl", "group", "age", "unread",
		"starred", "enclosure", "enclosure_type", "feedtitle", "rssurl", "tags", "enclosure_url"}
	ruleOps = []string{"=", "==", "!=", "=~", "!~", "<", ">", "<=", ">=", "#", "!#", "between"}
)

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func randomItem(r *rand.Rand, at time.Time) Item {
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	it := Item{
		Title: pick(words), Link: pick(words), Author: pick(words), Content: pick(words),
		Feed: pick(words), FeedURL: pick(words), Group: pick(groups),
		Unread: r.IntN(2) == 0, Starred: r.IntN(3) == 0,
	}
	for range r.IntN(3) {
		it.Enclosures = append(it.Enclosures, Enclosure{URL: pick(encURLs), Type: pick(encTypes)})
	}
	// Near day boundaries (either side, past and future), or anywhere in
	// a century either way.
	switch r.IntN(3) {
	case 0:
		off := []time.Duration{0, 1, -1, time.Second, -time.Second, time.Hour, -time.Hour}[r.IntN(7)]
		it.Published = at.Add(-time.Duration(r.IntN(14)-3)*Day + off)
	case 1:
		it.Published = at.Add(-time.Duration(r.Int64N(int64(100*365*Day))) + time.Duration(r.Int64N(int64(20*365*Day))))
	default:
		it.Published = at.Add(-time.Duration(r.Int64N(int64(30 * Day))))
	}
	return it
}

func randomValue(r *rand.Rand, attr, op string) string {
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	switch {
	case op == "between" && r.IntN(5) > 0:
		return pick(ranges)
	case (op == "=~" || op == "!~") && r.IntN(4) > 0:
		return `"` + pick(patterns) + `"`
	case (attr == "group" || attr == "tags") && r.IntN(2) == 0:
		return quote(pick(groups))
	case attr == "unread" || attr == "starred":
		return quote([]string{"yes", "no", "", "y"}[r.IntN(4)])
	}
	switch r.IntN(4) {
	case 0:
		return pick(numbers)
	case 1:
		return pick(ranges)
	}
	return quote(pick(append(words, encURLs...)))
}

func randomRule(r *rand.Rand, depth int) string {
	if depth <= 0 || r.IntN(3) == 0 {
		attr, op := ruleAttr[r.IntN(len(ruleAttr))], ruleOps[r.IntN(len(ruleOps))]
		return attr + " " + op + " " + randomValue(r, attr, op)
	}
	switch r.IntN(4) {
	case 0:
		return "not " + randomRule(r, depth-1)
	case 1:
		return "(" + randomRule(r, depth-1) + ")"
	case 2:
		return randomRule(r, depth-1) + " and " + randomRule(r, depth-1)
	}
	return randomRule(r, depth-1) + " or " + randomRule(r, depth-1)
}

// TestSQLAgreesWithMatch runs random rules on random articles both ways:
// Match in Go, SQL in SQLite with the functions registered.
func TestSQLAgreesWithMatch(t *testing.T) {
	at := now.Add(123456789 * time.Nanosecond)
	// The race detector slows SQLite (pure Go) some seventy times: under
	// it, and with -short, fewer items and random rules; every attribute
	// and operator is still checked, each on its own, below.
	items, rules := 300, 1500
	if testing.Short() || raceOn {
		items, rules = 100, 60
	}
	for _, unit := range []time.Duration{time.Nanosecond, time.Millisecond, time.Second} {
		t.Run(unit.String(), func(t *testing.T) {
			t.Parallel() // each has its own database
			r := rand.New(rand.NewPCG(24, uint64(unit)))
			db := openDB(t)
			raw := make([]Item, items)
			for i := range raw {
				raw[i] = randomItem(r, at)
			}
			stored := insert(t, db, raw, unit)
			s := testSchema(unit)
			check := func(src string) {
				t.Helper()
				f, err := Parse(src)
				if err != nil {
					t.Fatalf("Parse(%q): %v", src, err)
				}
				got, want := selectIDs(t, db, f, s, at), matchIDs(f, stored, at)
				if !slices.Equal(got, want) {
					where, args, _ := f.SQL(s, at)
					t.Fatalf("%q:\nSQL   %v\nMatch %v\nwhere %s %v", src, got, want, where, args)
				}
			}
			// Every attribute (and alias) with every operator, alone: the
			// age attribute in every unit, the others once.
			for _, attr := range ruleAttr {
				if attr != "age" && unit != time.Nanosecond {
					continue
				}
				for _, op := range ruleOps {
					check(attr + " " + op + " " + randomValue(r, attr, op))
				}
			}
			for range rules {
				check(randomRule(r, 4))
			}
		})
	}
}

func TestSQLCases(t *testing.T) {
	db := openDB(t)
	items := insert(t, db, []Item{
		{Title: "Tenge falls", Feed: "Times", FeedURL: "https://timesca.com/feed/", Group: "News/Central Asia", Published: now.Add(-2 * Day), Unread: true},
		{Title: "Som steady", Feed: "24.kg", FeedURL: "https://24.kg/rss/", Group: "News", Published: now.Add(-8 * Day), Starred: true,
			Enclosures: []Enclosure{{URL: "https://cdn.example/a.mp3", Type: "audio/mpeg"}}},
		{Title: "SPONSORED: loans", Feed: "ads", FeedURL: "https://ads.example/", Group: "Newsletters", Published: now.Add(-time.Hour), Unread: true},
		{Title: `x' OR 1=1 --`, Feed: "Weird", Group: "Finance", Published: now.Add(Day + time.Hour), Unread: true},
	}, time.Nanosecond)
	s := testSchema(time.Nanosecond)
	for _, c := range []struct {
		rule string
		want []int
	}{
		{`title =~ "(?i)sponsored" or feed = "ads"`, []int{3}},
		{`unread = "yes" and (title =~ "(?i)rate|tenge" or group # "Finance")`, []int{1, 4}},
		{`group # "News"`, []int{1, 2}},
		{`tags !# "News"`, []int{3, 4}},
		{`age < 7`, []int{1, 3, 4}},
		{`age between 0:7`, []int{1, 3}},
		{`age < 0`, []int{4}},
		{`starred = "yes"`, []int{2}},
		{`enclosure =~ "\.mp3$"`, []int{2}},
		{`enclosure = ""`, []int{1, 3, 4}},
		{`title = "x' OR 1=1 --"`, []int{4}},
		{`not unread = "yes"`, []int{2}},
		{`unread = "maybe"`, nil},
		{`unread != "maybe"`, []int{1, 2, 3, 4}},
	} {
		f := mustParse(t, c.rule)
		if got := selectIDs(t, db, f, s, now); !slices.Equal(got, c.want) {
			t.Errorf("%q: SQL keeps %v, want %v", c.rule, got, c.want)
		}
		if got := matchIDs(f, items, now); !slices.Equal(got, c.want) {
			t.Errorf("%q: Match keeps %v, want %v", c.rule, got, c.want)
		}
	}
}

func TestSQLParameterisesValues(t *testing.T) {
	f := mustParse(t, `title = "x' OR 1=1 --" or feed =~ "a'b" or group # "G'; DROP TABLE feeds" or enclosure # "'"`)
	where, args, err := f.SQL(testSchema(0), now)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(where, "OR 1=1") || strings.Contains(where, "DROP") || strings.Contains(where, "a'b") {
		t.Errorf("a value is written into the SQL: %s", where)
	}
	if n := strings.Count(where, "?"); n != len(args) {
		t.Errorf("%d placeholders, %d arguments: %s %v", n, len(args), where, args)
	}
}

func TestSQLShapes(t *testing.T) {
	s := testSchema(time.Second)
	at := time.Unix(1_000_000, 500_000_000)
	for _, c := range []struct {
		rule, where string
		args        []any
	}{
		{`unread = "yes"`, `(a.read = 0)`, nil},
		{`unread = "no"`, `(NOT (a.read = 0))`, nil},
		{`unread =~ "e"`, `(a.read = 0)`, nil},
		{`unread =~ ""`, `1`, nil},
		{`starred # "x"`, `0`, nil},
		// age < 7: published after now - 7 days (in seconds, rounded as
		// the store's floor needs).
		{`age < 7`, `a.published > ?`, []any{int64(1_000_000 - 7*86400)}},
		{`age >= 7`, `a.published <= ?`, []any{int64(1_000_000 - 7*86400)}},
		{`age = 0`, `(a.published < ? AND a.published > ?)`, []any{int64(1_000_000 + 86400 + 1), int64(1_000_000 - 86400)}},
		{`age = 07`, `0`, nil},
		{`age > 2147483647`, `0`, nil},
		{`age >= -2147483648`, `1`, nil},
		{`title # "a b"`, `0`, nil},
		{`title between 5`, `0`, nil},
		{`title = 1 and not author = 2`, `(a.title = ? AND (NOT a.author = ?))`, []any{"1", "2"}},
		{`group # "News"`, `(f.grp = ? OR (f.grp >= ? AND f.grp < ?))`, []any{"News", "News/", "News0"}},
		{`enclosure # "a b"`, `0`, nil},
		{`enclosure = ""`, `(EXISTS (SELECT 1 FROM enclosures e WHERE (e.article_id = a.id) AND (e.url = ?)) OR NOT EXISTS (SELECT 1 FROM enclosures e WHERE e.article_id = a.id))`, []any{""}},
	} {
		where, args, err := mustParse(t, c.rule).SQL(s, at)
		if err != nil || where != c.where || !slices.Equal(args, c.args) {
			t.Errorf("%q:\n got %s %v %v\nwant %s %v", c.rule, where, args, err, c.where, c.args)
		}
	}
}

func TestSQLNotAvailable(t *testing.T) {
	s := testSchema(0)
	delete(s.Columns, "content")
	delete(s.Columns, "published")
	delete(s.Lists, "enclosure_type")
	for _, rule := range []string{`content =~ "x"`, `title = "a" or age < 3`, `enclosure_type = ""`} {
		_, _, err := mustParse(t, rule).SQL(s, now)
		if !errors.Is(err, ErrNotInSQL) {
			t.Errorf("%q: %v, want ErrNotInSQL", rule, err)
		}
	}
	if _, _, err := mustParse(t, `title = "a"`).SQL(s, now); err != nil {
		t.Errorf("title: %v", err)
	}
	if _, _, err := mustParse(t, `title = "a"`).SQL(Schema{Columns: s.Columns, PublishedUnit: time.Minute}, now); err == nil {
		t.Error("a unit of a minute was taken")
	}
}

// A JSON array column serves as a list through json_each.
func TestSQLListFromJSON(t *testing.T) {
	db := openDB(t)
	items := insert(t, db, []Item{
		{Enclosures: []Enclosure{{URL: "https://x.example/a.mp3", Type: "audio/mpeg"}, {URL: "https://x.example/b.png", Type: "image/png"}}},
		{},
		{Enclosures: []Enclosure{{URL: "https://x.example/c.ogg", Type: "audio/ogg"}}},
	}, time.Nanosecond)
	s := testSchema(0)
	s.Lists = map[string]List{
		"enclosure":      {From: "json_each(a.enclosures)", Value: "json_extract(value, '$.url')"},
		"enclosure_type": {From: "json_each(a.enclosures)", Value: "json_extract(value, '$.type')"},
	}
	for rule, want := range map[string][]int{
		`enclosure_type =~ "^audio/"`:            {1, 3},
		`enclosure = ""`:                         {2},
		`enclosure !~ "\.mp3$"`:                  {2, 3},
		`enclosure_type # "image/png"`:           {1},
		`not enclosure_type = "audio/ogg"`:       {1, 2},
		`enclosure_url =~ "c" or enclosure = ""`: {2, 3},
	} {
		f := mustParse(t, rule)
		if got := selectIDs(t, db, f, s, now); !slices.Equal(got, want) {
			t.Errorf("%q: SQL keeps %v, want %v", rule, got, want)
		}
		if got := matchIDs(f, items, now); !slices.Equal(got, want) {
			t.Errorf("%q: Match keeps %v, want %v", rule, got, want)
		}
	}
}

// The largest rules Parse takes still run in SQLite (whose expressions
// nest at most 1,000 deep).
func TestSQLLargestRules(t *testing.T) {
	db := openDB(t)
	insert(t, db, []Item{{Title: "x", Published: now}}, time.Nanosecond)
	var b strings.Builder
	for i := range (MaxOperators - 1) / 2 { // two operators each, one more below
		fmt.Fprintf(&b, "not title = %q %s ", fmt.Sprint(i), []string{"and", "or"}[i%2])
	}
	b.WriteString(`age < 1`)
	deep := strings.Repeat("(", MaxParens) + "not " + b.String() + strings.Repeat(")", MaxParens)
	for _, rule := range []string{b.String(), deep} {
		f := mustParse(t, rule)
		selectIDs(t, db, f, testSchema(0), now)
	}
}

func TestSQLFunctions(t *testing.T) {
	fns := map[string]func([]driver.Value) (driver.Value, error){}
	for _, f := range SQLFunctions() {
		fns[f.Name] = f.Func
	}
	for _, c := range []struct {
		fn   string
		args []driver.Value
		want driver.Value
	}{
		{SQLRegexp, []driver.Value{"(?i)tenge", "The TENGE"}, int64(1)},
		{SQLRegexp, []driver.Value{"^7$", int64(7)}, int64(1)},
		{SQLRegexp, []driver.Value{"x", nil}, int64(0)},
		{SQLRegexp, []driver.Value{[]byte("b"), []byte("abc")}, int64(1)},
		{SQLNum, []driver.Value{"123abc"}, int64(123)},
		{SQLNum, []driver.Value{int64(1) << 40}, int64(2147483647)},
		{SQLNum, []driver.Value{nil}, int64(0)},
		{SQLAge, []driver.Value{int64(0), int64(3 * Day), int64(time.Nanosecond)}, int64(3)},
		{SQLAge, []driver.Value{int64(-1), int64(Day), int64(time.Second)}, int64(1)},
		{SQLAge, []driver.Value{int64(86401), int64(0), int64(time.Second)}, int64(-1)},
	} {
		got, err := fns[c.fn](c.args)
		if err != nil || got != c.want {
			t.Errorf("%s%v = %v, %v; want %v", c.fn, c.args, got, err, c.want)
		}
	}
	if _, err := fns[SQLRegexp]([]driver.Value{"[[", "x"}); err == nil {
		t.Error("a bad pattern gave no error")
	}
	if _, err := fns[SQLAge]([]driver.Value{int64(0), int64(0), int64(7)}); err == nil {
		t.Error("a unit of 7ns was taken")
	}
}

func TestRegexpCacheIsBounded(t *testing.T) {
	c := newRegexpCache(4)
	for i := range 10 {
		re, err := c.get(fmt.Sprintf("^%d$", i))
		if err != nil || !re.MatchString(fmt.Sprint(i)) {
			t.Fatalf("pattern %d: %v", i, err)
		}
	}
	if c.order.Len() != 4 || len(c.byPat) != 4 {
		t.Fatalf("cache holds %d/%d, want 4", c.order.Len(), len(c.byPat))
	}
	// The most recent stay; using one keeps it.
	c.get("^6$")
	c.get("^10$")
	if _, ok := c.byPat["^6$"]; !ok {
		t.Error("a pattern just used was evicted")
	}
	if _, ok := c.byPat["^7$"]; ok {
		t.Error("the least recently used pattern stayed")
	}
}

func TestConcurrentUse(t *testing.T) {
	f := mustParse(t, `title =~ "tenge" and age < 3 or enclosure # "x"`)
	fns := SQLFunctions()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			it := &Item{Title: "tenge", Published: now, Enclosures: []Enclosure{{URL: "x"}}}
			for range 200 {
				if !f.Match(it, now) {
					t.Error("no match")
					return
				}
				if _, err := fns[0].Func([]driver.Value{fmt.Sprint(i % 3), "012"}); err != nil {
					t.Error(err)
					return
				}
				if _, err := Parse(`title = "x"`); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}
