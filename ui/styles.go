package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/steppe-news/steppe/ui/render"
)

// Theme is the palette every style is made from. Each colour is a
// lipgloss colour, so it degrades to what the terminal supports; with
// NO_COLOR or an ASCII profile no colour is written at all.
type Theme struct {
	Accent, Text, Muted, Up, Down, Selection, Error, Stale lipgloss.TerminalColor
}

// themeColours are the house colours: light and dark variants of each.
var themeColours = [...]struct{ name, light, dark string }{
	{"accent", "#0B7A75", "#3FD1C7"},
	{"text", "#1A1A1A", "#EDEDED"},
	{"muted", "#8A8A8A", "#7A7A7A"},
	{"up", "#1B8A3A", "#5FD787"},
	{"down", "#C62828", "#FF6B6B"},
	{"selection", "#0B7A75", "#3FD1C7"},
	{"error", "#C62828", "#FF6B6B"},
	{"stale", "#A66300", "#E5B34B"},
}

// ThemeColourNames are the keys of [theme] in the config, in order.
func ThemeColourNames() []string {
	out := make([]string, 0, len(themeColours))
	for _, c := range themeColours {
		if c.name != "stale" {
			out = append(out, c.name)
		}
	}
	return out
}

// NewTheme builds the palette: base is "auto" (the terminal's background
// picks the light or dark variant), "dark" or "light"; colours overrides
// any of ThemeColourNames with "#rrggbb" or an ANSI number "0"–"255".
func NewTheme(base string, colours map[string]string) (Theme, error) {
	pick := map[string]lipgloss.TerminalColor{}
	for _, c := range themeColours {
		switch base {
		case "", "auto":
			pick[c.name] = lipgloss.AdaptiveColor{Light: c.light, Dark: c.dark}
		case "dark":
			pick[c.name] = lipgloss.Color(c.dark)
		case "light":
			pick[c.name] = lipgloss.Color(c.light)
		default:
			return Theme{}, fmt.Errorf("theme %q must be \"auto\", \"dark\" or \"light\"", base)
		}
	}
	for name, v := range colours {
		if _, ok := pick[name]; !ok || name == "stale" {
			return Theme{}, &ThemeError{Key: name, Msg: fmt.Sprintf("unknown colour %q (known: %s)%s", name, strings.Join(ThemeColourNames(), ", "), didYouMean(name, ThemeColourNames()))}
		}
		if !validColour(v) {
			return Theme{}, &ThemeError{Key: name, Msg: fmt.Sprintf("%s = %q is not a colour: write \"#rrggbb\" or an ANSI number \"0\" to \"255\"", name, v)}
		}
		pick[name] = lipgloss.Color(strings.ToLower(v))
	}
	return Theme{Accent: pick["accent"], Text: pick["text"], Muted: pick["muted"], Up: pick["up"], Down: pick["down"],
		Selection: pick["selection"], Error: pick["error"], Stale: pick["stale"]}, nil
}

// ThemeError is a [theme] entry that cannot be used; Key names it.
type ThemeError struct{ Key, Msg string }

func (e *ThemeError) Error() string { return e.Msg }

func validColour(v string) bool {
	if len(v) == 7 && v[0] == '#' {
		_, err := strconv.ParseUint(v[1:], 16, 32)
		return err == nil
	}
	n, err := strconv.Atoi(v)
	return err == nil && n >= 0 && n <= 255 && strconv.Itoa(n) == v
}

// Styles holds every style the dashboard uses, all made from one Theme.
type Styles struct {
	Date       lipgloss.Style
	Count      lipgloss.Style
	Title      lipgloss.Style
	TitleRead  lipgloss.Style
	Selected   lipgloss.Style // the selection bar left of the selected item
	SelTitle   lipgloss.Style
	Unread     lipgloss.Style // the ● mark
	Star       lipgloss.Style // the ★ mark
	Meta       lipgloss.Style
	Summary    lipgloss.Style
	Muted      lipgloss.Style
	Error      lipgloss.Style
	OK         lipgloss.Style
	Pager      lipgloss.Style
	PagerDot   lipgloss.Style
	SearchText lipgloss.Style
	HelpKey    lipgloss.Style

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

	Article *render.Styles // the reader's body

	Theme Theme
}

// DefaultStyles returns the house styles (the "auto" theme).
func DefaultStyles() *Styles {
	t, _ := NewTheme("auto", nil)
	return NewStyles(t)
}

// NewStyles makes every style from a theme.
func NewStyles(t Theme) *Styles {
	fg := func(c lipgloss.TerminalColor) lipgloss.Style { return lipgloss.NewStyle().Foreground(c) }
	s := &Styles{Theme: t}
	s.Date = fg(t.Text).Bold(true)
	s.Count = fg(t.Muted)
	s.Title = fg(t.Text).Bold(true)
	s.TitleRead = fg(t.Muted).Bold(true)
	s.Selected = fg(t.Selection)
	s.SelTitle = fg(t.Selection).Bold(true)
	s.Unread = fg(t.Accent)
	s.Star = fg(t.Stale)
	s.Meta = fg(t.Muted)
	s.Summary = fg(t.Text)
	s.Muted = fg(t.Muted)
	s.Error = fg(t.Error)
	s.OK = fg(t.Up)
	s.Pager = fg(t.Muted)
	s.PagerDot = fg(t.Accent)
	s.SearchText = fg(t.Accent).Bold(true)
	s.HelpKey = fg(t.Accent)

	s.TickerPair = fg(t.Text)
	s.TickerUp = fg(t.Up)
	s.TickerDown = fg(t.Down)
	s.TickerFlat = fg(t.Muted)
	s.TickerStale = fg(t.Stale).Faint(true)
	s.TickerSep = fg(t.Muted)

	s.ReaderTitle = fg(t.Accent).Bold(true)
	s.ReaderMeta = fg(t.Muted)
	s.ReaderLink = fg(t.Muted).Underline(true)
	s.ReaderRule = fg(t.Muted)

	s.PaneTitle = fg(t.Accent).Bold(true)
	s.Spinner = fg(t.Accent)
	s.Spark = fg(t.Accent)
	s.Article = articleStyles(t)
	return s
}

// articleStyles are the reader's styles in the theme's colours.
func articleStyles(t Theme) *render.Styles {
	st := render.DefaultStyles()
	fg := func(c lipgloss.TerminalColor) lipgloss.Style { return lipgloss.NewStyle().Foreground(c) }
	st.Text = fg(t.Text)
	st.Heading1 = fg(t.Accent).Bold(true)
	st.Heading = fg(t.Accent).Bold(true)
	st.Del = st.Del.Foreground(t.Muted)
	st.Quote = fg(t.Muted)
	st.Bullet = fg(t.Accent)
	st.Link = fg(t.Accent).Underline(true)
	st.LinkRef = fg(t.Muted)
	st.Muted = fg(t.Muted)
	st.Rule = fg(t.Muted)
	return st
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
