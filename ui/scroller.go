package ui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// scroller is what the panes drawn over the list share (sources, rates,
// help, feeds, links): a title line that stays, a body that scrolls with the
// reader's keys when it does not fit, and a line that says there is more.
type scroller struct {
	sh     *shared
	title  string // " Sources"
	hint   string // "(e or esc to close)"
	offset int    // first body line shown
	total  int    // body lines at the last draw

	width, height int
}

func (s *scroller) SetSize(w, h int) { s.width, s.height = w, h }

func (s *scroller) ShortHelp() []key.Binding {
	k := s.sh.keys
	if s.total > s.room() {
		return []key.Binding{k.ScrollDown, k.PageDown, k.Top, k.Back, k.Quit}
	}
	return []key.Binding{k.Back, k.Quit}
}

func (s *scroller) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }

// room is how many body lines fit under the title; page is how far the
// page keys move (a line of the last page stays in view).
func (s *scroller) room() int { return max(0, s.height-1) }
func (s *scroller) page() int { return max(1, s.room()-1) }

// scrollKey handles back and the scroll keys; it reports whether msg was
// one of them.
func (s *scroller) scrollKey(msg tea.Msg) (tea.Cmd, bool) {
	k, page := s.sh.keys, s.page()
	if m, ok := msg.(tea.MouseWheelMsg); ok {
		switch m.Button {
		case tea.MouseWheelDown:
			s.offset++
		case tea.MouseWheelUp:
			s.offset--
		default:
			return nil, false
		}
		s.clamp()
		return nil, true
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, false
	}
	switch {
	case key.Matches(km, k.Back):
		return s.sh.io.post(closeMsg{}), true
	case key.Matches(km, k.ScrollDown):
		s.offset++
	case key.Matches(km, k.ScrollUp):
		s.offset--
	case key.Matches(km, k.PageDown):
		s.offset += page
	case key.Matches(km, k.PageUp):
		s.offset -= page
	case key.Matches(km, k.Top):
		s.offset = 0
	case key.Matches(km, k.Bottom):
		s.offset = s.total
	default:
		return nil, false
	}
	s.clamp()
	return nil, true
}

// pick handles the keys of a pane with a selection: the scroll keys move
// it (through move, which keeps it in view), a line, a page or to either
// end; the read key (enter) chooses it. handled says whether the key was
// one of them.
func (s *scroller) pick(msg tea.KeyPressMsg, move func(int)) (chosen, handled bool) {
	const far = 1 << 30 // past either end: move stops at the last choice
	k, page := s.sh.keys, s.page()
	switch {
	case key.Matches(msg, k.Read) || msg.Code == tea.KeyEnter && msg.Mod == 0:
		return true, true
	case key.Matches(msg, k.ScrollDown):
		move(1)
	case key.Matches(msg, k.ScrollUp):
		move(-1)
	case key.Matches(msg, k.PageDown):
		move(page)
	case key.Matches(msg, k.PageUp):
		move(-page)
	case key.Matches(msg, k.Top):
		move(-far)
	case key.Matches(msg, k.Bottom):
		move(far)
	default:
		return false, false
	}
	return false, true
}

func (s *scroller) clamp() {
	s.offset = max(0, min(s.offset, s.total-s.room()))
}

// scrollTo makes body line i visible: on screen and not under the line
// that says there is more above or below (frame draws those over the
// first and last lines).
func (s *scroller) scrollTo(i int) {
	room := s.room()
	first := s.offset // the first body line not covered
	if s.offset > 0 && room >= 3 {
		first++
	}
	last := s.offset + room - 1 // the last body line not covered
	if s.total-s.offset-room > 0 && room >= 2 {
		last--
	}
	switch {
	case i < first:
		s.offset = max(0, i-1) // line i-1 takes the "more above" line
	case i > last:
		s.offset = i - room + 1
		if room >= 2 && s.total-s.offset-room > 0 {
			s.offset++ // the "more below" line under i, not over it
		}
	}
	s.clamp()
}

// frameAt is frame for a pane with a selection: body line sel (-1: none)
// is scrolled into view of this body, not of the one drawn last.
func (s *scroller) frameAt(body []string, sel int) string {
	s.total = len(body)
	if sel >= 0 {
		s.scrollTo(sel)
	}
	return s.frame(body, len(body))
}

// frame draws the title and the visible window of body (total lines in
// all, of which body holds those from offset on, or all of them). When
// there is more above or below, the first or last visible line says so.
func (s *scroller) frame(body []string, total int) string {
	st := s.sh.styles
	s.total = total
	s.clamp()
	w := max(1, s.width)
	lines := []string{st.PaneTitle.Render(s.title) + st.Muted.Render("  "+s.hint)}
	room := s.room()
	from := 0
	if len(body) == total {
		from = s.offset
	}
	for i := from; i < len(body) && len(lines) < 1+room; i++ {
		lines = append(lines, body[i])
	}
	if s.offset > 0 && room >= 3 {
		lines[1] = st.Muted.Render(" ↑ " + strconv.Itoa(s.offset+1) + " more")
	}
	if below := total - s.offset - room; below > 0 && room >= 2 {
		lines[len(lines)-1] = st.Muted.Render(" ↓ " + strconv.Itoa(below+1) + " more (" + s.sh.keys.ScrollDown.Help().Key + ", " + s.sh.keys.PageDown.Help().Key + ")")
	}
	for i := range lines {
		lines[i] = truncate(lines[i], w, "…")
	}
	return strings.Join(lines, "\n")
}

// fitLines keeps at most h lines, each cut to w cells, joined.
func fitLines(lines []string, w, h int) string {
	if len(lines) > h {
		lines = lines[:max(0, h)]
	}
	for i := range lines {
		lines[i] = truncate(lines[i], w, "…")
	}
	return strings.Join(lines, "\n")
}
