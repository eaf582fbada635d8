package ui

import (
	"image/color"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// What the frame asks of the terminal besides its cells: the window title,
// the mouse, the alternate screen and the real cursor in the search field.
func TestViewTitleMouseCursor(t *testing.T) {
	f := newFixture(t, 80, 24)
	v := f.m.View()
	if !v.AltScreen || v.MouseMode != tea.MouseModeCellMotion {
		t.Errorf("alt screen %v, mouse mode %v", v.AltScreen, v.MouseMode)
	}
	want := "steppe — " + strconv.Itoa(f.m.list.page.Unread) + " unread"
	if v.WindowTitle != want {
		t.Errorf("window title %q, want %q", v.WindowTitle, want)
	}
	if v.Cursor != nil {
		t.Errorf("a cursor outside the search field: %+v", v.Cursor)
	}

	f.keys("/")
	f.typeText("вод")
	v = f.m.View()
	if v.Cursor == nil {
		t.Fatal("no terminal cursor in the search field")
	}
	// " Search: вод" on the line under the ticker and the date: the cursor
	// is after the last letter.
	lines := strings.Split(ansi.Strip(f.view()), "\n")
	if !strings.Contains(lines[v.Cursor.Y], "Search: вод") {
		t.Errorf("cursor on line %d %q, not the search field", v.Cursor.Y, lines[v.Cursor.Y])
	}
	if wantX := 1 + len(searchPrompt) + 3; v.Cursor.X != wantX {
		t.Errorf("cursor at column %d, want %d", v.Cursor.X, wantX)
	}
	f.keys("left")
	if c := f.m.View().Cursor; c == nil || c.X != 1+len(searchPrompt)+2 {
		t.Errorf("after ←, cursor %+v", c)
	}
	f.keys("esc")
	if c := f.m.View().Cursor; c != nil {
		t.Errorf("the cursor stays after the search field closed: %+v", c)
	}
}

// A bracketed paste into the search field is text: its newlines and escape
// sequences do not act as keys and do not reach the screen.
func TestPasteIntoSearchField(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.keys("/")
	f.send(tea.PasteMsg{Content: "q\x1b[2Jr\nenter"})
	if !f.m.list.Capturing() {
		t.Fatal("the paste's newline closed the search field")
	}
	got := f.m.list.search.ti.Value()
	if strings.ContainsAny(got, "\x1b\n") || !strings.Contains(got, "q") || !strings.Contains(got, "enter") {
		t.Errorf("pasted value %q", got)
	}
	if strings.Contains(f.view(), "\x1b[2J") {
		t.Error("a pasted escape sequence reached the frame")
	}
}

// An auto theme draws its first frame at once, dark, and repaints light
// when the terminal's answer says so; a fixed theme ignores the answer.
func TestBackgroundAnswerRepaints(t *testing.T) {
	const darkText, lightText = "38;2;237;237;237", "38;2;26;26;26"
	white := tea.BackgroundColorMsg{Color: color.White}

	f := newFixture(t, 80, 24)
	if v := f.view(); !strings.Contains(v, darkText) || strings.Contains(v, lightText) {
		t.Fatal("an auto theme's first frame is not dark")
	}
	f.send(white)
	if v := f.view(); !strings.Contains(v, lightText) || strings.Contains(v, darkText) {
		t.Fatal("a light background's answer did not repaint light")
	}
	f.send(tea.BackgroundColorMsg{Color: color.Black})
	if v := f.view(); !strings.Contains(v, darkText) {
		t.Fatal("a dark answer after a light one did not repaint dark")
	}

	// COLORFGBG "0;15" (black on white) starts light, before any answer.
	f = newFixture(t, 80, 24, func(o *Options, _ *fakeStore) { o.ColorFGBG = "0;15" })
	if v := f.view(); !strings.Contains(v, lightText) {
		t.Error("COLORFGBG 0;15 did not start light")
	}

	th, err := NewTheme(BackgroundDark, nil)
	if err != nil {
		t.Fatal(err)
	}
	f = newFixture(t, 80, 24, func(o *Options, _ *fakeStore) { o.Theme = &th })
	f.send(white)
	if v := f.view(); !strings.Contains(v, darkText) || strings.Contains(v, lightText) {
		t.Error(`background = "dark" followed the terminal's answer`)
	}
}
