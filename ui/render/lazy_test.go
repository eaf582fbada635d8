package render

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// lazyDoc lays a body out lazily, cut every size bytes or so, asking for a
// few lines at a time as a reader scrolling down does.
func lazyDoc(body string, plain bool, width, size int) Doc {
	z := LazyHTML(body, width, nil)
	if plain {
		z = LazyPlain(body, width, nil)
	}
	z.size = size
	for n := 1; !z.Done(); n += 3 {
		z.Ensure(n)
		if len(z.Lines()) < n && !z.Done() {
			panic("Ensure stopped short")
		}
	}
	return z.Doc()
}

// A lazy rendering is the whole rendering, line for line and link for
// link, wherever the cuts fall: the fixtures, hostile text and random
// bodies (several joined, so there are top-level blocks to cut between),
// cut as often as possible and at a few sizes.
func TestLazyIsWhole(t *testing.T) {
	check := func(t *testing.T, body string, plain bool, width int) {
		t.Helper()
		want := HTML(body, width, nil)
		if plain {
			want = Plain(body, width, nil)
		}
		for _, size := range []int{1, 50, 700, chunkBytes} {
			got := lazyDoc(body, plain, width, size)
			if !slices.Equal(got.Lines, want.Lines) || !slices.Equal(got.Links, want.Links) {
				t.Fatalf("chunks of %d at width %d differ from the whole:\n%s\nwant:\n%s\nbody: %q", size, width, dump(got), dump(want), body)
			}
		}
	}
	for _, name := range []string{"wordpress.html", "russian.html", "blogger.html", "legacy.md"} {
		body := fixture(t, name)
		for _, w := range []int{20, 40, 100} {
			t.Run(fmt.Sprintf("%s_%d", name, w), func(t *testing.T) {
				check(t, body, strings.HasSuffix(name, ".md"), w)
				check(t, strings.Repeat(body, 3), strings.HasSuffix(name, ".md"), w)
			})
		}
	}
	t.Run("hostile", func(t *testing.T) {
		for _, h := range hostileTexts(t) {
			check(t, h, false, 40)
			check(t, h, true, 40)
		}
	})
	// Random bodies, misnested as they come and as the store keeps them:
	// parsed and written out again (htmlclean's output).
	t.Run("random", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		for range 300 {
			var parts []string
			for range 1 + rng.IntN(5) {
				parts = append(parts, randomHTML(rng, 0))
			}
			body, w := strings.Join(parts, "\n"), 10+rng.IntN(60)
			check(t, body, false, w)
			check(t, normalised(t, body), false, w)
		}
	})
	t.Run("edges", func(t *testing.T) {
		for _, body := range []string{
			"", "<p>a</p>", "<p>a</p><p>b", "<p>a</p><!-- </p> -->tail", "<p>a</p><script>x</p>y</script><p>z</p>",
			`<p title="</p>">a</p><p>b</p>`, "<p>a</p><plaintext></p>b", "<p>a</p><hr><p>b</p>", "<P>A</P><DIV>b</DIV>",
			"<ul><li>a<li>b</ul><p>c</p>", "<p><b>bold</p><p>still</p>", "<p>x</p>< p>y</p>", "<html><body><p>a</p><p>b</p></body></html>",
			"<p>a</p><textarea></p></textarea><p>b</p>", "<table><tr><td>a</td></tr></table><p>b</p>",
		} {
			check(t, body, false, 30)
		}
		for _, text := range []string{
			"", "a\n\nb", "- a\n\nb", "- a\n\n  more\n\nb", "```\na\n\nb\n```\n\nc", "> q\n\n> r\n\ns", "1. a\n\n2. b\n\nc",
			"~~~\nx\n\n~~~\n\ny", "a  \nb\n\n\n\nc\n", "\t- tab\n\nx",
		} {
			check(t, text, true, 30)
		}
	})
}

// Opening a large body lays out only what is asked for.
func TestLazyOpensLittle(t *testing.T) {
	body := strings.Repeat(fixture(t, "wordpress.html"), 2000) // ~10 MB
	z := LazyHTML(body, 80, nil)
	z.Ensure(100)
	if z.Done() || z.pos > 4*chunkBytes || len(z.Lines()) < 100 {
		t.Fatalf("laid out %d bytes of %d for 100 lines (%d lines)", z.pos, len(body), len(z.Lines()))
	}
	if est := z.Estimate(); est < 100*len(body)/z.pos/2 {
		t.Fatalf("estimate %d", est)
	}
	d := z.Doc()
	if !z.Done() || z.Estimate() != len(d.Lines) {
		t.Fatalf("estimate %d of %d lines once done", z.Estimate(), len(d.Lines))
	}
}

// normalised is body parsed and rendered back, the form a stored body has.
func normalised(t *testing.T, body string) string {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(body), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, n := range nodes {
		if err := html.Render(&b, n); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}
