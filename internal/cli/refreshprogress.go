package cli

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/textfmt"
)

// terminalWidth returns the width of w when it is a terminal.
func terminalWidth(w io.Writer) (int, bool) {
	if ew, ok := w.(*errWriter); ok {
		w = ew.w
	}
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return 0, false
	}
	width, _, err := term.GetSize(f.Fd())
	if err != nil || width < 20 {
		width = 80
	}
	return width, true
}

// progressEvery is how often the live progress line is redrawn.
const progressEvery = 100 * time.Millisecond

// refreshProgress counts a refresh's feeds as they finish and, on a
// terminal, keeps one line up to date: feeds done of total, new
// articles, failures. It writes nothing but that line, which done clears.
type refreshProgress struct {
	w     io.Writer
	width int
	total int
	start time.Time

	mu                                   sync.Mutex
	done, fresh, failed, notMod, skipped int
	stop, stopped                        chan struct{}
}

func newRefreshProgress(w io.Writer, width, total int) *refreshProgress {
	p := &refreshProgress{w: w, width: width, total: total, start: time.Now(),
		stop: make(chan struct{}), stopped: make(chan struct{})}
	go p.loop()
	return p
}

// add counts one feed's result (safe for concurrent use).
func (p *refreshProgress) add(r feeds.Result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	switch {
	case r.Err != nil:
		p.failed++
	case r.Skipped:
		p.skipped++
	case r.NotModified:
		p.notMod++
	}
	p.fresh += r.New
}

func (p *refreshProgress) loop() {
	defer close(p.stopped)
	t := time.NewTicker(progressEvery)
	defer t.Stop()
	p.draw()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.draw()
		}
	}
}

// line is the progress line's text.
func (p *refreshProgress) line() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := fmt.Sprintf("refreshing: %d/%d feeds, %s", p.done, p.total, textfmt.Plural(p.fresh, "new article", "new articles"))
	if p.failed > 0 {
		s += fmt.Sprintf(", %d failed", p.failed)
	}
	return s + fmt.Sprintf(" (%s)", roundDur(time.Since(p.start)))
}

func (p *refreshProgress) draw() {
	s := clipRunes(p.line(), p.width-1)
	// \r and "erase to the end of the line": the line never wraps, so it
	// stays one line however it shrinks.
	fmt.Fprintf(p.w, "\r%s\x1b[K", s)
}

// finish stops the line and clears it.
func (p *refreshProgress) finish() {
	close(p.stop)
	<-p.stopped
	fmt.Fprint(p.w, "\r\x1b[K")
}

// summary is the one line printed after a refresh on a terminal.
func (p *refreshProgress) summary(took time.Duration) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := fmt.Sprintf("%s refreshed in %s: %s", textfmt.Plural(p.total, "feed", "feeds"), roundDur(took), textfmt.Plural(p.fresh, "new article", "new articles"))
	for _, part := range []struct {
		n    int
		what string
	}{{p.failed, "failed"}, {p.notMod, "not modified"}, {p.skipped, "asked to wait"}} {
		if part.n > 0 {
			s += fmt.Sprintf(", %d %s", part.n, part.what)
		}
	}
	return s
}

// clipRunes cuts s to at most n runes, ending with "…" when cut.
func clipRunes(s string, n int) string {
	r := []rune(s)
	if n < 1 || len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
