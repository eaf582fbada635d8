package rates

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/steppe-news/steppe/internal/netmsg"
)

// shorter is what a status line looks for in an error.
type shorter interface{ Short() string }

func TestStatusErrorShortAndWithoutCredentials(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusServiceUnavailable) })
	withCreds := strings.Replace(srv.URL, "http://", "http://bob:secret@", 1)
	for _, name := range DefaultProviders() {
		p := newProv(t, name, withCreds)
		if n, ok := p.(*nbt); ok {
			n.now = func() time.Time { return day("2026-05-19") }
		}
		_, err := p.Fetch(context.Background(), "USD", ca, time.Time{})
		if err == nil {
			t.Fatalf("%s: no error from a 503", name)
		}
		if msg := err.Error(); strings.Contains(msg, "secret") || strings.Contains(msg, "bob") || !strings.Contains(msg, "http://***@127.0.0.1:") || !strings.Contains(msg, "HTTP 503") {
			t.Errorf("%s: %q", name, msg)
		}
		var s shorter
		if !errors.As(err, &s) || s.Short() != "HTTP 503" {
			t.Errorf("%s: short form %v", name, s)
		}
	}
	// The credentials still reach the server: only the words hide them.
	var user, pass string
	srv2 := serve(t, func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ = r.BasicAuth()
		w.Write(fixture(t, "open_er_api_latest_USD_2024-08-19.json"))
	})
	if _, err := newProv(t, "erapi", strings.Replace(srv2.URL, "http://", "http://bob:secret@", 1)).Fetch(context.Background(), "USD", ca, time.Time{}); err != nil || user != "bob" || pass != "secret" {
		t.Errorf("basic auth %q:%q, %v", user, pass, err)
	}
}

func TestNetworkErrorsWrapAndHideCredentials(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	p := newProv(t, "frankfurter", "http://bob:secret@"+addr)
	_, err = p.Fetch(context.Background(), "USD", ca, time.Time{})
	if err == nil || err.Error() != "frankfurter: connection refused" {
		t.Fatalf("refused: %v", err)
	}
	var ne *netmsg.Error
	if !errors.As(err, &ne) || ne.Short() != "connection refused" {
		t.Errorf("no netmsg error inside %v", err)
	}
	// A bad endpoint is named without its password.
	_, err = NewProvider("erapi", "ftp://bob:secret@h", nil, "")
	if err == nil || strings.Contains(err.Error(), "secret") || !strings.Contains(err.Error(), `"ftp://***@h"`) {
		t.Errorf("bad endpoint: %v", err)
	}
}

func TestERAPIRateLimitedShort(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { http.Error(w, "slow down", http.StatusTooManyRequests) })
	p := newProv(t, "erapi", srv.URL)
	_, err := p.Fetch(context.Background(), "USD", ca, time.Time{})
	var s shorter
	if !errors.As(err, &s) || s.Short() != "rate limited" {
		t.Errorf("429: %v", err)
	}
}
