package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/steppe-news/steppe/feeds"
)

// A podcast feed's enclosures reach `headlines --json`, `article --json`
// and the plain `article` (after the link, its secret parameter masked).
func TestEnclosuresInTheCLI(t *testing.T) {
	podcast, err := os.ReadFile(filepath.Join(repoRoot, "feeds", "parse", "testdata", "podcast_itunes.xml"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/podcast.rss" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(podcast)
	}))
	defer srv.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("[[feeds]]\nname = \"Steppe Sessions\"\nurl = \""+srv.URL+"/podcast.rss\"\n[rates]\nproviders = [\"erapi\"]\n[rates.endpoints]\nerapi = \""+srv.URL+"\"\n"), 0o600)
	base := []string{"--config", cfg, "--data-dir", filepath.Join(dir, "data")}
	steppe(t, append(base, "refresh")...)

	p := headlinesPage(t, base...)
	byTitle := map[string]headlineJSON{}
	for _, it := range p.Items {
		byTitle[it.Title] = it
	}
	ep := byTitle["Ep. 112: The tenge after the rate decision"]
	secretURL := "https://dts.podtrac.example/redirect.mp3/media.example.kz/steppe/ep112.mp3?utm_source=rss&key=0f9a"
	want := []feeds.Enclosure{{URL: secretURL, Type: "audio/mpeg", Length: 25264128}}
	if !reflect.DeepEqual(ep.Enclosures, want) {
		t.Errorf("headlines --json enclosures: %+v, want %+v", ep.Enclosures, want)
	}
	if tr, ok := byTitle["Trailer: Steppe Sessions season 5"]; !ok || tr.Enclosures != nil {
		t.Errorf("trailer: %+v", tr)
	}
	// The JSON's shape: "enclosures": [{"url", "type", "length"}], left
	// out for an item without any.
	_, raw, _ := steppe(t, append(base, "headlines", "--json")...)
	var shape struct {
		Items []map[string]json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal([]byte(raw), &shape); err != nil {
		t.Fatal(err)
	}
	with := 0
	for _, it := range shape.Items {
		if e, ok := it["enclosures"]; ok {
			with++
			var list []map[string]any
			if json.Unmarshal(e, &list) != nil || len(list) == 0 {
				t.Fatalf("enclosures: %s", e)
			}
			for _, k := range []string{"url", "type", "length"} {
				if _, ok := list[0][k]; !ok {
					t.Errorf("an enclosure without %q: %s", k, e)
				}
			}
		}
	}
	if with != 3 {
		t.Errorf("%d items with enclosures, want 3", with)
	}

	code, out, errOut := steppe(t, append(base, "article", ep.ID, "--json")...)
	var a articleJSON
	if code != 0 || json.Unmarshal([]byte(out), &a) != nil {
		t.Fatalf("article --json: exit %d\n%s%s", code, out, errOut)
	}
	if !reflect.DeepEqual(a.Enclosures, want) {
		t.Errorf("article --json enclosures: %+v", a.Enclosures)
	}

	code, out, errOut = steppe(t, append(base, "article", ep.ID)...)
	if code != 0 {
		t.Fatalf("article: exit %d %s", code, errOut)
	}
	lines := strings.Split(out, "\n")
	if len(lines) < 4 || lines[2] != "https://podcast.example.kz/episodes/112-tenge" ||
		!strings.HasPrefix(lines[3], "enclosure: https://dts.podtrac.example/redirect.mp3/media.example.kz/steppe/ep112.mp3?") ||
		!strings.HasSuffix(lines[3], " (audio/mpeg · 24.1 MB)") {
		t.Errorf("article, plain:\n%s", out)
	}
	if strings.Contains(out, "0f9a") {
		t.Errorf("the enclosure's key was printed:\n%s", out)
	}
}

// player is a list of exec arguments; a bad one names the file, line and
// key.
func TestPlayerConfig(t *testing.T) {
	c, err := ParseConfig("c.toml", []byte("page_size = 6\nplayer = [\"mpv\", \"--no-video\"]\n"))
	if err != nil || !reflect.DeepEqual(c.Player, []string{"mpv", "--no-video"}) {
		t.Errorf("%v %q", err, c.Player)
	}
	if playMedia(c.Player) == nil {
		t.Error("a configured player is not used")
	}
	if c, err := ParseConfig("c.toml", []byte("page_size = 6\n")); err != nil || playMedia(c.Player) != nil {
		t.Errorf("no player: %v, %v", err, c.Player)
	}
	for text, want := range map[string]string{
		"page_size = 6\nplayer = []\n":               `c.toml:2: key "player": is empty`,
		"player = [\"\", \"--no-video\"]\n":          `c.toml:1: key "player": names no program`,
		"\nplayer = \"mpv --no-video\"\n":            `c.toml:2: player must be a list like ["mpv", "--no-video"], not text`,
		"player = [\"mpv\", \"--title=a\\u0000\"]\n": `c.toml:1: key "player"`,
	} {
		_, err := ParseConfig("c.toml", []byte(text))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", text, err, want)
		}
	}
}
