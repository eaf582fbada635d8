package ui

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"

	"github.com/steppe-news/steppe/internal/suggest"
)

// KeyMap is every key binding of the dashboard, one field an action. It is
// passed in through Options (nil means DefaultKeyMap); the help overlay and
// the hint line show the keys it actually binds.
type KeyMap struct {
	// anywhere
	Quit, Back, Refresh, Invert, Rates, Sources, Help key.Binding
	// the headline list
	Up, Down, PrevPage, NextPage, FirstPage, LastPage     key.Binding
	Read, OpenLink, ToggleRead, MarkAllRead               key.Binding
	NextUnread, PrevUnread, UnreadOnly, Star, Feeds, View key.Binding
	Search, Pause, Undo                                   key.Binding
	// the reader and the panes that scroll
	ScrollUp, ScrollDown, PageUp, PageDown, Top, Bottom key.Binding
	NextArticle, PrevArticle, Links                     key.Binding
	FullText, Save, Pipe                                key.Binding
	// the search field
	Submit key.Binding
}

// place is where an action works; a key may mean one action per place.
type place uint8

const (
	inList place = 1 << iota
	inReader
	inPanes
	inSearch
	anywhere = inList | inReader | inPanes
)

// action is one line of the key table: its config name, where it works,
// its default keys, a word for the hint line and what the help says it
// does.
type action struct {
	name  string
	where place
	keys  []string
	short string
	desc  string
	field func(*KeyMap) *key.Binding
}

