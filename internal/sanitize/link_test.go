package sanitize

import (
	"net/url"
	"testing"
)

func TestLink(t *testing.T) {
	base, _ := url.Parse("https://timesca.com/feed/")
	for _, tc := range []struct{ in, want string }{
		{"https://timesca.com/a/", "https://timesca.com/a/"},
		{" https://timesca.com/a/ ", "https://timesca.com/a/"},
		{"/relative/", "https://timesca.com/relative/"},
		{"other", "https://timesca.com/feed/other"},
		{"//cdn.example/x.jpg", "https://cdn.example/x.jpg"},
		{"?p=1", "https://timesca.com/feed/?p=1"},
		{"javascript:alert(1)", ""},
		{"JaVaScRiPt:alert(1)", ""},
		{"data:text/html,<script>", ""},
		{"file:///etc/passwd", ""},
		{"mailto:a@b.c", ""},
		{"-oProxyCommand=x", ""},
		{"https://x.example/\x1b[2J", ""},
		{"https://x.example/\u202ecod.exe", ""},
		{"https:///nohost", ""},
		{"rel path", ""},
	} {
		if got := Link(tc.in, base); got != tc.want {
			t.Errorf("Link(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := Link("/relative/", nil); got != "" {
		t.Errorf("relative without a base: %q", got)
	}
}
