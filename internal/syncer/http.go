package syncer

import (
	"errors"
	"io"
	"net/http"
)

// maxResponse bounds one answer of a sync server: a page of entries with
// their content is a few megabytes; a server that sends more is broken or
// hostile, and would otherwise fill the memory.
const maxResponse = 64 << 20

// errTooLarge is an answer over maxResponse.
var errTooLarge = errors.New("answer too large")

// limitedClient returns a copy of c whose answers are cut at maxResponse
// (reading past it is errTooLarge).
func limitedClient(c *http.Client) *http.Client {
	cc := *c
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	cc.Transport = limitedTransport{base}
	return &cc
}

type limitedTransport struct{ base http.RoundTripper }

func (t limitedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp.Body = &limitedBody{rc: resp.Body, left: maxResponse}
	return resp, nil
}

type limitedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more says whether the answer really goes on.
		var one [1]byte
		if n, _ := b.rc.Read(one[:]); n > 0 {
			return 0, errTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }
