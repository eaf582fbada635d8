package feeds

import (
	"bytes"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"unsafe"

	"github.com/klauspost/compress/flate"

	"modernc.org/sqlite"
)

// An article's text is stored once (issue 21): articles.packed holds its
// summary, its plain text (Article.Content) and its sanitised HTML
// (Article.Body) in one value, DEFLATE-compressed, and the SQL functions
// registered below derive each on read, so that every query, view and
// trigger that wants a text asks steppe_summary(a.packed),
// steppe_content(a.packed) or steppe_body(a.packed). The summary comes
// first: a list row decompresses only as far as its end.
//
// The packed value: empty when all three are empty; else a kind byte
// (packRaw: the texts as they are, packDeflate: compressed), the
// lengths in bytes of the summary, the content and the body (uvarints),
// then the three texts one after the other, as the kind says.
const (
	packRaw     = 0
	packDeflate = 1
	// packLevel is the DEFLATE level: the refresh compresses every new
	// article. A generated one (WordPress-shaped, 3 KB) took 25 µs and
	// 801 bytes at level 1 (BestSpeed), 43 µs and 763 bytes at 4.
	packLevel = flate.BestSpeed
	// packMin is the size below which the texts are kept as they are:
	// DEFLATE's few bytes of overhead outweigh what a short text saves.
	packMin = 64
	// packParts is the number of texts a packed value holds.
	packParts = 3
)

var (
	packWriters = sync.Pool{New: func() any {
		w, err := flate.NewWriter(nil, packLevel)
		if err != nil {
			panic(err) // packLevel is a valid level
		}
		return w
	}}
	packReaders sync.Pool // of io.ReadCloser made by flate.NewReader (flate.Resetter)
)

// errPacked is the error of a packed value that cannot be read.
var errPacked = errors.New("feeds: corrupt packed article text")

// pack is the packed value of an article's summary, content and body.
func pack(summary, content, body string) []byte {
	parts := [packParts]string{summary, content, body}
	n := len(summary) + len(content) + len(body)
	if n == 0 {
		return []byte{}
	}
	head := make([]byte, 0, 1+packParts*binary.MaxVarintLen64)
	head = append(head, packRaw)
	for _, t := range parts {
		head = binary.AppendUvarint(head, uint64(len(t)))
	}
	if n >= packMin {
		var buf bytes.Buffer
		buf.Grow(len(head) + n/3 + 64)
		buf.Write(head)
		w := packWriters.Get().(*flate.Writer)
		w.Reset(&buf)
		// One block for all three: a list row reads only the summary, at
		// the start, and the decoder stops there. (The summary in a
		// block of its own made a row 1 µs cheaper to read and every
		// article's packing a Huffman table dearer: a fresh refresh 10 %.)
		var err error
		for _, t := range parts {
			// flate.Writer has no WriteString: io.WriteString would
			// copy the text; Write only reads it.
			if _, e := w.Write(unsafe.Slice(unsafe.StringData(t), len(t))); e != nil {
				err = e
			}
		}
		if e := w.Close(); e != nil {
			err = e
		}
		packWriters.Put(w)
		if err == nil && buf.Len() < len(head)+n {
			out := buf.Bytes()
			out[0] = packDeflate
			return out
		}
	}
	out := make([]byte, 0, len(head)+n)
	out = append(out, head...)
	for _, t := range parts {
		out = append(out, t...)
	}
	return out
}

// packHead reads a packed value's kind, the lengths of its texts and
// its payload.
func packHead(p []byte) (kind byte, lens [packParts]int, payload []byte, err error) {
	if len(p) == 0 {
		return packRaw, lens, nil, nil
	}
	kind, rest := p[0], p[1:]
	total := 0
	for i := range lens {
		v, k := binary.Uvarint(rest)
		const most = 1 << 40
		if k <= 0 || v > most {
			return 0, lens, nil, errPacked
		}
		rest = rest[k:]
		lens[i] = int(v)
		total += int(v)
	}
	switch kind {
	case packRaw:
		if len(rest) != total {
			return 0, lens, nil, errPacked
		}
	case packDeflate:
		// DEFLATE expands at most 1032 times (a length of 258 in two
		// bits or so): a value that says more is damaged, and is not
		// given the memory it asks for.
		if total > 1032*len(rest)+64 {
			return 0, lens, nil, errPacked
		}
	default:
		return 0, lens, nil, errPacked
	}
	return kind, lens, rest, nil
}

