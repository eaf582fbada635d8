package ui

import "testing"

// The status line's short error must say what went wrong, whether the error
// is one of steppe's own messages or a wrapped Go error.
func TestShortErr(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"HTTP 404 Not Found", "HTTP 404 Not Found"},
		{"HTTP 500 Internal Server Error", "HTTP 500 Internal Serve…"},
		{"not a feed: got text/html", "not a feed"},
		{"not a valid feed: XML syntax error on line 4: unexpected EOF", "not a valid feed"},
		{"TLS certificate error: the certificate is signed by an unknown authority (not trusted)", "TLS certificate error"},
		{"timed out after 20s", "timed out after 20s"},
		{"feed larger than 10 MiB", "feed larger than 10 MiB"},
		{`Get "https://x.example/feed": dial tcp 10.0.0.1:443: connect: network is unreachable`, "network is unreachable"},
		{"erapi: HTTP 503 Service Unavailable", "HTTP 503 Service Unavai…"},
		{"context deadline exceeded", "timeout"},
		{"connection refused", "connection refused"},
	} {
		if got := shortErr(plainError(c.in)); got != c.want {
			t.Errorf("shortErr(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
