package ui

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"math/rand/v2"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
)

// Every input is safe: whatever keys, pastes, mouse events and sizes come,
// in whatever pane, the model does not panic, no line is wider than the
// terminal and there are no more lines than it has rows, and the cursor
// (when shown) is on the screen.

// checkFrame checks the whole frame for a w×h terminal.
func checkFrame(t testing.TB, v tea.View, w, h int, what string) {
	t.Helper()
	lines := strings.Split(v.Content, "\n")
	if len(lines) > max(h, 1) {
		t.Fatalf("%s: %d lines on a %dx%d terminal", what, len(lines), w, h)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Fatalf("%s: line %d is %d wide on a %dx%d terminal: %q", what, i, lw, w, h, ansi.Strip(l))
		}
	}
	if c := v.Cursor; c != nil && (c.X < 0 || c.Y < 0 || c.X >= w || c.Y >= h) {
		t.Fatalf("%s: cursor at %d,%d off a %dx%d terminal", what, c.X, c.Y, w, h)
	}
}

// randomText is text a user or a paste might bring: letters, Cyrillic,
// CJK, emoji and their joiners, combining marks, spaces, newlines, tabs
// and escape sequences.
func randomText(rng *rand.Rand, n int) string {
	pieces := []string{"a", "Z", "q", " ", "  ", "\t", "\n", "\r\n", "ж", "Ө", "中亚", "🚄", "👨\u200d👩\u200d👧", "\ufe0f", "e\u0301",
		"\x1b[2J", "\x1b]52;c;AAAA\x07", "\u202e", "\x00", "\x7f", "word", "-", "/", "?", "1", "9"}
	var b strings.Builder
	for range rng.IntN(n + 1) {
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return b.String()
}

// randomKey is a key press: a bound key, a named key with or without
// modifiers, or a character.
func randomKey(rng *rand.Rand) tea.KeyPressMsg {
	named := []string{"enter", "esc", "up", "down", "left", "right", "pgup", "pgdown", "home", "end",
		"backspace", "delete", "tab", "space"}
	chars := []string{"j", "k", "h", "l", "g", "G", "n", "p", "N", "A", "a", "s", "F", "v", "/", "r", "i", "$",
		"e", "?", "o", "u", "J", "K", "b", "f", "q", "1", "2", "0", "x", "ж", "中", "🚄", "é"}
	mods := []string{"", "", "", "", "ctrl+", "alt+", "shift+", "ctrl+alt+"}
	switch rng.IntN(10) {
	case 0, 1, 2:
		return keyMsg(mods[rng.IntN(len(mods))] + named[rng.IntN(len(named))])
	case 3:
		return keyMsg(mods[rng.IntN(len(mods))] + string(rune('a'+rng.IntN(26))))
	}
	return keyMsg(chars[rng.IntN(len(chars))])
}

// randomMouse is a click, release, wheel or motion anywhere, off the
// screen too.
func randomMouse(rng *rand.Rand, w, h int) tea.Msg {
	m := tea.Mouse{X: rng.IntN(w+4) - 2, Y: rng.IntN(h+4) - 2}
	buttons := []tea.MouseButton{tea.MouseLeft, tea.MouseRight, tea.MouseMiddle, tea.MouseWheelUp, tea.MouseWheelDown, tea.MouseWheelLeft}
	m.Button = buttons[rng.IntN(len(buttons))]
	switch rng.IntN(4) {
	case 0:
		return tea.MouseClickMsg(m)
	case 1:
		return tea.MouseReleaseMsg(m)
	case 2:
		return tea.MouseMotionMsg(m)
	}
	m.Button = []tea.MouseButton{tea.MouseWheelUp, tea.MouseWheelDown}[rng.IntN(2)]
	return tea.MouseWheelMsg(m)
}

// randomSize is a terminal size, down to 1×1.
func randomSize(rng *rand.Rand) (int, int) {
	switch rng.IntN(4) {
	case 0:
		return 1 + rng.IntN(25), 1 + rng.IntN(8)
	case 1:
		return 20 + rng.IntN(3), 6 + rng.IntN(3)
	}
	return 1 + rng.IntN(220), 1 + rng.IntN(70)
}

// TestRandomInputs drives the root model from every pane and mode (the
// list, cards and compact, unread only, one feed, the search field, the
// reader, the links, feeds, rates, sources and help panes) with long
// random sequences of keys, pastes, mouse events, resizes, timers and
// background answers.
func TestRandomInputs(t *testing.T) {
	starts := map[string]func(f *fixture){
		"list":     func(f *fixture) {},
		"compact":  func(f *fixture) { f.keys("v") },
		"unread":   func(f *fixture) { f.keys("a") },
		"one feed": func(f *fixture) { f.keys("F", "down", "down", "enter") },
		"search":   func(f *fixture) { f.keys("/") },
		"reader":   func(f *fixture) { f.keys("enter") },
		"links":    func(f *fixture) { f.keys("enter", "u") },
		"feeds":    func(f *fixture) { f.keys("F") },
		"rates":    func(f *fixture) { f.keys("$") },
		"sources":  func(f *fixture) { f.keys("e") },
		"help":     func(f *fixture) { f.keys("?") },
	}
	steps, seeds := 400, 2
	if testing.Short() {
		steps, seeds = 150, 1
	}
	for name, start := range starts {
		for seed := range seeds {
			t.Run(fmt.Sprintf("%s/%d", name, seed), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(uint64(seed), uint64(len(name))))
				f := newFixture(t, 80, 24)
				start(f)
				w, h := 80, 24
				for i := range steps {
					var msg tea.Msg
					switch r := rng.IntN(20); {
					case r < 12:
						msg = randomKey(rng)
					case r < 14:
						msg = tea.PasteMsg{Content: randomText(rng, 12)}
					case r < 17:
						msg = randomMouse(rng, w, h)
					case r < 19:
						w, h = randomSize(rng)
						msg = tea.WindowSizeMsg{Width: w, Height: h}
					default:
						msg = tea.BackgroundColorMsg{Color: color.Gray{Y: uint8(rng.IntN(256))}}
					}
					what := fmt.Sprintf("step %d (%T %v) in mode %d", i, msg, msg, f.m.mode)
					f.send(msg)
					if rng.IntN(8) == 0 {
						f.fire(func(tea.Msg) bool { return true })
					}
					checkFrame(t, f.m.View(), w, h, what)
				}
			})
		}
	}
}

