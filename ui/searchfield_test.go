package ui

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
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

// The field opens on the last query selected: typing replaces it (not
// "railqazaq"), a deletion clears it, a cursor key keeps it; q is text,
// esc leaves, and the hint line says so.
func TestSearchFieldSelection(t *testing.T) {
	f := newFixture(t, 80, 24)
	sf := f.m.list.search
	f.keys("/")
	f.typeText("rail")
	f.keys("enter")
	f.keys("/")
	out := strings.Split(ansi.Strip(f.view()), "\n")
	if sf.ti.Value() != "rail" || !strings.Contains(out[2], "Search: rail  (typing replaces it)") {
		t.Fatalf("field does not open on the last query, selected: %q\n%s", sf.ti.Value(), strings.Join(out, "\n"))
	}
	if hint := out[len(out)-1]; !strings.Contains(hint, "esc back") || strings.Contains(hint, "q/esc") || strings.Contains(hint, "q back") {
		t.Fatalf("hint line %q", hint)
	}
	f.typeText("qazaq")
	if sf.ti.Value() != "qazaq" || !f.m.list.Capturing() {
		t.Fatalf("typing after a search gives %q", sf.ti.Value())
	}
	f.keys("enter")
	if f.m.list.Query() != "qazaq" {
		t.Fatalf("query %q", f.m.list.Query())
	}
	// backspace on the selection clears it
	f.keys("/", "backspace")
	if sf.ti.Value() != "" {
		t.Fatalf("backspace left %q", sf.ti.Value())
	}
	f.keys("esc")
	if f.m.list.Capturing() || f.m.list.Query() != "" {
		t.Fatalf("esc did not leave the field (query %q)", f.m.list.Query())
	}
	// a cursor key keeps the value and edits it where the cursor is
	f.keys("/")
	f.typeText("rail")
	f.keys("enter", "/", "left")
	f.typeText("x")
	if sf.ti.Value() != "raixl" {
		t.Fatalf("after left and x: %q", sf.ti.Value())
	}
	if strings.Contains(ansi.Strip(f.view()), "typing replaces") {
		t.Fatal("selection still announced after a cursor key")
	}
	// a paste replaces the selection too
	f.keys("enter", "/")
	f.send(tea.PasteMsg{Content: "tenge"})
	if sf.ti.Value() != "tenge" {
		t.Fatalf("paste gave %q", sf.ti.Value())
	}
}

// A search with no results says so, with no page count under it.
func TestSearchNoResultsNoPager(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.keys("/")
	f.typeText("nothing-matches-this")
	f.keys("enter")
	out := ansi.Strip(f.view())
	if !strings.Contains(out, `Search "nothing-matches-this": no results`) || strings.Contains(out, "page 1/1") {
		t.Fatalf("no results view:\n%s", out)
	}
}
