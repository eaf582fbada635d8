package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// BenchmarkKeypress is one `j`/`k` keypress (Update + View) on a loaded page.
func BenchmarkKeypress(b *testing.B) {
	f := newFixture(b, 120, 40)
	j, k := keyMsg("j"), keyMsg("k")
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		msg := j
		if i%2 == 1 {
			msg = k
		}
		f.m.Update(msg)
		_ = f.m.View()
	}
}

// BenchmarkTickerFrame is one scroll frame of the ticker (Update + View).
func BenchmarkTickerFrame(b *testing.B) {
	f := newFixture(b, 120, 40)
	t := f.m.ticker
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		_, _ = t.Update(tickerTickMsg{version: t.version})
		_ = t.View()
	}
}

// BenchmarkTickerFrameRoot is a ticker frame as Bubble Tea runs it: the root
// Update and the whole screen's View.
func BenchmarkTickerFrameRoot(b *testing.B) {
	f := newFixture(b, 120, 40)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		f.m.Update(tickerTickMsg{version: f.m.ticker.version})
		_ = f.m.View()
	}
}

var _ tea.Model = (*Model)(nil)
