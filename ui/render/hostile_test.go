package render

import (
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostileTexts returns every text of the repository's hostile feeds in the
// forms a body can carry it: the raw file (its &#27; references decode to
// ESC in the HTML parser), each XML character-data or JSON string value
// decoded once (so &amp;#27; becomes &#27;, and JSON \u001b a raw ESC).
// Links among them (javascript:, file://localhost/…, -oProxyCommand) are
// tried as href and src.
func hostileTexts(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../../testdata/hostile/*")
	if err != nil || len(files) < 4 {
		t.Fatalf("hostile feeds not found: %v %v", files, err)
	}
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
		switch filepath.Ext(f) {
		case ".xml":
			out = append(out, xmlTexts(string(b))...)
		case ".json":
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatal(err)
			}
			out = append(out, jsonStrings(v)...)
		}
	}
	return out
}

// xmlTexts returns the character data of an XML document, entities decoded
// once, and its CDATA sections as they are. (encoding/xml refuses the
// character references to controls these feeds are made of.)
func xmlTexts(s string) []string {
	var out []string
	for s != "" {
		switch {
		case strings.HasPrefix(s, "<![CDATA["):
			end := strings.Index(s, "]]>")
			if end < 0 {
				end = len(s) - 3
			}
			out = append(out, s[9:end])
			s = s[end+3:]
		case s[0] == '<':
			j := strings.IndexByte(s, '>')
			if j < 0 {
				return out
			}
			s = s[j+1:]
		default:
			j := strings.IndexByte(s, '<')
			if j < 0 {
				j = len(s)
			}
			if text := s[:j]; strings.TrimSpace(text) != "" {
				out = append(out, html.UnescapeString(text))
			}
			s = s[j:]
		}
	}
	return out
}

func jsonStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			out = append(out, jsonStrings(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, e := range v {
			out = append(out, jsonStrings(e)...)
		}
		return out
	}
	return nil
}

// TestHostile: every escape class of the hostile feeds, as markup and as
// text nodes in every kind of element, never reaches the output as
// anything but plain text, and no link other than http(s) is collected.
func TestHostile(t *testing.T) {
	texts := hostileTexts(t)
	var bodies []string
	for _, s := range texts {
		esc := html.EscapeString(s) // the text arrives as one text node
		bodies = append(bodies, s,
			"<p>"+esc+"</p>",
			"<h2>"+esc+"</h2><ul><li>"+esc+"</li></ul><blockquote>"+esc+"</blockquote>",
			"<pre><code>"+esc+"</code></pre>",
			"<table><tr><th>"+esc+"</th><td>"+esc+"</td></tr></table>",
			`<p><a href="https://ok.example/">`+esc+`</a><img src="https://ok.example/i" alt="`+esc+`"></p>`,
			`<a href="`+esc+`">link</a><img src="`+esc+`">`,
		)
	}
	bodies = append(bodies, "<p>&#27;[2J&#x1b;]52;c;cm0gLXJm&#7;&#155;31m&#x9d;8;;https://evil.example/&#x9c;x</p>")
	for _, st := range []*Styles{DefaultStyles(true), DefaultStyles(false), plainStyles()} {
		for _, body := range bodies {
			for _, w := range []int{12, 40, 100} {
				for _, d := range []Doc{HTML(body, w, st), Plain(body, w, st)} {
					checkLines(t, d.Lines, w, st.Text.GetForeground() != nil)
					checkLinks(t, d.Links)
				}
			}
		}
	}
}

func checkLinks(t *testing.T, links []Link) {
	t.Helper()
	seen := map[string]bool{}
	for i, l := range links {
		if l.N != i+1 {
			t.Errorf("link %d numbered %d", i+1, l.N)
		}
		if seen[l.URL] {
			t.Errorf("link %q collected twice", l.URL)
		}
		seen[l.URL] = true
		lower := strings.ToLower(l.URL)
		if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
			t.Errorf("link %q is not http(s)", l.URL)
		}
		if bad := badEscape(l.URL, false); bad != "" || strings.ContainsAny(l.URL, " \t") {
			t.Errorf("link %q: %s", l.URL, bad)
		}
		if bad := badEscape(l.Text, false); bad != "" {
			t.Errorf("link text %q: %s", l.Text, bad)
		}
	}
}

// TestEscapeAsTextNode: a reference to ESC in a text node decodes once, in
// the parser, and is then removed; a double-encoded one stays visible text
// (and &#x9b; is U+203A in HTML, which maps 0x80–0x9F to Windows-1252).
func TestEscapeAsTextNode(t *testing.T) {
	d := HTML("<p>a&#27;[2Jb &amp;#27;[31m c&#x9b;1m</p>", 40, nil)
	checkLines(t, d.Lines, 40, true)
	got := plain("<p>a&#27;[2Jb &amp;#27;[31m c&#x9b;1m</p>", 40)
	if len(got) != 1 || got[0] != "ab &#27;[31m c›1m" {
		t.Errorf("got %q", got)
	}
}
