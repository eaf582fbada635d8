package parse

import (
	"bytes"
	"fmt"
)

// maxXMLDepth is how deeply a feed's XML may nest elements. Real feeds nest a
// few levels, XHTML content a few dozen; gofeed keeps every unknown
// extension element as a tree, and 940,000 nested ones in a 10 MB feed
// took 1.3 GB.
const maxXMLDepth = 1000

// checkDepth refuses XML that nests elements deeper than maxXMLDepth, before
// gofeed builds a tree of them. It reads tags only: comments, CDATA
// sections, processing instructions and declarations are passed over, and
// a quoted attribute value may hold '>'.
func checkDepth(body []byte) error {
	depth := 0
	for i := 0; ; {
		j := bytes.IndexByte(body[i:], '<')
		if j < 0 || i+j+1 >= len(body) {
			return nil
		}
		i += j + 1
		var end int
		switch rest := body[i:]; {
		case bytes.HasPrefix(rest, []byte("!--")):
			end = after(rest, "-->")
		case bytes.HasPrefix(rest, []byte("![CDATA[")):
			end = after(rest, "]]>")
		case rest[0] == '?' || rest[0] == '!':
			end = after(rest, ">")
		case rest[0] == '/':
			depth--
			end = after(rest, ">")
		default:
			n, empty := startTagEnd(rest)
			if !empty {
				if depth++; depth > maxXMLDepth {
					return fmt.Errorf("elements nested more than %d deep", maxXMLDepth)
				}
			}
			end = n
		}
		if end < 0 {
			return nil // cut short: the parser says so
		}
		i += end
	}
}

// after is the length of b up to and including the first sep, or -1.
func after(b []byte, sep string) int {
	k := bytes.Index(b, []byte(sep))
	if k < 0 {
		return -1
	}
	return k + len(sep)
}

// startTagEnd is the length of the start tag b begins (after its '<') up
// to and including its '>', outside quoted values, or -1; empty says it
// ends "/>".
func startTagEnd(b []byte) (n int, empty bool) {
	var quote byte
	for i, c := range b {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i + 1, i > 0 && b[i-1] == '/'
		}
	}
	return -1, false
}
