// Command feedgen serves what scripts/compare.sh measures steppe and
// newsboat against: WordPress-shaped RSS 2.0 feeds generated from a seed
// (the same seed and day give the same bytes), answered with ETag and
// Last-Modified so a repeated fetch gets 304, and an ExchangeRate-API
// shaped /v6/latest/USD dated today. It is a measuring aid, not part of
// steppe, and listens on 127.0.0.1 only.
//
//	go run ./scripts/feedgen -feeds 50 -items 200 -seed 1 -out DIR
//
// When it is listening it writes into DIR: steppe.toml (a steppe config of
// every feed and the rates endpoint), urls (a newsboat urls file), titles
// (one feed title a line) and, last, addr (host:port). It serves until
// killed. GET /_stats answers "ok=N notmodified=M other=K" for the feed
// requests since the previous /_stats, and resets the counts.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"hash/fnv"
	"html"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

func main() {
	nFeeds := flag.Int("feeds", 50, "number of feeds")
	nItems := flag.Int("items", 200, "items per feed")
	seed := flag.Uint64("seed", 1, "seed of the generated text")
	out := flag.String("out", "", "directory for steppe.toml, urls, titles and addr (required)")
	flag.Parse()
	if *out == "" || *nFeeds < 1 || *nItems < 1 {
		fmt.Fprintln(os.Stderr, "usage: feedgen -out DIR [-feeds 50] [-items 200] [-seed 1]")
		os.Exit(2)
	}
	if err := run(*nFeeds, *nItems, *seed, *out); err != nil {
		fmt.Fprintln(os.Stderr, "feedgen:", err)
		os.Exit(1)
	}
}

// feed is one generated document, plain and gzipped, with its validators.
type feed struct {
	title      string
	plain, gz  []byte
	etag       string
	lastChange time.Time
}

func run(nFeeds, nItems int, seed uint64, out string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	// Dates hang off today's midnight (UTC), so a run is deterministic for
	// the day and every item is recent enough to be kept.
	now := time.Now().UTC()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	feeds := make([]feed, nFeeds)
	for i := range feeds {
		g := newGen(seed, i, day)
		feeds[i] = g.feed(nItems)
	}

	var ok, notModified, other atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("GET /feed/{file}", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimSuffix(r.PathValue("file"), ".xml"))
		if err != nil || n < 1 || n > len(feeds) {
			other.Add(1)
			http.NotFound(w, r)
			return
		}
		f := &feeds[n-1]
		body, etag := f.plain, f.etag
		w.Header().Set("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, etag = f.gz, strings.TrimSuffix(f.etag, `"`)+`-gzip"`
			w.Header().Set("Content-Encoding", "gzip")
		}
		w.Header().Set("Content-Type", "application/rss+xml; charset=UTF-8")
		w.Header().Set("ETag", etag)
		cw := &codeWriter{ResponseWriter: w, code: http.StatusOK}
		http.ServeContent(cw, r, "", f.lastChange, bytes.NewReader(body))
		switch cw.code {
		case http.StatusOK:
			ok.Add(1)
		case http.StatusNotModified:
			notModified.Add(1)
		default:
			other.Add(1)
		}
	})
	mux.HandleFunc("GET /v6/latest/{base}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("base") != "USD" {
			http.NotFound(w, r)
			return
		}
		upd := day.Add(time.Minute)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"result":"success","provider":"https://www.exchangerate-api.com","time_last_update_unix":%d,"time_last_update_utc":%q,"time_next_update_unix":%d,"time_next_update_utc":%q,"time_eol_unix":0,"base_code":"USD","rates":{"USD":1,"CNY":7.165629,"EUR":0.907539,"KGS":87.45,"KZT":478.95,"RUB":89.378323,"TJS":10.92,"TMT":3.5,"UZS":12707.57}}`,
			upd.Unix(), upd.Format(time.RFC1123Z), upd.Add(24*time.Hour).Unix(), upd.Add(24*time.Hour).Format(time.RFC1123Z))
	})
	mux.HandleFunc("GET /_stats", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "ok=%d notmodified=%d other=%d\n", ok.Swap(0), notModified.Swap(0), other.Swap(0))
	})

	var cfg, urls, titles strings.Builder
	for i, f := range feeds {
		u := fmt.Sprintf("%s/feed/%d.xml", base, i+1)
		fmt.Fprintf(&cfg, "[[feeds]]\nname = %q\nurl = %q\n\n", f.title, u)
		fmt.Fprintln(&urls, u)
		fmt.Fprintln(&titles, f.title)
	}
	fmt.Fprintf(&cfg, "[rates]\nproviders = [\"erapi\"]\n[rates.endpoints]\nerapi = %q\n", base)
	for name, text := range map[string]string{"steppe.toml": cfg.String(), "urls": urls.String(), "titles": titles.String()} {
		if err := os.WriteFile(filepath.Join(out, name), []byte(text), 0o600); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(out, "addr"), []byte(ln.Addr().String()+"\n"), 0o600); err != nil {
		return err
	}
	return http.Serve(ln, mux)
}

func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// codeWriter remembers the status ServeContent answered with.
type codeWriter struct {
	http.ResponseWriter
	code int
}

func (c *codeWriter) WriteHeader(code int) {
	c.code = code
	c.ResponseWriter.WriteHeader(code)
}

// gen writes one feed from its own random stream.
type gen struct {
	r    *rand.Rand
	idx  int
	day  time.Time
	site string // https://host
	name string
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

// content is about 1.5 KB of post HTML: paragraphs, a list and links.
func (g *gen) content() string {
	var b strings.Builder
	fmt.Fprintf(&b, "<p>%s <strong>%s</strong></p>\n", g.paragraph(2), g.sentence())
	fmt.Fprintf(&b, "<p>%s Read the <a href=\"%s/documents/%d/\">full text of the decision</a>.</p>\n", g.paragraph(2), g.site, g.r.IntN(90000)+10000)
	b.WriteString("<p>The package includes:</p>\n<ul>\n")
	for range 3 + g.r.IntN(2) {
		fmt.Fprintf(&b, "<li>%s</li>\n", g.pick(bullets))
	}
	b.WriteString("</ul>\n")
	for b.Len() < 1350 {
		fmt.Fprintf(&b, "<p>%s</p>\n", g.paragraph(2))
	}
	fmt.Fprintf(&b, "<p><em>See also:</em> <a href=\"%s/category/%s/\">more from this section</a>.</p>\n", g.site, strings.ToLower(g.pick(sections)))
	return b.String()
}

func (g *gen) feed(nItems int) feed {
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
		content := g.content()
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
	plain := []byte(b.String())
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, gzip.DefaultCompression)
	zw.Write(plain)
	zw.Close()
	sum := fnv.New64a() // an ETag that changes with the bytes
	sum.Write(plain)
	return feed{
		title:      g.name,
		plain:      plain,
		gz:         z.Bytes(),
		etag:       fmt.Sprintf(`"%016x"`, sum.Sum64()),
		lastChange: g.day,
	}
}
