package ui

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// input is the search field: bubbles' textinput (cursor movement, word
// editing, paste) with a steady cursor, so a focused field costs no ticks.
type input struct {
	ti    textinput.Model
	width int
}

func newInput(prompt, placeholder string, promptStyle, placeholderStyle lipgloss.Style, limit int) input {
	ti := textinput.New()
	ti.Prompt = prompt
	ti.Placeholder = placeholder
	ti.PromptStyle = promptStyle
	ti.PlaceholderStyle = placeholderStyle
	ti.CharLimit = limit
	ti.Cursor.SetMode(cursor.CursorStatic)
	return input{ti: ti}
}

func (in *input) SetValue(s string) { in.ti.SetValue(s); in.ti.CursorEnd() }
func (in *input) Value() string     { return in.ti.Value() }
func (in *input) Focus()            { in.ti.Focus() }
func (in *input) Blur()             { in.ti.Blur() }

// Update applies one key. The static cursor needs no blink commands.
func (in *input) Update(msg tea.Msg) {
	in.ti.Width = max(1, in.width-lipgloss.Width(in.ti.Prompt)-1)
	in.ti, _ = in.ti.Update(msg)
}

// View shows the prompt and the part of the value around the cursor; the
// text is sanitised as everything the UI prints.
func (in *input) View() string {
	in.ti.Width = max(1, in.width-lipgloss.Width(in.ti.Prompt)-1)
	return sanitizeRendered(in.ti.View())
}
