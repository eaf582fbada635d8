package htmlclean

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/html"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// bodyElements are the elements sanitised HTML may hold (see the package
// documentation).
var bodyElements = map[string]bool{
	"p": true, "br": true, "hr": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"ul": true, "ol": true, "li": true, "blockquote": true, "pre": true, "code": true, "em": true,
	"strong": true, "a": true, "img": true, "figure": true, "figcaption": true, "table": true,
	"thead": true, "tbody": true, "tr": true, "th": true, "td": true, "dl": true, "dt": true,
	"dd": true, "sub": true, "sup": true, "del": true,
}

var voidElements = map[string]bool{"br": true, "hr": true, "img": true}

// Check holds body to the contract of the sanitised HTML Cleaner.Body
// writes (see the package documentation): only the allowed elements and
// attributes, absolute http(s) URLs, every element closed and properly
// nested, void elements self-closed, text free of anything sanitize.Text
// would remove. It returns the first breach, nil for a body that keeps
// the contract. Tests of every layer that stores or shows a body use it.
func Check(body string) error {
	z := html.NewTokenizer(strings.NewReader(body))
	var stack []string
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if err := z.Err(); !errors.Is(err, io.EOF) {
				return err
			}
			if len(stack) > 0 {
				return fmt.Errorf("unclosed %v", stack)
			}
			return nil
		case html.TextToken:
			text := string(z.Text())
			if c := sanitize.Text(text, true); c != text {
				return fmt.Errorf("text %q is not clean (%q)", text, c)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			n := string(name)
			if !bodyElements[n] {
				return fmt.Errorf("element <%s>", n)
			}
			if voidElements[n] != (tt == html.SelfClosingTagToken) {
				return fmt.Errorf("<%s> written as %v", n, tt)
			}
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				if err := checkAttr(n, string(k), string(v)); err != nil {
					return err
				}
			}
			if tt == html.StartTagToken {
				stack = append(stack, n)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if len(stack) == 0 || stack[len(stack)-1] != string(name) {
				return fmt.Errorf("</%s> closes %v", name, stack)
			}
			stack = stack[:len(stack)-1]
		default:
			return fmt.Errorf("token %v: %q", tt, z.Raw())
		}
	}
}

func checkAttr(elem, key, val string) error {
	switch {
	case elem == "a" && key == "href", elem == "img" && key == "src":
		if _, err := sanitize.HTTPURL(val); err != nil {
			return fmt.Errorf("<%s %s=%q>: %v", elem, key, val, err)
		}
	case elem == "img" && key == "alt":
		if sanitize.Text(val, false) != val {
			return fmt.Errorf("alt %q is not clean", val)
		}
	case elem == "ol" && key == "start":
		if _, err := strconv.Atoi(val); err != nil {
			return fmt.Errorf("ol start %q", val)
		}
	default:
		return fmt.Errorf("attribute %s on <%s>", key, elem)
	}
	return nil
}
