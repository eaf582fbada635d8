package ui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/sanitize"
	"github.com/steppe-news/steppe/internal/textfmt"
	"github.com/steppe-news/steppe/ui/render"
)

// LinksPane (`u` in the reader) lists the article's links, numbered as the
// reader numbers them, then its enclosures (audio and video files, with
// their type and size), numbered on after the links. j/k and enter open
// the selected one; typing a number opens that one (at once when no other
// number starts with it, else on enter). Links open through the same safe
// opener as `o`; enclosures in the configured player, else the same way.
type LinksPane struct {
	scroller
	links  []linkEntry
	sel    int
	number string        // digits typed so far
	help   []key.Binding // the hint line's keys, enter as "open"
}

// linkEntry is one line of the pane: a link of the text, or an enclosure.
type linkEntry struct {
	N         int
	Text, URL string
	media     string // an enclosure's type and size ("audio/mpeg · 24.1 MB"); "" for a link
	enclosure bool
}

// showLinksMsg opens the links pane (the reader sends it).
type showLinksMsg struct {
	title      string
	links      []render.Link
	enclosures []feeds.Enclosure
}

// linkEntries lists links, then enclosures numbered on from the last
// link's number.
func linkEntries(links []render.Link, encs []feeds.Enclosure) []linkEntry {
	out := make([]linkEntry, 0, len(links)+len(encs))
	last := 0
	for _, l := range links {
		out = append(out, linkEntry{N: l.N, Text: l.Text, URL: l.URL})
		last = max(last, l.N)
	}
	for i, e := range encs {
		out = append(out, linkEntry{N: last + 1 + i, URL: e.URL, media: textfmt.Media(e.Type, e.Length), enclosure: true})
	}
	return out
}

// NewLinksPane builds the pane.
func NewLinksPane(sh *shared) *LinksPane {
	k := sh.keys
	return &LinksPane{scroller: scroller{sh: sh, title: " Links", hint: "(a number or enter opens one; esc back)"},
		help: []key.Binding{k.ScrollDown, k.ScrollUp, relabel(k.Submit, "open"), k.Back}}
}

func (p *LinksPane) ShortHelp() []key.Binding { return p.help }

// Update shows a new list, moves the selection and opens links.
func (p *LinksPane) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case showLinksMsg:
		p.links, p.sel, p.number, p.offset = linkEntries(msg.links, msg.enclosures), 0, "", 0
		return p, nil
	case tea.KeyPressMsg:
		if len(msg.Text) == 1 && msg.Text[0] >= '0' && msg.Text[0] <= '9' && msg.Mod&^tea.ModShift == 0 {
			return p, p.digit(rune(msg.Text[0]))
		}
		if chosen, ok := p.pick(msg, p.move); ok {
			switch {
			case !chosen:
				return p, nil
			case p.number != "":
				n, _ := strconv.Atoi(p.number)
				p.number = ""
				return p, p.open(n)
			case p.sel < len(p.links):
				return p, p.open(p.links[p.sel].N)
			}
			return p, nil
		}
	}
	cmd, _ := p.scrollKey(msg)
	return p, cmd
}

func (p *LinksPane) move(d int) {
	p.number = ""
	p.sel = max(0, min(len(p.links)-1, p.sel+d))
	p.scrollTo(p.sel)
}

// digit adds a typed digit; the link opens once the number is unambiguous.
func (p *LinksPane) digit(r rune) tea.Cmd {
	p.number += string(r)
	n, _ := strconv.Atoi(p.number)
	longer := false
	for _, l := range p.links {
		if s := strconv.Itoa(l.N); len(s) > len(p.number) && strings.HasPrefix(s, p.number) {
			longer = true
		}
	}
	if longer {
		for i, l := range p.links {
			if l.N == n {
				p.sel = i
				p.scrollTo(i)
			}
		}
		return nil
	}
	p.number = ""
	return p.open(n)
}

// open opens link n, if there is one: an enclosure in the player.
func (p *LinksPane) open(n int) tea.Cmd {
	for _, l := range p.links {
		if l.N == n && l.enclosure {
			return p.sh.io.playMedia(l.URL)
		}
		if l.N == n {
			return p.sh.io.openLink(l.URL)
		}
	}
	return p.sh.io.flash("no link " + strconv.Itoa(n))
}

// View lists the links: number, text and URL (credentials hidden); then
// the enclosures under a heading of their own: number, type and size, URL.
func (p *LinksPane) View() string {
	st := p.sh.styles
	if p.number != "" {
		p.title = " Links  open " + p.number + "…"
	} else {
		p.title = " Links"
	}
	body := []string{""}
	if len(p.links) == 0 {
		body = append(body, st.Muted.Render(" this article has no links"))
	}
	numW := 1
	for _, l := range p.links {
		numW = max(numW, len(strconv.Itoa(l.N)))
	}
	sel := -1
	for i, l := range p.links {
		if l.enclosure && (i == 0 || !p.links[i-1].enclosure) {
			if i > 0 {
				body = append(body, "")
			}
			body = append(body, st.Muted.Render(" Enclosures"))
		}
		if i == p.sel {
			sel = len(body)
		}
		num := strconv.Itoa(l.N)
		bar := "  "
		if i == p.sel {
			bar = st.Selected.Render("▌ ")
		}
		text := sanitize.Text(l.Text, false)
		u := sanitize.Redact(sanitize.Text(l.URL, false))
		line := bar + st.HelpKey.Render(strings.Repeat(" ", numW-len(num))+"["+num+"]") + " "
		if text != "" && text != u {
			line += text + "  "
		}
		if l.enclosure {
			line += sanitize.Text(l.media, false) + "  "
		}
		line += st.Muted.Render(truncate(u, max(10, p.width-ansi.StringWidth(line)), "…"))
		body = append(body, line)
	}
	return p.frameAt(body, sel)
}
