package sanitize

import (
	"net/url"
	"strings"
)

// Link returns raw (already decoded) as an absolute http(s) URL that
// HTTPURL accepts, resolved against base when it is relative and base is
// not nil, or "" when it is not one (javascript:, data:, mailto:, a
// leading '-', controls, white space inside it). White space around it is
// trimmed.
func Link(raw string, base *url.URL) string {
	s := strings.TrimSpace(raw)
	if s == "" {
		return ""
	}
	if u, err := HTTPURL(s); err == nil {
		return u.String()
	}
	if base == nil || strings.HasPrefix(s, "-") {
		return ""
	}
	if Text(s, false) != s || strings.ContainsAny(s, " \u00a0") {
		return ""
	}
	ref, err := url.Parse(s)
	if err != nil || ref.Scheme != "" {
		return ""
	}
	u, err := HTTPURL(base.ResolveReference(ref).String())
	if err != nil {
		return ""
	}
	return u.String()
}
