package feeds

import "regexp"

// userInfo matches the user info of a URL ("bob:secret@"), up to the last
// "@" before the path.
var userInfo = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s]*@`)

// Redact replaces the user info of every URL in s with "***"
// ("http://bob:secret@h/x" → "http://***@h/x"), for everything shown or
// printed. It stands in for sanitize.Redact until that package lands here.
func Redact(s string) string {
	return userInfo.ReplaceAllString(s, "${1}***@")
}
