package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// SourcesPane (`e`) lists every source with its state, its URL and its full
// last error, then the credits of the rate sources.
type SourcesPane struct {
	sh      *shared
	sched   *Scheduler
	credits []string

	width, height int
}

// NewSourcesPane builds the pane over the scheduler's sources.
func NewSourcesPane(sh *shared, sched *Scheduler, credits []string) *SourcesPane {
	return &SourcesPane{sh: sh, sched: sched, credits: sanitizeAll(credits)}
}

func (p *SourcesPane) SetSize(w, h int) { p.width, p.height = w, h }

func (p *SourcesPane) ShortHelp() []key.Binding  { return []key.Binding{p.sh.keys.Back, p.sh.keys.Quit} }
func (p *SourcesPane) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

// Update closes the pane on back.
func (p *SourcesPane) Update(msg tea.Msg) (Component, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, p.sh.keys.Back) {
		return p, p.sh.io.post(closeMsg{})
	}
	return p, nil
}

// View draws the pane in at most height lines.
func (p *SourcesPane) View() string {
	st := p.sh.styles
	w := max(1, p.width)
	lines := []string{st.PaneTitle.Render(" Sources") + st.Muted.Render("  (e or esc to close)")}
	now := p.sh.now()
	wrapped := func(text string, style func(...string) string) {
		for _, l := range strings.Split(ansi.Wrap(text, max(1, w-3), ""), "\n") {
			lines = append(lines, style("   "+l))
		}
	}
	for _, src := range p.sched.sources {
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
			head += ", updated " + age(now, src.lastOK)
		}
		if src.note != "" {
			head += ", " + src.note
		}
		lines = append(lines, head)
		if src.feed.URL != "" {
			lines = append(lines, st.Muted.Render("   "+src.feed.URL))
		}
		if src.fullErr != "" {
			wrapped(src.fullErr, st.Error.Render)
		}
		if src.detail != "" {
			wrapped(src.detail, st.Muted.Render)
		}
	}
	if len(p.sched.sources) == 0 {
		lines = append(lines, st.Muted.Render(" no sources"))
	}
	for _, c := range p.credits {
		lines = append(lines, st.Muted.Render(" "+c))
	}
	return fitLines(lines, w, p.height)
}

// fitLines keeps at most h lines, each cut to w cells, joined.
func fitLines(lines []string, w, h int) string {
	if len(lines) > h {
		lines = lines[:max(0, h)]
	}
	for i := range lines {
		lines[i] = ansi.Truncate(lines[i], w, "…")
	}
	return strings.Join(lines, "\n")
}
