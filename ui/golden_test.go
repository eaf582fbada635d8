package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

var goldenSizes = [][2]int{{80, 24}, {120, 40}, {20, 6}}

// panes drives a fresh fixture into each pane.
var panes = map[string]func(f *fixture){
	"list":   func(f *fixture) {},
	"reader": func(f *fixture) { f.keys("j", "enter") },
	"errors": func(f *fixture) { f.keys("e") },
	"help":   func(f *fixture) { f.keys("?") },
	"rates":  func(f *fixture) { f.keys("$") },
	"search": func(f *fixture) { f.keys("/"); f.typeText("Tashkent"); f.keys("enter") },
	"typing": func(f *fixture) { f.keys("/"); f.typeText("вод") },
}

func TestGolden(t *testing.T) {
	for _, name := range []string{"list", "reader", "errors", "help", "rates", "search", "typing"} {
		for _, sz := range goldenSizes {
			t.Run(fmt.Sprintf("%s/%dx%d", name, sz[0], sz[1]), func(t *testing.T) {
				f := newFixture(t, sz[0], sz[1])
				panes[name](f)
				out := f.view()
				checkFits(t, out, sz[0], sz[1])
				golden.RequireEqual(t, ansi.Strip(out))
			})
		}
	}
}

// TestGoldenInverted is the list after `i` (USD/XXX) and a few ticker frames.
func TestGoldenInverted(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.keys("i")
	for range 7 {
		f.fire(isTick)
	}
	golden.RequireEqual(t, ansi.Strip(f.view()))
}

func checkFits(t testing.TB, out string, w, h int) {
	t.Helper()
	lines := strings.Split(out, "\n")
	if len(lines) > h {
		t.Errorf("%dx%d: %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("%dx%d: line %d is %d wide: %q", w, h, i, lw, ansi.Strip(l))
		}
	}
}

// TestEverySizeFits resizes through many sizes in every pane.
func TestEverySizeFits(t *testing.T) {
	var sizes [][2]int
	for w := 20; w <= 200; w += 7 {
		for h := 6; h <= 60; h += 5 {
			sizes = append(sizes, [2]int{w, h})
		}
	}
	sizes = append(sizes, [2]int{20, 6}, [2]int{21, 7}, [2]int{200, 60}, [2]int{33, 11}, [2]int{40, 12})
	for name, drive := range panes {
		f := newFixture(t, 80, 24)
		drive(f)
		for _, sz := range sizes {
			f.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			f.fire(isTick)
			out := f.view()
			if strings.Contains(out, "too small") {
				t.Errorf("%s %v: says too small", name, sz)
			}
			checkFits(t, out, sz[0], sz[1])
		}
		for _, sz := range [][2]int{{19, 6}, {20, 5}, {5, 2}, {1, 1}, {80, 3}, {12, 40}} {
			f.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			out := f.view()
			checkFits(t, out, sz[0], sz[1])
			if !strings.Contains(out, "too") && sz[0] >= 3 {
				t.Errorf("%s %v: no too-small message: %q", name, sz, out)
			}
		}
	}
}
