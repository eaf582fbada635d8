package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/feeds"
)

// feedsEnv is a data directory and a config with one feed of its own.
type feedsEnv struct {
	t    *testing.T
	srv  *fixtureServer
	cfg  string
	data string
}

func newFeedsEnv(t *testing.T, config string) *feedsEnv {
	t.Helper()
	dir := t.TempDir()
	e := &feedsEnv{t: t, srv: newFixtureServer(t), cfg: filepath.Join(dir, "config.toml"), data: filepath.Join(dir, "data")}
	config = strings.ReplaceAll(config, "SERVER", e.srv.URL)
	if err := os.WriteFile(e.cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *feedsEnv) run(args ...string) (int, string, string) {
	e.t.Helper()
	return steppe(e.t, append([]string{"--config", e.cfg, "--data-dir", e.data}, args...)...)
}

// must runs a command that must succeed and returns its stdout.
func (e *feedsEnv) must(args ...string) string {
	e.t.Helper()
	code, out, errOut := e.run(args...)
	if code != 0 {
		e.t.Fatalf("steppe %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// fails runs a command that must exit with code and returns its stderr.
func (e *feedsEnv) fails(code int, args ...string) string {
	e.t.Helper()
	got, out, errOut := e.run(args...)
	if got != code {
		e.t.Fatalf("steppe %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), got, code, out, errOut)
	}
	return errOut
}

func (e *feedsEnv) listJSON() []feedJSON {
	e.t.Helper()
	var got []feedJSON
	out := e.must("feeds", "list", "--json")
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		e.t.Fatalf("feeds list --json is not JSON: %v\n%s", err, out)
	}
	return got
}

func wantIn(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

func wantNotIn(t *testing.T, what, text string, nots ...string) {
	t.Helper()
	for _, w := range nots {
		if strings.Contains(text, w) {
			t.Errorf("%s holds %q:\n%s", what, w, text)
		}
	}
}

const oneFeedConfig = "[[feeds]]\nname = \"Config Times\"\nurl = \"SERVER/feeds/timesca.xml\"\n"

func TestFeedsCommandUsage(t *testing.T) {
	e := newFeedsEnv(t, oneFeedConfig)
	wantIn(t, "feeds without a command", e.fails(2, "feeds"), "steppe feeds list", "steppe feeds add URL", "steppe feeds remove NAME|URL")
	wantIn(t, "unknown feeds command", e.fails(2, "feeds", "frob"), `unknown command "frob"`, "steppe feeds export")
	wantIn(t, "feeds help", e.must("feeds", "help"), "steppe feeds import FILE.opml")
	wantIn(t, "feeds add without URL", e.fails(2, "feeds", "add"), "Usage: steppe feeds add URL")
	wantIn(t, "feeds add with two URLs", e.fails(2, "feeds", "add", "https://a.example/", "https://b.example/"), "Usage: steppe feeds add URL")
	wantIn(t, "feeds remove without a name", e.fails(2, "feeds", "remove"), "Usage: steppe feeds remove NAME|URL")
	wantIn(t, "feeds import without a file", e.fails(2, "feeds", "import"), "Usage: steppe feeds import FILE.opml")
	wantIn(t, "feeds list with an argument", e.fails(2, "feeds", "list", "extra"), "takes no arguments")
	wantIn(t, "feeds add --offline", e.fails(1, "--offline", "feeds", "add", "https://a.example/"), "--offline")
	wantIn(t, "missing OPML file", e.fails(1, "feeds", "import", filepath.Join(t.TempDir(), "none.opml")), "none.opml")
}

func TestFeedsAddListRemove(t *testing.T) {
	e := newFeedsEnv(t, oneFeedConfig)
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<!DOCTYPE html><html><body><h1>Checking your browser</h1></body></html>"))
	}))
	t.Cleanup(page.Close)
	atom := e.srv.URL + "/feeds/eurasianet.atom"

	out := e.must("feeds", "add", atom, "--group", "News / Asia")
	wantIn(t, "feeds add", out, "added Test Eurasianet (4 items) in News/Asia", atom)

	wantIn(t, "adding it again", e.fails(1, "feeds", "add", atom+"#top", "--name", "Second"),
		`not added: `+atom+` is already a feed, "Test Eurasianet" (kept in the store)`)
	wantIn(t, "adding the config feed", e.fails(1, "feeds", "add", strings.ToUpper(e.srv.URL[:4])+e.srv.URL[4:]+"/feeds/timesca.xml"),
		`is already a feed, "Config Times" (from the config)`)
	wantIn(t, "adding a web page", e.fails(1, "feeds", "add", page.URL+"/news"), "not added: "+page.URL+"/news: not a feed: got text/html")
	wantIn(t, "adding a missing page", e.fails(1, "feeds", "add", e.srv.URL+"/feeds/none.xml"), "not added: ", "HTTP 404")
	wantIn(t, "adding an ftp URL", e.fails(1, "feeds", "add", "ftp://files.example/feed.xml"), "not added: ftp://files.example/feed.xml: not an http(s) URL")

	secret := strings.Replace(e.srv.URL, "http://", "http://bob:s3cret@", 1) + "/feeds/timesca.xml?private=1"
	out = e.must("feeds", "add", secret, "--name", "Private Times")
	wantIn(t, "feeds add with credentials", out, "added Private Times (9 items)", "http://***@127.0.0.1")
	wantNotIn(t, "feeds add with credentials", out, "s3cret", "bob")

	// The list: every feed, aligned, credentials hidden.
	out = e.must("feeds", "list")
	wantIn(t, "feeds list", out, "NAME", "GROUP", "UNREAD/TOTAL", "STATUS", "URL",
		"Config Times", "never fetched", "0/0",
		"Test Eurasianet", "News/Asia", "4/4", "ok, just now", atom,
		"Private Times", "9/9", "http://***@127.0.0.1",
		"3 feeds: 1 from the config, 2 kept in the store")
	wantNotIn(t, "feeds list", out, "s3cret", "bob")
	lines := strings.Split(out, "\n")
	col := func(line, word string) int { return ansi.StringWidth(line[:strings.Index(line, word)]) }
	for i, word := range []string{"STATUS", "never fetched", "ok, just now", "ok, just now"} {
		if c, want := col(lines[i], word), col(lines[0], "STATUS"); c != want {
			t.Errorf("line %d: status at column %d, want %d:\n%s", i, c, want, out)
		}
	}

	got := e.listJSON()
	if len(got) != 3 {
		t.Fatalf("feeds list --json: %d feeds, want 3: %+v", len(got), got)
	}
	if g := got[0]; g.Name != "Config Times" || g.Origin != "config" || g.Status != "never fetched" || g.Total != 0 || g.LastFetch != "" {
		t.Errorf("config feed: %+v", g)
	}
	if g := got[1]; g.Name != "Test Eurasianet" || g.Group != "News/Asia" || g.Origin != "import" || g.Status != "ok" ||
		g.Unread != 4 || g.Total != 4 || g.URL != atom || g.LastOK == "" {
		t.Errorf("added feed: %+v", g)
	}
	if g := got[2]; g.URL != "http://***@"+strings.TrimPrefix(e.srv.URL, "http://")+"/feeds/timesca.xml?private=1" {
		t.Errorf("credentials in JSON: %+v", g)
	}

	// Remove: by name, ignoring case; a config feed is the config's.
	wantIn(t, "removing a config feed", e.fails(1, "feeds", "remove", "config times"),
		`"Config Times"`, "comes from the config file "+e.cfg, "[[feeds]]")
	wantIn(t, "removing an unknown feed", e.fails(1, "feeds", "remove", "Nobody"), `no feed is named "Nobody"`, "steppe feeds list")
	out = e.must("feeds", "remove", "test", "eurasianet")
	wantIn(t, "feeds remove", out, "removed Test Eurasianet ("+atom+") and 4 stored articles")
	if got := e.listJSON(); len(got) != 2 || got[1].Name != "Private Times" {
		t.Errorf("after remove: %+v", got)
	}
	wantIn(t, "headlines after remove", e.must("headlines"), "of 9 ")

	// Two feeds of one name: the URL decides.
	e.must("feeds", "add", e.srv.URL+"/feeds/eurasianet.atom?a=1", "--name", "Twin")
	e.must("feeds", "add", e.srv.URL+"/feeds/eurasianet.atom?b=2", "--name", "twin")
	wantIn(t, "ambiguous remove", e.fails(1, "feeds", "remove", "TWIN"),
		`2 feeds are named "TWIN"`, "eurasianet.atom?a=1", "eurasianet.atom?b=2", "give the URL")
	wantIn(t, "remove by URL", e.must("feeds", "remove", e.srv.URL+"/feeds/eurasianet.atom?b=2"), "removed twin")
	wantIn(t, "remove by redacted URL", e.must("feeds", "remove", "http://***@"+strings.TrimPrefix(e.srv.URL, "http://")+"/feeds/timesca.xml?private=1"),
		"removed Private Times", "and 9 stored articles")
}

func TestFeedsRemoveADefaultFeed(t *testing.T) {
	e := newFeedsEnv(t, "page_size = 6\n")
	wantIn(t, "removing a default feed", e.fails(1, "feeds", "remove", "Eurasianet"),
		`"Eurasianet" is one of the built-in default feeds`, "[[feeds]] entries in the config file "+e.cfg)
	err := configFeedError("", feeds.Feed{Name: "Kun.uz", URL: "https://kun.uz/news/rss"})
	wantIn(t, "without a config file", err.Error(), "built-in default feeds", defaultGlobals().config)
}

const importOPML = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>mine</title></head><body>
<outline text="News">
  <outline text="Asia">
    <outline text="Akipress" type="rss" xmlUrl="https://akipress.example/rss"/>
  </outline>
  <outline text="Asia-Plus &#27;[31m" type="rss" xmlUrl="https://asiaplus.example/feed"/>
</outline>
<outline text="Old FTP" type="rss" xmlUrl="ftp://files.example/feed.xml"/>
<outline text="Akipress again" type="rss" xmlUrl="HTTPS://AKIPRESS.example:443/rss#top"/>
<outline text="Mine again" type="rss" xmlUrl="https://MINE.example/feed#x"/>
<outline text="Private" type="rss" xmlUrl="https://bob:s3cret@private.example/feed"/>
<outline text="Empty folder"/>
</body></opml>
`

func TestFeedsImportReportsSkipsAndExportRoundTrips(t *testing.T) {
	e := newFeedsEnv(t, "[[feeds]]\nname = \"Mine\"\nurl = \"https://mine.example/feed\"\n")
	opml := filepath.Join(t.TempDir(), "in.opml")
	os.WriteFile(opml, []byte(importOPML), 0o600)

	out := e.must("feeds", "import", opml)
	wantIn(t, "import", out,
		"added Akipress  https://akipress.example/rss  (News/Asia)",
		"added Asia-Plus  https://asiaplus.example/feed  (News)",
		"added Private  https://***@private.example/feed\n",
		`skipped line 9 "Old FTP" ftp://files.example/feed.xml: not an http(s) URL`,
		`skipped line 10 "Akipress again" HTTPS://AKIPRESS.example:443/rss#top: duplicate of line 5`,
		`skipped line 11 "Mine again" https://mine.example/feed: already present as "Mine"`,
		"3 feeds added, 1 already present, 2 skipped, from "+opml)
	wantNotIn(t, "import", out, "s3cret", "\x1b", "Empty folder")

	out = e.must("feeds", "import", opml)
	wantIn(t, "second import", out, "0 feeds added, 4 already present, 2 skipped")

	// Export: groups as nested folders, credentials hidden unless asked.
	code, out, errOut := e.run("feeds", "export")
	if code != 0 {
		t.Fatalf("export exit %d: %s", code, errOut)
	}
	wantIn(t, "export", out, `<outline text="News" title="News">`, `<outline text="Asia" title="Asia">`, "https://***@private.example/feed")
	wantNotIn(t, "export", out, "s3cret")
	wantIn(t, "export's stderr", errOut, "1 feed URL held credentials (user:password), written as ***", "--with-credentials")
	code, full, errOut := e.run("feeds", "export", "--with-credentials")
	if code != 0 {
		t.Fatalf("export --with-credentials exit %d: %s", code, errOut)
	}
	wantIn(t, "export --with-credentials", full, "https://bob:s3cret@private.example/feed")
	wantIn(t, "export --with-credentials' stderr", errOut, "--with-credentials", "holds the credentials (user:password) of 1 feed URL", "keep it private")

	// Import → export → import gives the same feeds and groups.
	exported := filepath.Join(t.TempDir(), "out.opml")
	os.WriteFile(exported, []byte(full), 0o600)
	e2 := newFeedsEnv(t, "[[feeds]]\nname = \"Mine\"\nurl = \"https://mine.example/feed\"\n")
	wantIn(t, "re-import", e2.must("feeds", "import", exported), "3 feeds added, 1 already present, 0 skipped")
	key := func(fs []feedJSON) []string {
		var s []string
		for _, f := range fs {
			s = append(s, f.Name+"|"+f.Group+"|"+f.URL+"|"+f.Origin)
		}
		slices.Sort(s)
		return s
	}
	first, second := key(e.listJSON()), key(e2.listJSON())
	if !slices.Equal(first, second) || len(first) != 4 {
		t.Errorf("round trip:\n%s\nwant\n%s", strings.Join(second, "\n"), strings.Join(first, "\n"))
	}
}

