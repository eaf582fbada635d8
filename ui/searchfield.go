package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// SearchField is the search input: bubbles' textinput (cursor movement,
// word editing, paste) with a steady cursor, so a focused field costs no
// ticks. While it has focus every key is text, except submit and back.
type SearchField struct {
	sh    *shared
	ti    textinput.Model
	width int
}

// NewSearchField builds the field.
func NewSearchField(sh *shared) *SearchField {
	st := sh.styles
	ti := textinput.New()
	ti.Prompt = "Search: "
	ti.Placeholder = "words in titles and text"
	ti.PromptStyle = st.SearchText
	ti.PlaceholderStyle = st.Muted
	ti.CharLimit = 200
	ti.Cursor.SetMode(cursor.CursorStatic)
	return &SearchField{sh: sh, ti: ti}
}

func (f *SearchField) SetSize(w, _ int) { f.width = w }

func (f *SearchField) ShortHelp() []key.Binding {
	return []key.Binding{f.sh.keys.Submit, f.sh.keys.Back}
}
func (f *SearchField) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }

// Focused reports whether the field takes the keys.
func (f *SearchField) Focused() bool { return f.ti.Focused() }

// Start focuses the field with the current query.
func (f *SearchField) Start(query string) {
	f.ti.SetValue(query)
	f.ti.CursorEnd()
	f.ti.Focus()
}

// Stop blurs the field and returns its (sanitised) value.
func (f *SearchField) Stop() string {
	f.ti.Blur()
	return strings.TrimSpace(sanitize(f.ti.Value(), false))
}

// Update applies one key or paste. The static cursor needs no blink Cmds.
func (f *SearchField) Update(msg tea.Msg) (Component, tea.Cmd) {
	f.fit()
	f.ti, _ = f.ti.Update(msg)
	return f, nil
}

// View shows the prompt and the part of the value around the cursor; the
// text is sanitised as everything the UI prints.
func (f *SearchField) View() string {
	f.fit()
	return sanitizeRendered(f.ti.View())
}

func (f *SearchField) fit() { f.ti.Width = max(1, f.width-lipgloss.Width(f.ti.Prompt)-1) }
