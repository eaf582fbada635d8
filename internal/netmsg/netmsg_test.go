package netmsg

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
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
