package rates

import (
	"encoding/xml"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

var numberRE = regexp.MustCompile(`^[+-]?[0-9]+(?:[.,][0-9]+)?$`)

// parseNumber reads a decimal as the sources write it: "12194.21",
// "87,4500", "+0.02", " 478.77 ". No exponents, hex, NaN or Inf.
func parseNumber(s string) (float64, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", ""))
	if !numberRE.MatchString(s) {
		return 0, fmt.Errorf("not a number: %q", clip(s))
	}
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || !finite(v) {
		return 0, fmt.Errorf("not a number: %q", clip(s))
	}
	return v, nil
}

// parseNominal reads a nominal: a positive integer (blank means 1).
func parseNominal(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > 1e9 {
		return 0, fmt.Errorf("bad nominal %q", clip(s))
	}
	return float64(n), nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// dayLayout is how dates are written in the store and in messages.
const dayLayout = "2006-01-02"

// utcDate is the UTC midnight of a calendar day.
func utcDate(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// parseDay reads a date in one of layouts into a UTC midnight, refusing
// years outside 1990..2200.
func parseDay(s string, layouts ...string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range layouts {
		if t, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			if t.Year() < 1990 || t.Year() > 2200 {
				return time.Time{}, fmt.Errorf("implausible date %q", clip(s))
			}
			return utcDate(t), nil
		}
	}
	return time.Time{}, fmt.Errorf("bad date %q", clip(s))
}

// checkAsked refuses rates dated after the day asked for: several sources
// answer their latest rates when asked for a day they do not have. A zero
// day asked for the latest, which any date answers.
func checkAsked(asked, got time.Time) error {
	if asked.IsZero() || !got.After(utcDate(asked)) {
		return nil
	}
	return fmt.Errorf("asked for %s, got rates of %s", asked.Format(dayLayout), got.Format(dayLayout))
}

// xmlDecoder decodes XML in any charset it declares (windows-1251 included).
func xmlDecoder(body []byte) *xml.Decoder {
	d := xml.NewDecoder(strings.NewReader(string(body)))
	d.CharsetReader = charset.NewReaderLabel
	return d
}

// upper normalises codes: upper case, trimmed, deduplicated, order kept.
func upper(codes []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range codes {
		c = strings.ToUpper(strings.TrimSpace(c))
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		out = append(out, c)
	}
	return out
}
