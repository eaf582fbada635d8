package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// HelpPane (`?`) is every key binding, from the key map the dashboard runs
// with, re-flowed into fewer columns when the terminal is narrow, followed
// by the credits of the rate sources.
type HelpPane struct {
	sh      *shared
	help    help.Model
	credits []string

	width, height int
}

// NewHelpPane builds the pane; it shares the help styles of the hint line.
func NewHelpPane(sh *shared, h help.Model, credits []string) *HelpPane {
	return &HelpPane{sh: sh, help: h, credits: sanitizeAll(credits)}
}

func (p *HelpPane) SetSize(w, h int) { p.width, p.height = w, h }

func (p *HelpPane) ShortHelp() []key.Binding  { return []key.Binding{p.sh.keys.Back, p.sh.keys.Quit} }
func (p *HelpPane) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

// Update closes the pane on back.
func (p *HelpPane) Update(msg tea.Msg) (Component, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, p.sh.keys.Back) {
		return p, p.sh.io.post(closeMsg{})
	}
	return p, nil
}

// View draws the pane in at most height lines.
func (p *HelpPane) View() string {
	groups := p.sh.keys.FullHelp()
	var all []key.Binding
	for _, g := range groups {
		all = append(all, g...)
	}
	var v string
	for cols := len(groups); cols >= 1; cols-- {
		gs := groups
		if cols < len(groups) {
			per := (len(all) + cols - 1) / cols
			gs = nil
			for i := 0; i < len(all); i += per {
				gs = append(gs, all[i:min(len(all), i+per)])
			}
		}
		v = p.help.FullHelpView(gs)
		if widest(v) <= p.width-1 {
			break
		}
	}
	st := p.sh.styles
	lines := []string{st.PaneTitle.Render(" Keys") + st.Muted.Render("  (? or esc to close)"), ""}
	for _, l := range strings.Split(v, "\n") {
		lines = append(lines, " "+l)
	}
	if len(p.credits) > 0 {
		lines = append(lines, "")
		for _, c := range p.credits {
			lines = append(lines, st.Muted.Render(" "+c))
		}
	}
	return fitLines(lines, p.width, p.height)
}

// widest is the width of the widest line of s.
func widest(s string) int {
	w := 0
	for _, l := range strings.Split(s, "\n") {
		w = max(w, ansi.StringWidth(l))
	}
	return w
}
