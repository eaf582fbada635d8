// Package netmsg turns the errors of an HTTP request into words a person
// understands: "host not found: 24.kg", "timed out after 20s", "TLS
// certificate error: …". feeds and rates both report through it.
package netmsg

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Describe explains err, an error from http.Client.Do or from reading a
// response body, for a request that was allowed timeout. ctx is the
// request's context.
func Describe(ctx context.Context, err error, timeout time.Duration) error {
	if err == nil {
		return nil
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		if timeout > 0 {
			return fmt.Errorf("timed out after %s", timeout)
		}
		return errors.New("timed out")
	}
	if errors.Is(err, context.Canceled) {
		return errors.New("cancelled")
	}
	var dnsErr *net.DNSError
	// crypto/x509 returns its errors as values, wrapped in a
	// *tls.CertificateVerificationError.
	var authErr x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidErr x509.CertificateInvalidError
	var verifyErr *tls.CertificateVerificationError
	switch {
	case errors.As(err, &dnsErr):
		return fmt.Errorf("host not found: %s", dnsErr.Name)
	case errors.Is(err, syscall.ECONNREFUSED):
		return errors.New("connection refused")
	case errors.Is(err, syscall.ECONNRESET):
		return errors.New("connection reset")
	case errors.As(err, &authErr):
		return errors.New("TLS certificate error: the certificate is signed by an unknown authority (not trusted)")
	case errors.As(err, &hostErr):
		return fmt.Errorf("TLS certificate error: %s", strings.TrimPrefix(hostErr.Error(), "x509: "))
	case errors.As(err, &invalidErr):
		return fmt.Errorf("TLS certificate error: %s", strings.TrimPrefix(invalidErr.Error(), "x509: "))
	case errors.As(err, &verifyErr):
		return fmt.Errorf("TLS certificate error: %s", strings.TrimPrefix(verifyErr.Err.Error(), "x509: "))
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return uerr.Err
	}
	return err
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
