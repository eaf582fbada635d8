package ui

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
)

// A theme that follows the terminal draws dark (or as COLORFGBG says)
// until the terminal answers the background query; an answer that says
// otherwise rebuilds every style in place and repaints.

// restyler is a component that keeps something made from the styles (a
// precomputed escape sequence, a cached frame, a rendered article) and
// makes it again when they change.
type restyler interface{ restyle() tea.Cmd }

// background takes the terminal's answer to the background query.
func (m *Model) background(dark bool) tea.Cmd {
	if !m.opt.Theme.Follows() || dark == m.dark {
		return nil
	}
	m.dark = dark
	// In place: every component holds the same *Styles.
	*m.sh.styles = *NewStyles(m.opt.Theme.Palette(dark), dark)
	m.styleHints()
	cmds := []tea.Cmd{}
	for _, c := range []Component{m.ticker, m.status} {
		if r, ok := c.(restyler); ok {
			cmds = append(cmds, r.restyle())
		}
	}
	for _, p := range m.panes {
		if r, ok := p.Component.(restyler); ok {
			cmds = append(cmds, r.restyle())
		}
	}
	return tea.Batch(cmds...)
}

// styleHints styles the hint line: bubbles' help colours for the
// background, the keys in the theme's.
func (m *Model) styleHints() {
	st := m.sh.styles
	hs := help.DefaultStyles(m.dark)
	hs.ShortKey, hs.FullKey = st.Muted, st.PaneTitle
	m.hints.Styles = hs
}
