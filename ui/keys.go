package ui

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key binding of the dashboard. It is passed in through
// Options (nil means DefaultKeyMap) and shown by bubbles/help.
type KeyMap struct {
	Up        key.Binding
	Down      key.Binding
	PrevPage  key.Binding
	NextPage  key.Binding
	FirstPage key.Binding
	LastPage  key.Binding
	Open      key.Binding
	Search    key.Binding
	Submit    key.Binding
	Back      key.Binding
	Refresh   key.Binding
	Browser   key.Binding
	Errors    key.Binding
	Rates     key.Binding
	Invert    key.Binding
	Pause     key.Binding
	Help      key.Binding
	Quit      key.Binding

	// reader
	ScrollUp    key.Binding
	ScrollDown  key.Binding
	ScrollPgUp  key.Binding
	ScrollPgDn  key.Binding
	NextArticle key.Binding
	PrevArticle key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() *KeyMap {
	return &KeyMap{
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PrevPage:  key.NewBinding(key.WithKeys("left", "h", "pgup"), key.WithHelp("←/h/pgup", "prev page")),
		NextPage:  key.NewBinding(key.WithKeys("right", "l", "pgdown"), key.WithHelp("→/l/pgdn", "next page")),
		FirstPage: key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "first page")),
		LastPage:  key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "last page")),
		Open:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "read")),
		Search:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		Submit:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run search")),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back/clear")),
		Refresh:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Browser:   key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open link")),
		Errors:    key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "errors")),
		Rates:     key.NewBinding(key.WithKeys("$"), key.WithHelp("$", "rates & history")),
		Invert:    key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "invert rates")),
		Pause:     key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "pause ticker")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:      key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),

		ScrollUp:    key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
		ScrollDown:  key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll down")),
		ScrollPgUp:  key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup/b", "page up")),
		ScrollPgDn:  key.NewBinding(key.WithKeys("pgdown", "f"), key.WithHelp("pgdn/f", "page down")),
		NextArticle: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next article")),
		PrevArticle: key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "prev article")),
	}
}

// ShortHelp is the one-line help of the headline list (help.KeyMap).
func (k *KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Down, k.NextPage, k.Open, k.Search, k.Refresh, k.Help, k.Quit}
}

// FullHelp is the full help of the headline list (help.KeyMap).
func (k *KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PrevPage, k.NextPage, k.FirstPage, k.LastPage},
		{k.Open, k.Browser, k.Search, k.Back, k.Refresh},
		{k.Invert, k.Pause, k.Rates, k.Errors, k.Help, k.Quit},
		{k.ScrollUp, k.ScrollDown, k.ScrollPgUp, k.ScrollPgDn, k.NextArticle, k.PrevArticle},
	}
}
