package fulltext

import (
	"strings"
	"testing"
	"time"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// realPages are the saved news and blog pages, each with a sentence that
// opens its article and words of its navigation, footer or sidebars that
// the article must not hold.
var realPages = []struct {
	name        string
	opening     string
	boilerplate []string
}{
	{"bbc-1", `President Barack Obama has admitted that his failure to pass "common sense gun safety laws" in the US is the greatest frustration of his presidency.`,
		[]string{"Accessibility links", "BBC navigation", "Search the BBC"}},
	{"guardian-1", "Whale whisperer Hori Parata was just seven years old when he attended his first mass stranding",
		[]string{"The Guardian - Back to home", "Opinion videos", "Home & garden"}},
	{"nytimes-1", "LONDON — After nearly 20 years of hostile relations, the American government plans to reverse its position on Sudan",
		[]string{"Skip to navigation", "NYTimes.com no longer supports Internet Explorer", "View mobile version"}},
	{"wapo-1", "CAIRO — Gunmen opened fire on visitors at Tunisia’s most renowned museum on Wednesday, killing at least 19 people",
		[]string{"WP BrandConnect", "Newsletters & Alerts", "© 1996-2015 The Washington Post"}},
	{"article-author-tag", "Picture a deck of tarot cards. What do you see?",
		[]string{"Take your next trip with Atlas Obscura!", "Visit Adventures"}},
	{"lemonde-1", "Les députés ont, sans surprise, adopté à une large majorité (438 contre 86 et 42 abstentions) le projet de loi sur le renseignement",
		[]string{"Édition Abonnés", "Édition afrique", "Banc d'essai"}},
	{"ars-1", "A flaw in the wildly popular online game Minecraft makes it easy for just about anyone to crash the server hosting the game",
		[]string{"Staff Directory", "Advertise with Ars", "Front page layout"}},
	{"umputun-ru", "Не первый раз я практикую идею “а давайте, ребята, сделаем для общего блага …”, и вот опять.",
		[]string{"Помочь На Patreon", "Еженедельный Подкаст От Umputun", "Подкаст Радио-Т"}},
}

// TestRealPages fetches each saved page from a loopback server and checks
// its metadata against the corpus's expected-metadata.json, that the
// article's opening sentence is in the text and the page's boilerplate is
// not, and the words against Readability.js's extraction (expected.html).
func TestRealPages(t *testing.T) {
	for _, tc := range realPages {
		t.Run(tc.name, func(t *testing.T) {
			ts := servePage(t, "text/html; charset=utf-8", page(t, tc.name, "source.html"))
			a, err := Fetch(ctx(t), ts.Client(), ts.URL+"/2015/"+tc.name+"/")
			if err != nil {
				t.Fatal(err)
			}
			checkClean(t, a)
			m := meta(t, tc.name)
			if want := sanitize.Line(m.Title); a.Title != want {
				t.Errorf("title %q, want %q", a.Title, want)
			}
			want := ""
			if m.Byline != nil {
				want = sanitize.Line(*m.Byline)
			}
			if a.Byline != want {
				t.Errorf("byline %q, want %q", a.Byline, want)
			}
			if m.PublishedTime != nil {
				wantT, err := time.Parse(time.RFC3339, *m.PublishedTime)
				if err != nil {
					wantT, err = time.Parse("2006-01-02T15:04:05Z0700", *m.PublishedTime)
				}
				if err != nil {
					t.Fatal(err)
				}
				if !a.Published.Equal(wantT) {
					t.Errorf("published %v, want %v", a.Published, wantT)
				}
			}
			text := fold(a.Text)
			if !strings.Contains(text, tc.opening) {
				t.Errorf("the opening sentence %q is not in the text, which starts %.300q", tc.opening, text)
			}
			for _, b := range tc.boilerplate {
				if strings.Contains(text, b) || strings.Contains(a.HTML, b) {
					t.Errorf("boilerplate %q is in the article", b)
				}
			}
			if a.URL != ts.URL+"/2015/"+tc.name+"/" {
				t.Errorf("URL %q", a.URL)
			}
			if len(a.Links) == 0 {
				t.Error("no links")
			}
		})
	}
}

// TestOverlapWithReadabilityJS compares the words of each corpus page's
// text with those of Readability.js's extraction (expected.html): the F1
// of the two word multisets, logged for the record, must stay high.
func TestOverlapWithReadabilityJS(t *testing.T) {
	var sum float64
	n := 0
	for _, tc := range realPages {
		if tc.name == "umputun-ru" {
			continue // no reference extraction
		}
		a, err := Extract(page(t, tc.name, "source.html"), "text/html", "https://example.org/"+tc.name)
		if err != nil {
			t.Fatal(err)
		}
		want := words(htmlText(t, string(page(t, tc.name, "expected.html"))))
		p, r, f1 := overlap(words(a.Text), want)
		t.Logf("%-20s precision %.3f recall %.3f F1 %.3f (%d words, reference %d)", tc.name, p, r, f1, len(words(a.Text)), len(want))
		if f1 < 0.9 {
			t.Errorf("%s: word F1 %.3f against Readability.js, want at least 0.9", tc.name, f1)
		}
		sum += f1
		n++
	}
	t.Logf("mean F1 %.3f over %d pages", sum/float64(n), n)
}

// TestNotAnArticle: a product page is no article, unless asked for by
// hand (AnyPage).
func TestNotAnArticle(t *testing.T) {
	ts := servePage(t, "text/html; charset=utf-8", page(t, "mozilla-2", "source.html"))
	_, err := Fetch(ctx(t), ts.Client(), ts.URL+"/firefox/developer/")
	e := asError(t, err)
	if e.Kind != KindNoContent || !strings.Contains(err.Error(), "does not look like an article") {
		t.Fatalf("got %v (kind %d)", err, e.Kind)
	}
	if !strings.HasPrefix(err.Error(), ts.URL+"/firefox/developer/: ") {
		t.Errorf("error %q does not name the page", err)
	}
	a, err := Options{AnyPage: true}.Fetch(ctx(t), ts.Client(), ts.URL+"/firefox/developer/")
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Welcome to Firefox Developer Edition" || !strings.Contains(a.Text, "Get to know the features") {
		t.Errorf("AnyPage: title %q, text %.200q", a.Title, a.Text)
	}
}
