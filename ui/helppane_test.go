package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Help opens at its top however far it was scrolled when it was closed.
func TestHelpOpensAtTop(t *testing.T) {
	f := newFixture(t, 40, 12)
	f.keys("?")
	top := ansi.Strip(f.view())
	if !strings.Contains(top, "Keys") || strings.Contains(top, "more above") || strings.Contains(top, " ↑ ") {
		t.Fatalf("help does not open at the top:\n%s", top)
	}
	f.keys("G")
	if !strings.Contains(ansi.Strip(f.view()), "more") || f.m.panes[modeHelp].Component.(*HelpPane).offset == 0 {
		t.Fatalf("G did not scroll the help:\n%s", ansi.Strip(f.view()))
	}
	f.keys("?", "?")
	if got := ansi.Strip(f.view()); got != top {
		t.Fatalf("help reopened scrolled:\n%s\nwant:\n%s", got, top)
	}
	f.keys("G", "esc", "?")
	if got := ansi.Strip(f.view()); got != top {
		t.Fatalf("help reopened (after esc) scrolled:\n%s", got)
	}
}

// The help lists the search syntax.
func TestHelpListsSearchOperators(t *testing.T) {
	f := newFixture(t, 120, 60)
	f.keys("?")
	out := ansi.Strip(f.view())
	for _, want := range []string{"Search (/)", "tenge OR som", "tenge NOT rail", `"som rate"`, "pre*"} {
		if !strings.Contains(out, want) {
			t.Fatalf("help lacks %q:\n%s", want, out)
		}
	}
}
