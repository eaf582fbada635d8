package ui

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/steppe-news/steppe/ui/render"
)

// Background says which variant of the house colours a theme uses:
// BackgroundAuto follows the terminal (dark until it says otherwise),
// BackgroundDark and BackgroundLight are fixed.
const (
	BackgroundAuto  = "auto"
	BackgroundDark  = "dark"
	BackgroundLight = "light"
)

// Palette is the set of colours every style is made from. Styles always
// carry the full colour; Bubble Tea's renderer degrades it to what the
// terminal shows and writes none at all under NO_COLOR.
type Palette struct {
	Accent, Text, Muted, Up, Down, Selection, Error, Stale, Highlight color.Color
}

// Theme is the palette as configured: a light and a dark variant of each
// colour (a colour the config sets is the same in both) and the
// background that picks between them.
type Theme struct {
	Background  string // BackgroundAuto, BackgroundDark or BackgroundLight
	light, dark Palette
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
	{"highlight", "#B0197E", "#FF8AD8"}, // headlines a [[rules]] highlight matches
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

// DefaultTheme is the house colours following the terminal's background.
func DefaultTheme() *Theme {
	t, _ := NewTheme(BackgroundAuto, nil)
	return &t
}

// NewTheme builds the theme: background is "auto" ("" too: the
// terminal's background picks the light or dark variant), "dark" or
// "light"; colours overrides any of ThemeColourNames with "#rrggbb" or an
// ANSI number "0"–"255".
func NewTheme(background string, colours map[string]string) (Theme, error) {
	switch background {
	case "":
		background = BackgroundAuto
	case BackgroundAuto, BackgroundDark, BackgroundLight:
	default:
		return Theme{}, fmt.Errorf("theme %q must be \"auto\", \"dark\" or \"light\"", background)
	}
	light, dark := map[string]color.Color{}, map[string]color.Color{}
	for _, c := range themeColours {
		light[c.name], dark[c.name] = lipgloss.Color(c.light), lipgloss.Color(c.dark)
	}
	for name, v := range colours {
		if _, ok := light[name]; !ok || name == "stale" {
			return Theme{}, &ThemeError{Key: name, Msg: fmt.Sprintf("unknown colour %q (known: %s)%s", name, strings.Join(ThemeColourNames(), ", "), didYouMean(name, ThemeColourNames()))}
		}
		if !validColour(v) {
			return Theme{}, &ThemeError{Key: name, Msg: fmt.Sprintf("%s = %q is not a colour: write \"#rrggbb\" or an ANSI number \"0\" to \"255\"", name, v)}
		}
		light[name] = lipgloss.Color(strings.ToLower(v))
		dark[name] = light[name]
	}
	return Theme{Background: background, light: palette(light), dark: palette(dark)}, nil
}

func palette(p map[string]color.Color) Palette {
	return Palette{Accent: p["accent"], Text: p["text"], Muted: p["muted"], Up: p["up"], Down: p["down"],
		Selection: p["selection"], Error: p["error"], Stale: p["stale"], Highlight: p["highlight"]}
}

// Palette is the variant for a dark (or light) background.
func (t Theme) Palette(dark bool) Palette {
	if dark {
		return t.dark
	}
	return t.light
}

// Follows reports whether the theme follows the terminal's background.
func (t Theme) Follows() bool { return t.Background == BackgroundAuto || t.Background == "" }

// StartsDark is whether the first frame is drawn dark: a fixed background
// says so; auto reads COLORFGBG ("15;0": light text on black) when the
// terminal sets it, and is dark otherwise. Nothing waits for the terminal:
// an answer to the background query repaints later.
func (t Theme) StartsDark(colorFGBG string) bool {
	switch t.Background {
	case BackgroundDark:
		return true
	case BackgroundLight:
		return false
	}
	if dark, ok := fgbgDark(colorFGBG); ok {
		return dark
	}
	return true
}

// fgbgDark reads COLORFGBG, "fg;bg" or "fg;default;bg" in ANSI colour
// numbers (rxvt's convention, also set by Konsole and others): a
// background of 0–6 or 8 is dark, 7 or 9–15 light.
func fgbgDark(v string) (dark, ok bool) {
	i := strings.LastIndexByte(v, ';')
	if i < 0 {
		return false, false
	}
	bg, err := strconv.Atoi(v[i+1:])
	if err != nil || bg < 0 || bg > 15 {
		return false, false
	}
	return bg <= 6 || bg == 8, true
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
	TitleHigh  lipgloss.Style // a headline a highlight rule matches
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

	Palette Palette // the colours they were made from
	Dark    bool    // made for a dark background
}

// DefaultStyles returns the house styles for a dark background.
func DefaultStyles() *Styles { return NewStyles(DefaultTheme().Palette(true), true) }

// NewStyles makes every style from a palette, for a dark background or not.
func NewStyles(t Palette, dark bool) *Styles {
	fg := func(c color.Color) lipgloss.Style { return lipgloss.NewStyle().Foreground(c) }
	s := &Styles{Palette: t, Dark: dark}
	s.Date = fg(t.Text).Bold(true)
	s.Count = fg(t.Muted)
	s.Title = fg(t.Text).Bold(true)
	s.TitleRead = fg(t.Muted).Bold(true)
	s.TitleHigh = fg(t.Highlight).Bold(true)
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
	s.Article = articleStyles(t, dark)
	return s
}

// articleStyles are the reader's styles in the theme's colours.
func articleStyles(t Palette, dark bool) *render.Styles {
	st := render.DefaultStyles(dark)
	fg := func(c color.Color) lipgloss.Style { return lipgloss.NewStyle().Foreground(c) }
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
// calling Render every frame.
func sgr(st lipgloss.Style) (prefix, suffix string) {
	r := st.Render("x")
	i := strings.IndexByte(r, 'x')
	if i < 0 {
		return "", ""
	}
	return r[:i], r[i+1:]
}
