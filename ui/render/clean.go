package render

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// Every piece of article text is cleaned with sanitize.Text once the HTML
// parser has decoded it, before it is measured or styled; every finished
// line goes through sanitize.KeepSGR, so that only the SGR sequences of the
// styles reach the terminal; links are checked with sanitize.HTTPURL.

// onlySGR reports whether s is nothing but SGR sequences.
func onlySGR(s string) bool { return ansi.Strip(s) == "" && sanitize.KeepSGR(s) == s }

// httpURL checks a link target: an absolute http or https URL with a host,
// without spaces or control characters and not starting with '-'.
func httpURL(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	if _, err := sanitize.HTTPURL(raw); err != nil {
		return "", false
	}
	return raw, true
}
