package feeds

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// Search understands FTS5's operators from user text (OR, AND, NOT,
// "phrases", prefix*), a plain word still matches as a prefix, and no text
// is an FTS5 syntax error.
func TestSearchOperators(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f := addFeed(t, st, "News", "https://news.example/feed")
	items := []Article{
		{ID: "1", Title: "Tenge weakens against the dollar", Summary: "The National Bank of Kazakhstan", Published: t0},
		{ID: "2", Title: "New railway to Tashkent", Summary: "Trains from Almaty", Published: t0.Add(-time.Hour)},
		{ID: "3", Title: "Rail freight and the tenge", Summary: "Bank of Kazakhstan data", Published: t0.Add(-2 * time.Hour)},
		{ID: "4", Title: "Dollar the weakens", Summary: "word order", Published: t0.Add(-3 * time.Hour)},
		{ID: "5", Title: "OR and NOT as words", Summary: "operators", Published: t0.Add(-4 * time.Hour)},
	}
	if _, err := st.SaveArticles(ctx, f.ID, items, t0); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ q, want string }{
		{"tenge OR rail", "1,2,3"},
		{"tenge OR railway", "1,2,3"}, // tenge: 1 and 3, railway: 2
		{"rail", "2,3"},               // a plain word is a prefix
		{"rail*", "2,3"},
		{"tenge NOT rail", "1"},
		{"tenge AND rail", "3"},
		{"tenge rail", "3"},
		{`"weakens against"`, "1"},
		{`"the weakens"`, "4"},
		{`"weakens the"`, ""},
		{`"kazakh"`, ""},     // a phrase is whole words
		{`"kazakh"*`, "1,3"}, // unless starred
		{`"national bank" OR train`, "1,2"},
		{`dollar NOT "weakens against"`, "4"},
		{"freight OR rail NOT freight", "2,3"}, // NOT binds tighter than OR
		{"NOT tenge", ""},                      // a leading NOT is a word: no article says "not tenge"
		{"OR", "4,5"},                          // an operator alone is a word (and a prefix: order)
		{"words OR", "5"},
		{"tenge OR OR rail", ""},
		{"tenge or rail", ""}, // lower case: words
		{`"unclosed phrase`, ""},
		{`"Tenge weakens`, "1"},
	} {
		p, err := st.Search(ctx, tc.q, 1, 10)
		if err != nil {
			t.Errorf("Search(%q): %v", tc.q, err)
			continue
		}
		var got []string
		for _, a := range p.Items {
			got = append(got, a.ID)
		}
		if strings.Join(got, ",") != tc.want {
			q, _ := ftsQuery(tc.q)
			t.Errorf("Search(%q) (FTS5 %s) = [%s], want [%s]", tc.q, q, strings.Join(got, ","), tc.want)
		}
	}
	// Random text made of FTS5's syntax is never an error.
	pieces := []string{"OR", "AND", "NOT", "NEAR", "(", ")", `"`, "*", "^", ":", "-", "+", "tenge", "rail", "a", " ", " ", "title:", "{", "}", ",", "\x00", "\u00a0", "ä"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		var b strings.Builder
		for range rng.IntN(8) + 1 {
			b.WriteString(pieces[rng.IntN(len(pieces))])
			if rng.IntN(2) == 0 {
				b.WriteByte(' ')
			}
		}
		if _, err := st.Search(ctx, b.String(), 1, 10); err != nil {
			q, _ := ftsQuery(b.String())
			t.Fatalf("Search(%q) (FTS5 %s): %v", b.String(), q, err)
		}
	}
}
