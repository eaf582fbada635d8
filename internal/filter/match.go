package filter

import (
	"strconv"
	"strings"
	"time"
)

// Item is one article as one feed carries it. An article that several
// feeds carry is several Items (one per feed), as the store evaluates a
// rule per article-and-feed row.
type Item struct {
	Title   string
	Link    string
	Author  string
	Content string // the article's text as the store keeps it
	Feed    string // the feed's name
	FeedURL string
	// Group is the feed's folder path, parts joined by "/" ("News/Asia");
	// "" for none. Parts may hold spaces.
	Group      string
	Published  time.Time
	Unread     bool
	Starred    bool
	Enclosures []Enclosure
}

// Enclosure is one media file an article carries.
type Enclosure struct {
	URL  string
	Type string // MIME type, "" if the feed gave none
}

// Day is the length of the days age counts.
const Day = 24 * time.Hour

// Age returns the whole days from published to now, as newsboat counts
// them: the time between, divided by 24 hours, truncated toward zero (an
// article dated in the future has a negative age, or 0 within a day).
func Age(published, now time.Time) int64 {
	return int64(now.Sub(published) / Day)
}

// Match reports whether the rule holds for it at time now (which age
// counts from). A nil it is the zero Item.
func (f *Filter) Match(it *Item, now time.Time) bool {
	if it == nil {
		it = &Item{}
	}
	m := matcher{it: it, now: now}
	return m.eval(f.root)
}

type matcher struct {
	it   *Item
	now  time.Time
	list []string // scratch for list attributes
}

func (m *matcher) eval(n node) bool {
	switch n := n.(type) {
	case *andNode:
		return m.eval(n.l) && m.eval(n.r)
	case *orNode:
		return m.eval(n.l) || m.eval(n.r)
	case *notNode:
		return !m.eval(n.x)
	case *cmpNode:
		p, neg := n.op.positive()
		return m.compare(n, p) != neg
	}
	return false
}

// compare applies the positive operator p of n.
func (m *matcher) compare(n *cmpNode, p op) bool {
	switch n.attr.kind {
	case kindText:
		return n.test(p, n.attr.text(m.it))
	case kindGroup:
		if p == opHas {
			return inGroup(n.attr.text(m.it), n.val)
		}
		return n.test(p, n.attr.text(m.it))
	case kindBool:
		return n.test(p, yesNo(n.attr.flag(m.it)))
	case kindAge:
		age := Age(m.it.Published, m.now)
		switch p {
		case opEq, opHas:
			// The string compared is age's decimal form, which has no
			// space, so # is = here.
			return n.eqIntOK && age == n.eqInt
		case opMatch:
			var buf [24]byte
			return n.re.Match(strconv.AppendInt(buf[:0], age, 10))
		}
		return n.testNum(p, clamp32(age))
	case kindList:
		// Any of the values; an article with none has the one value "".
		m.list = n.attr.list(m.it, m.list[:0])
		if len(m.list) == 0 {
			return n.test(p, "")
		}
		for _, v := range m.list {
			if n.test(p, v) {
				return true
			}
		}
		return false
	}
	return false
}

// test applies the positive operator p to the string s, as newsboat does.
func (n *cmpNode) test(p op, s string) bool {
	switch p {
	case opEq:
		return s == n.val
	case opMatch:
		return n.re.MatchString(s)
	case opHas:
		return hasWord(s, n.val)
	}
	return n.testNum(p, numPrefix(s))
}

// testNum applies a numeric operator to x, the attribute's numeric prefix.
func (n *cmpNode) testNum(p op, x int64) bool {
	switch p {
	case opLt:
		return x < n.num
	case opGt:
		return x > n.num
	case opLe:
		return x <= n.num
	case opGe:
		return x >= n.num
	case opBetween:
		return n.rangeOK && n.lo <= x && x <= n.hi
	}
	return false
}

// hasWord reports whether w is one of the words of list split at single
// spaces (newsboat's #): "" is a word of "" and of "a  b".
func hasWord(list, w string) bool {
	if strings.Contains(w, " ") {
		return false
	}
	for {
		word, rest, more := strings.Cut(list, " ")
		if word == w {
			return true
		}
		if !more {
			return false
		}
		list = rest
	}
}

// inGroup is # on a group: g is the folder want or inside it.
func inGroup(g, want string) bool {
	return g == want || len(g) > len(want) && g[len(want)] == '/' && g[:len(want)] == want
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
