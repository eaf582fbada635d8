// Package greader is a client of the Google Reader API as FreshRSS,
// Miniflux, Inoreader and others serve it: ClientLogin, the edit token,
// subscription/list and subscription/edit, stream/items/ids with
// continuation, stream/items/contents, stream/contents and edit-tag.
//
// Every call takes a context. Failures are *Error values of three kinds
// (ErrAuth, ErrUnreachable, ErrBadResponse) whose text never holds the
// password or a token. Text from the server is returned as the server sent
// it: callers clean it before they store or show it.
package greader

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/steppe-news/steppe/internal/netmsg"
)

// Well-known streams and tags.
const (
	ReadingList = "user/-/state/com.google/reading-list"
	Read        = "user/-/state/com.google/read"
	Starred     = "user/-/state/com.google/starred"
)

// maxBody bounds what is read of one response.
const maxBody = 64 << 20

// Client talks to one server as one user. It is safe for concurrent use.
type Client struct {
	base     string // without a trailing slash
	server   string // base, redacted, for error text
	username string
	password string
	hc       *http.Client
	timeout  time.Duration

	mu    sync.Mutex
	auth  string // the ClientLogin token
	token string // the edit token (T)
}

// New returns a client of the API whose root is baseURL: the Miniflux base
// URL, or FreshRSS's https://host/api/greader.php. hc may be nil for a
// client with a 60 s timeout.
func New(baseURL, username, password string, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	base := strings.TrimRight(baseURL, "/")
	return &Client{base: base, server: redactBase(base), username: username, password: password, hc: hc, timeout: hc.Timeout}
}

func (c *Client) fail(op string, status int, kind error, detail string, cause error) *Error {
	return &Error{Op: op, Server: c.server, Status: status, Kind: kind, Detail: scrub(detail, c.password, c.auth, c.token), Err: cause}
}

// Login exchanges the username and password for a token (ClientLogin). The
// other calls log in when they need to; Login checks the credentials.
func (c *Client) Login(ctx context.Context) error {
	const op = "ClientLogin"
	form := url.Values{"Email": {c.username}, "Passwd": {c.password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/accounts/ClientLogin", strings.NewReader(form.Encode()))
	if err != nil {
		return c.fail(op, 0, ErrBadResponse, "bad server URL", nil)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	body, err := c.do(op, req)
	if err != nil {
		return err
	}
	auth := ""
	sc := bufio.NewScanner(strings.NewReader(string(body)))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "Auth="); ok {
			auth = v
		}
	}
	if auth == "" {
		return c.fail(op, 0, ErrBadResponse, "no Auth= in the answer", nil)
	}
	c.mu.Lock()
	c.auth, c.token = auth, ""
	c.mu.Unlock()
	return nil
}

func (c *Client) authToken(ctx context.Context) (string, error) {
	c.mu.Lock()
	auth := c.auth
	c.mu.Unlock()
	if auth != "" {
		return auth, nil
	}
	if err := c.Login(ctx); err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.auth, nil
}

// Token returns the edit token that write calls send as T, fetching it
// once after login.
func (c *Client) Token(ctx context.Context) (string, error) {
	c.mu.Lock()
	tok := c.token
	c.mu.Unlock()
	if tok != "" {
		return tok, nil
	}
	body, err := c.get(ctx, "token", "/reader/api/0/token", nil)
	if err != nil {
		return "", err
	}
	tok = strings.TrimSpace(string(body))
	if tok == "" || strings.ContainsAny(tok, " \n") {
		return "", c.fail("token", 0, ErrBadResponse, "empty or malformed token", nil)
	}
	c.mu.Lock()
	c.token = tok
	c.mu.Unlock()
	return tok, nil
}

func (c *Client) get(ctx context.Context, op, path string, q url.Values) ([]byte, error) {
	auth, err := c.authToken(ctx)
	if err != nil {
		return nil, err
	}
	u := c.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, c.fail(op, 0, ErrBadResponse, "bad request URL", nil)
	}
	req.Header.Set("Authorization", "GoogleLogin auth="+auth)
	return c.do(op, req)
}

