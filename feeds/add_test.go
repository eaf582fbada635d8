package feeds

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// addServer serves the Eurasianet Atom fixture at /feed, a browser
// challenge page at /page and 404 elsewhere.
func addServer(t *testing.T) *feedServer {
	atom := readPayload(t, "eurasianet_atom.xml")
	page := readPayload(t, "error.html")
	return newFeedServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			w.Header().Set("Content-Type", "application/atom+xml")
			w.Write(atom)
		case "/page":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(page)
		default:
			http.NotFound(w, r)
		}
	})
}

func TestAddFetchesOnceAndStoresTheFeed(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	srv := addServer(t)
	f := NewFetcher(st, Options{})
	res, err := f.Add(ctx, Spec{URL: srv.URL + "/feed#frag", Group: "News / Asia"})
	if err != nil {
		t.Fatal(err)
	}
	if srv.count() != 1 {
		t.Errorf("%d requests, want 1", srv.count())
	}
	fd := res.Feed
	if fd.Name != "Eurasianet" || fd.Group != "News/Asia" || fd.Origin != OriginImport || fd.URL != srv.URL+"/feed" {
		t.Errorf("feed %+v: want the feed's own title, the group, origin import, the URL without fragment", fd)
	}
	if res.Total != 2 || res.New != 2 {
		t.Errorf("total %d new %d, want 2 and 2", res.Total, res.New)
	}
	stored, _ := st.Feeds(ctx)
	if len(stored) != 1 || stored[0].LastStatus != "ok" || stored[0].LastOK.IsZero() || stored[0].ETag != "" {
		t.Errorf("stored %+v: want status ok, no validators", stored)
	}
	if c, _ := st.Count(ctx); c != 2 {
		t.Errorf("%d articles stored, want 2", c)
	}

	// A name given wins; the same URL again is refused before fetching.
	_, err = f.Add(ctx, Spec{Name: "Again", URL: srv.URL + "/feed#again"})
	var ex *ExistsError
	if !errors.As(err, &ex) || ex.Feed.Name != "Eurasianet" || srv.count() != 1 {
		t.Errorf("second add: %v (requests %d)", err, srv.count())
	}
	st2 := newStore(t)
	res, err = NewFetcher(st2, Options{}).Add(ctx, Spec{Name: "Mine", URL: srv.URL + "/feed"})
	if err != nil || res.Feed.Name != "Mine" {
		t.Errorf("named add: %+v, %v", res.Feed, err)
	}
}

func TestAddRefusesWhatIsNotAFeedAndStoresNothing(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	srv := addServer(t)
	f := NewFetcher(st, Options{})
	gen, _ := st.FeedsGeneration(ctx)
	for path, want := range map[string]string{
		srv.URL + "/page":          "not a feed: got text/html",
		srv.URL + "/missing":       "HTTP 404",
		"ftp://files.example/feed": "not an http(s) URL",
	} {
		if _, err := f.Add(ctx, Spec{URL: path}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Add(%s) = %v, want %q", path, err, want)
		}
	}
	if fs, _ := st.Feeds(ctx); len(fs) != 0 {
		t.Errorf("stored %+v", fs)
	}
	if g, _ := st.FeedsGeneration(ctx); g != gen {
		t.Errorf("generation moved %d → %d though nothing was added", gen, g)
	}
}
