package ui

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestSearch(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.keys("j", "/")
	f.typeText("воды")
	f.keys("backspace", "enter")
	if !slices.Equal(f.store.searches, []string{"вод"}) {
		t.Fatalf("searches %v", f.store.searches)
	}
	out := ansi.Strip(f.view())
	if !strings.Contains(out, `Search "вод": results 1 - 3 of 4`) || !strings.Contains(out, "Таджикистан") {
		t.Fatalf("search view:\n%s", out)
	}
	f.keys("esc")
	if f.m.list.Query() != "" {
		t.Fatal("esc did not clear")
	}
	f.expect(3, "a006") // the selected hit, shown in the full list
	// esc while typing cancels and runs nothing
	f.keys("/")
	f.typeText("xyz")
	f.keys("esc")
	if len(f.store.searches) != 1 || f.m.list.Capturing() {
		t.Fatalf("searches %v", f.store.searches)
	}
	// keys typed into the search are not commands
	f.keys("/")
	f.typeText("q r i")
	if f.quit || f.m.sh.board.invert {
		t.Fatal("typing ran commands")
	}
	f.keys("enter")
	if f.m.list.Query() != "q r i" {
		t.Fatalf("query %q", f.m.list.Query())
	}
	if !strings.Contains(ansi.Strip(f.view()), `Search "q r i": no results`) {
		t.Fatal(ansi.Strip(f.view()))
	}
}
