package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// paneRows are the feeds pane's lines from "All feeds" on, trimmed at the
// right and without the selection bar.
func paneRows(f *fixture) []string {
	var out []string
	on := false
	lines := strings.Split(ansi.Strip(f.view()), "\n")
	for _, l := range lines[:len(lines)-2] { // not the status and hint lines
		l = strings.TrimRight(strings.Replace(l, "▌", " ", 1), " ")
		if strings.Contains(l, "All feeds") {
			on = true
		}
		if on && l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Feeds of no group are listed under a "(no group)" heading of their own,
// after the groups, never right after a group's feeds as if in it; and
// the selection steps over the headings.
func TestFeedsPaneUngroupedHaveTheirOwnHeading(t *testing.T) {
	f := newFixture(t, 100, 30, func(_ *Options, st *fakeStore) {
		st.feeds[0].Group = "Region" // Times of CA
		// 24.kg has no group, and comes between two grouped feeds
		st.feeds[2].Group = "Uzbekistan" // Kun.uz
	})
	f.keys("F")
	rows := paneRows(f)
	var names []string
	for _, r := range rows {
		names = append(names, strings.Fields(r)[0])
	}
	want := []string{"All", "★", "Region", "Times", "Uzbekistan", "Kun.uz", "(no", "24.kg"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("rows %q, want %q:\n%s", names, want, strings.Join(rows, "\n"))
	}
	indent := func(r string) int { return len(r) - len(strings.TrimLeft(r, " ")) }
	heading, ungrouped := rows[6], rows[7]
	if heading != " (no group)" || indent(ungrouped) <= indent(heading) || indent(ungrouped) != indent(rows[3]) {
		t.Fatalf("the ungrouped feed is not under its own heading:\n%s", strings.Join(rows, "\n"))
	}
	// down from ★ Starred: Times, Kun.uz, 24.kg, headings skipped
	f.keys("down", "down", "down", "down")
	if got := selectedRow(f); !strings.Contains(got, "24.kg") {
		t.Fatalf("selected %q", got)
	}
	f.keys("enter")
	if v := ansi.Strip(f.view()); !strings.Contains(v, "24.kg — Viewing results") {
		t.Fatalf("enter did not show 24.kg:\n%s", v)
	}
}

// With no groups at all the feeds are one list, without headings.
func TestFeedsPaneWithoutGroupsHasNoHeadings(t *testing.T) {
	f := newFixture(t, 100, 30)
	f.keys("F")
	if v := ansi.Strip(f.view()); strings.Contains(v, "(no group)") {
		t.Fatalf("a heading with no groups:\n%s", v)
	}
}

func selectedRow(f *fixture) string {
	for _, l := range strings.Split(ansi.Strip(f.view()), "\n") {
		if strings.Contains(l, "▌") {
			return l
		}
	}
	return ""
}

// A feed whose last fetch left items out says so after its update time.
func TestFeedsPaneShowsTheNote(t *testing.T) {
	f := newFixture(t, 140, 30, func(_ *Options, st *fakeStore) {
		st.feeds[2].Note = "kept the newest 5000 of 200000 items" // Kun.uz
	})
	f.keys("F")
	found := false
	for _, r := range paneRows(f) {
		if strings.Contains(r, "kept the newest 5000 of 200000 items") {
			found = true
			if !strings.Contains(r, "updated") {
				t.Errorf("the note is not after the update time: %q", r)
			}
		}
	}
	if !found {
		t.Fatalf("no row shows the note:\n%s", strings.Join(paneRows(f), "\n"))
	}
}
