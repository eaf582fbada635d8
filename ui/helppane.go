package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// HelpPane (`?`) is every key binding of the key map the dashboard runs
// with, in titled groups, side by side when the terminal is wide enough,
// followed by the credits of the rate sources. It scrolls.
type HelpPane struct {
	scroller
	credits []string
	blocks  [][]string // the groups, styled: the key map does not change
}

// NewHelpPane builds the pane.
func NewHelpPane(sh *shared, credits []string) *HelpPane {
	return &HelpPane{scroller: scroller{sh: sh, title: " Keys", hint: "(? or esc to close)"}, credits: sanitize.Each(credits)}
}

// Update scrolls and closes the pane.
func (p *HelpPane) Update(msg tea.Msg) (Component, tea.Cmd) {
	cmd, _ := p.scrollKey(msg)
	return p, cmd
}

// Shown scrolls back to the top: help always opens at its beginning.
func (p *HelpPane) Shown() tea.Cmd {
	p.offset = 0
	return nil
}

// restyle drops the styled groups; the next frame makes them again.
func (p *HelpPane) restyle() tea.Cmd {
	p.blocks = nil
	return nil
}

// View draws the groups in as many columns as fit, each binding as its keys
// and what it does.
func (p *HelpPane) View() string {
	st := p.sh.styles
	if p.blocks == nil {
		p.blocks = append(helpBlocks(p.sh.keys.helpRows(), st), searchBlock(st))
	}
	blocks := p.blocks
	body := []string{""}
	body = append(body, columns(blocks, max(1, p.width-1), 3)...)
	if credits := p.sh.board.shownCredits(p.credits); len(credits) > 0 {
		body = append(body, "")
		for _, c := range credits {
			body = append(body, st.Muted.Render(" "+c))
		}
	}
	return p.frame(body, len(body))
}

// columns lays blocks of lines side by side, gap cells apart, in as many
// columns as width allows (one block under another when none fit), each
// line indented by one cell.
func columns(blocks [][]string, width, gap int) []string {
	widths := make([]int, len(blocks))
	for i, b := range blocks {
		for _, l := range b {
			widths[i] = max(widths[i], ansi.StringWidth(l))
		}
	}
	var out []string
	for start := 0; start < len(blocks); {
		// as many blocks as fit from start
		n, used := 0, 0
		for start+n < len(blocks) {
			w := widths[start+n]
			if n > 0 {
				w += gap
			}
			if n > 0 && used+w > width {
				break
			}
			used += w
			n++
		}
		rows := 0
		for _, b := range blocks[start : start+n] {
			rows = max(rows, len(b))
		}
		if len(out) > 0 {
			out = append(out, "")
		}
		for r := range rows {
			var line strings.Builder
			line.WriteString(" ")
			for j, b := range blocks[start : start+n] {
				cell := ""
				if r < len(b) {
					cell = b[r]
				}
				if j < n-1 {
					cell += strings.Repeat(" ", widths[start+j]-ansi.StringWidth(cell)+gap)
				}
				line.WriteString(cell)
			}
			out = append(out, strings.TrimRight(line.String(), " "))
		}
		start += n
	}
	return out
}

// helpBlocks styles each group of the help: its title, then its bindings'
// keys in a column and what they do.
func helpBlocks(groups [][]helpRow, st *Styles) [][]string {
	blocks := make([][]string, len(groups))
	for i, g := range groups {
		keyW := 0
		for _, r := range g {
			keyW = max(keyW, ansi.StringWidth(r.keys))
		}
		blocks[i] = append(blocks[i], st.PaneTitle.Render(helpGroups[i]))
		for _, r := range g {
			blocks[i] = append(blocks[i], st.HelpKey.Render(r.keys+strings.Repeat(" ", keyW-ansi.StringWidth(r.keys)))+"  "+r.desc)
		}
	}
	return blocks
}

// searchHelp is the search field's syntax (FTS5's operators, as
// feeds.Store.Search reads them).
var searchHelp = []helpRow{
	{"rail", "words starting rail (railway)"},
	{"tenge rail", "both words"},
	{`"som rate"`, "the phrase, words whole"},
	{"tenge OR som", "either word"},
	{"tenge NOT rail", "tenge, not rail"},
	{"pre*", "a prefix (a phrase too: \"som ra\"*)"},
}

// searchBlock is the help's group for the search syntax.
func searchBlock(st *Styles) []string {
	keyW := 0
	for _, r := range searchHelp {
		keyW = max(keyW, ansi.StringWidth(r.keys))
	}
	b := []string{st.PaneTitle.Render("Search (/)")}
	for _, r := range searchHelp {
		b = append(b, st.HelpKey.Render(r.keys+strings.Repeat(" ", keyW-ansi.StringWidth(r.keys)))+"  "+r.desc)
	}
	return b
}
