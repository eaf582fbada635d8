package fulltext

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestNotHTML: a PDF is refused by its Content-Type before its body is
// read, and by its bytes when it is served as text/html or as nothing.
func TestNotHTML(t *testing.T) {
	pdf := []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n")
	for _, tc := range []struct{ contentType, want string }{
		{"application/pdf", "application/pdf"},
		{"text/html; charset=utf-8", "application/pdf"},
		{"", "application/pdf"},
		{"image/png", "image/png"},
	} {
		ts := servePage(t, tc.contentType, pdf)
		_, err := Fetch(ctx(t), ts.Client(), ts.URL+"/report.pdf")
		e := asError(t, err)
		if e.Kind != KindNotHTML || e.ContentType != tc.want {
			t.Errorf("%q: got %v (kind %d, type %q)", tc.contentType, err, e.Kind, e.ContentType)
		}
		if want := "not an HTML page (" + tc.want + ")"; e.Short() != want {
			t.Errorf("%q: short %q, want %q", tc.contentType, e.Short(), want)
		}
	}
}

// TestTooLarge: a 50 MB page is refused, whether it says its size or not,
// and no more of it than the cap is read.
func TestTooLarge(t *testing.T) {
	const size = 50 << 20
	chunk := []byte(strings.Repeat("<p>Жаңалықтар, news, новости.</p>\n", 1024))
	for _, declared := range []bool{true, false} {
		var sent atomic.Int64
		ts := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			if declared {
				w.Header().Set("Content-Length", fmt.Sprint(size))
			}
			w.Write([]byte("<!doctype html><title>big</title>"))
			for sent.Load() < size {
				n, err := w.Write(chunk)
				sent.Add(int64(n))
				if err != nil {
					return
				}
			}
		}))
		opt := Options{MaxBytes: 1 << 20}
		_, err := opt.Fetch(ctx(t), ts.Client(), ts.URL+"/big")
		e := asError(t, err)
		if e.Kind != KindTooLarge || e.Limit != 1<<20 || e.Short() != "page larger than 1 MiB" {
			t.Fatalf("declared %v: got %v (kind %d)", declared, err, e.Kind)
		}
		ts.Close() // waits for the handler
		// The server writes ahead into socket buffers; what matters is
		// that it was stopped far short of 50 MB.
		if n := sent.Load(); n > 16<<20 {
			t.Errorf("declared %v: %d bytes were sent before the fetch gave up", declared, n)
		}
	}
}

// TestNeverEnds: a page that trickles forever ends with the timeout.
func TestNeverEnds(t *testing.T) {
	ts := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<!doctype html><p>"))
		for {
			if _, err := w.Write([]byte("and ")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}))
	_, err := Options{Timeout: 200 * time.Millisecond}.Fetch(ctx(t), ts.Client(), ts.URL+"/stream")
	e := asError(t, err)
	if e.Kind != KindNetwork || !strings.Contains(err.Error(), "timed out") || e.Short() != "timeout" {
		t.Fatalf("got %v (kind %d, short %q)", err, e.Kind, e.Short())
	}
}

// TestRedirects: loops, long chains and redirects away from http(s) are
// refused and named; a short chain is followed and the article's URL is
// where it ended.
func TestRedirects(t *testing.T) {
	body := page(t, "ars-1", "source.html")
	mux := http.NewServeMux()
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop2", http.StatusFound)
	})
	mux.HandleFunc("/loop2", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/chain/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/chain/"), "%d", &n)
		if n > 0 {
			http.Redirect(w, r, fmt.Sprintf("/chain/%d", n-1), http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write(body)
	})
	mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "ftp://example.org/file")
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc("/js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "javascript:alert(1)")
		w.WriteHeader(http.StatusFound)
	})
	ts := serve(t, mux)
	for _, tc := range []struct{ path, want string }{
		{"/loop", "redirect loop"},
		{"/chain/8", "more than 5 redirects"},
		{"/away", "redirected to a URL that is not http(s)"},
		{"/js", "redirected to a URL that is not http(s)"},
	} {
		_, err := Fetch(ctx(t), ts.Client(), ts.URL+tc.path)
		e := asError(t, err)
		if e.Kind != KindRedirect || err.Error() != ts.URL+tc.path+": "+tc.want {
			t.Errorf("%s: got %q (kind %d), want %q", tc.path, err, e.Kind, tc.want)
		}
	}
	a, err := Fetch(ctx(t), ts.Client(), ts.URL+"/chain/3")
	if err != nil {
		t.Fatal(err)
	}
	if a.URL != ts.URL+"/chain/0" || !strings.Contains(a.Text, "Minecraft") {
		t.Errorf("URL %q, text %.100q", a.URL, a.Text)
	}
}