func (c *Client) post(ctx context.Context, op, path string, form url.Values) ([]byte, error) {
	auth, err := c.authToken(ctx)
	if err != nil {
		return nil, err
	}
	tok, err := c.Token(ctx)
	if err != nil {
		return nil, err
	}
	form.Set("T", tok)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, c.fail(op, 0, ErrBadResponse, "bad request URL", nil)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "GoogleLogin auth="+auth)
	return c.do(op, req)
}

func (c *Client) do(op string, req *http.Request) ([]byte, error) {
	req.Header.Set("User-Agent", "steppe")
	resp, err := c.hc.Do(req)
	if err != nil {
		if uerr, ok := err.(*url.Error); ok {
			err = uerr.Err // its text holds the URL
		}
		d := netmsg.Describe(req.Context(), err, c.timeout)
		return nil, c.fail(op, 0, ErrUnreachable, d.Error(), d)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		d := netmsg.Describe(req.Context(), err, c.timeout)
		return nil, c.fail(op, resp.StatusCode, ErrUnreachable, "reading the answer: "+d.Error(), d)
	}
	if len(body) > maxBody {
		return nil, c.fail(op, resp.StatusCode, ErrBadResponse, fmt.Sprintf("answer larger than %d MB", maxBody>>20), nil)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		if op != "ClientLogin" {
			c.mu.Lock()
			c.auth, c.token = "", "" // log in again next time
			c.mu.Unlock()
		}
		return nil, c.fail(op, resp.StatusCode, ErrAuth, "wrong username or password, or the API is not enabled for this user", nil)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, c.fail(op, resp.StatusCode, ErrBadResponse, snippet(body), nil)
	}
	return body, nil
}

// snippet is the start of a body for error text.
func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

func (c *Client) decode(op string, body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return c.fail(op, 0, ErrBadResponse, "the answer is not the JSON expected: "+err.Error(), nil)
	}
	return nil
}

// Category is a folder (label) as subscription/list gives it.
type Category struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// Subscription is one feed of the user.
type Subscription struct {
	ID         string     `json:"id"` // "feed/42" on Miniflux, "feed/<url>" on some servers
	Title      string     `json:"title"`
	URL        string     `json:"url"`
	HTMLURL    string     `json:"htmlUrl"`
	Categories []Category `json:"categories"`
}

// Subscriptions lists the user's feeds with their folders.
func (c *Client) Subscriptions(ctx context.Context) ([]Subscription, error) {
	const op = "subscription/list"
	body, err := c.get(ctx, op, "/reader/api/0/subscription/list", url.Values{"output": {"json"}})
	if err != nil {
		return nil, err
	}
	var r struct {
		Subscriptions *[]Subscription `json:"subscriptions"`
	}
	if err := c.decode(op, body, &r); err != nil {
		return nil, err
	}
	if r.Subscriptions == nil {
		return nil, c.fail(op, 0, ErrBadResponse, "no subscriptions in the answer", nil)
	}
	return *r.Subscriptions, nil
}

// Subscribe adds the feed at feedURL, with an optional title and folder
// (a label name, "" for none).
func (c *Client) Subscribe(ctx context.Context, feedURL, title, folder string) error {
	form := url.Values{"ac": {"subscribe"}, "s": {"feed/" + feedURL}}
	if title != "" {
		form.Set("t", title)
	}
	if folder != "" {
		form.Set("a", "user/-/label/"+folder)
	}
	return c.editOK(ctx, "subscription/edit", "/reader/api/0/subscription/edit", form)
}

// Unsubscribe removes the feed whose stream id (Subscription.ID) is given.
func (c *Client) Unsubscribe(ctx context.Context, streamID string) error {
	form := url.Values{"ac": {"unsubscribe"}, "s": {streamID}}
	return c.editOK(ctx, "subscription/edit", "/reader/api/0/subscription/edit", form)
}

