package feeds

import (
	"bytes"
	"compress/flate"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"

	"modernc.org/sqlite"
)

// An article's text is stored once (issue 21): articles.packed holds its
// plain text (Article.Content) and its sanitised HTML (Article.Body) in
// one value, DEFLATE-compressed, and the SQL functions registered below
// derive each on read, so that every query, view and trigger that wants
// the text asks steppe_content(a.packed) or steppe_body(a.packed). The
// summary, which every page of a list reads, stays a column of its own.
//
// The packed value: empty when both are empty; else a kind byte
// (packRaw: the texts as they are, packDeflate: compressed), the
// lengths of the content and the body in bytes (uvarints), then the
// content followed by the body, as the kind says.
const (
	packRaw     = 0
	packDeflate = 1
	// packLevel is the DEFLATE level: the refresh compresses every new
	// article, and level 6 (flate's default) made a store of 100,000
	// generated articles barely smaller than level 4 for more work.
	packLevel = 4
	// packMin is the size below which the texts are kept as they are:
	// DEFLATE's few bytes of overhead outweigh what a short text saves.
	packMin = 64
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

// pack is the packed value of an article's content and body.
func pack(content, body string) []byte {
	n := len(content) + len(body)
	if n == 0 {
		return []byte{}
	}
	head := make([]byte, 0, 1+2*binary.MaxVarintLen64)
	head = append(head, packRaw)
	head = binary.AppendUvarint(head, uint64(len(content)))
	head = binary.AppendUvarint(head, uint64(len(body)))
	if n >= packMin {
		var buf bytes.Buffer
		buf.Grow(len(head) + n/3 + 64)
		buf.Write(head)
		w := packWriters.Get().(*flate.Writer)
		w.Reset(&buf)
		_, err1 := io.WriteString(w, content)
		_, err2 := io.WriteString(w, body)
		err3 := w.Close()
		packWriters.Put(w)
		if err1 == nil && err2 == nil && err3 == nil && buf.Len() < len(head)+n {
			out := buf.Bytes()
			out[0] = packDeflate
			return out
		}
	}
	out := make([]byte, 0, len(head)+n)
	out = append(out, head...)
	out = append(out, content...)
	return append(out, body...)
}

// packHead reads a packed value's kind, lengths and payload.
func packHead(p []byte) (kind byte, nc, nb int, payload []byte, err error) {
	if len(p) == 0 {
		return packRaw, 0, 0, nil, nil
	}
	kind, rest := p[0], p[1:]
	c, k := binary.Uvarint(rest)
	if k <= 0 {
		return 0, 0, 0, nil, errPacked
	}
	rest = rest[k:]
	b, k := binary.Uvarint(rest)
	if k <= 0 {
		return 0, 0, 0, nil, errPacked
	}
	rest = rest[k:]
	const most = 1 << 40
	if c > most || b > most {
		return 0, 0, 0, nil, errPacked
	}
	nc, nb = int(c), int(b)
	switch kind {
	case packRaw:
		if len(rest) != nc+nb {
			return 0, 0, 0, nil, errPacked
		}
	case packDeflate:
	default:
		return 0, 0, 0, nil, errPacked
	}
	return kind, nc, nb, rest, nil
}

// unpack is a packed value's content and body, as bytes (content, then
// body, in one slice) with the content's length.
func unpack(p []byte) (text []byte, nc int, err error) {
	kind, nc, nb, payload, err := packHead(p)
	if err != nil || kind == packRaw {
		return payload, nc, err
	}
	var r io.ReadCloser
	if v := packReaders.Get(); v != nil {
		r = v.(io.ReadCloser)
		if err := r.(flate.Resetter).Reset(bytes.NewReader(payload), nil); err != nil {
			return nil, 0, err
		}
	} else {
		r = flate.NewReader(bytes.NewReader(payload))
	}
	defer packReaders.Put(r)
	out := make([]byte, nc+nb)
	if _, err := io.ReadFull(r, out); err != nil {
		return nil, 0, fmt.Errorf("%w: %v", errPacked, err)
	}
	return out, nc, nil
}

// unpackStrings is a packed value's content and body.
func unpackStrings(p []byte) (content, body string, err error) {
	text, nc, err := unpack(p)
	if err != nil {
		return "", "", err
	}
	s := string(text)
	return s[:nc], s[nc:], nil
}

// packHolds reports whether packed value p holds exactly content and
// body; texts of other lengths are told apart without decompressing.
func packHolds(p []byte, content, body string) (bool, error) {
	_, nc, nb, _, err := packHead(p)
	if err != nil {
		return false, err
	}
	if nc != len(content) || nb != len(body) {
		return false, nil
	}
	text, _, err := unpack(p)
	if err != nil {
		return false, err
	}
	return string(text[:nc]) == content && string(text[nc:]) == body, nil
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
//	steppe_pack(content, body)          the packed value
//	steppe_content(packed)              its content
//	steppe_body(packed)                 its body
//	steppe_holds(packed, content, body) 1 when it holds exactly those, else 0
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("steppe_pack", 2,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			c, err := sqlText(args[0])
			if err != nil {
				return nil, err
			}
			b, err := sqlText(args[1])
			if err != nil {
				return nil, err
			}
			return pack(c, b), nil
		})
	part := func(body bool) func(*sqlite.FunctionContext, []driver.Value) (driver.Value, error) {
		return func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			p, err := sqlBlob(args[0])
			if err != nil {
				return nil, err
			}
			text, nc, err := unpack(p)
			if err != nil {
				return nil, err
			}
			if body {
				return string(text[nc:]), nil
			}
			return string(text[:nc]), nil
		}
	}
	sqlite.MustRegisterDeterministicScalarFunction("steppe_content", 1, part(false))
	sqlite.MustRegisterDeterministicScalarFunction("steppe_body", 1, part(true))
	sqlite.MustRegisterDeterministicScalarFunction("steppe_holds", 3,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			p, err := sqlBlob(args[0])
			if err != nil {
				return nil, err
			}
			c, err := sqlText(args[1])
			if err != nil {
				return nil, err
			}
			b, err := sqlText(args[2])
			if err != nil {
				return nil, err
			}
			ok, err := packHolds(p, c, b)
			if ok {
				return int64(1), err
			}
			return int64(0), err
		})
}