// TestSearchFieldCrash is the sequence that panicked in bubbles' text
// input (index out of range in deleteWordForward): in the search field,
// a space, ← and alt+d. The word after the cursor goes, and the field
// keeps working.
func TestSearchFieldCrash(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.keys("/", "space", "left", "alt+d")
	if !f.m.list.Capturing() || f.m.list.search.ti.Value() != "" {
		t.Fatalf("after alt+d: capturing %v, value %q", f.m.list.Capturing(), f.m.list.search.ti.Value())
	}
	f.typeText("ab cd")
	f.keys("home", "alt+d")
	if v := f.m.list.search.ti.Value(); v != " cd" {
		t.Fatalf("alt+d at the start of %q left %q", "ab cd", v)
	}
	f.keys("end", "left", "alt+d") // the cursor on the last character
	if v := f.m.list.search.ti.Value(); v != " c" {
		t.Fatalf("alt+d on the last character left %q", v)
	}
	checkFrame(t, f.m.View(), 80, 24, "after the crash sequence")

	// The same bytes through Bubble Tea's own input decoding, in a real
	// program: "/", space, ESC [ D (←), ESC d (alt+d).
	m := newFixture(t, 80, 24).m
	p := runProgram(t, m, 80, 24)
	p.wait("Viewing results 1 - 3 of 40")
	p.write("/ \x1b[D")
	p.wait("Search:")
	p.write("\x1bd")
	p.write("x")
	p.wait("Search: x")
	if v := m.list.search.ti.Value(); v != "x" {
		t.Errorf("value %q after / space ← alt+d x", v)
	}
}