// unpack is the first upto texts of a packed value (1: the summary, 3:
// all), as bytes one after the other, with the lengths of all three.
// Only what they need is decompressed.
func unpack(p []byte, upto int) (text []byte, lens [packParts]int, err error) {
	kind, lens, payload, err := packHead(p)
	n := 0
	for _, l := range lens[:upto] {
		n += l
	}
	if err != nil || kind == packRaw {
		return payload[:min(n, len(payload))], lens, err
	}
	var r io.ReadCloser
	if v := packReaders.Get(); v != nil {
		r = v.(io.ReadCloser)
		if err := r.(flate.Resetter).Reset(bytes.NewReader(payload), nil); err != nil {
			return nil, lens, err
		}
	} else {
		r = flate.NewReader(bytes.NewReader(payload))
	}
	defer packReaders.Put(r)
	out := make([]byte, n)
	if _, err := io.ReadFull(r, out); err != nil {
		return nil, lens, fmt.Errorf("%w: %v", errPacked, err)
	}
	return out, lens, nil
}

// unpackPart is text i (0: the summary, 1: the content, 2: the body) of
// a packed value.
func unpackPart(p []byte, i int) (string, error) {
	text, lens, err := unpack(p, i+1)
	if err != nil {
		return "", err
	}
	from := 0
	for _, l := range lens[:i] {
		from += l
	}
	return ownString(p, text[from:from+lens[i]]), nil
}

// ownString is text, which unpack(p) returned, as a string: without a
// copy when unpack decompressed it into memory of its own (no one else
// holds or changes it), else copied (a raw value's text is p's memory,
// which the driver may take back).
func ownString(p, text []byte) string {
	if len(text) == 0 {
		return ""
	}
	if p[0] == packDeflate {
		return unsafe.String(unsafe.SliceData(text), len(text))
	}
	return string(text)
}

// unpackStrings is a packed value's summary, content and body.
func unpackStrings(p []byte) (summary, content, body string, err error) {
	text, lens, err := unpack(p, packParts)
	if err != nil {
		return "", "", "", err
	}
	s := ownString(p, text)
	return s[:lens[0]], s[lens[0] : lens[0]+lens[1]], s[lens[0]+lens[1]:], nil
}

// packHolds reports whether packed value p holds exactly summary,
// content and body; texts of other lengths are told apart without
// decompressing.
func packHolds(p []byte, summary, content, body string) (bool, error) {
	_, lens, _, err := packHead(p)
	if err != nil {
		return false, err
	}
	if lens != [packParts]int{len(summary), len(content), len(body)} {
		return false, nil
	}
	text, _, err := unpack(p, packParts)
	if err != nil {
		return false, err
	}
	return string(text) == summary+content+body, nil
}

// sqlText is a text argument of a SQL function: NULL is "".
func sqlText(v driver.Value) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case []byte:
		return string(v), nil
	}
	return "", fmt.Errorf("feeds: want text, got %T", v)
}

// sqlBlob is a blob argument of a SQL function: NULL is empty.
func sqlBlob(v driver.Value) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case []byte:
		return v, nil
	case string:
		return []byte(v), nil
	}
	return nil, fmt.Errorf("feeds: want a packed text, got %T", v)
}

// init registers the packed text's SQL functions with the driver (see
// the init of rules.go: before any sql.Open):
//
//	steppe_pack(summary, content, body)          the packed value
//	steppe_summary(packed)                       its summary
//	steppe_content(packed)                       its content
//	steppe_body(packed)                          its body
//	steppe_holds(packed, summary, content, body) 1 when it holds exactly those, else 0
func init() {
	texts := func(args []driver.Value) ([packParts]string, error) {
		var t [packParts]string
		for i, a := range args {
			var err error
			if t[i], err = sqlText(a); err != nil {
				return t, err
			}
		}
		return t, nil
	}
	sqlite.MustRegisterDeterministicScalarFunction("steppe_pack", packParts,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			t, err := texts(args)
			if err != nil {
				return nil, err
			}
			return pack(t[0], t[1], t[2]), nil
		})
	for i, name := range []string{"steppe_summary", "steppe_content", "steppe_body"} {
		sqlite.MustRegisterDeterministicScalarFunction(name, 1,
			func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
				p, err := sqlBlob(args[0])
				if err != nil {
					return nil, err
				}
				return unpackPart(p, i)
			})
	}
	sqlite.MustRegisterDeterministicScalarFunction("steppe_holds", 1+packParts,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			p, err := sqlBlob(args[0])
			if err != nil {
				return nil, err
			}
			t, err := texts(args[1:])
			if err != nil {
				return nil, err
			}
			ok, err := packHolds(p, t[0], t[1], t[2])
			if ok {
				return int64(1), err
			}
			return int64(0), err
		})
}
