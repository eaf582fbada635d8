package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// The store check. Once the first page is on screen, Options.CheckStore
// (SQLite's quick_check) looks the whole store over in the background,
// bounded by checkBudget and cancelled when the program ends. Damage puts
// a banner under the ticker, in main's words (the file, what was found,
// what to do), and seals the store: refreshes stop writing (each source
// says why), read and star changes are refused with the reason, settings
// are no longer remembered. A whole store shows nothing.

// checkAfter is how long after the first page arrives the check starts,
// so that the frame showing the page is drawn first (the renderer draws
// every 25 ms) and the first refreshes have begun.
const checkAfter = 300 * time.Millisecond

// checkBudget bounds the check: one still running then is cancelled and
// says so on the status line.
const checkBudget = time.Minute

// maxBannerLines bounds the banner's height; the last line it keeps ends
// in "…" when the text is longer.
const maxBannerLines = 4

// errSealed is what a write to a store the check found damaged returns.
var errSealed = errors.New("the store is damaged: nothing more is saved to it")

// checkStartMsg is the timer that starts the check (tests fire it).
type checkStartMsg struct{}

// storeCheckMsg is what the check found: damage is the banner's text, ""
// for a whole store; err says the check could not finish.
type storeCheckMsg struct {
	damage string
	err    error
}

// checkStore runs Options.CheckStore in a Cmd bounded by checkBudget.
func (d *deps) checkStore() tea.Cmd {
	check := d.opt.CheckStore
	if check == nil {
		return nil
	}
	parent := d.opt.Context
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(parent, checkBudget)
		defer cancel()
		damage, err := check(ctx)
		switch {
		case damage != "":
			return storeCheckMsg{damage: damage}
		case parent.Err() != nil:
			return nil // the program ended
		case ctx.Err() != nil:
			return storeCheckMsg{err: errors.New("store check stopped after " + checkBudget.String() + " unfinished; `steppe check` checks all of it")}
		case err != nil:
			return storeCheckMsg{err: errors.New("store check: " + err.Error())}
		}
		return storeCheckMsg{}
	}
}

// refused reports whether the store is sealed; if it is, the status line
// says that what was asked was not done, and why (what: "star not saved").
func (d *deps) refused(what string) bool {
	if d.sealed == nil {
		return false
	}
	d.flash(what + ": " + d.sealed.Error())
	return true
}

// armCheck starts the check's timer once, at the first page.
func (m *Model) armCheck() tea.Cmd {
	if m.checkArmed || m.opt.CheckStore == nil {
		return nil
	}
	m.checkArmed = true
	return m.sh.io.sleep(checkAfter, checkStartMsg{})
}

// onStoreCheck shows what the check found: on damage the banner, and the
// store is sealed.
func (m *Model) onStoreCheck(msg storeCheckMsg) tea.Cmd {
	if msg.err != nil {
		return m.sh.io.flash(msg.err.Error())
	}
	if msg.damage == "" {
		return nil
	}
	m.sh.io.sealed = errSealed
	m.banner.text = sanitize.Text(msg.damage, false)
	m.banner.width = -1
	if !m.sized {
		return nil
	}
	return m.resize(tea.WindowSizeMsg{Width: m.width, Height: m.height})
}

// banner is the damaged store's notice, wrapped to the width.
type banner struct {
	text   string
	width  int     // the width lines were made for
	max    int     // the lines they were cut to
	styles *Styles // and the styles they were drawn in
	lines  []string
}

// view is the banner's lines for the screen's width and height: none for
// a whole store, else at most maxBannerLines (and a third of the height).
func (b *banner) view(width, height int, st *Styles) []string {
	if b.text == "" {
		return nil
	}
	most := max(1, min(maxBannerLines, (height-3)/3))
	if b.width == width && b.max == most && b.styles == st {
		return b.lines
	}
	b.width, b.max, b.styles = width, most, st
	wrapped := strings.Split(ansi.Wrap(b.text, max(1, width-2), ""), "\n")
	if len(wrapped) > most {
		wrapped = wrapped[:most]
		wrapped[most-1] = truncate(wrapped[most-1]+" …", max(1, width-2), "…")
	}
	b.lines = make([]string, len(wrapped))
	for i, l := range wrapped {
		b.lines[i] = " " + st.Error.Bold(true).Render(strings.TrimRight(l, " "))
	}
	return b.lines
}

// refusal is what refused says of a toggle.
func (m toggleMsg) refusal() string {
	if m.read {
		return "not marked read"
	}
	return "star not saved"
}