func TestFeedsImportRefusesABadFileWhole(t *testing.T) {
	e := newFeedsEnv(t, oneFeedConfig)
	bad := filepath.Join(t.TempDir(), "page.opml")
	os.WriteFile(bad, []byte("<html><body>not opml</body></html>"), 0o600)
	wantIn(t, "importing HTML", e.fails(1, "feeds", "import", bad), bad+": not an OPML file: the root element is <html>")
	big := filepath.Join(t.TempDir(), "big.opml")
	os.WriteFile(big, []byte("<opml><body>"+strings.Repeat(`<outline text="x"/>`, 60_000)+"</body></opml>"), 0o600)
	wantIn(t, "importing too many outlines", e.fails(1, "feeds", "import", big), "more than 50000 outlines")
}

// A running dashboard keeps the store open and polls FeedsGeneration: the
// CLI's changes to the feeds move it, reading commands do not.
func TestFeedsGenerationSeenByAnOpenStore(t *testing.T) {
	e := newFeedsEnv(t, oneFeedConfig)
	e.must("feeds", "list")
	ctx := context.Background()
	open, err := openStores(ctx, e.data)
	if err != nil {
		t.Fatal(err)
	}
	defer open.Close()
	gen := func() int64 {
		t.Helper()
		n, err := open.feeds.FeedsGeneration(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	g0 := gen()
	e.must("feeds", "list")
	e.must("feeds", "export")
	if g := gen(); g != g0 {
		t.Errorf("reading commands moved the generation %d → %d", g0, g)
	}
	e.must("feeds", "add", e.srv.URL+"/feeds/eurasianet.atom")
	g1 := gen()
	if g1 == g0 {
		t.Error("feeds add did not move the generation")
	}
	e.must("feeds", "remove", "Test Eurasianet")
	if g := gen(); g == g1 {
		t.Error("feeds remove did not move the generation")
	}
}

// A URL whose credentials an export hid (***) is not stored with the stars
// as its user name: add refuses it and import reports it, with the way
// out; and import reads an OPML file from stdin given as "-".
func TestFeedsHiddenCredentialsAndStdin(t *testing.T) {
	e := newFeedsEnv(t, oneFeedConfig)
	wantIn(t, "adding a redacted URL", e.fails(1, "feeds", "add", "https://***@news.example/rss"),
		"not added: https://***@news.example/rss: its user name and password were hidden (***)", "--with-credentials")
	opml := `<?xml version="1.0"?><opml version="2.0"><body>
<outline text="Hidden" xmlUrl="https://***@news.example/rss"/>
<outline text="Atom" xmlUrl="` + e.srv.URL + `/feeds/eurasianet.atom"/>
</body></opml>`
	bin := buildBinary(t)
	cmd := exec.Command(bin, "--config", e.cfg, "--data-dir", e.data, "feeds", "import", "-")
	cmd.Stdin = strings.NewReader(opml)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("feeds import -: %v\n%s", err, out)
	}
	wantIn(t, "import from stdin", string(out), "line 2", "hidden (***)")
	got := e.listJSON()
	if len(got) != 2 || !strings.HasSuffix(got[1].URL, "/feeds/eurasianet.atom") {
		t.Errorf("feeds after the import: %+v", got)
	}
}

// A feed carrying more items than its max_items keeps the newest, and the
// refresh line, feeds list and its JSON say what was left out.
func TestFeedsListSaysWhatTheCapLeftOut(t *testing.T) {
	e := newFeedsEnv(t, "[[feeds]]\nname = \"Config Times\"\nurl = \"SERVER/feeds/timesca.xml\"\nmax_items = 4\n"+
		"[rates]\nproviders = [\"erapi\"]\n[rates.endpoints]\nerapi = \"SERVER\"\n")
	out := e.must("refresh")
	wantIn(t, "refresh", out, "4 new, 4 in feed (kept the newest 4 of 9 items)")
	wantIn(t, "feeds list", e.must("feeds", "list"), "ok, just now · kept the newest 4 of 9 items")
	rows := e.listJSON()
	if len(rows) != 1 || rows[0].Note != "kept the newest 4 of 9 items" || rows[0].Total != 4 {
		t.Errorf("feeds list --json: %+v", rows)
	}
}
