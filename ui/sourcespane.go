package ui

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/internal/sanitize"
	"github.com/steppe-news/steppe/internal/textfmt"
)

// SourcesPane (`e`) lists every source with its state, its URL and its full
// last error, then the credits of the rate sources and the config's
// warnings. It scrolls, and draws only what is on screen: each source's
// lines are laid out once per change (or minute, or width) and kept, so ten
// thousand feeds cost a walk of integers per frame, not ten thousand
// layouts.
type SourcesPane struct {
	scroller
	sched    *Scheduler
	credits  []string
	warnings []string

	blocks map[*source]sourceBlock
}

// sourceBlock is a source's lines as laid out for a width at a minute,
// unstyled: styles are applied to the lines on screen only.
type sourceBlock struct {
	rev    int
	width  int
	minute time.Time
	lines  []string
	kinds  []lineKind
}

// lineKind is how a line of the pane is styled.
type lineKind uint8

const (
	plainLine lineKind = iota
	mutedLine
	errorLine
)

// NewSourcesPane builds the pane over the scheduler's sources.
func NewSourcesPane(sh *shared, sched *Scheduler, credits []string, warnings []Warning) *SourcesPane {
	texts := make([]string, len(warnings))
	for i, w := range warnings {
		texts[i] = w.Text
	}
	return &SourcesPane{
		scroller: scroller{sh: sh, title: " Sources", hint: "(e or esc to close)"},
		sched:    sched, credits: sanitize.Each(credits), warnings: sanitize.Each(texts),
		blocks: map[*source]sourceBlock{},
	}
}

// Update scrolls and closes the pane.
func (p *SourcesPane) Update(msg tea.Msg) (Component, tea.Cmd) {
	cmd, _ := p.scrollKey(msg)
	return p, cmd
}

// block is src's lines, laid out again only when it changed.
func (p *SourcesPane) block(src *source, now time.Time) sourceBlock {
	minute := now.Truncate(time.Minute)
	if b, ok := p.blocks[src]; ok && b.rev == src.rev && b.width == p.width && b.minute.Equal(minute) {
		return b
	}
	state := "ok"
	switch {
	case src.inFlight:
		state = "fetching"
	case src.fullErr != "":
		state = "error"
	case src.lastOK.IsZero():
		state = "never updated"
	}
	head := " " + src.name + " — " + state
	if !src.lastOK.IsZero() {
		head += ", updated " + textfmt.Age(now, src.lastOK)
	}
	if src.note != "" {
		head += ", " + src.note
	}
	b := sourceBlock{rev: src.rev, width: p.width, minute: minute}
	add := func(l string, k lineKind) {
		b.lines = append(b.lines, truncate(l, max(1, p.width), "…"))
		b.kinds = append(b.kinds, k)
	}
	add(head, plainLine)
	if src.feed.URL != "" {
		add("   "+sanitize.Redact(src.feed.URL), mutedLine)
	}
	wrap := func(text string, k lineKind) {
		for _, l := range strings.Split(ansi.Wrap(text, max(1, p.width-3), ""), "\n") {
			add("   "+l, k)
		}
	}
	if src.fullErr != "" {
		wrap(src.fullErr, errorLine)
	}
	if src.detail != "" {
		wrap(src.detail, mutedLine)
	}
	p.blocks[src] = b
	return b
}

func (p *SourcesPane) styled(l string, k lineKind) string {
	switch k {
	case mutedLine:
		return p.sh.styles.Muted.Render(l)
	case errorLine:
		return p.sh.styles.Error.Render(l)
	}
	return l
}

// View draws the visible window: it counts every source's lines but lays
// out and copies only those on screen.
// restyle drops the styled blocks; the next frame makes them again.
func (p *SourcesPane) restyle() tea.Cmd {
	clear(p.blocks)
	return nil
}

func (p *SourcesPane) View() string {
	st := p.sh.styles
	now := p.sh.now()
	var tail []string
	if len(p.sched.sources) == 0 {
		tail = append(tail, st.Muted.Render(" no sources"))
	}
	for _, w := range p.warnings {
		tail = append(tail, st.Error.Render(" "+w))
	}
	for _, c := range p.sh.board.shownCredits(p.credits) {
		tail = append(tail, st.Muted.Render(" "+c))
	}
	total := len(tail)
	for _, src := range p.sched.sources {
		total += len(p.block(src, now).lines)
	}
	p.total = total
	p.clamp()
	// Collect the lines from offset to offset+room.
	want := p.room()
	body := make([]string, 0, want)
	line := 0
	for _, src := range p.sched.sources {
		if len(body) >= want {
			break
		}
		b := p.block(src, now)
		if line+len(b.lines) <= p.offset {
			line += len(b.lines)
			continue
		}
		for i, l := range b.lines {
			if line >= p.offset && len(body) < want {
				body = append(body, p.styled(l, b.kinds[i]))
			}
			line++
		}
	}
	for _, l := range tail {
		if line >= p.offset && len(body) < want {
			body = append(body, l)
		}
		line++
	}
	return p.frame(body, total)
}
