package filter

import (
	"testing"
	"time"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// titled is an article whose title is s: newsboat's matcher tests use a
// made-up attribute holding a string; title holds any string here.
func titled(s string) *Item { return &Item{Title: s, Published: now} }

type matchCase struct {
	rule string
	want bool
}

func checkMatches(t *testing.T, it *Item, cases []matchCase) {
	t.Helper()
	for _, c := range cases {
		if got := mustParse(t, c.rule).Match(it, now); got != c.want {
			t.Errorf("%q on %+v: %v, want %v", c.rule, *it, got, c.want)
		}
	}
}

// The cases of newsboat's test/matcher.cpp that apply.
func TestMatchNewsboatEquality(t *testing.T) {
	checkMatches(t, titled("xyz"), []matchCase{
		{`title = "xyz"`, true}, {`title = "uiop"`, false},
		{`title != "uiop"`, true}, {`title != "xyz"`, false},
		{`title == "xyz"`, true},
	})
	// Numbers are compared as text.
	checkMatches(t, titled("42"), []matchCase{
		{`title = 42`, true}, {`title = 0042`, false}, {`title = 13`, false},
		{`title != 13`, true}, {`title != 42`, false},
		// ... and ranges too: never equal to a number.
		{`title = 0:100`, false}, {`title = 100:200`, false}, {`title = 42:200`, false}, {`title = 0:42`, false},
		{`title != 0:100`, true}, {`title != 42:200`, true}, {`title != 0:42`, true},
	})
	checkMatches(t, titled("007"), []matchCase{
		{`title = 7`, false}, {`title = 007`, true}, {`title != 7`, true}, {`title != 007`, false},
	})
}

func TestMatchNewsboatRegexp(t *testing.T) {
	checkMatches(t, titled("12345"), []matchCase{
		{`title =~ "."`, true}, {`title =~ "123"`, true}, {`title =~ "234"`, true},
		{`title =~ "45"`, true}, {`title =~ "^12345$"`, true}, {`title =~ "^123456$"`, false},
		// Numbers and ranges are patterns written as text.
		{`title =~ 12345`, true}, {`title =~ 1`, true}, {`title =~ 45`, true}, {`title =~ 9`, false},
		{`title =~ 0:123456`, false}, {`title =~ 12345:99999`, false}, {`title =~ 0:12345`, false},
		{`title !~ "."`, false}, {`title !~ "123"`, false}, {`title !~ "^12345$"`, false},
		{`title !~ "567"`, true}, {`title !~ "number"`, true},
		{`title !~ 12345`, false}, {`title !~ 9`, true}, {`title !~ 0:12345`, true},
	})
	checkMatches(t, titled("0:1234"), []matchCase{
		{`title =~ 0:123`, true}, {`title =~ 0:12`, true}, {`title =~ 0:1234`, true}, {`title =~ 0:12345`, false},
	})
	// Case-insensitive (newsboat #642).
	for _, re := range []string{"xyz", "xYz", "xYZ", "Xyz", "yZ", "^xYZ", "xYz$", "^Xyz$", "^xY", "yZ$"} {
		checkMatches(t, titled("xyz"), []matchCase{{`title =~ "` + re + `"`, true}})
	}
	// RE2, not POSIX ERE: what newsboat's ERE refuses works here.
	checkMatches(t, titled("*]+"), []matchCase{{`title =~ "\Q*]+\E"`, true}})
	checkMatches(t, titled("value"), []matchCase{{`title =~ "^va\x6Cue"`, true}, {`title =~ "\bvalue\b"`, true}})
	// (?-i) asks for case; the pattern's backslashes reach RE2 as written.
	checkMatches(t, titled(`Tenge "rate" a\b`), []matchCase{
		{`title =~ "(?-i)tenge"`, false}, {`title =~ "(?-i)Tenge"`, true},
		{`title =~ "\"rate\""`, true}, {`title =~ "a\\b"`, true}, {`title =~ "a\\\\b"`, false},
		{`title =~ "^tenge \"RATE\" a\\b$"`, true},
	})
}

func TestMatchNewsboatContains(t *testing.T) {
	checkMatches(t, titled("foo bar baz quux"), []matchCase{
		{`title # "foo"`, true}, {`title # "baz"`, true}, {`title # "quux"`, true},
		{`title # "uu"`, false}, {`title # "xyz"`, false}, {`title # "foo bar"`, false},
		{`title # "foo" and title # "bar"`, true}, {`title # "foo" and title # "xyz"`, false},
		{`title # "foo" or title # "xyz"`, true},
		{`title !# "nein"`, true}, {`title !# "foo"`, false},
	})
	checkMatches(t, titled("1 1 2 3 5 8 13 21 34"), []matchCase{
		{`title # 1`, true}, {`title # 3`, true}, {`title # 4`, false},
		{`title # "1"`, true}, {`title # "3"`, true}, {`title # "4"`, false},
		{`title # 1:5`, false}, {`title # 3:100`, false},
		{`title !# 1`, false}, {`title !# 9`, true}, {`title !# "1"`, false}, {`title !# "9"`, true},
		{`title !# 1:5`, true}, {`title !# 7:35`, true},
	})
	checkMatches(t, titled("one"), []matchCase{
		{`title # "one"`, true}, {`title !# "one"`, false}, {`title !# "two"`, true},
	})
	checkMatches(t, titled("1"), []matchCase{{`title # 1`, true}, {`title !# 1`, false}, {`title !# 2`, true}})
	// Words are split at single spaces: empty words exist.
	checkMatches(t, titled(""), []matchCase{{`title # ""`, true}})
	checkMatches(t, titled("a  b"), []matchCase{{`title # ""`, true}, {`title # "a"`, true}})
	checkMatches(t, titled("a b"), []matchCase{{`title # ""`, false}})
}

func TestMatchNewsboatNumbers(t *testing.T) {
	checkMatches(t, titled("12345"), []matchCase{
		{`title > "12344"`, true}, {`title > "12345"`, false}, {`title > "123456"`, false},
		{`title < "12345"`, false}, {`title < "12346"`, true}, {`title < "123456"`, true},
		{`title >= "12344"`, true}, {`title >= "12345"`, true}, {`title >= "12346"`, false},
		{`title <= "12344"`, false}, {`title <= "12345"`, true}, {`title <= "12346"`, true},
		{`title > 12344`, true}, {`title > 12345`, false}, {`title >= 12345`, true},
		{`title < 12345`, false}, {`title <= 12345`, true},
		// A range is read as its first number.
		{`title > 0:99999`, true}, {`title < 0:99999`, false}, {`title >= 0:99999`, true}, {`title <= 0:99999`, false},
	})
	// Only the numeric prefix counts.
	checkMatches(t, titled("12345xx"), []matchCase{
		{`title >= "12345"`, true}, {`title > "1234a"`, true}, {`title < "12345a"`, false},
		{`title < "1234a"`, false}, {`title < "9999b"`, false},
	})
	// No number is 0.
	checkMatches(t, titled("AAAA"), []matchCase{
		{`title < "unknown"`, false}, {`title > "unknown"`, false},
		{`title <= "unknown"`, true}, {`title >= "unknown"`, true},
	})
	checkMatches(t, titled("0"), []matchCase{
		{`title < "0"`, false}, {`title > "0"`, false}, {`title <= "0"`, true}, {`title >= "0"`, true},
	})
	// Negative numbers, and numbers past 32 bits clamp as newsboat's do.
	checkMatches(t, titled("-999999bar"), []matchCase{{`title < -999998`, true}, {`title = -999999`, false}})
	checkMatches(t, titled("2147483648 is too large"), []matchCase{{`title = "x" or title >= 2147483647`, true}, {`title > 2147483646`, true}})
	checkMatches(t, titled("99999999999"), []matchCase{{`title <= 2147483647`, true}, {`title >= 2147483647`, true}})
}

func TestMatchNewsboatBetween(t *testing.T) {
	checkMatches(t, titled("12345"), []matchCase{
		// Not a range: never.
		{`title between "123"`, false}, {`title between "12399"`, false},
		{`title between 1`, false}, {`title between 12345`, false}, {`title between 99999`, false},
		{`title between 0:12345`, true}, {`title between 12345:12345`, true},
		{`title between 23:12344`, false}, {`title between 12346:12344`, true},
		// A quoted range is a range.
		{`title between "12000:13000"`, true},
	})
	checkMatches(t, titled("123four"), []matchCase{{`title between 122:124`, true}, {`title between 124:130`, false}})
	checkMatches(t, titled("sure"), []matchCase{{`title between 0:1`, true}, {`title between 1:100`, false}})
}

func TestNumPrefix(t *testing.T) {
	for s, want := range map[string]int64{
		"7654": 7654, "123foo": 123, "-999999bar": -999999,
		"-2147483648min": -2147483648, "2147483647 is ok": 2147483647,
		"-2147483649 is too small for i32": -2147483648, "2147483648 is too large for i32": 2147483647,
		"99999999999999999999999999": 2147483647,

		"hello": 0, "": 0, "-": 0, "-x": 0, "+5": 0, " 5": 0, "٣": 0,
	} {
		if got := numPrefix(s); got != want {
			t.Errorf("numPrefix(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestMatchEveryAttribute(t *testing.T) {
	it := &Item{
		Title: "Tenge falls", Link: "https://timesca.com/tenge", Author: "Aiko Saparova",
		Content: "The <b>tenge</b> fell 2%", Feed: "Times of Central Asia", FeedURL: "https://timesca.com/feed/",
		Group: "News/Central Asia", Published: now.Add(-50 * time.Hour), Unread: true, Starred: false,
		Enclosures: []Enclosure{{URL: "https://cdn.example/a.mp3", Type: "audio/mpeg"}, {URL: "https://cdn.example/b.jpg", Type: "image/jpeg"}},
	}
	checkMatches(t, it, []matchCase{
		{`title = "Tenge falls"`, true}, {`title = "tenge falls"`, false}, {`title =~ "TENGE"`, true},
		{`link =~ "^https://timesca"`, true}, {`link = "https://timesca.com/"`, false},
		{`author # "Saparova"`, true}, {`author !# "Aiko"`, false},
		{`content =~ "<b>tenge</b>"`, true},
		{`feed = "Times of Central Asia"`, true}, {`feedtitle = "Times of Central Asia"`, true},
		{`feedurl = "https://timesca.com/feed/"`, true}, {`rssurl =~ "timesca"`, true},
		{`group = "News/Central Asia"`, true}, {`group # "News"`, true}, {`tags # "News/Central Asia"`, true},
		{`age = 2`, true}, {`age = "2"`, true}, {`age > 1`, true}, {`age < 2`, false}, {`age between 2:3`, true},
		{`age # 2`, true}, {`age =~ "^2$"`, true}, {`age != 2`, false},
		{`unread = "yes"`, true}, {`unread = "no"`, false}, {`unread != "no"`, true}, {`unread =~ "y"`, true},
		{`unread = 1`, false},
		{`starred = "no"`, true}, {`starred = "yes"`, false}, {`starred # "no"`, true},
		{`enclosure =~ "\.mp3$"`, true}, {`enclosure_url =~ "\.jpg$"`, true}, {`enclosure = "https://cdn.example/b.jpg"`, true},
		{`enclosure !~ "\.ogg$"`, true}, {`enclosure = ""`, false}, {`enclosure != ""`, true},
		{`enclosure_type =~ "^audio/"`, true}, {`enclosure_type = "video/mp4"`, false}, {`enclosure_type !# "image/jpeg"`, false},
	})
}

func TestMatchUnquotedWordIsNotAValue(t *testing.T) {
	if _, err := Parse(`unread = yes`); err == nil {
		t.Error(`unread = yes parsed`)
	}
}

func TestMatchGroup(t *testing.T) {
	for _, c := range []struct {
		group, want string
		in          bool
	}{
		{"News", "News", true},
		{"News/Asia", "News", true},
		{"News/Asia/Kazakhstan", "News", true},
		{"News/Asia/Kazakhstan", "News/Asia", true},
		{"Central Asia", "Central Asia", true}, // a part with a space
		{"Central Asia/Money", "Central Asia", true},
		{"Central Asia", "Central", false},
		{"Central Asia", "Asia", false},
		{"Newsletters", "News", false},
		{"Old/News", "News", false},
		{"news", "News", false},
		{"News", "News/Asia", false},
		{"", "News", false},
		{"", "", true},
		{"News", "", false},
	} {
		it := &Item{Group: c.group}
		rule := `group # "` + c.want + `"`
		if got := mustParse(t, rule).Match(it, now); got != c.in {
			t.Errorf("%s on group %q: %v, want %v", rule, c.group, got, c.in)
		}
		if got := mustParse(t, `group !# "`+c.want+`"`).Match(it, now); got == c.in {
			t.Errorf("!# %q on group %q: %v, want %v", c.want, c.group, got, !c.in)
		}
	}
}

func TestMatchAge(t *testing.T) {
	for _, c := range []struct {
		ago  time.Duration
		want int64
	}{
		{0, 0},
		{Day - 1, 0},
		{Day, 1},
		{7*Day + time.Hour, 7},
		{-time.Hour, 0},
		{-Day + 1, 0},
		{-Day, -1},
		{-3*Day - 1, -3},
	} {
		if got := Age(now.Add(-c.ago), now); got != c.want {
			t.Errorf("Age %v ago = %d, want %d", c.ago, got, c.want)
		}
	}
	// Past Duration's range (292 years) the age saturates, never wraps.
	if got := Age(now.AddDate(-400, 0, 0), now); got != int64(time.Duration(1<<63-1)/Day) {
		t.Errorf("Age 400 years ago = %d, want 106,751 (saturated)", got)
	}
	it := &Item{Published: now.Add(-7*Day - time.Minute)}
	checkMatches(t, it, []matchCase{
		{`age = 7`, true}, {`age = 07`, false}, {`age = "7"`, true}, {`age = 7:7`, false},
		{`age < 7`, false}, {`age <= 7`, true}, {`age > 6`, true}, {`age >= 8`, false},
		{`age between 0:7`, true}, {`age between 8:100`, false}, {`age between 7:0`, true},
		{`age # "7"`, true}, {`age # ""`, false}, {`age =~ "^7$"`, true}, {`age !~ "7"`, false},
	})
}

func TestMatchEnclosuresNone(t *testing.T) {
	// No enclosure: the one value "", as newsboat's enclosure_url is "".
	checkMatches(t, &Item{}, []matchCase{
		{`enclosure = ""`, true}, {`enclosure != ""`, false}, {`enclosure =~ "."`, false},
		{`enclosure !~ "\.mp3$"`, true}, {`enclosure # ""`, true}, {`enclosure_type = ""`, true},
		{`enclosure < 1`, true},
	})
	// An enclosure with no type.
	checkMatches(t, &Item{Enclosures: []Enclosure{{URL: "https://x.example/a.mp3"}}}, []matchCase{
		{`enclosure_type = ""`, true}, {`enclosure = ""`, false},
	})
}

func TestMatchPrecedence(t *testing.T) {
	// a and b or c is a and (b or c); with a false it is false where
	// (a and b) or c would be true.
	it := &Item{Title: "x", Author: "y", Link: "z"}
	checkMatches(t, it, []matchCase{
		{`title = "no" and author = "no" or link = "z"`, false},
		{`(title = "no" and author = "no") or link = "z"`, true},
		{`title = "x" or author = "no" and link = "no"`, true},
		{`author = "no" or title = "x" and link = "no"`, false},
		{`not title = "no" and author = "y"`, true},
		{`not (title = "x" and author = "no")`, true},
		{`not title = "x" or link = "z"`, true},
		{`not not title = "x"`, true},
	})
}

func TestMatchDocumentedRules(t *testing.T) {
	// DESIGN.md's and issue 24's rules.
	cases := []struct {
		rule string
		it   Item
		want bool
	}{
		{`title =~ "(?i)sponsored" or feed = "ads"`, Item{Title: "SPONSORED: buy"}, true},
		{`title =~ "(?i)sponsored" or feed = "ads"`, Item{Title: "News", Feed: "ads"}, true},
		{`title =~ "(?i)sponsored" or feed = "ads"`, Item{Title: "News", Feed: "adsense"}, false},
		{`title =~ "(?i)tenge|som"`, Item{Title: "The Som weakens"}, true},
		{`unread = "yes" and (title =~ "(?i)rate|tenge" or group # "Finance")`, Item{Title: "Weather", Group: "Finance/Banks", Unread: true}, true},
		{`unread = "yes" and (title =~ "(?i)rate|tenge" or group # "Finance")`, Item{Title: "Tenge rate", Unread: false}, false},
		{`unread = "yes" and (title =~ "(?i)rate|tenge" or group # "Finance")`, Item{Title: "Weather", Group: "Financial", Unread: true}, false},
		// newsboat's documentation.
		{`age between 0:10`, Item{Published: now.Add(-3 * Day)}, true},
		{`age between 0:10`, Item{Published: now.Add(-11 * Day)}, false},
		{`( author =~ "Frank" or author =~ "John" ) and ( title =~ "Linux" or title =~ "FreeBSD" )`, Item{Author: "john doe", Title: "FreeBSD 15"}, true},
		{`( author =~ "Frank" or author =~ "John" ) and ( title =~ "Linux" or title =~ "FreeBSD" )`, Item{Author: "Frank", Title: "Windows"}, false},
		{`unread = "yes"`, Item{Unread: true}, true},
		{`tags # "tag1"`, Item{Group: "tag1"}, true},
		{`title =~ "Gentoo"`, Item{Title: "gentoo news"}, true},
		{`title =~ "^RT by"`, Item{Title: "RT by @x: hi"}, true},
		{`author =~ "Andreas Krennmair"`, Item{Author: "Andreas Krennmair"}, true},
		{`unread = "yes" and age between 0:7`, Item{Unread: true, Published: now.Add(-8 * Day)}, false},
	}
	for _, c := range cases {
		if c.it.Published.IsZero() {
			c.it.Published = now
		}
		if got := mustParse(t, c.rule).Match(&c.it, now); got != c.want {
			t.Errorf("%q on %+v: %v, want %v", c.rule, c.it, got, c.want)
		}
	}
}

func TestMatchEscapes(t *testing.T) {
	checkMatches(t, titled(`say "hi" \o/`), []matchCase{
		{`title = "say \"hi\" \\o/"`, true},
		{`title # "\"hi\""`, true},
		{`title =~ "\"hi\" \\o"`, true},
	})
	// A backslash before another character is itself.
	checkMatches(t, titled(`a\b`), []matchCase{{`title = "a\b"`, true}, {`title = "a\\b"`, true}})
}

func TestMatchNilItem(t *testing.T) {
	if !mustParse(t, `title = "" and unread = "no"`).Match(nil, now) {
		t.Error("a nil item is not the zero item")
	}
}
