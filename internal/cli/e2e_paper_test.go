package cli

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The small things of issue 20, in tmux against the demo and a loopback
// server, as a daily reader meets them.

// tickerRow is the screen's top line (the ticker).
func tickerRow(scr string) string { return strings.SplitN(scr, "\n", 2)[0] }

func TestEndToEndPaperCuts(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	dir := t.TempDir()
	s := startTmux(t, "env", "BROWSER=true", bin, "--demo", "--data-dir", filepath.Join(dir, "data"))
	s.waitFor("demo", "Viewing results 1 - ", "UZS/USD", "TMT/USD")

	// 4: the demo's rates are frankfurter's: nothing credits ExchangeRate-API.
	s.keys("$")
	scr := s.waitFor("rates pane", "frankfurter ·")
	if strings.Contains(scr, "ExchangeRate-API") {
		t.Errorf("the rates pane credits ExchangeRate-API for frankfurter rates:\n%s", scr)
	}
	for _, k := range []string{"?", "e"} {
		s.keys("Escape")
		s.waitFor("back", "Viewing results 1 - ")
		s.keys(k)
		scr = s.waitFor("pane "+k, map[string]string{"?": "Keys", "e": "Sources"}[k])
		if strings.Contains(scr, "ExchangeRate-API") {
			t.Errorf("pane %s credits ExchangeRate-API for frankfurter rates:\n%s", k, scr)
		}
	}
	s.keys("Escape")
	s.waitFor("back", "Viewing results 1 - ")

	// 9: the ungrouped feed under its own heading, after the groups.
	s.keys("F")
	scr = s.waitFor("feeds pane", "(no group)", "Sample: Mountain Valley Daily")
	if i, j := strings.Index(scr, "(no group)"), strings.Index(scr, "Sample: Mountain Valley Daily"); j < i || strings.Index(scr, " Money") > i || strings.Index(scr, " News") > i {
		t.Errorf("the ungrouped feed is not under (no group), after the groups:\n%s", scr)
	}
	s.keys("Escape")
	s.waitFor("back", "Viewing results 1 - ")

	// 12, 14: paused, the ticker shows an ASCII mark and whole pairs.
	s.keys("Space")
	scr = s.waitFor("paused", "|| ")
	if l := tickerRow(scr); !regexp.MustCompile(`^\|\| [A-Z]{3}/[A-Z]{3} = `).MatchString(l) || strings.Contains(l, "⏸") {
		t.Errorf("paused ticker %q", l)
	}
	s.keys("Space")

	// 7: o says what it did.
	s.keys("o")
	s.waitFor("opened", "opened https://example.com/sample/", "in the browser")

	// 10: A says how to undo; z undoes.
	s.keys("A")
	s.waitFor("mark all", "read · z to undo", " · 0 unread")
	s.keys("z")
	scr = s.waitFor("undo", "unread again")
	if strings.Contains(scr, " · 0 unread") {
		t.Errorf("the count line still says 0 unread after undo:\n%s", scr)
	}

	// 6: compact rows use the width and abbreviate feeds sensibly.
	s.keys("v")
	s.resize(200, 30)
	scr = s.waitFor("wide compact", "Sample: Steppe Wire ·")
	for _, l := range strings.Split(scr, "\n") {
		if strings.Contains(l, "Sample: ") && strings.Contains(l, " ago") && regexp.MustCompile(`\S {40,}\S`).MatchString(l) {
			t.Errorf("a field of blanks in a compact row at 200 columns: %q", l)
		}
	}
	s.resize(40, 20)
	scr = s.waitFor("narrow compact", "Steppe · ")
	checkWidth(t, scr, 40)
	if regexp.MustCompile(`\s\S…\s·`).MatchString(scr) {
		t.Errorf("a feed cut to a letter at 40 columns:\n%s", scr)
	}
	s.keys("Q")
	if code := s.exitCode(); code != "0" {
		t.Errorf("steppe exited %s", code)
	}
}

// 5 and 4: with every rate provider down and nothing stored, the ticker
// and the rates pane say why, and nothing credits a provider that failed.
func TestEndToEndNoRatesSaysWhy(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	srv := newFixtureServer(t)
	srv.frankfurterDown.Store(true)
	srv.erapiDown.Store(true)
	dir := t.TempDir()
	cfg := srv.writeConfig(t, dir)
	s := startTmux(t, bin, "--config", cfg, "--data-dir", filepath.Join(dir, "data"))
	scr := s.waitFor("no rates", "No rates: ", "failed)")
	if l := tickerRow(scr); !strings.Contains(l, "no source that answered carries it (frankfurter, erapi failed)") {
		t.Errorf("ticker %q", l)
	}
	s.keys("$")
	scr = s.waitFor("rates pane", "KGS/USD  no quote: no source that answered carries it")
	if strings.Contains(scr, "ExchangeRate-API") {
		t.Errorf("the rates pane credits a failed provider:\n%s", scr)
	}
	s.keys("Escape")
	s.waitFor("back", "Viewing results 1 - ")
	s.keys("e")
	scr = s.waitFor("sources", "Sources")
	if strings.Contains(scr, "ExchangeRate-API") {
		t.Errorf("the sources pane credits a failed provider:\n%s", scr)
	}
	s.keys("Q")
	if code := s.exitCode(); code != "0" {
		t.Errorf("steppe exited %s", code)
	}
}
