package fulltext

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// cleanArticle runs the extracted article's HTML through the cleaner that
// makes every stored feed body, and returns what steppe stores of a body:
// the sanitised HTML (feeds.Article.Body) and its plain text
// (feeds.Article.Content). base resolves relative links and images.
//
// The cleaner's one exported door today is feeds.ParseAt, so the HTML goes
// in as the content_html of a one-item JSON Feed (JSON, unlike XML, carries
// any text without a second layer of escaping to undo). When the cleaner
// gets an exported function of its own, this is the one place to change.
func cleanArticle(fragment, base string) (body, text string, err error) {
	type item struct {
		ID          string `json:"id"`
		URL         string `json:"url"`
		ContentHTML string `json:"content_html"`
	}
	doc := struct {
		Version string `json:"version"`
		Title   string `json:"title"`
		Items   []item `json:"items"`
	}{"https://jsonfeed.org/version/1.1", "page", []item{{ID: base, URL: base, ContentHTML: fragment}}}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return "", "", err
	}
	arts, err := feeds.ParseAt(buf.Bytes(), "application/feed+json", base, base, time.Time{})
	if err != nil {
		return "", "", err
	}
	if len(arts) != 1 {
		return "", "", fmt.Errorf("the cleaner returned %d items for one", len(arts))
	}
	return arts[0].Body, arts[0].Content, nil
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
				if t := feeds.Clean(words.String()); t != "" {
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
