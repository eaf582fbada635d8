package parse

import (
	"bytes"
	"mime"

	"github.com/mmcdole/gofeed"
)

// Title returns the title a feed document gives itself, as gofeed reads
// it, not yet cleaned; "" when it has none or body is not a feed.
// contentType is the HTTP Content-Type (its charset is used when the body
// does not say better).
func Title(body []byte, contentType string) string {
	_, params, _ := mime.ParseMediaType(contentType)
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(XMLSafe(UTF8(body, params["charset"]))))
	if err != nil || feed == nil {
		return ""
	}
	return feed.Title
}
