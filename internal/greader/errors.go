package greader

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// The kinds of failure; an *Error matches one of them with errors.Is.
var (
	// ErrAuth: the server refused the credentials or the token.
	ErrAuth = errors.New("authentication failed")
	// ErrUnreachable: no answer (refused, timed out, host not found, TLS).
	ErrUnreachable = errors.New("server unreachable")
	// ErrBadResponse: an answer that is not what the API promises (a 5xx, a
	// 404, a body that does not parse).
	ErrBadResponse = errors.New("bad response")
)

// Error is a failed call. Its text names the call and the server (with any
// credentials in the URL hidden) and never holds a password or token.
type Error struct {
	Op     string // "ClientLogin", "subscription/list", ...
	Server string // the base URL, redacted
	Status int    // the HTTP status, 0 when there was none
	Kind   error  // ErrAuth, ErrUnreachable or ErrBadResponse
	Detail string // what went wrong, in words
	Err    error  // the cause, when there is one
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "greader %s at %s: %v", e.Op, e.Server, e.Kind)
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// Is reports whether target is the error's kind.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Unwrap is the cause.
func (e *Error) Unwrap() error { return e.Err }

// redactBase is a base URL fit for error text: no user info, no query.
func redactBase(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return sanitize.Text(sanitize.Redact(raw), false)
	}
	u.User = nil
	u.RawQuery, u.Fragment = "", ""
	return sanitize.Text(u.String(), false)
}

// scrub hides every secret that a server might have echoed into text.
func scrub(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "***")
		}
	}
	return sanitize.Text(sanitize.Redact(s), false)
}