// actions is the key table, in the order the help lists them. `[keys]` in
// the config rebinds an action by its name.
func actions() []action {
	return []action{
		{"up", inList, []string{"k", "up"}, "up", "previous headline", func(k *KeyMap) *key.Binding { return &k.Up }},
		{"down", inList, []string{"j", "down"}, "down", "next headline", func(k *KeyMap) *key.Binding { return &k.Down }},
		{"prev_page", inList, []string{"h", "left", "pgup"}, "prev page", "previous page", func(k *KeyMap) *key.Binding { return &k.PrevPage }},
		{"next_page", inList, []string{"l", "right", "pgdown"}, "next page", "next page", func(k *KeyMap) *key.Binding { return &k.NextPage }},
		{"first_page", inList, []string{"g", "home"}, "first page", "first page, and new arrivals", func(k *KeyMap) *key.Binding { return &k.FirstPage }},
		{"last_page", inList, []string{"G", "end"}, "last page", "last page", func(k *KeyMap) *key.Binding { return &k.LastPage }},
		{"read", inList, []string{"enter"}, "read", "read the article", func(k *KeyMap) *key.Binding { return &k.Read }},
		{"open_link", inList | inReader, []string{"o"}, "open", "open in the browser", func(k *KeyMap) *key.Binding { return &k.OpenLink }},
		{"toggle_read", inList | inReader, []string{"N"}, "read/unread", "mark read / unread", func(k *KeyMap) *key.Binding { return &k.ToggleRead }},
		{"mark_all_read", inList, []string{"A"}, "all read", "mark the whole view read", func(k *KeyMap) *key.Binding { return &k.MarkAllRead }},
		{"undo", inList, []string{"z"}, "undo", "undo the last mark all read", func(k *KeyMap) *key.Binding { return &k.Undo }},
		{"next_unread", inList | inReader, []string{"n"}, "next unread", "next unread", func(k *KeyMap) *key.Binding { return &k.NextUnread }},
		{"prev_unread", inList | inReader, []string{"p"}, "prev unread", "previous unread", func(k *KeyMap) *key.Binding { return &k.PrevUnread }},
		{"unread_only", inList, []string{"a"}, "unread only", "unread only, on/off", func(k *KeyMap) *key.Binding { return &k.UnreadOnly }},
		{"star", inList | inReader, []string{"s"}, "star", "star / unstar", func(k *KeyMap) *key.Binding { return &k.Star }},
		{"feeds", inList, []string{"F"}, "feeds", "feeds: one feed, ★ starred", func(k *KeyMap) *key.Binding { return &k.Feeds }},
		{"view", inList, []string{"v"}, "compact", "cards / compact", func(k *KeyMap) *key.Binding { return &k.View }},
		{"search", inList, []string{"/"}, "search", "search every stored article", func(k *KeyMap) *key.Binding { return &k.Search }},
		{"pause", inList, []string{"space"}, "pause", "pause the ticker", func(k *KeyMap) *key.Binding { return &k.Pause }},

		{"scroll_up", inReader | inPanes, []string{"k", "up"}, "up", "scroll up", func(k *KeyMap) *key.Binding { return &k.ScrollUp }},
		{"scroll_down", inReader | inPanes, []string{"j", "down"}, "down", "scroll down", func(k *KeyMap) *key.Binding { return &k.ScrollDown }},
		{"page_down", inReader | inPanes, []string{"space", "f", "pgdown"}, "page down", "page down", func(k *KeyMap) *key.Binding { return &k.PageDown }},
		{"page_up", inReader | inPanes, []string{"b", "pgup"}, "page up", "page up", func(k *KeyMap) *key.Binding { return &k.PageUp }},
		{"top", inReader | inPanes, []string{"g", "home"}, "top", "top", func(k *KeyMap) *key.Binding { return &k.Top }},
		{"bottom", inReader | inPanes, []string{"G", "end"}, "bottom", "bottom", func(k *KeyMap) *key.Binding { return &k.Bottom }},
		{"next_article", inReader, []string{"J"}, "next", "next article", func(k *KeyMap) *key.Binding { return &k.NextArticle }},
		{"prev_article", inReader, []string{"K"}, "prev", "previous article", func(k *KeyMap) *key.Binding { return &k.PrevArticle }},
		{"links", inReader, []string{"u"}, "links", "links (a number opens one)", func(k *KeyMap) *key.Binding { return &k.Links }},
		{"full_text", inReader, []string{"x"}, "full text", "fetch the article's own page, keep its text", func(k *KeyMap) *key.Binding { return &k.FullText }},
		{"save", inReader, []string{"w"}, "save", "save the article as Markdown (save_dir)", func(k *KeyMap) *key.Binding { return &k.Save }},
		{"pipe", inReader, []string{"|"}, "pipe", "pipe the article's text to the pipe command", func(k *KeyMap) *key.Binding { return &k.Pipe }},

		{"refresh", anywhere, []string{"r"}, "refresh", "refresh every source now", func(k *KeyMap) *key.Binding { return &k.Refresh }},
		{"invert", anywhere, []string{"i"}, "invert", "flip every pair (USD/XXX)", func(k *KeyMap) *key.Binding { return &k.Invert }},
		{"rates", anywhere, []string{"$"}, "rates", "rates, source, date, history", func(k *KeyMap) *key.Binding { return &k.Rates }},
		{"sources", anywhere, []string{"e"}, "sources", "every source, its last error", func(k *KeyMap) *key.Binding { return &k.Sources }},
		{"help", anywhere, []string{"?"}, "help", "this help", func(k *KeyMap) *key.Binding { return &k.Help }},
		{"back", anywhere | inSearch, []string{"q", "esc"}, "back", "back (quits from the list)", func(k *KeyMap) *key.Binding { return &k.Back }},
		{"quit", anywhere | inSearch, []string{"Q", "ctrl+c"}, "quit", "quit", func(k *KeyMap) *key.Binding { return &k.Quit }},

		{"submit", inSearch, []string{"enter"}, "search", "run the search", func(k *KeyMap) *key.Binding { return &k.Submit }},
	}
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() *KeyMap {
	k, _ := NewKeyMap(nil)
	return k
}

// KeyError is a [keys] entry that cannot be used; Action names the entry
// (the config finds its line by it).
type KeyError struct {
	Action string
	Msg    string
}

func (e *KeyError) Error() string { return e.Msg }

// NewKeyMap is the default key map with the actions of binds rebound: each
// entry replaces the keys of one action. An unknown action, an unknown key
// name or a key that would mean two actions in one place is an error.
func NewKeyMap(binds map[string][]string) (*KeyMap, error) {
	table := actions()
	byName := map[string]int{}
	for i, a := range table {
		byName[a.name] = i
	}
	names := make([]string, 0, len(binds))
	for n := range binds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		i, ok := byName[n]
		if !ok {
			return nil, &KeyError{Action: n, Msg: fmt.Sprintf("unknown action %q%s", n, didYouMean(n, actionNames(table)))}
		}
		keys := make([]string, 0, len(binds[n]))
		for _, raw := range binds[n] {
			name, err := keyName(raw)
			if err != nil {
				return nil, &KeyError{Action: n, Msg: fmt.Sprintf("%s: %v", n, err)}
			}
			if !slices.Contains(keys, name) {
				keys = append(keys, name)
			}
		}
		if len(keys) == 0 {
			return nil, &KeyError{Action: n, Msg: fmt.Sprintf("%s: no keys (an action must keep at least one)", n)}
		}
		table[i].keys = keys
	}
	if err := checkConflicts(table, binds); err != nil {
		return nil, err
	}
	k := &KeyMap{}
	for _, a := range table {
		*a.field(k) = key.NewBinding(key.WithKeys(bound(a.keys)...), key.WithHelp(keyLabel(a.keys), a.short))
	}
	return k, nil
}