func (c *Client) editOK(ctx context.Context, op, path string, form url.Values) error {
	body, err := c.post(ctx, op, path, form)
	if err != nil {
		return err
	}
	if s := strings.TrimSpace(string(body)); s != "OK" {
		return c.fail(op, 0, ErrBadResponse, "expected OK, got "+strconv.Quote(snippet(body)), nil)
	}
	return nil
}

// IDsQuery selects item ids of one stream.
type IDsQuery struct {
	Stream       string   // e.g. ReadingList, Starred, "feed/42"
	Exclude      []string // xt: e.g. Read for unread only
	N            int      // page size; 0 means the server's default
	Continuation string   // from the previous page
	OldestFirst  bool
}

// params adds the query's exclusions, page size, continuation and order
// to v and returns it.
func (q IDsQuery) params(v url.Values) url.Values {
	for _, x := range q.Exclude {
		v.Add("xt", x)
	}
	if q.N > 0 {
		v.Set("n", strconv.Itoa(q.N))
	}
	if q.Continuation != "" {
		v.Set("c", q.Continuation)
	}
	if q.OldestFirst {
		v.Set("r", "o")
	}
	return v
}

// ItemIDs returns one page of item ids (decimal, as the API gives them) and
// the continuation for the next page ("" after the last).
func (c *Client) ItemIDs(ctx context.Context, q IDsQuery) ([]int64, string, error) {
	const op = "stream/items/ids"
	v := q.params(url.Values{"output": {"json"}, "s": {q.Stream}})
	body, err := c.get(ctx, op, "/reader/api/0/stream/items/ids", v)
	if err != nil {
		return nil, "", err
	}
	var r struct {
		ItemRefs *[]struct {
			ID string `json:"id"`
		} `json:"itemRefs"`
		Continuation json.RawMessage `json:"continuation"`
	}
	if err := c.decode(op, body, &r); err != nil {
		return nil, "", err
	}
	if r.ItemRefs == nil {
		// Miniflux and FreshRSS may leave itemRefs out of an empty page.
		var probe map[string]json.RawMessage
		if json.Unmarshal(body, &probe) != nil {
			return nil, "", c.fail(op, 0, ErrBadResponse, "no itemRefs in the answer", nil)
		}
	}
	var ids []int64
	if r.ItemRefs != nil {
		ids = make([]int64, 0, len(*r.ItemRefs))
		for _, ref := range *r.ItemRefs {
			n, err := strconv.ParseInt(ref.ID, 10, 64)
			if err != nil {
				return nil, "", c.fail(op, 0, ErrBadResponse, "item id "+strconv.Quote(snippet([]byte(ref.ID)))+" is not a number", nil)
			}
			ids = append(ids, n)
		}
	}
	cont, err := continuation(r.Continuation)
	if err != nil {
		return nil, "", c.fail(op, 0, ErrBadResponse, err.Error(), nil)
	}
	if len(ids) == 0 {
		cont = ""
	}
	return ids, cont, nil
}

// AllItemIDs follows ItemIDs' continuations to the end.
func (c *Client) AllItemIDs(ctx context.Context, q IDsQuery) ([]int64, error) {
	var all []int64
	seen := map[string]bool{}
	for {
		ids, cont, err := c.ItemIDs(ctx, q)
		if err != nil {
			return nil, err
		}
		all = append(all, ids...)
		if cont == "" || seen[cont] {
			return all, nil
		}
		seen[cont] = true
		q.Continuation = cont
	}
}

// continuation reads a continuation given as a JSON string or number.
func continuation(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String(), nil
	}
	return "", fmt.Errorf("continuation %s is neither a string nor a number", snippet(raw))
}

// Link is an href.
type Link struct {
	Href string `json:"href"`
}

// Text is a summary or content.
type Text struct {
	Content string `json:"content"`
}

// Origin is the feed an item came from.
type Origin struct {
	StreamID string `json:"streamId"`
	Title    string `json:"title"`
}

