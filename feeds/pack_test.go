package feeds

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// pack and unpack give back exactly the texts packed, short ones kept as
// they are and long ones compressed; each text reads back on its own;
// packHolds tells them from others.
func TestPackRoundTrip(t *testing.T) {
	long := strings.Repeat("Тенге окреп к доллару. ", 200)
	for _, tc := range []struct {
		summary, content, body string
		kind                   int // -1: the empty value
	}{
		{"", "", "", -1},
		{"", "short", "", packRaw},
		{"sum", "", "<p>only a body</p>", packRaw},
		{"", "", "only a summary", packRaw},
		{long[:300], long, "<p>" + long + "</p>", packDeflate},
		{"", long, "", packDeflate},
		{long, "", "", packDeflate},
		{"", "", long, packDeflate},
		{"\u2026", "a\x00b\xffc", "\x1b[2J", packRaw},
	} {
		p := pack(tc.summary, tc.content, tc.body)
		n := len(tc.summary) + len(tc.content) + len(tc.body)
		switch {
		case tc.kind < 0 && len(p) != 0:
			t.Errorf("pack of nothing: %d bytes", len(p))
		case tc.kind >= 0 && (len(p) == 0 || int(p[0]) != tc.kind):
			t.Errorf("pack(%.20q, %.20q, %.20q): kind %v, want %d", tc.summary, tc.content, tc.body, p[:min(1, len(p))], tc.kind)
		}
		if tc.kind == packDeflate && len(p) >= n/2 {
			t.Errorf("pack of %d bytes is %d bytes", n, len(p))
		}
		s, c, b, err := unpackStrings(p)
		if err != nil || s != tc.summary || c != tc.content || b != tc.body {
			t.Errorf("unpack(pack(%.20q, %.20q, %.20q)) = %.20q, %.20q, %.20q, %v", tc.summary, tc.content, tc.body, s, c, b, err)
		}
		for i, want := range []string{tc.summary, tc.content, tc.body} {
			if got, err := unpackPart(p, i); got != want || err != nil {
				t.Errorf("unpackPart(pack(%.20q, %.20q, %.20q), %d) = %.20q, %v", tc.summary, tc.content, tc.body, i, got, err)
			}
		}
		for _, o := range [][3]string{{tc.summary, tc.content, tc.body}, {tc.summary + "x", tc.content, tc.body},
			{tc.summary, tc.content + "x", tc.body}, {tc.summary, tc.content, "y" + tc.body},
			{tc.summary, tc.body, tc.content}, {tc.content, tc.summary, tc.body}} {
			want := o == [3]string{tc.summary, tc.content, tc.body}
			if got, err := packHolds(p, o[0], o[1], o[2]); got != want || err != nil {
				t.Errorf("packHolds(pack(%.20q, %.20q, %.20q), %.20q, %.20q, %.20q) = %v, %v", tc.summary, tc.content, tc.body, o[0], o[1], o[2], got, err)
			}
		}
	}
}

// A damaged packed value is an error (those below), never a panic: nor
// is any change of a byte of a good one.
func TestUnpackDamaged(t *testing.T) {
	good := pack("summary", strings.Repeat("kazakh tenge ", 100), "<p>body</p>")
	for i, p := range [][]byte{
		{7},                          // no such kind
		{packRaw},                    // no lengths
		{packRaw, 5, 0, 0, 'a'},      // shorter than it says
		{packRaw, 1, 0, 0, 'a', 'b'}, // longer than it says
		{packDeflate, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0, 0}, // absurd length
		{packDeflate, 0, 0x80, 0x80, 0x80, 0x04, 0, 1, 2, 3},                               // a gigabyte out of four bytes
		good[:len(good)/2], // cut short
		append(append([]byte{}, good[:5]...), 0xde, 0xad, 0xbe, 0xef),
	} {
		if s, c, b, err := unpackStrings(p); err == nil {
			t.Errorf("damaged value %d: read as %.20q, %.20q, %.20q", i, s, c, b)
		}
		for part := range packParts {
			if s, err := unpackPart(p, part); err == nil && i != 6 && i != 7 {
				t.Errorf("damaged value %d: text %d read as %.20q", i, part, s)
			}
		}
	}
	for i := range good {
		for _, x := range []byte{0x01, 0x80, 0xff} {
			p := slices.Clone(good)
			p[i] ^= x
			unpackStrings(p)
			packHolds(p, "summary", "", "")
			for part := range packParts {
				unpackPart(p, part)
			}
		}
	}
}

