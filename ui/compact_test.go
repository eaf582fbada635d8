package ui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// compactRows are the headline lines of the compact list on screen.
func compactRows(f *fixture) []string {
	lines := strings.Split(ansi.Strip(f.view()), "\n")
	var out []string
	for _, l := range lines[3 : len(lines)-3] { // ticker, date, count; pager, status, hints
		if strings.TrimSpace(l) != "" {
			out = append(out, strings.TrimRight(l, " "))
		}
	}
	return out
}

// On a wide terminal the compact row's feed and age follow the longest
// title of the page: no field of blanks between a title and its feed.
func TestCompactRowUsesTheWidth(t *testing.T) {
	f := newFixture(t, 200, 30)
	f.keys("v")
	rows := compactRows(f)
	if len(rows) < 10 {
		t.Fatalf("%d rows:\n%s", len(rows), strings.Join(rows, "\n"))
	}
	longest := 0
	for _, a := range f.m.list.page.Items {
		longest = max(longest, ansi.StringWidth(a.Title))
	}
	for i, r := range rows {
		a := f.m.list.page.Items[i]
		meta := articleMeta(a, testNow)
		if !strings.HasSuffix(r, meta) {
			t.Fatalf("row %d %q does not end with %q", i, r, meta)
		}
		gap := ansi.StringWidth(r) - ansi.StringWidth(meta)
		// the bar and mark (4 cells), the title's column, two blanks
		if want := 4 + longest + 2; gap > want {
			t.Errorf("row %d: the feed starts at cell %d, %d after the longest title:\n%s", i, gap, gap-4-longest, strings.Join(rows, "\n"))
		}
	}
	if w := ansi.StringWidth(rows[0]); w > 200 {
		t.Fatalf("row of %d cells", w)
	}
}

// On a narrow terminal the feed's name is abbreviated as a reader would,
// beside a short age, never cut to a letter ("S…").
func TestCompactRowAbbreviatesFeeds(t *testing.T) {
	f := newFixture(t, 40, 24)
	f.keys("v")
	rows := compactRows(f)
	checkFits(t, f.view(), 40, 24)
	want := map[string]string{
		"The Times of Central Asia": "Times · ",
		"24.kg":                     "24.kg · ",
		"Xinhua Central Asia":       "Xinhua · ",
		"Kun.uz":                    "Kun.uz · ",
	}
	seen := 0
	for i, r := range rows {
		a := f.m.list.page.Items[i]
		if regexp.MustCompile(` \p{L}… · `).MatchString(r) {
			t.Errorf("row %d cuts the feed to a letter: %q", i, r)
		}
		if w, ok := want[a.FeedName]; ok {
			seen++
			if !strings.Contains(r, w) {
				t.Errorf("row %d (%s): %q lacks %q", i, a.FeedName, r, w)
			}
		}
		if !regexp.MustCompile(`· \d+[mh]$`).MatchString(r) {
			t.Errorf("row %d has no short age: %q", i, r)
		}
	}
	if seen < 4 {
		t.Fatalf("only %d rows checked:\n%s", seen, strings.Join(rows, "\n"))
	}
	t.Logf("\n%s", strings.Join(rows, "\n"))
}

func TestAbbreviate(t *testing.T) {
	for _, c := range []struct {
		name string
		w    int
		want string
	}{
		{"The Times of Central Asia", 40, "The Times of Central Asia"},
		{"The Times of Central Asia", 21, "Times of Central Asia"},
		{"The Times of Central Asia", 6, "Times"},
		{"The Times of Central Asia", 4, "TCA"},
		{"The Diplomat: Central Asia", 8, "Diplomat"},
		{"AKIpress", 6, "AKIpr…"},
		{"AKIpress", 2, ""},
		{"Sample: Steppe Wire", 8, "Steppe"},
		{"Sample: Silk Road Business", 8, "Silk"},
	} {
		if got := abbreviate(c.name, c.w, []string{"Sample: Silk Road Business", "Sample: Mountain Valley Daily"}); got != c.want {
			t.Errorf("abbreviate(%q, %d) = %q, want %q", c.name, c.w, got, c.want)
		}
	}
}