// Item is one entry as stream/items/contents and stream/contents give it.
type Item struct {
	ID         string   `json:"id"` // long form: tag:google.com,2005:reader/item/<16 hex>
	Title      string   `json:"title"`
	Published  int64    `json:"published"`
	Updated    int64    `json:"updated"`
	Author     string   `json:"author"`
	Categories []string `json:"categories"`
	Alternate  []Link   `json:"alternate"`
	Canonical  []Link   `json:"canonical"`
	Summary    *Text    `json:"summary"`
	Content    *Text    `json:"content"`
	Origin     Origin   `json:"origin"`
}

// Num is the item's id as a number (the long form's hexadecimal, or a
// decimal id).
func (it Item) Num() (int64, error) { return ParseItemID(it.ID) }

// HasTag reports whether one of the item's categories is the state tag
// given ("user/-/state/com.google/read" matches "user/1/state/com.google/read").
func (it Item) HasTag(tag string) bool {
	_, suffix, _ := strings.Cut(strings.TrimPrefix(tag, "user/"), "/")
	for _, c := range it.Categories {
		if strings.HasPrefix(c, "user/") && strings.HasSuffix(c, "/"+suffix) {
			return true
		}
	}
	return false
}

const longPrefix = "tag:google.com,2005:reader/item/"

// ParseItemID reads an item id in the long form (hexadecimal after
// tag:google.com,2005:reader/item/) or as a decimal number.
func ParseItemID(s string) (int64, error) {
	if h, ok := strings.CutPrefix(s, longPrefix); ok {
		u, err := strconv.ParseUint(h, 16, 64)
		if err != nil {
			return 0, fmt.Errorf("item id %q: not hexadecimal", snippet([]byte(s)))
		}
		return int64(u), nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("item id %q: not a number", snippet([]byte(s)))
	}
	return n, nil
}

// LongID is id in the long form that every server accepts.
func LongID(id int64) string { return fmt.Sprintf("%s%016x", longPrefix, uint64(id)) }

// ItemContents returns the items with the given ids (at most a few hundred
// per call).
func (c *Client) ItemContents(ctx context.Context, ids []int64) ([]Item, error) {
	const op = "stream/items/contents"
	form := url.Values{"output": {"json"}}
	for _, id := range ids {
		form.Add("i", LongID(id))
	}
	body, err := c.post(ctx, op, "/reader/api/0/stream/items/contents", form)
	if err != nil {
		return nil, err
	}
	return c.items(op, body)
}

func (c *Client) items(op string, body []byte) ([]Item, error) {
	var r struct {
		Items *[]Item `json:"items"`
	}
	if err := c.decode(op, body, &r); err != nil {
		return nil, err
	}
	if r.Items == nil {
		return nil, c.fail(op, 0, ErrBadResponse, "no items in the answer", nil)
	}
	return *r.Items, nil
}

// StreamContents returns one page of a stream's items and the continuation
// (FreshRSS and Inoreader serve it; Miniflux does not).
func (c *Client) StreamContents(ctx context.Context, q IDsQuery) ([]Item, string, error) {
	const op = "stream/contents"
	v := q.params(url.Values{"output": {"json"}})
	body, err := c.get(ctx, op, "/reader/api/0/stream/contents/"+url.PathEscape(q.Stream), v)
	if err != nil {
		return nil, "", err
	}
	items, err := c.items(op, body)
	if err != nil {
		return nil, "", err
	}
	var r struct {
		Continuation json.RawMessage `json:"continuation"`
	}
	_ = json.Unmarshal(body, &r)
	cont, err := continuation(r.Continuation)
	if err != nil {
		return nil, "", c.fail(op, 0, ErrBadResponse, err.Error(), nil)
	}
	return items, cont, nil
}

// EditTag adds and removes tags (Read, Starred, ...) on the given items.
func (c *Client) EditTag(ctx context.Context, ids []int64, add, remove []string) error {
	form := url.Values{}
	for _, id := range ids {
		form.Add("i", LongID(id))
	}
	for _, a := range add {
		form.Add("a", a)
	}
	for _, r := range remove {
		form.Add("r", r)
	}
	return c.editOK(ctx, "edit-tag", "/reader/api/0/edit-tag", form)
}