// A store at version 13 (its text in articles.content and body, its
// full-text index external, over the view) is migrated to the packed
// text: every article reads back as it was, a search finds what it found,
// the counts are unchanged, the columns are gone, the store is vacuumed
// and auto-vacuums from then on, and it works on (an update and a removal
// reach the contentless index).
func TestUpgradeFrom13PacksText(t *testing.T) {
	ctx := context.Background()
	db := oldStore(t, 13)
	exec(t, db, `INSERT INTO feeds (id, url, name, position) VALUES (1, 'https://a.example/feed', 'A', 0), (2, 'https://b.example/feed', 'B', 1)`)
	exec(t, db, `UPDATE feeds SET origin = 'import' WHERE id = 2`)
	long := strings.Repeat("Нацбанк Казахстана сохранил базовую ставку. ", 300)
	type old struct {
		seq            int64
		id             string
		feed           int64
		title, summary string
		content, body  string
		read           int
	}
	rows := []old{
		{1, "a1", 1, "Tenge steady", "Rates held", "Plain body about the tenge", "<p>Plain body about the <b>tenge</b></p>", 1},
		{2, "a2", 1, "Long one", "Long summary", long, "<p>" + long + "</p>", 0},
		{3, "a3", 1, "No text", "", "", "", 0},
		{4, "b1", 2, "Som falls", "Kyrgyz som", "Som weaker against the rouble", "", 1},
		{5, "b2", 2, "Only HTML", "manat", "", "<p>Turkmen manat</p>", 0},
	}
	h := int64(time.Hour)
	for i, r := range rows {
		pub := toNS(t0) - int64(i)*h
		exec(t, db, `INSERT INTO articles (seq, id, feed_id, title, link, summary, content, body, published, first_seen)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.seq, r.id, r.feed, r.title, "https://x.example/"+r.id, r.summary, r.content, r.body, pub, pub)
		exec(t, db, `INSERT INTO article_state (seq, published, read) VALUES (?, ?, ?)`, r.seq, pub, r.read)
		exec(t, db, `INSERT INTO article_feeds (feed_id, published, seq, read) VALUES (?, ?, ?, ?)`, r.feed, pub, r.seq, r.read)
	}
	// b1's page was read: its text is searched too.
	exec(t, db, `INSERT INTO article_fulltext (seq, fetched, url, text, body) VALUES (4, 1, 'https://x.example/b1', 'Bishkek exchange offices', '<p>Bishkek exchange offices</p>')`)
	exec(t, db, `INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')`)
	exec(t, db, `UPDATE articles_seq SET high = 5`)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if err := updateAnchors(ctx, tx, nil, len(rows)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	words := []string{"tenge", "базовую", "som", "manat", "bishkek", "rates", "rouble", "казахстана"}
	before := map[string][]string{}
	for _, w := range words {
		r, err := db.Query(`SELECT a.id FROM articles_fts m JOIN articles a ON a.seq = m.rowid WHERE articles_fts MATCH ?`, w)
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
			var id string
			r.Scan(&id)
			before[w] = append(before[w], id)
		}
		r.Close()
		slices.Sort(before[w])
		if len(before[w]) == 0 {
			t.Fatalf("version 13 finds nothing for %q", w)
		}
	}

	st, err := OpenStore(db)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	for _, r := range rows {
		a, err := st.Article(ctx, r.id)
		if err != nil || a.Title != r.title || a.Summary != r.summary || a.Content != r.content || a.Body != r.body ||
			a.Read != (r.read == 1) || a.FeedID != r.feed {
			t.Errorf("%s after the upgrade: %.80q, %v", r.id, fmt.Sprintf("%+v", a), err)
		}
	}
	for _, w := range words {
		got := strings.Split(found(t, st, w), ",")
		slices.Sort(got)
		if !slices.Equal(got, before[w]) {
			t.Errorf("search %q after the upgrade: %v, before %v", w, got, before[w])
		}
	}
	if got := counts(t, st); got["A"] != "2/3" || got["B"] != "1/2" {
		t.Errorf("FeedCounts %v, want A 2/3, B 1/2", got)
	}
	p, err := st.Page(ctx, 1, 10)
	if err != nil || p.Total != 5 || p.Unread != 3 || len(p.Items) != 5 || p.Items[1].Summary != "Long summary" {
		t.Errorf("page after the upgrade: %+v, %v", p, err)
	}
	var cols int
	if err := db.QueryRow(`SELECT count(*) FROM pragma_table_info('articles') WHERE name IN ('content', 'body')`).Scan(&cols); err != nil || cols != 0 {
		t.Errorf("%d of content and body left in articles, %v", cols, err)
	}
	var vacuum, free int
	if err := db.QueryRow(`PRAGMA auto_vacuum`).Scan(&vacuum); err != nil || vacuum != 1 {
		t.Errorf("auto_vacuum %d, %v; want 1 (FULL)", vacuum, err)
	}
	if err := db.QueryRow(`PRAGMA freelist_count`).Scan(&free); err != nil || free != 0 {
		t.Errorf("%d free pages after the upgrade, %v", free, err)
	}
	recount(t, st)
	ftsIntact(t, st)

	// It works on: a changed text is searched in its new words only, a
	// removed feed's articles leave the index.
	if _, err := st.SaveArticles(ctx, 1, []Article{{ID: "a1", Title: "Tenge steady", Link: "https://x.example/a1",
		Summary: "Rates held", Content: "Now about the dirham", Body: "<p>Now about the dirham</p>", Published: t0}}, t0); err != nil {
		t.Fatal(err)
	}
	if got := found(t, st, "dirham"); got != "a1" {
		t.Errorf("dirham after the update: [%s]", got)
	}
	if got := found(t, st, "plain"); got != "" {
		t.Errorf("the old text is still found: [%s]", got)
	}
	if a, err := st.Article(ctx, "a1"); err != nil || a.Content != "Now about the dirham" || a.Body != "<p>Now about the dirham</p>" {
		t.Errorf("a1 after the update: %+v, %v", a, err)
	}
	if n, err := st.RemoveFeed(ctx, 2); err != nil || n != 2 {
		t.Fatalf("RemoveFeed: %d articles, %v", n, err)
	}
	for _, w := range []string{"som", "manat", "bishkek"} {
		if got := found(t, st, w); got != "" {
			t.Errorf("%s found after its feed was removed: [%s]", w, got)
		}
	}
	ftsIntact(t, st)
}

// A new store auto-vacuums (it is set before its first table).
func TestNewStoreAutoVacuums(t *testing.T) {
	st := newStore(t)
	var mode int
	if err := st.db.QueryRow(`PRAGMA auto_vacuum`).Scan(&mode); err != nil || mode != 1 {
		t.Errorf("auto_vacuum %d, %v; want 1 (FULL)", mode, err)
	}
}
