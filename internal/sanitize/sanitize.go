// Package sanitize is the one place that says what must never reach a
// terminal. Everything steppe shows or prints that came from outside (feed
// text, server errors, URLs) goes through it after its last decoding.
//
// Escape sequences are recognised with the parser of
// github.com/charmbracelet/x/ansi and removed whole: CSI, OSC (to BEL or
// ST), DCS, SOS, PM and APC strings, in their 7-bit form (ESC [ …), as raw
// 8-bit C1 bytes (0x9B …) and as UTF-8-encoded C1 characters (U+009B …). A
// sequence that never ends takes the rest of the text with it: a terminal
// would have swallowed it too. Nothing here decodes entities or any other
// encoding: cleaning the output again changes nothing.
package sanitize

import (
	"errors"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Unsafe reports whether r must never reach a terminal as it is: every C0
// control (Text keeps '\n' where asked and turns '\t' into a space), DEL,
// every C1 control (U+0080–U+009F), the bidirectional embeddings,
// overrides, isolates and marks (U+202A–U+202E, U+2066–U+2069, U+200E,
// U+200F, U+061C), the byte order mark U+FEFF, the interlinear
// annotation characters U+FFF9–U+FFFB, and the soft hyphen U+00AD: a
// terminal cannot hyphenate, and terminals draw it one column wide where
// the layout counts none, so lines it is in came out too long and left
// pieces of the last frame on screen (Russian sites hyphenate their titles
// with it; without it a search for the word finds them too).
func Unsafe(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200e, r == 0x200f, r == 0x061c, r == 0xfeff, r == 0xad:
		return true
	case r >= 0xfff9 && r <= 0xfffb:
		return true
	}
	return false
}

// Text returns s without escape sequences (removed whole), control
// characters or the other runes Unsafe names. With keepNewlines, "\r\n",
// "\r" and "\n" become "\n"; without, each becomes a space. A tab becomes a
// space. Invalid UTF-8 becomes U+FFFD (one per run of bad bytes), except
// raw 8-bit C1 introducers, which take their sequence with them. Text never
// decodes entities, and Text(Text(s, k), k) == Text(s, k).
func Text(s string, keepNewlines bool) string {
	return clean(s, keepNewlines, false)
}

// KeepSGR is Text(s, true) that keeps SGR sequences (ESC [ digits ; : m),
// the styling steppe renders itself; every other sequence goes.
func KeepSGR(s string) string {
	return clean(s, true, true)
}

// isClean reports whether clean would return s unchanged. Eight bytes of
// printable ASCII at a time are passed over in one test (most feed text
// is), the rest byte by byte and rune by rune.
func isClean(s string, keepNewlines bool) bool {
	for i := 0; i < len(s); {
		if i+8 <= len(s) && printableASCII(word(s, i)) {
			i += 8
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && !(keepNewlines && c == '\n')) || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || Unsafe(r) {
			return false
		}
		i += n
	}
	return true
}

