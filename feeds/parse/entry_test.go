package parse

import (
	"strings"
	"testing"
	"time"
)

// An entry from a sync server is cleaned as a feed's item is: the same
// body, text, summary and date, and nothing hostile survives.
func TestFromEntryMatchesAFeedItem(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	pub := time.Date(2026, 12, 6, 9, 30, 0, 0, time.UTC)
	html := `<p>Тенге <b>укрепился</b> на 0,3%.</p><script>alert(1)</script><p><a href="/more">Ещё</a> и <a href="javascript:x()">нет</a>` + "\x1b[31m</p>"
	it := FromEntry(Entry{GUID: "42", Title: "Курс \x1b]0;x\x07тенге", Link: "https://kz.example/a/1", Author: "Ред.", HTML: html, Published: pub},
		"https://kz.example/rss", now)
	if it.Title != "Курс тенге" || it.Link != "https://kz.example/a/1" || it.Author != "Ред." || !it.Published.Equal(pub) || it.NoDate {
		t.Errorf("item = %+v", it)
	}
	if strings.Contains(it.Body, "script") || strings.Contains(it.Body, "javascript") || strings.Contains(it.Body+it.Content, "\x1b") {
		t.Errorf("hostile content kept: %q / %q", it.Body, it.Content)
	}
	if !strings.Contains(it.Body, `<a href="https://kz.example/more">Ещё</a>`) || !strings.Contains(it.Content, "Тенге укрепился на 0,3%.") {
		t.Errorf("body %q\ncontent %q", it.Body, it.Content)
	}
	if it.Summary == "" || it.ID == "" {
		t.Errorf("summary %q id %q", it.Summary, it.ID)
	}
	// The same entry from a feed gives the same item.
	html = strings.ReplaceAll(html, "\x1b[31m", "")
	it = FromEntry(Entry{GUID: "42", Title: "Курс тенге", Link: "https://kz.example/a/1", Author: "Ред.", HTML: html, Published: pub},
		"https://kz.example/rss", now)
	rss := `<rss version="2.0"><channel><title>x</title><item><guid>42</guid><title>Курс тенге</title><link>https://kz.example/a/1</link><author>Ред.</author><pubDate>Sun, 06 Dec 2026 09:30:00 GMT</pubDate><description><![CDATA[` + html + `]]></description></item></channel></rss>`
	items, err := Feed([]byte(rss), "application/rss+xml", "https://kz.example/rss", "https://kz.example/rss", now)
	if err != nil || len(items) != 1 {
		t.Fatal(err, len(items))
	}
	if items[0].Body != it.Body || items[0].Content != it.Content || items[0].Summary != it.Summary || items[0].ID != it.ID {
		t.Errorf("feed item %+v\nentry item %+v", items[0], it)
	}
	// No date: first seen.
	if it := FromEntry(Entry{Title: "t", Link: "https://kz.example/2"}, "https://kz.example/rss", now); !it.NoDate || !it.Published.Equal(now) {
		t.Errorf("undated entry: %+v", it)
	}
}
