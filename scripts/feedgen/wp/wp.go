// Package wp generates WordPress-shaped RSS 2.0 feeds from a seed: the
// corpus scripts/compare.sh serves (through scripts/feedgen) and the feeds
// package's refresh benchmarks parse and store. The same seed, feed index
// and day give the same bytes.
package wp

import (
	"fmt"
	"html"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Feed returns feed number idx (from 0) of the corpus of seed: its title
// and its RSS document of nItems items, newest first, dated within the 30
// days before day.
func Feed(seed uint64, idx int, day time.Time, nItems int) (title string, body []byte) {
	return BigFeed(seed, idx, day, nItems, 0)
}

// BigFeed is Feed whose first (newest) item's post is about articleBytes
// of HTML (paragraphs, lists and links as in the others); 0: as Feed.
func BigFeed(seed uint64, idx int, day time.Time, nItems, articleBytes int) (title string, body []byte) {
	g := newGen(seed, idx, day)
	g.big = articleBytes
	return g.name, g.feed(nItems)
}

// gen writes one feed from its own random stream.
type gen struct {
	r    *rand.Rand
	idx  int
	day  time.Time
	site string // https://host
	name string
	big  int // the first item's post size, 0: as the others
}

var (
	cities    = []string{"Almaty", "Astana", "Bishkek", "Osh", "Dushanbe", "Khujand", "Tashkent", "Samarkand", "Ashgabat", "Aktau"}
	mastheads = []string{"Herald", "Ledger", "Courier", "Observer", "Dispatch"}
	countries = []string{"Kazakhstan", "Kyrgyzstan", "Tajikistan", "Uzbekistan", "Turkmenistan", "China", "Russia", "Afghanistan"}
	officials = []string{"President", "Prime Minister", "Finance Minister", "Central Bank", "Energy Ministry", "Parliament", "Foreign Minister", "Customs Service"}
	verbs     = []string{"Signs", "Approves", "Unveils", "Delays", "Expands", "Reviews", "Backs", "Launches", "Suspends", "Debates"}
	objects   = []string{"Water-Sharing Deal", "Rail Corridor Plan", "Tax Reform", "Budget for Next Year", "Solar Park", "Grain Export Quota", "Pipeline Upgrade", "Border Crossing Rules", "Digital Tenge Pilot", "Airport Expansion", "Cotton Harvest Targets", "Mining Licences"}
	contexts  = []string{"as Inflation Eases", "After Weeks of Talks", "Amid Drought Fears", "Ahead of Summit", "as Remittances Rise", "Despite Objections", "in Bid to Lure Investors", "as Prices Climb"}
	people    = []string{"Aigerim Nurlanova", "Timur Sadykov", "Dilnoza Karimova", "Rustam Azimov", "Gulnara Bekova", "Farrukh Tursunov", "Madina Abdullaeva", "Ermek Toktogulov", "Nodira Rahimova", "Serik Zhaksybekov"}
	sections  = []string{"Economy", "Politics", "Energy", "Society", "Trade", "Transport", "Agriculture", "Finance", "Environment", "Regional"}
	subjects  = []string{"Officials", "Analysts", "Farmers in the valley", "Bankers", "Regional governors", "Exporters", "Economists", "Residents", "Lawmakers", "Traders at the bazaar"}
	actions   = []string{"said the measure would take effect next month", "warned that costs could rise before the winter", "expect the first results by the end of the quarter", "called for a clearer timetable", "pointed to higher demand from neighbouring markets", "noted that the previous plan had stalled twice", "welcomed the decision but asked for more detail", "estimated the cost at several hundred million dollars"}
	fillers   = []string{"according to figures published on Tuesday", "in a statement posted on the ministry's website", "at a briefing in the capital", "during a visit to the border region", "in comments to local media", "after a meeting of the cabinet"}
	bullets   = []string{"a new tariff schedule for freight", "quarterly reporting by state companies", "funding for irrigation canals", "simpler visa rules for investors", "a ceiling on retail fuel prices", "support for small exporters", "new limits on foreign-currency loans", "training for customs officers"}
)

func newGen(seed uint64, idx int, day time.Time) *gen {
	name := cities[idx%len(cities)] + " " + mastheads[(idx/len(cities))%len(mastheads)]
	if idx >= len(cities)*len(mastheads) {
		name += " " + strconv.Itoa(idx/(len(cities)*len(mastheads))+1)
	}
	host := strings.ToLower(strings.ReplaceAll(name, " ", "")) + ".example"
	return &gen{r: rand.New(rand.NewPCG(seed, uint64(idx))), idx: idx, day: day, site: "https://" + host, name: name}
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

// title is a headline; some carry WordPress's encoded curly apostrophe.
func (g *gen) title() string {
	switch g.r.IntN(3) {
	case 0:
		return g.pick(countries) + " " + g.pick(verbs) + " " + g.pick(objects) + " " + g.pick(contexts)
	case 1:
		return g.pick(countries) + "&#8217;s " + g.pick(officials) + " " + g.pick(verbs) + " " + g.pick(objects)
	default:
		return g.pick(officials) + " " + g.pick(verbs) + " " + g.pick(objects) + ": What It Means for " + g.pick(countries)
	}
}

func (g *gen) sentence() string {
	return g.pick(subjects) + " " + g.pick(actions) + ", " + g.pick(fillers) + "."
}

func (g *gen) paragraph(n int) string {
	s := make([]string, n)
	for i := range s {
		s[i] = g.sentence()
	}
	return strings.Join(s, " ")
}

func slug(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(html.UnescapeString(title)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-':
			if !strings.HasSuffix(b.String(), "-") {
				b.WriteByte('-')
			}
		}
	}
	return strings.Trim(b.String(), "-")
}

// content is about 1.5 KB of post HTML (size bytes when more): paragraphs,
// a list and links.
func (g *gen) content(size int) string {
	var b strings.Builder
	b.Grow(size + 2048)
	fmt.Fprintf(&b, "<p>%s <strong>%s</strong></p>\n", g.paragraph(2), g.sentence())
	fmt.Fprintf(&b, "<p>%s Read the <a href=\"%s/documents/%d/\">full text of the decision</a>.</p>\n", g.paragraph(2), g.site, g.r.IntN(90000)+10000)
	b.WriteString("<p>The package includes:</p>\n<ul>\n")
	for range 3 + g.r.IntN(2) {
		fmt.Fprintf(&b, "<li>%s</li>\n", g.pick(bullets))
	}
	b.WriteString("</ul>\n")
	for b.Len() < max(1350, size) {
		fmt.Fprintf(&b, "<p>%s</p>\n", g.paragraph(2))
		if b.Len() < size && g.r.IntN(8) == 0 {
			fmt.Fprintf(&b, "<p>%s <a href=\"%s/documents/%d/\">%s</a></p>\n<ul><li>%s</li><li>%s</li></ul>\n",
				g.sentence(), g.site, g.r.IntN(90000)+10000, g.pick(bullets), g.pick(bullets), g.pick(bullets))
		}
	}
	fmt.Fprintf(&b, "<p><em>See also:</em> <a href=\"%s/category/%s/\">more from this section</a>.</p>\n", g.site, strings.ToLower(g.pick(sections)))
	return b.String()
}

func (g *gen) feed(nItems int) []byte {
	var b strings.Builder
	self := g.site + "/feed/"
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	>

<channel>
	<title>%s</title>
	<atom:link href="%s" rel="self" type="application/rss+xml" />
	<link>%s</link>
	<description>News and analysis from Central Asia</description>
	<lastBuildDate>%s</lastBuildDate>
	<language>en-US</language>
	<sy:updatePeriod>
	hourly	</sy:updatePeriod>
	<sy:updateFrequency>
	1	</sy:updateFrequency>
	<generator>https://wordpress.org/?v=6.5.3</generator>
`, g.name, self, g.site, g.day.Format(time.RFC1123Z))
	// Items are newest first, a few hours apart, all within the last 30 days.
	t := g.day.Add(-time.Duration(g.r.IntN(120)) * time.Minute)
	step := 30 * 24 * time.Hour / time.Duration(nItems+1)
	postID := 20000 + g.idx*1000
	for i := 0; i < nItems; i++ {
		title := g.title()
		sl := slug(title)
		link := fmt.Sprintf("%s/%s/%s-%d/", g.site, t.Format("2006/01/02"), sl, i)
		size := 0
		if i == 0 {
			size = g.big
		}
		content := g.content(size)
		first := strings.SplitAfter(content, "</p>")[0]
		excerpt := strings.TrimSuffix(strings.TrimPrefix(first, "<p>"), "</p>")
		excerpt = strings.NewReplacer("<strong>", "", "</strong>", "").Replace(excerpt)
		fmt.Fprintf(&b, `	<item>
		<title>%s</title>
		<link>%s</link>
		<comments>%s#respond</comments>
		<dc:creator><![CDATA[%s]]></dc:creator>
		<pubDate>%s</pubDate>
		<category><![CDATA[%s]]></category>
		<category><![CDATA[%s]]></category>
		<guid isPermaLink="false">%s/?p=%d</guid>

		<description><![CDATA[<p>%s [&#8230;]</p>
<p>The post <a rel="nofollow" href="%s">%s</a> appeared first on <a rel="nofollow" href="%s">%s</a>.</p>
]]></description>
		<content:encoded><![CDATA[%s]]></content:encoded>
		<wfw:commentRss>%sfeed/</wfw:commentRss>
		<slash:comments>%d</slash:comments>
	</item>
`, title, link, link, g.pick(people), t.Format(time.RFC1123Z), g.pick(sections), g.pick(countries),
			g.site, postID+i, excerpt, link, title, g.site, g.name, content, link, g.r.IntN(12))
		t = t.Add(-step + time.Duration(g.r.IntN(20))*time.Minute)
	}
	b.WriteString("</channel>\n</rss>\n")
	return []byte(b.String())
}
