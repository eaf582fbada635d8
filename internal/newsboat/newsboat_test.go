package newsboat

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

func read(t *testing.T) *Setup {
	t.Helper()
	var s Setup
	for name, fn := range map[string]func(*os.File, string) error{
		"urls":   func(f *os.File, n string) error { return s.ReadURLs(f, n) },
		"config": func(f *os.File, n string) error { return s.ReadConfig(f, n) },
	} {
		f, err := os.Open("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if err := fn(f, name); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	return &s
}

func TestReadURLsAndConfig(t *testing.T) {
	s := read(t)
	wantFeeds := []Feed{
		{URL: "https://24.kg/rss/", Name: "24.kg in English", Group: "News", Tags: []string{"News"}, Line: 5},
		{URL: "https://timesca.com/feed/", Group: "News/Central Asia", Tags: []string{"News/Central Asia", "Politics"}, Line: 6},
		{URL: "https://example.org/hidden.xml", Group: "Misc", Tags: []string{"Misc"}, Hidden: true, Line: 7},
		{URL: "http://blog.example.net/atom.xml", Line: 8},
	}
	if !reflect.DeepEqual(s.Feeds, wantFeeds) {
		t.Errorf("feeds = %+v\nwant %+v", s.Feeds, wantFeeds)
	}
	wantQ := []Query{{"Unread news", `unread = "yes"`, 2}, {"Money", `title =~ "tenge" and unread = "yes"`, 3}}
	if !reflect.DeepEqual(s.Queries, wantQ) {
		t.Errorf("queries = %+v", s.Queries)
	}
	wantI := []Rule{{`title =~ "Sponsored"`, 4}, {`feedurl = "https://24.kg/rss/" and (author = "Advertiser")`, 5}}
	if !reflect.DeepEqual(s.Ignore, wantI) {
		t.Errorf("ignore = %+v", s.Ignore)
	}
	var skipped []string
	for _, k := range s.Skipped {
		skipped = append(skipped, k.String())
	}
	got := strings.Join(skipped, "\n")
	for _, want := range []string{"urls:4: query \"Broken\"", "urls:9: exec:", "urls:10: \"not-a-url\"", "urls:11: a quoted string is not closed",
		"config:6: ignore-article rule:", "config:7: ignore-article takes"} {
		if !strings.Contains(got, want) {
			t.Errorf("skipped lacks %q:\n%s", want, got)
		}
	}
	if len(s.Skipped) != 6 {
		t.Errorf("%d skipped, want 6:\n%s", len(s.Skipped), got)
	}
}

func TestSplit(t *testing.T) {
	toks, err := split(`"a \"b\" \\c" d#e # comment`)
	if err != nil || !reflect.DeepEqual(toks, []string{`a "b" \c`, "d#e"}) {
		t.Errorf("split = %q, %v", toks, err)
	}
}