// teaMsg is a decoded input event as Bubble Tea's program hands it to the
// model (its translateInputEvent, for the events input can bring).
func teaMsg(e uv.Event) tea.Msg {
	switch e := e.(type) {
	case uv.KeyPressEvent:
		return tea.KeyPressMsg(e)
	case uv.KeyReleaseEvent:
		return tea.KeyReleaseMsg(e)
	case uv.MouseClickEvent:
		return tea.MouseClickMsg(e)
	case uv.MouseReleaseEvent:
		return tea.MouseReleaseMsg(e)
	case uv.MouseWheelEvent:
		return tea.MouseWheelMsg(e)
	case uv.MouseMotionEvent:
		return tea.MouseMotionMsg(e)
	case uv.PasteEvent:
		return tea.PasteMsg(e)
	case uv.PasteStartEvent:
		return tea.PasteStartMsg(e)
	case uv.PasteEndEvent:
		return tea.PasteEndMsg(e)
	case uv.BackgroundColorEvent:
		return tea.BackgroundColorMsg(e)
	case uv.ForegroundColorEvent:
		return tea.ForegroundColorMsg(e)
	case uv.FocusEvent:
		return tea.FocusMsg(e)
	case uv.BlurEvent:
		return tea.BlurMsg(e)
	case uv.WindowSizeEvent:
		return tea.WindowSizeMsg(e)
	case uv.KeyboardEnhancementsEvent:
		return tea.KeyboardEnhancementsMsg(e)
	case uv.ModeReportEvent:
		return tea.ModeReportMsg(e)
	}
	return e
}

// decodeInput reads raw terminal input with the decoder Bubble Tea's
// program uses (ultraviolet's terminal reader, bracketed paste and the
// key table included) and returns the messages it makes.
func decodeInput(t testing.TB, data []byte) []tea.Msg {
	r := uv.NewTerminalReader(bytes.NewReader(data), "xterm-256color")
	events := make(chan uv.Event)
	done := make(chan error, 1)
	go func() { done <- r.StreamEvents(context.Background(), events); close(events) }()
	var out []tea.Msg
	for e := range events {
		out = append(out, teaMsg(e))
	}
	if err := <-done; err != nil {
		t.Fatalf("decoding: %v", err)
	}
	return out
}

// FuzzInput: raw bytes from the terminal (keys, escape sequences, mouse
// reports, pastes, answers to queries, garbage), decoded as Bubble Tea
// decodes them, never panic the dashboard nor push a frame off the
// screen. The first two bytes pick the terminal's size.
//
//	go test ./ui -run '^$' -fuzz '^FuzzInput$' -fuzztime 2m
func FuzzInput(f *testing.F) {
	for _, seed := range []string{
		"\x50\x18/ \x1b[D\x1bd",                                          // the crash sequence
		"\x50\x18jjlj/\x1b[200~q r\x1b[201~\x1bG\r",                      // keys together, a paste
		"\x14\x06\x1b[<0;10;5M\x1b[<0;10;5m\x1b[<64;3;3M\x1b[<65;3;3M",   // clicks and the wheel
		"\x78\x28\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?2026;2$y\x1b[?1u", // terminal answers
		"\x50\x18\x1b[13;2u\x1b[104;5u\x1b[27u\x1b[1;5A\x1b[3~\x7f\x08",  // kitty keys, ctrl+h, backspace
		"\x01\x01/\xff\xfe\x1b[\x1b]\x1bP\x1b_\x9b\xc2\x9b\x00",          // 1×1, garbage
		"\x50\x18enterujjjj1\x1b[200~\x1b[2J\x1b]52;c;AAAA\x07\x1b[201~",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		w, h := 80, 24
		if len(data) >= 2 {
			w, h = 1+int(data[0])%220, 1+int(data[1])%70
			data = data[2:]
		}
		fx := newFixture(t, w, h)
		checkFrame(t, fx.m.View(), w, h, "the first frame")
		for i, msg := range decodeInput(t, data) {
			if s, ok := msg.(tea.WindowSizeMsg); ok {
				if s.Width < 0 || s.Height < 0 || s.Width > 4096 || s.Height > 4096 || s.Width*s.Height > 1<<20 {
					continue // Bubble Tea drops implausible sizes
				}
				w, h = s.Width, s.Height
			}
			fx.send(msg)
			checkFrame(t, fx.m.View(), w, h, fmt.Sprintf("message %d (%T %v)", i, msg, msg))
		}
	})
}
