package ui

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
)

// Component is what every part of the screen implements: the ticker, the
// list, the reader, the status line, the sources, rates and help panes and
// the search field. Update returns the component itself and a Cmd; SetSize
// gives it its cells; the help.KeyMap is the keys it answers to.
type Component interface {
	Update(msg tea.Msg) (Component, tea.Cmd)
	View() string
	SetSize(width, height int)
	help.KeyMap
}