// word returns the eight bytes of s from i as a little-endian word.
func word(s string, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// printableASCII reports whether every byte of w is in 0x20–0x7E: none is
// below 0x20 and none above 0x7E (the byte-wise comparisons of "Bit
// Twiddling Hacks", hasless and hasmore, which are exact for the word).
func printableASCII(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	below := (w - ones*0x20) &^ w & highs
	above := ((w + ones*(0x7f-0x7e)) | w) & highs
	return below|above == 0
}

// isIntroducer reports whether c is an 8-bit C1 control that starts a
// sequence: DCS, SOS, CSI, OSC, PM or APC.
func isIntroducer(c byte) bool {
	switch c {
	case ansi.DCS, ansi.SOS, ansi.CSI, ansi.OSC, ansi.PM, ansi.APC:
		return true
	}
	return false
}

// isSGR reports whether seq is ESC [ followed by digits, ';' and ':' only
// and ending in 'm'.
func isSGR(seq string) bool {
	if len(seq) < 3 || seq[0] != ansi.ESC || seq[1] != '[' || seq[len(seq)-1] != 'm' {
		return false
	}
	for i := 2; i < len(seq)-1; i++ {
		if c := seq[i]; (c < '0' || c > '9') && c != ';' && c != ':' {
			return false
		}
	}
	return true
}

// sequenceLen returns the length of the escape sequence at the start of s
// (which starts with ESC or a raw C1 introducer), as the ansi parser reads
// it: complete, cut short by a byte that cannot continue it, or running to
// the end of s. It is at least 1.
func sequenceLen(s string) int {
	_, _, n, _ := ansi.DecodeSequence(s, ansi.NormalState, nil)
	return max(n, 1)
}

func clean(s string, keepNewlines, keepSGR bool) string {
	if isClean(s, keepNewlines) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	bad := false // the last thing written is a U+FFFD for invalid bytes
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ansi.ESC:
			n := sequenceLen(s[i:])
			if keepSGR && isSGR(s[i:i+n]) {
				// bad stays: the U+FFFD before it still stands for
				// the bad bytes after it, as in Text.
				b.WriteString(s[i : i+n])
			}
			i += n
			continue
		case c == 0xc2 && i+1 < len(s) && isIntroducer(s[i+1]):
			// A UTF-8-encoded C1 introducer (U+009B …): its second
			// byte is the raw 8-bit form, which the parser reads.
			i += 1 + sequenceLen(s[i+1:])
			continue
		case c == '\r' || c == '\n':
			if c == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			if keepNewlines {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
			bad = false
			i++
			continue
		case c == '\t':
			b.WriteByte(' ')
			bad = false
			i++
			continue
		case c < utf8.RuneSelf:
			if c >= 0x20 && c != 0x7f {
				b.WriteByte(c)
				bad = false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			if isIntroducer(c) {
				i += sequenceLen(s[i:])
				continue
			}
			if !bad {
				b.WriteRune(utf8.RuneError)
				bad = true
			}
		case Unsafe(r):
		default:
			b.WriteString(s[i : i+n])
			bad = false
		}
		i += n
	}
	return b.String()
}

// HTTPURL parses raw as an absolute http or https URL with a host, and
// refuses anything else: other schemes (javascript:, file:, data:, …),
// relative references, a leading '-' (which a program given the URL as an
// argument may read as an option), white space and every rune Unsafe
// names, and invalid UTF-8. It is the one http(s) check; callers add their
// own policy (the browser opener also refuses user info).
func HTTPURL(raw string) (*url.URL, error) {
	switch {
	case raw == "":
		return nil, errors.New("empty URL")
	case raw[0] == '-':
		return nil, errors.New("URL starts with '-'")
	case !utf8.ValidString(raw):
		return nil, errors.New("URL is not valid UTF-8")
	case strings.IndexFunc(raw, func(r rune) bool { return Unsafe(r) || unicode.IsSpace(r) }) >= 0:
		return nil, errors.New("URL holds a control character or white space")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, errors.New("not an http(s) URL")
	}
	if u.Hostname() == "" {
		return nil, errors.New("URL has no host")
	}
	return u, nil
}

// Redact hides the secrets of every URL inside s: the user info
// ("scheme://user:password@host…") becomes "***" ("http://bob:secret@h/x"
// becomes "http://***@h/x"), and so does the value of every query
// parameter whose name says it is a secret (SecretParam: token, api_key,
// sig, …): "https://h/rss?token=abc&page=2" becomes
// "https://h/rss?token=***&page=2". The authority ends where RFC 3986
// ends it (at '/', '?' or '#'), the URL at white space, a quote or an
// angle bracket. Redact(Redact(s)) == Redact(s).
func Redact(s string) string {
	if !strings.Contains(s, "://") || !strings.Contains(s, "@") && !strings.Contains(s, "?") {
		return s
	}
	var b strings.Builder
	rest := s
	for {
		k := strings.Index(rest, "://")
		if k < 0 {
			break
		}
		start := k + 3
		end := start + strings.IndexFunc(rest[start:], func(r rune) bool {
			return strings.ContainsRune("/?#\"'<>`\\", r) || unicode.IsSpace(r) || Unsafe(r)
		})
		if end < start {
			end = len(rest)
		}
		at := strings.LastIndexByte(rest[start:end], '@')
		b.WriteString(rest[:start])
		if at >= 0 {
			b.WriteString("***")
			b.WriteString(rest[start+at : end])
		} else {
			b.WriteString(rest[start:end])
		}
		rest = rest[end:]
		// The path, query and fragment, up to where the URL ends.
		urlEnd := strings.IndexFunc(rest, func(r rune) bool {
			return strings.ContainsRune("\"'<>`\\", r) || unicode.IsSpace(r) || Unsafe(r)
		})
		if urlEnd < 0 {
			urlEnd = len(rest)
		}
		b.WriteString(redactQuery(rest[:urlEnd]))
		rest = rest[urlEnd:]
	}
	b.WriteString(rest)
	return b.String()
}

// redactQuery hides the values of the secret parameters in the query of
// tail, a URL's path, query and fragment.
func redactQuery(tail string) string {
	q := strings.IndexByte(tail, '?')
	if q < 0 {
		return tail
	}
	query, frag := tail[q+1:], ""
	if h := strings.IndexByte(query, '#'); h >= 0 {
		query, frag = query[:h], query[h:]
	}
	parts := strings.Split(query, "&")
	changed := false
	for i, p := range parts {
		name, val, ok := strings.Cut(p, "=")
		if !ok || val == "" || val == "***" {
			continue
		}
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if SecretParam(name) {
			parts[i] = p[:strings.IndexByte(p, '=')+1] + "***"
			changed = true
		}
	}
	if !changed {
		return tail
	}
	return tail[:q+1] + strings.Join(parts, "&") + frag
}

// secretNames are query parameter names that hold a secret, in lower
// case with '-' as '_'.
var secretNames = map[string]bool{
	"token": true, "access_token": true, "api_key": true, "apikey": true, "key": true,
	"auth": true, "sig": true, "signature": true, "password": true, "passwd": true, "pass": true,
	"secret": true, "session": true, "sid": true, "private_token": true, "client_secret": true,
	"auth_token": true, "refresh_token": true, "id_token": true, "session_id": true, "sessionid": true,
}

// secretSuffixes end other names of secret parameters (x_amz_signature,
// feed_token, user_api_key, ...).
var secretSuffixes = []string{"_token", "token", "_key", "apikey", "_secret", "secret", "password", "_sig", "signature", "_session", "_auth"}

// SecretParam reports whether a URL query parameter named name holds a
// secret: token, access_token, api_key, apikey, key, auth, sig, signature,
// password, secret, session, sid and the like, in any case, with '-' or
// '_'.
func SecretParam(name string) bool {
	n := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), "-", "_")
	if secretNames[n] {
		return true
	}
	for _, suf := range secretSuffixes {
		if strings.HasSuffix(n, suf) {
			return true
		}
	}
	return false
}
