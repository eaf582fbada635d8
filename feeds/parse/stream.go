package parse

import (
	"bufio"
	"bytes"
	"container/heap"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/charset"

	"github.com/steppe-news/steppe/feeds/htmlclean"
	"github.com/steppe-news/steppe/internal/netmsg"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// Limits of Stream: what one piece of a streamed feed may hold.
const (
	// MaxHead is the most a streamed feed may carry before its first item
	// (its channel's title, image, …).
	MaxHead = 4 << 20
	// MaxItemBytes is the largest item a streamed feed may carry.
	MaxItemBytes = 32 << 20
	// batchBytes is about how much of the feed's items is parsed at once.
	batchBytes = 1 << 20
	// batchItems is the most items parsed at once.
	batchItems = 2000
)

// ReadError is Stream failing to read its reader (the network, a
// decompressor): not the feed's fault.
type ReadError struct{ Err error }

func (e *ReadError) Error() string { return e.Err.Error() }
func (e *ReadError) Unwrap() error { return e.Err }

// Stream is Feed for a body read from r, with bounded memory: it keeps the
// newest keep items (by Published; of items dated the same, those earlier
// in the feed) and returns them in feed order with how many items the feed
// carried. Memory is about the kept items plus one item, the feed's head
// (at most MaxHead) and a batch of about a megabyte, whatever the size of
// the document.
//
// RSS and Atom are split into their items on the fly: each batch of items
// is parsed by Feed's own path as a document of the feed's head, the items
// and the closing tags, so a streamed item reads as it would in a small
// feed. A JSON Feed is read item by item with encoding/json. An error
// reading r is a *ReadError; any other error is in Feed's words ("not a
// valid feed: …").
func Stream(r io.Reader, contentType, feedURL, finalURL string, now time.Time, keep int) (Streamed, error) {
	keep = max(keep, 1)
	br := bufio.NewReaderSize(r, 64<<10)
	peek, err := br.Peek(64 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return Streamed{}, &ReadError{err}
	}
	if len(bytes.TrimSpace(peek)) == 0 {
		return Streamed{}, errors.New("empty response")
	}
	s := &streamer{contentType: contentType, feedURL: feedURL, finalURL: finalURL, now: now, k: keeper{keep: keep}}
	if t := bytes.TrimLeft(bytes.TrimPrefix(peek, []byte("\xef\xbb\xbf")), " \t\r\n"); len(t) > 0 && t[0] == '{' {
		err = s.json(br)
	} else {
		err = s.xml(br, peek)
	}
	if err != nil {
		return Streamed{}, err
	}
	return Streamed{Items: s.k.items(), Total: s.k.total, Title: s.title}, nil
}

// Streamed is what Stream read.
type Streamed struct {
	Items []Item // the newest kept, in feed order
	Total int    // the items the feed carried
	Title string // the title the feed gives itself, as Title reads it
}

// Newest returns the newest n of items, in their order: by Published, and
// of items dated the same those earlier in the slice (a feed lists its
// newest first). items itself is returned when it has at most n.
func Newest(items []Item, n int) []Item {
	if len(items) <= n || n <= 0 {
		return items
	}
	k := keeper{keep: n}
	for i := range items {
		if k.wants(items[i].Published) {
			k.add(items[i])
		} else {
			k.total++
		}
	}
	return k.items()
}

// streamer is one Stream's state.
type streamer struct {
	contentType, feedURL, finalURL string
	now                            time.Time
	k                              keeper
	c                              htmlclean.Cleaner
	title                          string
}

// parsed takes the items of one batch document.
func (s *streamer) parsed(doc []byte) error {
	items, base, err := rawItems(doc, s.contentType, s.finalURL)
	if err != nil {
		return err
	}
	for i := range items {
		if d, _ := itemDate(&items[i], s.now); !s.k.wants(d) {
			s.k.total++
			continue
		}
		s.k.add(normalise(&items[i], &s.c, base, s.feedURL, s.now))
	}
	return nil
}

// xml streams an RSS or Atom document; peek is its start.
func (s *streamer) xml(br *bufio.Reader, peek []byte) error {
	var r io.Reader = br
	if label := streamCharset(peek, s.contentType); label != "" {
		enc, _ := charset.Lookup(label)
		if enc == nil {
			return fmt.Errorf("not a valid feed: unknown charset %s", sanitize.Line(label))
		}
		r = bufio.NewReaderSize(enc.NewDecoder().Reader(br), 64<<10)
	}
	// The batches are UTF-8 from here on, whatever the HTTP header said.
	s.contentType = "application/xml; charset=utf-8"
	sp := &splitter{r: bufio.NewReaderSize(r, 64<<10)}
	var batch []byte
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		doc := append(batch, sp.closers...)
		if !utf8.Valid(doc) {
			doc = bytes.ToValidUTF8(doc, []byte("\uFFFD"))
		}
		err := s.parsed(doc)
		batch, n = batch[:len(sp.head)], 0
		return err
	}
	for {
		it, err := sp.next()
		if err != nil {
			return err
		}
		if it == nil {
			break
		}
		if batch == nil {
			batch = append(make([]byte, 0, len(sp.head)+batchBytes+len(it)), sp.head...)
		}
		batch = append(batch, it...)
		n++
		if len(batch)-len(sp.head) >= batchBytes || n >= batchItems {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if !sp.seen {
		// No item at all: the document is its head, parsed whole.
		head := bytes.ToValidUTF8(sp.head, []byte("\uFFFD"))
		s.title = Title(head, s.contentType)
		return s.parsed(head)
	}
	s.title = Title(bytes.ToValidUTF8(append(slices.Clip(sp.head), sp.closers...), []byte("\uFFFD")), s.contentType)
	if len(sp.stack) > 0 {
		return fmt.Errorf("not a valid feed: XML syntax error: unexpected EOF (<%s> not closed)", sanitize.Line(sp.stack[len(sp.stack)-1]))
	}
	return flush()
}

// streamCharset is the charset a streamed document's bytes are in, ""
// for UTF-8, judged by its first bytes (see UTF8 for the rules).
func streamCharset(peek []byte, contentType string) string {
	_, params, _ := mime.ParseMediaType(contentType)
	peek = bytes.TrimPrefix(peek, []byte("\xef\xbb\xbf"))
	// The peek may end inside a character.
	for i := 0; i < 3 && len(peek) > 0 && !utf8.Valid(peek); i++ {
		peek = peek[:len(peek)-1]
	}
	label, _ := charsetLabel(peek, params["charset"])
	return label
}

// splitter cuts an RSS or Atom document into its items as it reads: the
// head is the document up to its first item, closers the end tags of the
// elements open there; each item is its element's bytes. It knows XML's
// lexical structure (comments, CDATA, processing instructions, quoted
// attribute values, a DOCTYPE's internal subset) and no more: each batch
// is parsed for real afterwards.
type splitter struct {
	r       *bufio.Reader
	head    []byte
	closers []byte
	stack   []string // the elements open outside items
	seen    bool     // an item was seen: head and closers are final
	item    []byte
	mark    []byte // markup's buffer
}

var errItemTooLarge = fmt.Errorf("not a valid feed: an item larger than %s", netmsg.Bytes(MaxItemBytes))

// next returns the next item's bytes (valid until the next call), or nil
// at the end of the document.
func (sp *splitter) next() ([]byte, error) {
	depth := 0 // inside an item when > 0
	for {
		var dst *[]byte
		switch {
		case depth > 0:
			dst = &sp.item
		case !sp.seen:
			dst = &sp.head
		}
		// Text up to the next markup.
		if err := sp.readTo('<', dst); err != nil {
			if errors.Is(err, io.EOF) && depth == 0 {
				return nil, nil
			}
			if errors.Is(err, io.EOF) {
				return nil, errors.New("not a valid feed: XML syntax error: unexpected EOF (an item not closed)")
			}
			return nil, err
		}
		if err := sp.check(depth, dst); err != nil {
			return nil, err
		}
		mark, err := sp.markup()
		if err != nil {
			return nil, err
		}
		switch {
		case len(mark) >= 2 && mark[1] == '/': // an end tag
			if depth > 0 {
				sp.item = append(sp.item, mark...)
				if depth--; depth == 0 {
					return sp.item, nil
				}
				continue
			}
			if len(sp.stack) > 0 {
				sp.stack = sp.stack[:len(sp.stack)-1]
			}
		case len(mark) >= 2 && (mark[1] == '!' || mark[1] == '?'): // comment, CDATA, PI, DOCTYPE
			if depth > 0 {
				sp.item = append(sp.item, mark...)
				continue
			}
		default: // a start tag
			empty := bytes.HasSuffix(mark, []byte("/>"))
			if depth > 0 {
				if !empty {
					depth++
				}
				sp.item = append(sp.item, mark...)
				continue
			}
			name := tagName(mark)
			if !empty && sp.isItem(name) {
				if !sp.seen {
					sp.seen = true
					for i := len(sp.stack) - 1; i >= 0; i-- {
						sp.closers = append(sp.closers, "</"+sp.stack[i]+">\n"...)
					}
				}
				sp.item = append(sp.item[:0], mark...)
				depth = 1
				continue
			}
			if !empty {
				sp.stack = append(sp.stack, name)
			}
		}
		if dst != nil && depth == 0 {
			*dst = append(*dst, mark...)
			if err := sp.check(depth, dst); err != nil {
				return nil, err
			}
		}
	}
}

// check fails when the piece being gathered outgrows its limit.
func (sp *splitter) check(depth int, dst *[]byte) error {
	switch {
	case depth > 0 && len(sp.item) > MaxItemBytes:
		return errItemTooLarge
	case depth == 0 && dst != nil && len(sp.head) > MaxHead:
		if gofeed.DetectFeedType(bytes.NewReader(sp.head[:4096])) == gofeed.FeedTypeUnknown {
			mediaType, _, _ := mime.ParseMediaType(http.DetectContentType(sp.head))
			return fmt.Errorf("not a feed: got %s", sanitize.Line(mediaType))
		}
		return fmt.Errorf("not a valid feed: no item in its first %s", netmsg.Bytes(MaxHead))
	}
	return nil
}

// isItem reports whether an element called name, opened where the stack
// says, is one of the feed's items: an RSS 2.0 or 0.9x item in the
// channel, an RSS 1.0 item in the rdf:RDF, an Atom entry in the feed.
func (sp *splitter) isItem(name string) bool {
	local := func(s string) string {
		if i := strings.LastIndexByte(s, ':'); i >= 0 {
			return s[i+1:]
		}
		return s
	}
	switch local(name) {
	case "item":
		return len(sp.stack) == 2 && local(sp.stack[0]) == "rss" && local(sp.stack[1]) == "channel" ||
			len(sp.stack) == 1 && local(sp.stack[0]) == "RDF"
	case "entry":
		return len(sp.stack) == 1 && local(sp.stack[0]) == "feed"
	}
	return false
}

// readTo copies the text before the next c into dst (when not nil) and
// consumes c.
func (sp *splitter) readTo(c byte, dst *[]byte) error {
	for {
		b, err := sp.r.ReadSlice(c)
		if len(b) > 0 && b[len(b)-1] == c && err == nil {
			b = b[:len(b)-1]
		}
		if dst != nil {
			*dst = append(*dst, b...)
			if len(*dst) > MaxItemBytes+MaxHead {
				return errItemTooLarge
			}
		}
		switch {
		case err == nil:
			return nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			return io.EOF
		default:
			return &ReadError{err}
		}
	}
}

// markup reads one piece of markup after its '<' and returns it with the
// '<': a tag, a comment, a CDATA section, a processing instruction or a
// declaration. It is valid until the next call.
func (sp *splitter) markup() ([]byte, error) {
	m := append(sp.mark[:0], '<')
	defer func() { sp.mark = m[:0] }()
	first, err := sp.r.Peek(1)
	if err != nil {
		return nil, sp.eof(err)
	}
	switch first[0] {
	case '!':
		p, _ := sp.r.Peek(9)
		switch {
		case bytes.HasPrefix(p, []byte("!--")):
			m, err = sp.until(m, "-->")
		case bytes.HasPrefix(p, []byte("![CDATA[")):
			m, err = sp.until(m, "]]>")
		default:
			m, err = sp.tag(m, true)
		}
	case '?':
		m, err = sp.until(m, "?>")
	default:
		m, err = sp.tag(m, false)
	}
	return m, err
}

// until reads through the first end after m's start.
func (sp *splitter) until(m []byte, end string) ([]byte, error) {
	last := end[len(end)-1]
	for {
		b, err := sp.r.ReadSlice(last)
		m = append(m, b...)
		if len(m) > MaxItemBytes {
			return nil, errItemTooLarge
		}
		switch {
		case err == nil:
			if len(m) >= len(end)+1 && string(m[len(m)-len(end):]) == end {
				return m, nil
			}
		case errors.Is(err, bufio.ErrBufferFull):
		default:
			return nil, sp.eof(err)
		}
	}
}

// tag reads a tag (or, decl, a declaration with its internal subset)
// through its '>', quoted values included.
func (sp *splitter) tag(m []byte, decl bool) ([]byte, error) {
	var quote byte
	brackets := 0
	for {
		b, err := sp.r.ReadSlice('>')
		from := len(m)
		m = append(m, b...)
		if len(m) > MaxItemBytes {
			return nil, errItemTooLarge
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, sp.eof(err)
		}
		for _, c := range m[from:] {
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case decl && c == '[':
				brackets++
			case decl && c == ']':
				brackets--
			}
		}
		if err == nil && quote == 0 && brackets <= 0 {
			return m, nil // the '>' read last ends the tag
		}
	}
}

func (sp *splitter) eof(err error) error {
	if errors.Is(err, io.EOF) {
		return errors.New("not a valid feed: XML syntax error: unexpected EOF")
	}
	return &ReadError{err}
}

// tagName is the element name of a start tag.
func tagName(tag []byte) string {
	t := tag[1:]
	end := bytes.IndexAny(t, " \t\r\n/>")
	if end < 0 {
		end = len(t)
	}
	return string(t[:end])
}

// json streams a JSON Feed: the members before "items" are the head of
// each batch, the items are read one by one.
func (s *streamer) json(br *bufio.Reader) error {
	dec := json.NewDecoder(br)
	bad := func(err error) error {
		var se *json.SyntaxError
		if errors.As(err, &se) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("not a valid feed: %s", sanitize.Line(err.Error()))
		}
		var re *ReadError
		if errors.As(err, &re) {
			return re
		}
		return &ReadError{err}
	}
	if t, err := dec.Token(); err != nil {
		return bad(err)
	} else if d, ok := t.(json.Delim); !ok || d != '{' {
		return errors.New("not a valid feed: a JSON feed is an object")
	}
	head := []byte("{")
	sawItems := false
	var batch []byte
	n := 0
	flush := func() error {
		if n == 0 && sawItems {
			return nil
		}
		err := s.parsed(append(batch, "]}"...))
		batch, n = batch[:0], 0
		return err
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return bad(err)
		}
		key, _ := t.(string)
		if key != "items" || sawItems {
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return bad(err)
			}
			if !sawItems && len(head)+len(v) < MaxHead {
				k, _ := json.Marshal(key)
				if len(head) > 1 {
					head = append(head, ',')
				}
				head = append(append(append(head, k...), ':'), v...)
			}
			continue
		}
		sawItems = true
		if t, err := dec.Token(); err != nil {
			return bad(err)
		} else if d, ok := t.(json.Delim); !ok || d != '[' {
			return errors.New("not a valid feed: its items are not a list")
		}
		for dec.More() {
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return bad(err)
			}
			if len(v) > MaxItemBytes {
				return errItemTooLarge
			}
			if len(batch) == 0 {
				batch = append(batch[:0], head...)
				if len(head) > 1 {
					batch = append(batch, ',')
				}
				batch = append(batch, `"items":[`...)
			} else {
				batch = append(batch, ',')
			}
			batch = append(batch, v...)
			n++
			if len(batch) >= batchBytes || n >= batchItems {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if _, err := dec.Token(); err != nil { // ]
			return bad(err)
		}
	}
	if _, err := dec.Token(); err != nil { // }
		return bad(err)
	}
	s.title = Title(append(slices.Clip(head), '}'), s.contentType)
	if !sawItems {
		return s.parsed(append(head, '}'))
	}
	return flush()
}

