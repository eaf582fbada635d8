package netmsg

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/steppe-news/steppe/internal/sanitize"
)

func get(t *testing.T, c *http.Client, url string) error {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	resp, err := c.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("GET %s worked; the test wanted it to fail", url)
	}
	return Describe(context.Background(), err, c.Timeout)
}

func TestDescribe(t *testing.T) {
	// Connection refused: a port that was listening and is closed.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	if got := get(t, &http.Client{}, "http://"+addr+"/"); got.Error() != "connection refused" {
		t.Errorf("refused: %q", got)
	}

	// A server slower than the client's timeout.
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer slow.Close()
	if got := get(t, &http.Client{Timeout: 200 * time.Millisecond}, slow.URL); got.Error() != "timed out after 200ms" {
		t.Errorf("timeout: %q", got)
	}

	// A certificate nobody trusts.
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer tlsSrv.Close()
	if got := get(t, &http.Client{}, tlsSrv.URL); !strings.HasPrefix(got.Error(), "TLS certificate error: ") || !strings.Contains(got.Error(), "unknown authority") {
		t.Errorf("tls: %q", got)
	}
	var tlsErr *Error
	if got := get(t, &http.Client{}, tlsSrv.URL); !errors.As(got, &tlsErr) || tlsErr.Short() != "TLS certificate error" {
		t.Errorf("tls short form: %v", got)
	}

	// A name that does not resolve (never sent to a resolver: the error is built).
	dns := &net.DNSError{Err: "no such host", Name: "steppe.invalid", IsNotFound: true}
	if got := Describe(context.Background(), dns, 0); got.Error() != "host not found: steppe.invalid" {
		t.Errorf("dns: %q", got)
	}
	if got := Describe(context.Background(), context.Canceled, 0); got.Error() != "cancelled" {
		t.Errorf("cancel: %q", got)
	}
	other := errors.New("something else")
	if got := Describe(context.Background(), other, 0); got != other {
		t.Errorf("other: %q", got)
	}
	if Describe(context.Background(), nil, 0) != nil {
		t.Error("nil error described as an error")
	}
}

// shorter is what a status line looks for.
type shorter interface{ Short() string }

func TestDescribeWrapsTheOriginal(t *testing.T) {
	ctx := context.Background()
	dns := &net.DNSError{Err: "no such host", Name: "steppe.invalid", IsNotFound: true}
	wrapped := &url.Error{Op: "Get", URL: "http://steppe.invalid/", Err: &net.OpError{Op: "dial", Net: "tcp", Err: dns}}
	for _, c := range []struct {
		name        string
		err         error
		short, text string
		is          error
	}{
		{"dns", wrapped, "host not found", "host not found: steppe.invalid", nil},
		{"refused", &url.Error{Op: "Get", URL: "http://127.0.0.1:1/", Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}},
			"connection refused", "connection refused", syscall.ECONNREFUSED},
		{"reset", fmt.Errorf("read: %w", syscall.ECONNRESET), "connection reset", "connection reset", syscall.ECONNRESET},
		{"deadline", &url.Error{Op: "Get", URL: "http://h/", Err: context.DeadlineExceeded}, "timeout", "timed out after 2s", context.DeadlineExceeded},
		{"cancelled", context.Canceled, "cancelled", "cancelled", context.Canceled},
		{"eof", &url.Error{Op: "Get", URL: "http://bob:secret@h/", Err: io.EOF}, "connection closed", "EOF", io.EOF},
		{"unexpected eof", io.ErrUnexpectedEOF, "connection closed", "unexpected EOF", io.ErrUnexpectedEOF},
		{"unknown inside url.Error", &url.Error{Op: "Get", URL: "http://h/", Err: errors.New("stopped after 10 redirects")},
			"stopped after 10 redirects", "stopped after 10 redirects", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Describe(ctx, c.err, 2*time.Second)
			if got.Error() != c.text {
				t.Errorf("Error() = %q, want %q", got.Error(), c.text)
			}
			var s shorter
			if !errors.As(got, &s) || s.Short() != c.short {
				t.Errorf("Short() = %v, want %q", s, c.short)
			}
			var ne *Error
			if !errors.As(got, &ne) || ne.Unwrap() != c.err {
				t.Errorf("Unwrap() does not give the original: %#v", got)
			}
			if !errors.Is(got, c.err) {
				t.Error("errors.Is(described, original) is false")
			}
			if c.is != nil && !errors.Is(got, c.is) {
				t.Errorf("errors.Is(described, %v) is false", c.is)
			}
		})
	}
	// errors.As reaches the typed original through the description.
	var dnsErr *net.DNSError
	if got := Describe(ctx, wrapped, 0); !errors.As(got, &dnsErr) || dnsErr.Name != "steppe.invalid" {
		t.Errorf("errors.As(*net.DNSError) through %v failed", got)
	}
	// Wrapped again by a caller, the short form is still found.
	var s shorter
	if err := fmt.Errorf("erapi: %w", Describe(ctx, wrapped, 0)); !errors.As(err, &s) || s.Short() != "host not found" {
		t.Errorf("short form lost under a caller's wrap: %v", err)
	}
}

func TestDescribeNeverShowsCredentials(t *testing.T) {
	ctx := context.Background()
	// A redirect limit's error names the URL it stopped at.
	inner := errors.New(`Get "http://bob:secret@mirror.example/v6": stopped after 10 redirects`)
	got := Describe(ctx, &url.Error{Op: "Get", URL: "http://bob:***@h/", Err: inner}, 0)
	if strings.Contains(got.Error(), "secret") || strings.Contains(got.Error(), "bob") || !strings.Contains(got.Error(), "http://***@mirror.example/v6") {
		t.Errorf("credentials shown: %q", got)
	}
	if !errors.Is(got, inner) {
		t.Error("redacted error lost its original")
	}
	// A plain error with a password in a URL is redacted too.
	plain := errors.New("proxy http://u:p@proxy.example:3128 refused; see https://x.example/a@b")
	if got := Describe(ctx, plain, 0).Error(); got != "proxy http://***@proxy.example:3128 refused; see https://x.example/a@b" {
		t.Errorf("plain error: %q", got)
	}
	// A real request through a server that refuses, with credentials in the URL.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	if got := get(t, &http.Client{}, "http://bob:secret@"+addr+"/"); strings.Contains(got.Error(), "secret") || got.Error() != "connection refused" {
		t.Errorf("refused with credentials: %q", got)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"http://bob:secret@h/x":                 "http://***@h/x",
		"GET https://a:b@c@h:8080/p?q=1 failed": "GET https://***@h:8080/p?q=1 failed",
		`Get "http://bob:***@h/": EOF`:          `Get "http://***@h/": EOF`,
		"http://***@h/x":                        "http://***@h/x",
		"no url here, mail bob@example.com":     "no url here, mail bob@example.com",
		"http://h/path@x and ftp://u@f/":        "http://h/path@x and ftp://***@f/",
	} {
		if got := sanitize.Redact(in); got != want {
			t.Errorf("sanitize.Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
