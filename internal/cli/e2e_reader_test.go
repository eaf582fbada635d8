package cli

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// waitMatch polls the screen until it matches re, or fails showing it.
func (s *tmuxSession) waitMatch(what string, re *regexp.Regexp) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var scr string
	for time.Now().Before(deadline) {
		if scr = s.screen(); re.MatchString(scr) {
			return scr
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("%s: screen never matched %s; last screen:\n%s", what, re, scr)
	return ""
}

// The reader at 40x12: one title line, a rule naming the feed and saying
// Top, then six rows of text; space scrolls and the rule gives the
// percentage, then Bot.
func TestEndToEndReaderPosition(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	s := startTmux(t, bin, "--demo", "--data-dir", filepath.Join(t.TempDir(), "data"))
	s.waitFor("demo", "Viewing results 1 - ", "Sample:")
	s.resize(40, 12)
	s.waitFor("small list", "Sample:")
	s.keys("Enter")
	scr := s.waitMatch("reader at 40x12", regexp.MustCompile(`(?m)^ ─ Sample: .* Top ─$`))
	lines := strings.Split(scr, "\n")
	rule := -1
	for i, l := range lines {
		if strings.HasSuffix(l, " Top ─") {
			rule = i
		}
	}
	if rule != 3 || !strings.Contains(lines[2], "Sample: ") {
		t.Fatalf("header is not a title line and a rule:\n%s", scr)
	}
	if text := strings.Join(lines[4:10], "\n"); !strings.Contains(text, "sample article") {
		t.Fatalf("fewer than six rows of text:\n%s", scr)
	}
	checkWidth(t, scr, 40)
	s.keys("Space")
	s.waitMatch("percentage", regexp.MustCompile(`(?m)─ [1-9][0-9]?% ─$`))
	s.keys("G")
	s.waitMatch("bottom", regexp.MustCompile(`(?m)─ Bot ─$`))
	s.keys("g")
	s.waitMatch("top again", regexp.MustCompile(`(?m)─ Top ─$`))
	s.keys("Q")
	if code := s.exitCode(); code != "0" {
		t.Errorf("exit %s", code)
	}
}

// The search field: its hint names esc (q is text), it opens on the last
// query selected so typing replaces it, FTS5's OR works, no results shows
// no page count; help lists the operators and opens at the top after G.
func TestEndToEndSearchAndHelp(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	s := startTmux(t, bin, "--demo", "--data-dir", filepath.Join(t.TempDir(), "data"))
	s.waitFor("demo", "Viewing results 1 - ", "Sample:")

	s.keys("/", "rail", "Enter")
	s.waitFor("search rail", `Search "rail": results 1 - `, "New rail freight link")
	s.keys("/")
	scr := s.waitFor("field on the last query", "Search: rail  (typing replaces it)", "enter search • esc back")
	if strings.Contains(scr, "q/esc") {
		t.Errorf("the hint still says q backs out:\n%s", scr)
	}
	s.keys("qazaq")
	scr = s.waitFor("typing replaces", "Search: qazaq")
	if strings.Contains(scr, "railqazaq") {
		t.Fatalf("typing appended:\n%s", scr)
	}
	s.keys("Enter")
	scr = s.waitFor("no results", `Search "qazaq": no results`)
	if strings.Contains(scr, "page 1/1") {
		t.Errorf("no results shows a page count:\n%s", scr)
	}
	s.keys("/", "tenge OR rail", "Enter")
	s.waitFor("OR", `Search "tenge OR rail": results 1 - `, "Tenge steady as oil prices recover", "New rail freight link")
	s.keys("/")
	s.waitFor("field again", "Search: tenge OR rail  (typing replaces it)")
	s.keys("Escape") // leaves the field, and the search with it
	scr = s.waitFor("esc leaves the field", "Viewing results 1 - ")
	if strings.Contains(scr, "esc back") && strings.Contains(scr, "enter search") {
		t.Fatalf("still in the field:\n%s", scr)
	}

	s.keys("?")
	top := s.waitFor("help", "Keys", "Headlines")
	above := regexp.MustCompile(`(?m)^ ↑ [0-9]+ more`)
	if above.MatchString(top) {
		t.Fatalf("help opened scrolled:\n%s", top)
	}
	s.keys("G")
	s.waitFor("help bottom", "Search (/)", "tenge OR som", "tenge NOT rail")
	s.waitMatch("help scrolled", above)
	s.keys("?")
	s.waitFor("help closed", "Viewing results 1 - ")
	s.keys("?")
	scr = s.waitFor("help again", "Keys", "Headlines")
	if above.MatchString(scr) {
		t.Errorf("help reopened scrolled:\n%s\nfirst time:\n%s", scr, top)
	}
	s.keys("Q")
	if code := s.exitCode(); code != "0" {
		t.Errorf("exit %s", code)
	}
}
