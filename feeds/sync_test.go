package feeds

import (
	"context"
	"testing"
	"time"
)

// A sync of the config as it is stored writes nothing (no write
// transaction: the dashboard does one before its first frame); any change
// SyncFeeds would make is still made.
func TestSyncFeedsUnchangedWritesNothing(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	specs := []Spec{
		{Name: "A", URL: "https://a.example/feed", Group: "News", Refresh: time.Hour},
		{Name: "B", URL: "HTTPS://B.example:443/feed#x"},
		{Name: "dup", URL: "https://a.example/feed"},
		{Name: "bad", URL: "ftp://c.example/"},
	}
	if _, err := st.SyncFeeds(ctx, specs); err != nil {
		t.Fatal(err)
	}
	generation := func() int64 {
		var g int64
		if err := st.db.QueryRow(`SELECT generation FROM article_stats`).Scan(&g); err != nil {
			t.Fatal(err)
		}
		return g
	}
	g := generation()
	fs, err := st.SyncFeeds(ctx, specs)
	if err != nil || len(fs) != 2 || fs[0].Name != "A" || fs[1].URL != "https://b.example/feed" {
		t.Fatalf("same sync: %+v, %v", fs, err)
	}
	if generation() != g {
		t.Errorf("the same sync wrote a transaction")
	}
	for _, c := range []struct {
		name  string
		specs []Spec
	}{
		{"renamed", []Spec{{Name: "A2", URL: "https://a.example/feed", Group: "News", Refresh: time.Hour}, specs[1]}},
		{"regrouped", []Spec{{Name: "A2", URL: "https://a.example/feed", Refresh: time.Hour}, specs[1]}},
		{"reordered", []Spec{specs[1], {Name: "A2", URL: "https://a.example/feed", Refresh: time.Hour}}},
		{"dropped", []Spec{specs[1]}},
		{"added back", []Spec{specs[1], specs[0]}},
	} {
		g := generation()
		fs, err := st.SyncFeeds(ctx, c.specs)
		if err != nil {
			t.Fatal(err)
		}
		if generation() == g {
			t.Errorf("%s: nothing written", c.name)
		}
		if len(fs) != len(c.specs) {
			t.Errorf("%s: %d feeds", c.name, len(fs))
		}
	}
	// An imported feed named in the config becomes a config feed.
	if _, err := st.AddFeeds(ctx, []Spec{{Name: "I", URL: "https://i.example/feed"}}); err != nil {
		t.Fatal(err)
	}
	fs, err = st.SyncFeeds(ctx, []Spec{specs[1], specs[0], {Name: "I", URL: "https://i.example/feed"}})
	if err != nil || len(fs) != 3 || fs[2].Origin != OriginConfig {
		t.Errorf("import taken into the config: %+v, %v", fs, err)
	}
}
