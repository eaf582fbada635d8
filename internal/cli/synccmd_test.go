package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	miniflux "miniflux.app/v2/client"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/synctest"
)

// serverFeeds serves RSS for Miniflux to subscribe to and counts the hits.
func serverFeeds(t *testing.T, items int) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".xml")
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>%s</title>`, name)
		for i := range items {
			fmt.Fprintf(w, `<item><guid>%s-%d</guid><title>%s story %d</title><link>https://srv.example/%s/%d</link><description>Text %d.</description><pubDate>%s</pubDate></item>`,
				name, i, name, i, name, i, i, time.Date(2026, 12, 6, 10, i, 0, 0, time.UTC).Format(time.RFC1123Z))
		}
		fmt.Fprint(w, `</channel></rss>`)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// syncSetup is a Miniflux user subscribed to one feed ("Kabar", in
// category "Kyrgyzstan"), and a config with [sync] pointing at it.
type syncSetup struct {
	srv  *synctest.Server
	user *synctest.User
	base []string // --config, --data-dir
	dir  string
}

func newSyncSetup(t *testing.T, service string, extra string) *syncSetup {
	t.Helper()
	srv := synctest.Shared(t)
	u := srv.NewUser(t)
	fs, _ := serverFeeds(t, 3)
	cat, err := u.Client.CreateCategory("Kyrgyzstan")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.Client.CreateFeed(&miniflux.FeedCreationRequest{FeedURL: fs.URL + "/kabar.xml", CategoryID: cat.ID}); err != nil {
		t.Fatalf("subscribe: %v\n%s", err, srv.Log())
	}
	dir := t.TempDir()
	name, pw := u.Name, u.Password
	if service == "greader" {
		name, pw = "gr-"+u.Name, "gr-"+u.Password
		srv.EnableGoogleReader(t, u, name, pw)
	}
	pwFile := filepath.Join(dir, "pw")
	os.WriteFile(pwFile, []byte(pw+"\n"), 0o600)
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("%s\n[sync]\nservice = %q\nurl = %q\nusername = %q\npassword_file = %q\n",
		extra, service, srv.URL, name, pwFile)), 0o600)
	return &syncSetup{srv: srv, user: u, dir: dir, base: []string{"--config", cfg, "--data-dir", filepath.Join(dir, "data")}}
}

func (s *syncSetup) run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	code, out, errOut := steppe(t, append(append([]string{}, s.base...), args...)...)
	if strings.Contains(out+errOut, s.user.Password) {
		t.Errorf("%v printed the password:\n%s%s", args, out, errOut)
	}
	return code, out, errOut
}

func (s *syncSetup) serverEntry(t *testing.T, title string) *miniflux.Entry {
	t.Helper()
	res, err := s.user.Client.Entries(&miniflux.Filter{Search: title})
	if err != nil || len(res.Entries) == 0 {
		t.Fatalf("server entry %q: %v", title, err)
	}
	return res.Entries[0]
}

func TestSyncCommandEndToEnd(t *testing.T) {
	s := newSyncSetup(t, "miniflux", "")
	code, out, errOut := s.run(t, "sync")
	if code != 0 || !strings.Contains(out, "synced with miniflux at "+s.srv.URL+": 1 feed, 3 entries (3 new)") {
		t.Fatalf("sync: exit %d\n%s%s", code, out, errOut)
	}
	_, out, _ = s.run(t, "feeds", "list")
	if !strings.Contains(out, "kabar") || !strings.Contains(out, "Kyrgyzstan") || !strings.Contains(out, "synced") || !strings.Contains(out, "1 from the sync server") {
		t.Errorf("feeds list:\n%s", out)
	}
	code, _, errOut = s.run(t, "feeds", "remove", "kabar")
	if code != 1 || !strings.Contains(errOut, "comes from the sync server") {
		t.Errorf("feeds remove of a server feed: exit %d, %s", code, errOut)
	}

	p := headlinesPage(t, s.base...)
	if p.Total != 3 {
		t.Fatalf("headlines: %+v", p)
	}
	first := p.Items[0] // kabar story 2, the newest
	code, out, errOut = s.run(t, "mark", "read", first.ID)
	if code != 0 || !strings.Contains(out, "sent 1 change") {
		t.Errorf("mark read: exit %d\n%s%s", code, out, errOut)
	}
	if e := s.serverEntry(t, first.Title); e.Status != "read" {
		t.Errorf("server entry after mark read: %s", e.Status)
	}

	// The server goes away: mark keeps the change, sync fails saying why,
	// and nothing is lost.
	s.srv.StopMiniflux()
	code, out, errOut = s.run(t, "mark", "star", first.ID)
	if code != 0 || !strings.Contains(errOut, "the sync server was not told") {
		t.Errorf("mark with the server down: exit %d\n%s%s", code, out, errOut)
	}
	code, _, errOut = s.run(t, "sync")
	s.srv.StartMiniflux(t)
	if code != 1 || !strings.Contains(errOut, "connection refused") || !strings.Contains(errOut, "1 local change kept for the next sync") {
		t.Errorf("sync with the server down: exit %d\n%s", code, errOut)
	}
	code, out, _ = s.run(t, "sync", "--json")
	var rep syncJSON
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || rep.Pushed != 1 || rep.New != 0 || rep.Pending != 0 {
		t.Errorf("sync after the server is back: exit %d\n%s", code, out)
	}
	if e := s.serverEntry(t, first.Title); !e.Starred {
		t.Errorf("the star made while the server was down did not arrive")
	}

	// The server's side: another device reads an entry.
	second := p.Items[1]
	s.user.Client.UpdateEntries([]int64{s.serverEntry(t, second.Title).ID}, "read")
	s.run(t, "sync")
	if p := headlinesPage(t, s.base...); !p.Items[1].Read || !p.Items[0].Starred {
		t.Errorf("after the server read one: %+v", p.Items[:2])
	}
}

