package ui

import (
	"os"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// A rebound key works in the real model, and the help and the hint line
// show the keys actually bound.
func TestReboundKeysThroughTheModel(t *testing.T) {
	km, err := NewKeyMap(map[string][]string{"down": {"j", "down", "x"}, "help": {"H"}, "quit": {"ctrl+q"}})
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, 100, 40, func(o *Options, _ *fakeStore) { o.KeyMap = km })
	f.keys("x")
	f.expect(1, "a001")
	f.keys("?") // no longer help
	if f.m.mode != modeList {
		t.Fatal("? still opens the help")
	}
	f.keys("H")
	out := ansi.Strip(f.view())
	if f.m.mode != modeHelp || !strings.Contains(out, "j/↓/x") || !strings.Contains(out, "ctrl+q") || !strings.Contains(out, "H  ") {
		t.Fatalf("help:\n%s", out)
	}
	f.keys("esc")
	if hint := strings.Split(ansi.Strip(f.view()), "\n")[39]; !strings.Contains(hint, "j/↓/x down") || !strings.Contains(hint, "H help") {
		t.Fatalf("hint line %q", hint)
	}
}

// Every action of the help is in the table and can be rebound; each
// default key means one action per place.
func TestKeyTable(t *testing.T) {
	names := map[string]bool{}
	for _, a := range actions() {
		if names[a.name] {
			t.Errorf("action %s twice", a.name)
		}
		names[a.name] = true
		if _, err := NewKeyMap(map[string][]string{a.name: {"f9"}}); err != nil && !strings.Contains(err.Error(), "would mean") {
			t.Errorf("%s cannot be rebound: %v", a.name, err)
		}
	}
	if _, err := NewKeyMap(nil); err != nil {
		t.Fatalf("the defaults conflict: %v", err)
	}
}

// Theme colours reach the frame whole, and the terminal gets them as it
// can show them: Bubble Tea's renderer degrades them by the colour profile
// (colorprofile's writer does the same), and under NO_COLOR (ASCII) none
// is written while bold stays.
func TestThemeColours(t *testing.T) {
	th, err := NewTheme("dark", map[string]string{"accent": "#ff8800", "selection": "#00ff00"})
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, 80, 24, func(o *Options, _ *fakeStore) { o.Theme = &th })
	out := f.view()
	if !strings.Contains(out, "38;2;0;255;0") || !strings.Contains(out, "38;2;255;136;0") {
		t.Fatalf("theme colours not drawn: %q", out[:min(len(out), 600)])
	}
	degrade := func(p colorprofile.Profile) string {
		var b strings.Builder
		w := &colorprofile.Writer{Forward: &b, Profile: p}
		if _, err := w.Write([]byte(out)); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	if got := degrade(colorprofile.ANSI256); strings.Contains(got, "38;2;") || !strings.Contains(got, "38;5;") {
		t.Fatal("colours not degraded to 256")
	}
	if got := degrade(colorprofile.ASCII); strings.Contains(got, "38;") || !strings.Contains(got, "\x1b[1m") {
		t.Fatalf("NO_COLOR: colours written or bold lost: %q", got[:min(len(got), 300)])
	}
}

// readmeKeys is the README's keys section as the key table writes it.
func readmeKeys() string {
	var b strings.Builder
	for i, g := range DefaultKeyMap().helpRows() {
		b.WriteString("| " + helpGroups[i] + " | |\n|---|---|\n")
		for _, r := range g {
			b.WriteString("| `" + strings.ReplaceAll(r.keys, "|", `\|`) + "` | " + r.desc + " |\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// README's keys tables are the help overlay's, line for line.
func TestREADMEKeysMatchTheHelp(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if want := readmeKeys(); !strings.Contains(string(readme), want) {
		t.Errorf("README.md's keys tables differ from the key map; they should read:\n\n%s", want)
	}
}

// ctrl+z suspends the program (fg resumes it): Bubble Tea's Suspend.
func TestCtrlZSuspends(t *testing.T) {
	f := newFixture(t, 80, 24)
	_, cmd := f.m.Update(keyMsg("ctrl+z"))
	if cmd == nil {
		t.Fatal("ctrl+z did nothing")
	}
	found := false
	var walk func(tea.Msg)
	walk = func(m tea.Msg) {
		switch m := m.(type) {
		case tea.SuspendMsg:
			found = true
		case tea.BatchMsg:
			for _, c := range m {
				if c != nil {
					walk(c())
				}
			}
		}
	}
	walk(cmd())
	if !found {
		t.Fatal("ctrl+z did not suspend")
	}
}
