package ui

import (
	"strings"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// input is a one-line text input for the search. (bubbles/textinput would
// pull github.com/atotto/clipboard, which is not in go.sum.) It edits at the
// end of the line: type, backspace, ctrl+u clears, ctrl+w deletes a word.
type input struct {
	prompt      string
	placeholder string
	promptStyle lipgloss.Style
	phStyle     lipgloss.Style
	limit       int
	value       []rune
	focused     bool
	width       int
}

func (in *input) SetValue(s string) { in.value = []rune(s) }
func (in *input) Value() string     { return string(in.value) }
func (in *input) Focus()            { in.focused = true }
func (in *input) Blur()             { in.focused = false }

// Update applies one key.
func (in *input) Update(msg tea.Msg) {
	k, ok := msg.(tea.KeyMsg)
	if !ok || !in.focused {
		return
	}
	switch k.Type {
	case tea.KeyRunes, tea.KeySpace:
		for _, r := range k.Runes {
			if unicode.IsPrint(r) && (in.limit <= 0 || len(in.value) < in.limit) {
				in.value = append(in.value, r)
			}
		}
	case tea.KeyBackspace:
		if n := len(in.value); n > 0 {
			in.value = in.value[:n-1]
		}
	case tea.KeyCtrlU:
		in.value = in.value[:0]
	case tea.KeyCtrlW:
		s := strings.TrimRight(string(in.value), " ")
		if i := strings.LastIndex(s, " "); i >= 0 {
			s = s[:i+1]
		} else {
			s = ""
		}
		in.value = []rune(s)
	}
}

// View shows the prompt and as much of the end of the value as fits.
func (in *input) View() string {
	room := max(1, in.width-ansi.StringWidth(in.prompt)-1)
	v := sanitize(string(in.value), false)
	var shown string
	if v == "" && in.placeholder != "" {
		shown = "█" + in.phStyle.Render(ansi.Truncate(in.placeholder, max(0, room-1), "…"))
	} else {
		// keep the tail visible
		for ansi.StringWidth(v) > room-1 {
			_, size := firstRune(v)
			v = v[size:]
		}
		shown = v + "█"
	}
	return in.promptStyle.Render(in.prompt) + shown
}

func firstRune(s string) (rune, int) {
	for i, r := range s {
		if i > 0 {
			return r, i
		}
	}
	return 0, len(s)
}
