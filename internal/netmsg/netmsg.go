// Package netmsg turns the errors of an HTTP request into words a person
// understands: "host not found: 24.kg", "timed out after 20s", "TLS
// certificate error: …". feeds and rates both report through it.
//
// The words are an *Error: Error() is the full text, Short() the kind in a
// few words for a status line ("timeout", "host not found"), and Unwrap()
// the original error, so callers use errors.Is and errors.As instead of
// reading the text.
package netmsg

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// Error is a failed request explained.
type Error struct {
	short string // the kind, "" when there is no shorter form than text
	text  string // the full words
	err   error  // the original
}

// Error is the full explanation: "timed out after 20s".
func (e *Error) Error() string { return e.text }

// Short is the kind of failure in a few words: "timeout", "host not
// found", "connection refused", "TLS certificate error". An error of no
// known kind has no shorter form than its full text.
func (e *Error) Short() string {
	if e.short == "" {
		return e.text
	}
	return e.short
}

// Unwrap is the error that was explained.
func (e *Error) Unwrap() error { return e.err }

// Describe explains err, an error from http.Client.Do or from reading a
// response body, for a request that was allowed timeout. ctx is the
// request's context. The result wraps err; an error of no known kind that
// carries no credentials comes back as it was.
func Describe(ctx context.Context, err error, timeout time.Duration) error {
	if err == nil {
		return nil
	}
	short, text := explain(ctx, err, timeout)
	if text == "" {
		text = err.Error()
		var uerr *url.Error
		if errors.As(err, &uerr) {
			// The URL is the caller's to name; keep what went wrong.
			text = uerr.Err.Error()
		}
	}
	text = sanitize.Redact(text)
	if short == "" && text == err.Error() {
		return err
	}
	return &Error{short: short, text: text, err: err}
}

// explain is the kind and the words of err's failure, "" and "" when it is
// of no known kind.
func explain(ctx context.Context, err error, timeout time.Duration) (short, text string) {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		if timeout > 0 {
			return "timeout", fmt.Sprintf("timed out after %s", timeout)
		}
		return "timeout", "timed out"
	}
	if errors.Is(err, context.Canceled) {
		return "cancelled", "cancelled"
	}
	var dnsErr *net.DNSError
	// crypto/x509 returns its errors as values, wrapped in a
	// *tls.CertificateVerificationError.
	var authErr x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidErr x509.CertificateInvalidError
	var verifyErr *tls.CertificateVerificationError
	const tlsShort = "TLS certificate error"
	switch {
	case errors.As(err, &dnsErr):
		return "host not found", "host not found: " + dnsErr.Name
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused", "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset", "connection reset"
	case errors.As(err, &authErr):
		return tlsShort, tlsShort + ": the certificate is signed by an unknown authority (not trusted)"
	case errors.As(err, &hostErr):
		return tlsShort, tlsShort + ": " + strings.TrimPrefix(hostErr.Error(), "x509: ")
	case errors.As(err, &invalidErr):
		return tlsShort, tlsShort + ": " + strings.TrimPrefix(invalidErr.Error(), "x509: ")
	case errors.As(err, &verifyErr):
		return tlsShort, tlsShort + ": " + strings.TrimPrefix(verifyErr.Err.Error(), "x509: ")
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		// The words stay Go's ("unexpected EOF"); the kind is plain.
		return "connection closed", ""
	}
	return "", ""
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// Bytes says a byte count as a person would: "10 MiB", "1.5 MiB",
// "512 KiB", "100 bytes".
func Bytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