// refresh with [sync] syncs the server's feeds and fetches only the local
// ones (and the rates) itself.
func TestRefreshSyncsAndFetchesLocalFeeds(t *testing.T) {
	local := newFixtureServer(t)
	extra := fmt.Sprintf("[[feeds]]\nname = \"Local\"\nurl = %q\n[rates]\nproviders = [\"frankfurter\"]\n[rates.endpoints]\nfrankfurter = %q\n",
		local.URL+"/feeds/timesca.xml", local.URL)
	s := newSyncSetup(t, "greader", extra)
	s.run(t, "sync")
	before := local.feedHits.Load()
	code, out, errOut := s.run(t, "refresh")
	if code != 0 {
		t.Fatalf("refresh: exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"Local", "9 new, 9 in feed", "sync", "1 feed, 0 entries", "rates"} {
		if !strings.Contains(out, want) {
			t.Errorf("refresh lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "kabar") {
		t.Errorf("refresh fetched the server's feed itself:\n%s", out)
	}
	if local.feedHits.Load() != before+1 {
		t.Errorf("local feed fetched %d times, want once", local.feedHits.Load()-before)
	}
	if p := headlinesPage(t, s.base...); p.Total != 12 {
		t.Errorf("%d headlines, want 9 local + 3 from the server", p.Total)
	}
}

func TestSyncWrongPasswordAndNoConfig(t *testing.T) {
	s := newSyncSetup(t, "miniflux", "")
	os.WriteFile(filepath.Join(s.dir, "pw"), []byte("wrong-s3cret\n"), 0o600)
	code, out, errOut := s.run(t, "sync")
	if code != 1 || !strings.Contains(errOut, "refused the user name and password") || strings.Contains(out+errOut, "wrong-s3cret") {
		t.Errorf("wrong password: exit %d\n%s%s", code, out, errOut)
	}
	code, _, errOut = steppe(t, "--data-dir", t.TempDir(), "--config", filepath.Join(t.TempDir(), "none.toml"), "sync")
	if code != 1 {
		t.Errorf("sync with no config: exit %d: %s", code, errOut)
	}
	cfg := filepath.Join(s.dir, "plain.toml")
	os.WriteFile(cfg, []byte("page_size = 5\n"), 0o600)
	code, _, errOut = steppe(t, "--data-dir", t.TempDir(), "--config", cfg, "sync")
	if code != 1 || !strings.Contains(errOut, "no sync server is configured: add a [sync] table to "+cfg) {
		t.Errorf("sync without [sync]: exit %d: %s", code, errOut)
	}
}

// The dashboard syncs in the background: with [sync] set, the server's
// entries arrive without a `steppe sync`, and a read on the server shows.
func TestEndToEndDashboardSyncs(t *testing.T) {
	needTmux(t)
	s := newSyncSetup(t, "miniflux", "[[feeds]]\nname = \"Local\"\nurl = \"http://127.0.0.1:9/none.xml\"\n")
	bin := buildBinary(t)
	tm := startTmux(t, append([]string{bin}, s.base...)...)
	tm.waitFor("the server's entries", "kabar story 2", "of 3 · 3 unread")
	// Read the newest here, and one on the server: r syncs both ways.
	tm.keys("Enter")
	tm.waitFor("the reader", "Text 2.")
	tm.keys("Escape")
	tm.waitFor("the list again", "of 3 · 2 unread")
	if err := s.user.Client.UpdateEntries([]int64{s.serverEntry(t, "kabar story 0").ID}, "read"); err != nil {
		t.Fatal(err)
	}
	tm.keys("r")
	tm.waitFor("the server's read", "of 3 · 1 unread")
	if e := s.serverEntry(t, "kabar story 2"); e.Status != "read" {
		t.Errorf("the read made in the dashboard did not reach the server: %s", e.Status)
	}
	// The sources pane names the server and what the last sync did.
	tm.keys("e")
	tm.waitFor("the sources pane", "kabar — ok", "from miniflux at "+s.srv.URL+"; last sync", "3 entries (0 new), 1 change")
	tm.keys("e")
	tm.waitFor("the list again", "of 3 · 1 unread")
	tm.keys("q")
	if code := tm.exitCode(); code != "0" {
		t.Errorf("exit %s", code)
	}
}

// The dashboard refreshes (syncs) the server's feeds on the [sync]
// interval; feeds of the config file keep their own.
func TestServerFeedsComeDueOnTheSyncInterval(t *testing.T) {
	ctx := context.Background()
	st, err := openStores(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.feeds.AddFeeds(ctx, []feeds.Spec{{Name: "Local", URL: "http://127.0.0.1:9/local.xml", Refresh: 7 * time.Minute}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.feeds.SetRemoteFeeds(ctx, []feeds.RemoteFeed{{RemoteID: "1", URL: "http://127.0.0.1:9/kabar.xml", Title: "kabar"}}); err != nil {
		t.Fatal(err)
	}
	list, err := syncedFeeds{ArticleStore: st.feeds, every: 42 * time.Minute}.Feeds(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("%v %+v", err, list)
	}
	for _, f := range list {
		want := 7 * time.Minute
		if f.Origin == feeds.OriginServer {
			want = 42 * time.Minute
		}
		if f.Refresh != want {
			t.Errorf("%s: refresh %s, want %s", f.Name, f.Refresh, want)
		}
	}
}
