package fulltext

import (
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/net/html"

	"github.com/steppe-news/steppe/feeds/htmlclean"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// cleanArticle runs the extracted article's HTML through the cleaner that
// makes every stored feed body (htmlclean.Cleaner), and returns what steppe
// stores of a body: the sanitised HTML (feeds.Article.Body) and its plain
// text (feeds.Article.Content). base resolves relative links and images.
func cleanArticle(fragment, base string) (body, text string, err error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", "", fmt.Errorf("page URL %q: %w", sanitize.Redact(base), err)
	}
	var c htmlclean.Cleaner
	body, text = c.Body(fragment, false, u)
	return body, text, nil
}

// Link is a link of the article's text.
type Link struct {
	URL  string // absolute http(s), passed by sanitize.HTTPURL
	Text string // the link's words, one clean line ("" for an image link)
}

// links lists the links of sanitised HTML (the cleaner has kept only
// absolute http(s) hrefs), each URL once, in order of first appearance,
// with the words of its first occurrence.
func links(body string) []Link {
	var out []Link
	seen := map[string]int{}
	z := html.NewTokenizer(strings.NewReader(body))
	cur := -1 // index in out of the link being read, -1 outside one
	var words strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "a" {
				continue
			}
			href := ""
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if string(k) == "href" {
					href = string(v)
				}
			}
			u, err := sanitize.HTTPURL(href)
			if err != nil {
				continue
			}
			s := u.String()
			if i, ok := seen[s]; ok {
				if out[i].Text == "" {
					cur = i // an image link first, words later
					words.Reset()
				}
				continue
			}
			seen[s] = len(out)
			cur = len(out)
			out = append(out, Link{URL: s})
			words.Reset()
		case html.TextToken:
			if cur >= 0 {
				words.Write(z.Text())
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "a" && cur >= 0 {
				if t := sanitize.Line(words.String()); t != "" {
					out[cur].Text = t
				}
				cur = -1
			}
		}
	}
}

// firstImage is the src of the first img of sanitised HTML, or "".
func firstImage(body string) string {
	z := html.NewTokenizer(strings.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "img" {
				continue
			}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if string(k) == "src" {
					if u, err := sanitize.HTTPURL(string(v)); err == nil {
						return u.String()
					}
				}
			}
		}
	}
}
