package ui

import (
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// The screen: the ticker, the date line, the pane of the mode, the status
// line and the hint line, never wider or taller than the terminal.

func (m *Model) resize(msg tea.WindowSizeMsg) tea.Cmd {
	m.width, m.height, m.sized = msg.Width, msg.Height, true
	m.hints.SetWidth(msg.Width)
	body := m.bodyHeight()
	for _, p := range m.panes {
		p.SetSize(msg.Width, body)
	}
	m.ticker.SetSize(msg.Width, 1)
	m.status.SetSize(msg.Width, 1)
	return tea.Batch(to(m.ticker, msg), to(m.list, msg), to(m.reader, msg))
}

func (m *Model) showDate() bool { return m.height >= 12 }

// bodyTop is the screen row where the pane starts (under the ticker, the
// date line and the banner).
func (m *Model) bodyTop() int {
	top := 1 + len(m.bannerLines())
	if m.showDate() {
		top++
	}
	return top
}

func (m *Model) bodyHeight() int {
	h := m.height - 3 - len(m.bannerLines()) // ticker, status, help
	if m.showDate() {
		h--
	}
	return max(1, h)
}

// bannerLines is the damaged store's banner at this size (none: whole).
func (m *Model) bannerLines() []string { return m.banner.view(m.width, m.height, m.sh.styles) }

// View is the frame: the screen in the alternate screen, the mouse on
// (clicks, the wheel and drags: cell motion), the window title, and the
// terminal's own cursor in the search field while it has focus. Bubble
// Tea's renderer writes only the cells that changed, in one synchronized
// update where the terminal supports it.
func (m *Model) View() tea.View {
	v := tea.NewView(m.screen())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = m.title()
	if x := m.cursorX(); x >= 0 {
		c := tea.NewCursor(x, m.bodyTop())
		c.Shape = tea.CursorBar
		v.Cursor = c
	}
	return v
}

// title is the window title: "steppe — 27 unread" once the list knows.
func (m *Model) title() string {
	if !m.list.loaded {
		return "steppe"
	}
	return sanitize.Text("steppe — "+strconv.Itoa(max(0, m.list.page.Unread))+" unread", false)
}

// cursorX is the column of the search field's cursor, or -1 when the
// search field is not on screen with focus.
func (m *Model) cursorX() int {
	if m.mode != modeList || !m.list.Capturing() || !m.sized || m.width < minWidth || m.height < minHeight {
		return -1
	}
	x := m.list.search.Cursor()
	if x < 0 {
		return -1
	}
	return min(m.width-1, 1+x) // the count line starts one cell in
}

// screen draws the whole screen: never wider than the terminal, never taller.
func (m *Model) screen() string {
	if !m.sized {
		return ""
	}
	if m.width < minWidth || m.height < minHeight {
		return tooSmall(m.width, m.height)
	}
	lines := make([]string, 0, m.height)
	lines = append(lines, m.ticker.View())
	if m.showDate() {
		lines = append(lines, m.dateLine())
	}
	lines = append(lines, m.bannerLines()...)
	p := m.panes[m.mode]
	bl := strings.Split(p.View(), "\n")
	bh := m.bodyHeight()
	if len(bl) > bh {
		bl = bl[:bh]
	}
	for len(bl) < bh {
		bl = append(bl, "")
	}
	// The panes fit their lines to the width themselves (and cache); the
	// rest is checked here.
	foot := []string{m.status.View(), " " + m.hints.ShortHelpView(p.ShortHelp())}
	for i := range foot {
		if ansi.StringWidth(foot[i]) > m.width {
			foot[i] = truncate(foot[i], m.width, "…")
		}
	}
	lines = append(lines, bl...)
	lines = append(lines, foot...)
	return strings.Join(lines, "\n")
}

// dateLine is today's date, with the credits of the rate sources on screen
// at the right when they fit.
func (m *Model) dateLine() string {
	left := " " + m.sh.styles.Date.Render(m.sh.now().Format("2 January 2006"))
	if credit := m.sh.board.creditLine(); credit != "" {
		gap := m.width - ansi.StringWidth(left) - ansi.StringWidth(credit) - 1
		if gap >= 2 {
			return left + strings.Repeat(" ", gap) + m.sh.styles.Muted.Render(credit)
		}
	}
	return truncate(left, m.width, "…")
}

// tooSmall is the whole screen below minWidth×minHeight.
func tooSmall(w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	msg := "terminal too small"
	if w < len(msg) {
		msg = "too small"
	}
	lines := []string{truncate(msg, w, "")}
	if h >= 2 {
		lines = append(lines, truncate(fmt.Sprintf("need %d×%d", minWidth, minHeight), w, ""))
	}
	return strings.Join(lines, "\n")
}