// checkConflicts refuses one key meaning two actions in one place.
func checkConflicts(table []action, binds map[string][]string) error {
	for _, p := range []place{inList, inReader, inPanes, inSearch} {
		owner := map[string]string{}
		for _, a := range table {
			if a.where&p == 0 {
				continue
			}
			for _, k := range a.keys {
				other, taken := owner[k]
				if !taken {
					owner[k] = a.name
					continue
				}
				// Name the action the user rebound, so the error points at
				// a line of their config.
				blame := a.name
				if _, ok := binds[blame]; !ok {
					blame = other
				}
				return &KeyError{Action: blame, Msg: fmt.Sprintf("key %q would mean both %s and %s in the %s", k, other, a.name, placeName(p))}
			}
		}
	}
	return nil
}

func placeName(p place) string {
	switch p {
	case inList:
		return "list"
	case inReader:
		return "reader"
	case inPanes:
		return "panes"
	}
	return "search field"
}

func actionNames(table []action) []string {
	out := make([]string, len(table))
	for i, a := range table {
		out[i] = a.name
	}
	return out
}

// namedKeys are the key names a binding may use besides a single character.
var namedKeys = []string{
	"space", "enter", "esc", "tab", "shift+tab", "backspace", "delete", "insert",
	"up", "down", "left", "right", "home", "end", "pgup", "pgdown",
	"f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12",
}

// modifiers are the modifier prefixes, in the order Bubble Tea writes them.
var modifiers = []string{"ctrl", "alt", "shift"}

// keyName checks a key as written in the config: one printable character,
// a named key, ctrl+a…ctrl+z, alt+<character>, or a named key with
// modifiers (shift+enter, ctrl+left, alt+up), which terminals with keyboard
// disambiguation tell apart from the key alone. The name comes back as
// Bubble Tea writes it (modifiers lower case, in its order).
func keyName(s string) (string, error) {
	switch {
	case utf8.RuneCountInString(s) == 1 && s != " " && !isControl(s):
		return s, nil
	case s == " ":
		return "space", nil
	case slices.Contains(namedKeys, strings.ToLower(s)):
		return strings.ToLower(s), nil
	case len(s) == 6 && strings.HasPrefix(strings.ToLower(s), "ctrl+") && s[5] >= 'a' && s[5] <= 'z':
		return strings.ToLower(s), nil
	case strings.HasPrefix(s, "alt+") && utf8.RuneCountInString(s) == 5 && !isControl(s[4:]):
		return s, nil
	}
	if name, ok := modified(s); ok {
		return name, nil
	}
	return "", fmt.Errorf("unknown key %q (a character, or one of %s, ctrl+a…ctrl+z, alt+<character>, a modifier with a named key: shift+enter)%s",
		s, strings.Join(namedKeys[:16], ", "), didYouMean(s, namedKeys))
}