// TestHTTPStatus: a status other than 2xx is named, with the wait the
// server asked for (seconds or an HTTP date).
func TestHTTPStatus(t *testing.T) {
	date := time.Now().Add(90 * time.Minute).UTC().Format(http.TimeFormat)
	ts := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/busy":
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
		case "/down":
			w.Header().Set("Retry-After", date)
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/gone":
			w.Header().Set("Retry-After", "120") // not a wait for a 404
			http.NotFound(w, r)
		}
	}))
	for _, tc := range []struct {
		path  string
		code  int
		retry time.Duration
		text  string
		short string
	}{
		{"/busy", 429, 2 * time.Minute, "HTTP 429 Too Many Requests (retry after 2m)", "HTTP 429 Too Many Requests, retry after 2m"},
		{"/down", 503, 90 * time.Minute, "HTTP 503 Service Unavailable (retry after 1h30m)", "HTTP 503 Service Unavailable, retry after 1h30m"},
		{"/gone", 404, 0, "HTTP 404 Not Found", "HTTP 404 Not Found"},
	} {
		_, err := Fetch(ctx(t), ts.Client(), ts.URL+tc.path)
		e := asError(t, err)
		if e.Kind != KindHTTP || e.Code != tc.code {
			t.Errorf("%s: got %v (kind %d)", tc.path, err, e.Kind)
			continue
		}
		// An HTTP date has a second's resolution: round the wait.
		if got := e.RetryAfter.Round(time.Minute); got != tc.retry {
			t.Errorf("%s: retry after %v, want %v", tc.path, e.RetryAfter, tc.retry)
		}
		if want := ts.URL + tc.path + ": " + tc.text; err.Error() != want {
			t.Errorf("%s: %q, want %q", tc.path, err, want)
		}
		if e.Short() != tc.short {
			t.Errorf("%s: short %q, want %q", tc.path, e.Short(), tc.short)
		}
	}
}

// TestSecretsNeverInErrors: user info and secret query values are hidden
// in every error, whatever failed; other parameters stay.
func TestSecretsNeverInErrors(t *testing.T) {
	ts := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/redirect":
			http.Redirect(w, r, "/redirect?"+r.URL.RawQuery, http.StatusFound)
		case "/pdf":
			w.Header().Set("Content-Type", "application/pdf")
		default:
			http.NotFound(w, r)
		}
	}))
	closed := serve(t, http.NotFoundHandler())
	closed.Close()
	secrets := []string{"s3cr3t", "k3y", "hunter2", "t0k", "s1g"}
	query := "?token=s3cr3t&page=2&api_key=k3y&X-Amz-Signature=s1g&access_token=t0k"
	for _, raw := range []string{
		"http://bob:hunter2@" + strings.TrimPrefix(ts.URL, "http://") + "/missing" + query,
		ts.URL + "/redirect" + query,
		ts.URL + "/pdf" + query,
		closed.URL + "/x" + query,
		"ftp://bob:hunter2@example.org/x" + query,
	} {
		_, err := Fetch(ctx(t), ts.Client(), raw)
		e := asError(t, err)
		for _, s := range []string{err.Error(), e.Short(), e.URL} {
			for _, secret := range secrets {
				if strings.Contains(s, secret) {
					t.Errorf("%q shows the secret %q", s, secret)
				}
			}
		}
		if e.Kind != KindBadURL && !strings.Contains(err.Error(), "page=2") {
			t.Errorf("%q lost the harmless parameter", err)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"https://h/x?a=1&b=2":                        "https://h/x?a=1&b=2",
		"https://bob:pw@h/x":                         "https://***@h/x",
		"https://h/x?token=abc&page=2":               "https://h/x?token=***&page=2",
		"https://h/x?page=2&API_KEY=abc&Signature=z": "https://h/x?page=2&API_KEY=***&Signature=***",
		"https://h/x?sid=1&code=2&keep=3":            "https://h/x?sid=***&code=2&keep=3",
		"https://h/x?flag&password=p#frag":           "https://h/x?flag&password=***#frag",
		"https://h/x?%74oken=abc":                    "https://h/x?%74oken=***",
	} {
		u, err := url.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := Redact(u); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBadURL: only absolute http(s) URLs are fetched.
func TestBadURL(t *testing.T) {
	for _, raw := range []string{"", "javascript:alert(1)", "file:///etc/passwd", "/relative", "-http://x", "http://h/\x1b[2J"} {
		_, err := Fetch(ctx(t), nil, raw)
		if e := asError(t, err); e.Kind != KindBadURL || strings.ContainsRune(err.Error(), 0x1b) {
			t.Errorf("%q: got %q (kind %d)", raw, err, e.Kind)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"":                              0,
		"0":                             0,
		"30":                            30 * time.Second,
		" 120 ":                         2 * time.Minute,
		"-5":                            0,
		"99999999999999999999":          0,
		"86400000":                      7 * 24 * time.Hour,
		"Mon, 07 Dec 2026 07:00:00 GMT": time.Hour,
		"Mon, 07 Dec 2026 05:00:00 GMT": 0,
		"soon":                          0,
	} {
		if got := retryAfter(in, now); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestDurationWords(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", 45 * time.Second: "45s", 2 * time.Minute: "2m", 150 * time.Second: "2m30s",
		90*time.Minute - time.Second: "1h30m", 3 * time.Hour: "3h", 7 * 24 * time.Hour: "168h",
	} {
		if got := durationWords(d); got != want {
			t.Errorf("durationWords(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestTooManyElements: a page over MaxElements is refused before the
// extractor scores it.
func TestTooManyElements(t *testing.T) {
	_, err := Options{MaxElements: 1000}.Extract(page(t, "guardian-1", "source.html"), "text/html", "https://example.org/x")
	if e := asError(t, err); e.Kind != KindTooLarge || e.Short() != "page has more than 1000 elements" {
		t.Fatalf("got %v (kind %d)", err, e.Kind)
	}
}

// TestNoText: a page with nothing to read is KindNoContent, even when any
// page is wanted.
func TestNoText(t *testing.T) {
	for _, src := range []string{"", "<!doctype html><html><head><title>Empty</title></head><body></body></html>",
		"<html><body><script>document.write('x')</script><img src=/a.png></body></html>"} {
		_, err := Options{AnyPage: true}.Extract([]byte(src), "text/html", "https://example.org/x")
		if e := asError(t, err); e.Kind != KindNoContent {
			t.Errorf("%q: got %v (kind %d)", src, err, e.Kind)
		}
	}
}
