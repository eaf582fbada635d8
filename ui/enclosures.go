package ui

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// Enclosures (a podcast's episode, a video's file) are listed in the
// links pane after the article's links and open in the configured player
// (Options.PlayMedia), else in the browser like a link.

// playerMsg reports a player started on an enclosure: its name, the file,
// and how to wait for its end.
type playerMsg struct {
	name, url string
	wait      func(context.Context) error
}

// playerDoneMsg reports how a player ended.
type playerDoneMsg struct {
	name string
	err  error
}

// playMedia opens an enclosure: in the player when one is configured,
// else through the browser opener. Only http(s) URLs are played.
func (d *deps) playMedia(link string) tea.Cmd {
	u, err := safeURL(link)
	if err != nil {
		return d.flash("not played: " + err.Error())
	}
	play := d.opt.PlayMedia
	if play == nil {
		return d.openLink(u)
	}
	return func() tea.Msg {
		name, wait, err := play(u)
		if err != nil {
			return flashMsg("not played: " + sanitize.Text(err.Error(), false))
		}
		return playerMsg{name: sanitize.Text(name, false), url: u, wait: wait}
	}
}

// onPlayer says on the status line that the player started and waits for
// it to end, until the program does: a player that fails says why.
func (d *deps) onPlayer(msg playerMsg) (flash tea.Msg, wait tea.Cmd) {
	flash = flashMsg("playing " + sanitize.Redact(msg.url) + " in " + msg.name)
	if msg.wait == nil {
		return flash, nil
	}
	ctx := d.opt.Context
	return flash, func() tea.Msg {
		err := msg.wait(ctx)
		if errors.Is(err, context.Canceled) || ctx.Err() != nil {
			return nil
		}
		return playerDoneMsg{name: msg.name, err: err}
	}
}

// playerDone is the status line's words for a player's end: nothing when
// it ended well.
func playerDone(msg playerDoneMsg) tea.Msg {
	if msg.err == nil {
		return nil
	}
	return flashMsg(msg.name + " failed: " + sanitize.Redact(sanitize.Text(msg.err.Error(), false)))
}

// sanitizeEnclosures keeps the enclosures whose URL and type are clean
// (the store cleaned them; a store from elsewhere may not have).
func sanitizeEnclosures(list []feeds.Enclosure) []feeds.Enclosure {
	var out []feeds.Enclosure
	for _, e := range list {
		if sanitize.Text(e.URL, false) != e.URL || e.URL == "" {
			continue
		}
		e.Type = sanitize.Text(e.Type, false)
		out = append(out, e)
	}
	return out
}
