package ui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// SearchField is the search input: bubbles' textinput edits the value
// (cursor movement, word editing, the character limit, bracketed paste);
// the field draws the window of the value around the cursor itself and
// puts the terminal's own cursor there, so a focused field costs no ticks
// and the cursor is where the terminal's is. While it has focus every key
// is text, except submit and back. It opens on the last query, selected:
// typing replaces it, a deletion clears it, a cursor key keeps it.
type SearchField struct {
	sh       *shared
	ti       textinput.Model
	width    int
	offset   int  // the first rune of the value on screen
	selected bool // the whole value is selected
}

const searchPrompt = "Search: "

// NewSearchField builds the field.
func NewSearchField(sh *shared) *SearchField {
	ti := textinput.New()
	ti.Prompt = ""
	ti.Placeholder = `words (prefixes), "a phrase", a OR b, a NOT b`
	ti.CharLimit = 200
	ti.SetVirtualCursor(false)
	return &SearchField{sh: sh, ti: ti}
}

func (f *SearchField) SetSize(w, _ int) { f.width = w }

// ShortHelp is what the hint line shows while typing: submit, and back by
// the keys of it that are not text (q types q here).
func (f *SearchField) ShortHelp() []key.Binding {
	b := []key.Binding{f.sh.keys.Submit}
	if back := nonText(f.sh.keys.Back); back.Enabled() {
		b = append(b, back)
	}
	return b
}

// nonText is b without the keys that type a character (q, space): those
// are text in the field.
func nonText(b key.Binding) key.Binding {
	var keys []string
	for _, k := range b.Keys() {
		if utf8.RuneCountInString(k) > 1 && k != "space" {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return key.NewBinding(key.WithDisabled())
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(strings.Join(keys, "/"), b.Help().Desc))
}
func (f *SearchField) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }

// Focused reports whether the field takes the keys.
func (f *SearchField) Focused() bool { return f.ti.Focused() }

// Start focuses the field with the current query, selected.
func (f *SearchField) Start(query string) {
	f.ti.SetValue(query)
	f.ti.CursorEnd()
	f.ti.Focus()
	f.offset = 0
	f.selected = f.ti.Value() != ""
}

// Stop blurs the field and returns its (sanitised) value.
func (f *SearchField) Stop() string {
	f.ti.Blur()
	f.selected = false
	return strings.TrimSpace(sanitize.Text(f.ti.Value(), false))
}

// Update applies one key or paste. The real cursor needs no blink Cmds.
func (f *SearchField) Update(msg tea.Msg) (Component, tea.Cmd) {
	if f.selected && f.replaceSelection(msg) {
		return f, nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, f.ti.KeyMap.DeleteWordForward) {
		f.deleteWordForward()
		return f, nil
	}
	f.ti, _ = f.ti.Update(msg)
	return f, nil
}

// replaceSelection ends the selection before msg applies: text and pastes
// replace the value, deletions clear it (and are done), other keys keep it.
// It reports whether msg is done with.
func (f *SearchField) replaceSelection(msg tea.Msg) bool {
	km := f.ti.KeyMap
	switch msg := msg.(type) {
	case tea.PasteMsg:
		f.clear()
	case tea.KeyPressMsg:
		switch {
		case msg.Text != "":
			f.clear()
		case key.Matches(msg, km.DeleteCharacterBackward, km.DeleteCharacterForward, km.DeleteWordBackward,
			km.DeleteWordForward, km.DeleteAfterCursor, km.DeleteBeforeCursor):
			f.clear()
			return true
		default:
			f.selected = false
		}
	}
	return false
}

func (f *SearchField) clear() {
	f.ti.SetValue("")
	f.offset, f.selected = 0, false
}

// deleteWordForward deletes from the cursor to the end of the next word
// (alt+d). textinput's own panics when the cursor is on the last character
// (bubbles v2.1.1 indexes past the end of the value), so the field does it.
func (f *SearchField) deleteWordForward() {
	v, pos := []rune(f.ti.Value()), f.ti.Position()
	if pos >= len(v) {
		return
	}
	end := pos
	for end < len(v) && unicode.IsSpace(v[end]) {
		end++
	}
	for end < len(v) && !unicode.IsSpace(v[end]) {
		end++
	}
	f.ti.SetValue(string(v[:pos]) + string(v[end:]))
	f.ti.SetCursor(pos)
}

// room is the cells the value may take: the field's width less the prompt
// and one cell for the cursor at the end.
func (f *SearchField) room() int { return max(1, f.width-len(searchPrompt)-1) }

// window is the part of the value on screen and the cursor's cell within
// it: the window moves only as far as keeps the cursor in view.
func (f *SearchField) window() (text string, cursor int) {
	v, pos := []rune(sanitize.Text(f.ti.Value(), false)), f.ti.Position()
	pos = min(pos, len(v))
	room := f.room()
	f.offset = min(f.offset, pos)
	for f.offset < pos && ansi.StringWidth(string(v[f.offset:pos])) > room {
		f.offset++
	}
	text = string(v[f.offset:])
	if ansi.StringWidth(text) > room {
		text = truncate(text, room, "")
	}
	return text, ansi.StringWidth(string(v[f.offset:pos]))
}

// View shows the prompt and the part of the value around the cursor (or
// the placeholder); the text is sanitised as everything the UI prints.
func (f *SearchField) View() string {
	st := f.sh.styles
	prompt := st.SearchText.Render(searchPrompt)
	if f.ti.Value() == "" {
		return prompt + st.Muted.Render(clip(f.ti.Placeholder, f.room()))
	}
	text, _ := f.window()
	if f.selected {
		out := prompt + st.Summary.Reverse(true).Render(text)
		if hint := "  (typing replaces it)"; ansi.StringWidth(text+hint) <= f.room() {
			out += st.Muted.Render(hint)
		}
		return out
	}
	return prompt + st.Summary.Render(text)
}

// Cursor is the cell of the terminal's cursor within the field's line, or
// -1 when the field has no focus.
func (f *SearchField) Cursor() int {
	if !f.ti.Focused() {
		return -1
	}
	_, c := f.window()
	return len(searchPrompt) + c
}
