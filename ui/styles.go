package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// Styles holds every style the dashboard uses. Colours are adaptive so the
// same Styles work on light and dark terminals; with NO_COLOR or an ASCII
// colour profile lipgloss drops the colours and the layout stays the same.
type Styles struct {
	App        lipgloss.Style
	Date       lipgloss.Style
	Count      lipgloss.Style
	Title      lipgloss.Style
	TitleRead  lipgloss.Style
	Selected   lipgloss.Style // the selection bar left of the selected item
	SelTitle   lipgloss.Style
	Unread     lipgloss.Style // the ● mark
	Meta       lipgloss.Style
	Summary    lipgloss.Style
	Muted      lipgloss.Style
	Error      lipgloss.Style
	OK         lipgloss.Style
	Pager      lipgloss.Style
	PagerDot   lipgloss.Style
	SearchText lipgloss.Style

	TickerPair  lipgloss.Style
	TickerUp    lipgloss.Style
	TickerDown  lipgloss.Style
	TickerFlat  lipgloss.Style
	TickerStale lipgloss.Style
	TickerSep   lipgloss.Style

	ReaderTitle lipgloss.Style
	ReaderMeta  lipgloss.Style
	ReaderLink  lipgloss.Style
	ReaderRule  lipgloss.Style

	PaneTitle lipgloss.Style
	Spinner   lipgloss.Style
	Spark     lipgloss.Style
}

// DefaultStyles returns the house styles.
func DefaultStyles() *Styles {
	muted := lipgloss.AdaptiveColor{Light: "#8A8A8A", Dark: "#7A7A7A"}
	accent := lipgloss.AdaptiveColor{Light: "#0B7A75", Dark: "#3FD1C7"}
	text := lipgloss.AdaptiveColor{Light: "#1A1A1A", Dark: "#EDEDED"}
	green := lipgloss.AdaptiveColor{Light: "#1B8A3A", Dark: "#5FD787"}
	red := lipgloss.AdaptiveColor{Light: "#C62828", Dark: "#FF6B6B"}
	amber := lipgloss.AdaptiveColor{Light: "#A66300", Dark: "#E5B34B"}

	s := &Styles{}
	s.Date = lipgloss.NewStyle().Foreground(text).Bold(true)
	s.Count = lipgloss.NewStyle().Foreground(muted)
	s.Title = lipgloss.NewStyle().Foreground(text).Bold(true)
	s.TitleRead = lipgloss.NewStyle().Foreground(muted).Bold(true)
	s.Selected = lipgloss.NewStyle().Foreground(accent)
	s.SelTitle = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.Unread = lipgloss.NewStyle().Foreground(accent)
	s.Meta = lipgloss.NewStyle().Foreground(muted)
	s.Summary = lipgloss.NewStyle().Foreground(text)
	s.Muted = lipgloss.NewStyle().Foreground(muted)
	s.Error = lipgloss.NewStyle().Foreground(red)
	s.OK = lipgloss.NewStyle().Foreground(green)
	s.Pager = lipgloss.NewStyle().Foreground(muted)
	s.PagerDot = lipgloss.NewStyle().Foreground(accent)
	s.SearchText = lipgloss.NewStyle().Foreground(accent).Bold(true)

	s.TickerPair = lipgloss.NewStyle().Foreground(text)
	s.TickerUp = lipgloss.NewStyle().Foreground(green)
	s.TickerDown = lipgloss.NewStyle().Foreground(red)
	s.TickerFlat = lipgloss.NewStyle().Foreground(muted)
	s.TickerStale = lipgloss.NewStyle().Foreground(amber).Faint(true)
	s.TickerSep = lipgloss.NewStyle().Foreground(muted)

	s.ReaderTitle = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.ReaderMeta = lipgloss.NewStyle().Foreground(muted)
	s.ReaderLink = lipgloss.NewStyle().Foreground(muted).Underline(true)
	s.ReaderRule = lipgloss.NewStyle().Foreground(muted)

	s.PaneTitle = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.Spinner = lipgloss.NewStyle().Foreground(accent)
	s.Spark = lipgloss.NewStyle().Foreground(accent)
	return s
}

// sgr splits a style into the escape sequences it writes before and after a
// text, so hot paths (the ticker frame) can wrap precomputed text without
// calling Render every frame. Both are "" under the ASCII profile.
func sgr(st lipgloss.Style) (prefix, suffix string) {
	r := st.Render("x")
	i := strings.IndexByte(r, 'x')
	if i < 0 {
		return "", ""
	}
	return r[:i], r[i+1:]
}
