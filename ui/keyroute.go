package ui

import (
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Which component a key goes to: the keys that work everywhere, the
// overlays' keys, the pane on screen; and keys that wait for a page.

// isCtrl reports whether k is ctrl+<letter> and nothing else.
func isCtrl(k tea.KeyPressMsg, letter rune) bool {
	return k.Code == letter && k.Mod == tea.ModCtrl
}

// shiftMouse is a mouse message moved by dy rows (into a pane's own
// coordinates).
func shiftMouse(msg tea.MouseMsg, dy int) tea.Msg {
	switch m := msg.(type) {
	case tea.MouseClickMsg:
		m.Y += dy
		return m
	case tea.MouseReleaseMsg:
		m.Y += dy
		return m
	case tea.MouseWheelMsg:
		m.Y += dy
		return m
	case tea.MouseMotionMsg:
		m.Y += dy
		return m
	}
	return msg
}

// waiting reports whether keys wait for a page: the list is on screen and
// loading.
func (m *Model) waiting() bool { return m.mode == modeList && m.list.Loading() }

// quits reports whether k ends the program (it never waits).
func (m *Model) quits(k tea.KeyPressMsg) bool {
	return isCtrl(k, 'c') || key.Matches(k, m.sh.keys.Quit) && !m.list.Capturing()
}

// key handles the keys that work everywhere and gives the rest to the pane
// on screen. While the search field has focus, every key is text.
func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	m.status.ClearFlash()
	k := m.sh.keys
	switch {
	case isCtrl(msg, 'c'):
		return tea.Quit
	case isCtrl(msg, 'z'):
		return tea.Suspend
	case m.list.Capturing():
		return to(m.list, msg)
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Invert):
		m.sh.board.toggleInvert()
		return tea.Batch(to(m.ticker, msg), m.sh.io.remember("invert", strconv.FormatBool(m.sh.board.invert)))
	case key.Matches(msg, k.Refresh):
		return m.refresh.All()
	}
	for md, p := range m.panes {
		if p.toggle != nil && key.Matches(msg, *p.toggle) {
			return m.toggle(mode(md))
		}
	}
	return to(m.panes[m.mode], msg)
}

// toggle opens an overlay pane over the list or reader, or closes it.
func (m *Model) toggle(o mode) tea.Cmd {
	if m.mode == o {
		m.mode = m.back
		return nil
	}
	if !m.panes[m.mode].overlay {
		m.back = m.mode
	}
	m.mode = o
	if s, ok := m.panes[o].Component.(shower); ok {
		return s.Shown()
	}
	return nil
}
