package feeds

import "testing"

func TestLinkKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://news.example/story/1", "https://news.example/story/1"},
		{"HTTPS://News.Example/story/1", "https://news.example/story/1"},
		{"https://news.example:443/story/1", "https://news.example/story/1"},
		{"http://news.example:80/story/1", "http://news.example/story/1"},
		{"http://news.example:8080/story/1", "http://news.example:8080/story/1"},
		{"https://news.example:80/story/1", "https://news.example:80/story/1"},
		{"https://news.example/story/1#comments", "https://news.example/story/1"},
		{"https://news.example", "https://news.example/"},
		{"https://news.example/?", "https://news.example/"},
		{"https://news.example/story/1?utm_source=rss&utm_medium=feed&UTM_Campaign=x", "https://news.example/story/1"},
		{"https://news.example/story?id=7&utm_source=rss&page=2", "https://news.example/story?id=7&page=2"},
		{"https://news.example/s?fbclid=abc&gclid=def&mc_cid=1&mc_eid=2&yclid=3&_hsenc=4&_hsmi=5", "https://news.example/s"},
		{"https://news.example/s?FBCLID=abc&b=2&a=1", "https://news.example/s?b=2&a=1"},
		{"https://news.example/s?utm%5Fsource=x&q=tenge", "https://news.example/s?q=tenge"},
		{"https://news.example/s?&&q=1&", "https://news.example/s?q=1"},
		{"  https://news.example/s  ", "https://news.example/s"},
		{"https://news.example/Story/Case", "https://news.example/Story/Case"},
		{"", ""},
		{"mailto:ed@news.example", ""},
		{"/relative/path", ""},
		{"javascript:alert(1)", ""},
		{"http://[::1", ""},
	} {
		if got := linkKey(tc.in); got != tc.want {
			t.Errorf("linkKey(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// Idempotent.
	for _, in := range []string{"HTTPS://A.example:443/x?utm_x=1&b=2#f", "http://a.example"} {
		k := linkKey(in)
		if linkKey(k) != k {
			t.Errorf("linkKey(linkKey(%q)) = %q, not %q", in, linkKey(k), k)
		}
	}
}