// keeper keeps the newest items of a feed: a min-heap by date, of which
// the root is the item to drop next.
type keeper struct {
	keep  int
	h     []kept
	seq   int // items added so far, for feed order
	total int // items seen
}

type kept struct {
	it  Item
	seq int
}

func (k *keeper) Len() int { return len(k.h) }
func (k *keeper) Less(i, j int) bool {
	a, b := k.h[i].it.Published, k.h[j].it.Published
	if !a.Equal(b) {
		return a.Before(b)
	}
	return k.h[i].seq > k.h[j].seq // of two dated the same, the later in the feed goes first
}
func (k *keeper) Swap(i, j int) { k.h[i], k.h[j] = k.h[j], k.h[i] }
func (k *keeper) Push(x any)    { k.h = append(k.h, x.(kept)) }
func (k *keeper) Pop() any {
	x := k.h[len(k.h)-1]
	k.h = k.h[:len(k.h)-1]
	return x
}

// wants reports whether an item published at d would be kept: an item
// comes later in the feed than every kept one, so a date equal to the
// oldest kept one's does not displace it.
func (k *keeper) wants(d time.Time) bool {
	return len(k.h) < k.keep || d.After(k.h[0].it.Published)
}

// add keeps it (wants said so), dropping the oldest when full.
func (k *keeper) add(it Item) {
	k.total++
	k.seq++
	if len(k.h) < k.keep {
		heap.Push(k, kept{it, k.seq})
		return
	}
	k.h[0] = kept{it, k.seq}
	heap.Fix(k, 0)
}

// items are the kept items in feed order.
func (k *keeper) items() []Item {
	slices.SortFunc(k.h, func(a, b kept) int { return a.seq - b.seq })
	out := make([]Item, len(k.h))
	for i := range k.h {
		out[i] = k.h[i].it
	}
	return out
}
