package render

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

func fixture(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// dump is a Doc as text: the lines (escapes stripped), then the links.
func dump(d Doc) string {
	var b strings.Builder
	for _, l := range d.Lines {
		b.WriteString(ansi.Strip(l))
		b.WriteByte('\n')
	}
	b.WriteString("--- links\n")
	for _, l := range d.Links {
		fmt.Fprintf(&b, "[%d] %s  %q\n", l.N, l.URL, l.Text)
	}
	return b.String()
}

// TestGolden renders real-world-shaped articles at common widths; update
// with `go test ./ui/render -run TestGolden -update` and review the diff.
func TestGolden(t *testing.T) {
	for _, name := range []string{"wordpress", "russian", "blogger", "legacy"} {
		for _, w := range []int{40, 80, 100} {
			t.Run(fmt.Sprintf("%s_%d", name, w), func(t *testing.T) {
				var d Doc
				if name == "legacy" {
					d = Plain(fixture(t, "legacy.md"), w, nil)
				} else {
					d = HTML(fixture(t, name+".html"), w, nil)
				}
				checkLines(t, d.Lines, w, true)
				golden.RequireEqual(t, dump(d))
			})
		}
	}
}