// modified reads ctrl+, alt+ and shift+ (each at most once, in any order)
// before a named key.
func modified(s string) (string, bool) {
	parts := strings.Split(strings.ToLower(s), "+")
	if len(parts) < 2 {
		return "", false
	}
	base := parts[len(parts)-1]
	if !slices.Contains(namedKeys, base) || strings.Contains(base, "+") {
		return "", false
	}
	seen := map[string]bool{}
	for _, m := range parts[:len(parts)-1] {
		if !slices.Contains(modifiers, m) || seen[m] {
			return "", false
		}
		seen[m] = true
	}
	var b strings.Builder
	for _, m := range modifiers {
		if seen[m] {
			b.WriteString(m + "+")
		}
	}
	return b.String() + base, true
}

func isControl(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f)
}

// bound is the keys as Bubble Tea names them: alt with a capital letter
// arrives as alt+shift+<letter> (ESC Q).
func bound(keys []string) []string {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, k)
		if r, ok := strings.CutPrefix(k, "alt+"); ok && len(r) == 1 && r[0] >= 'A' && r[0] <= 'Z' {
			out = append(out, "alt+shift+"+strings.ToLower(r))
		}
	}
	return out
}

// keyLabel is how the help writes a binding's keys: "j/↓", "space/f/pgdn".
func keyLabel(keys []string) string {
	labels := map[string]string{"up": "↑", "down": "↓", "left": "←", "right": "→", "pgdown": "pgdn"}
	out := make([]string, len(keys))
	for i, k := range keys {
		if l, ok := labels[k]; ok {
			k = l
		}
		out[i] = k
	}
	return strings.Join(out, "/")
}

// didYouMean is ` (did you mean "x"?)` for the known word nearest to s, or "".
func didYouMean(s string, known []string) string {
	if best := suggest.Nearest(s, known); best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

// ShortHelp is the hint line of the headline list (help.KeyMap), where
// back quits.
func (k *KeyMap) ShortHelp() []key.Binding {
	var keys []string
	for _, b := range k.Back.Keys() {
		if b != "esc" {
			keys = append(keys, b)
		}
	}
	quit := key.NewBinding(key.WithKeys(keys...), key.WithHelp(keyLabel(keys), "quit"), key.WithDisabled())
	if len(keys) > 0 {
		quit.SetEnabled(true)
	}
	return []key.Binding{k.Down, k.Read, k.NextUnread, k.Search, k.Help, quit, k.Feeds, k.NextPage}
}

// helpGroups names the groups of FullHelp, in order.
var helpGroups = [...]string{"Headlines", "Reader and panes", "Anywhere"}

// helpRow is one line of the help: the keys bound and what they do.
type helpRow struct{ keys, desc string }

// helpRows is FullHelp with the help's longer descriptions.
func (k *KeyMap) helpRows() [][]helpRow {
	groups := make([][]helpRow, len(helpGroups))
	for _, a := range actions() {
		row := helpRow{a.field(k).Help().Key, a.desc}
		for _, g := range a.groups() {
			groups[g] = append(groups[g], row)
		}
	}
	return groups
}

// groups are the help groups an action is listed in: an action of both the
// list and the reader is listed in both.
func (a action) groups() []int {
	switch {
	case a.where&anywhere == anywhere:
		return []int{2}
	case a.where == inSearch:
		return nil
	}
	var g []int
	if a.where&inList != 0 {
		g = append(g, 0)
	}
	if a.where&(inReader|inPanes) != 0 {
		g = append(g, 1)
	}
	return g
}

// FullHelp is every binding in the help's groups (help.KeyMap).
func (k *KeyMap) FullHelp() [][]key.Binding {
	groups := make([][]key.Binding, len(helpGroups))
	for _, a := range actions() {
		for _, g := range a.groups() {
			groups[g] = append(groups[g], *a.field(k))
		}
	}
	return groups
}

// relabel is b under another word in a pane's hint line, where the key
// does that pane's thing ("enter open" in the links pane, not "search").
func relabel(b key.Binding, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
}
