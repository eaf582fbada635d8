package feeds

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// DataVersion changes when another connection, or another process's,
// commits; not when nothing happened.
func TestDataVersionSeesOtherWriters(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := OpenStore(openDB(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	v0, err := st.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := st.DataVersion(ctx); v != v0 {
		t.Errorf("nothing written, but the version moved: %d -> %d", v0, v)
	}
	// Another "process": a database handle of its own on the same file.
	other, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "steppe.db")+"?"+mainDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ost, err := OpenStore(other)
	if err != nil {
		t.Fatal(err)
	}
	f := addFeed(t, ost, "Other", "https://other.example/rss")
	if _, err := ost.SaveArticles(ctx, f.ID, mkArticles(3, "o", t0), t0); err != nil {
		t.Fatal(err)
	}
	v1, err := st.DataVersion(ctx)
	if err != nil || v1 == v0 {
		t.Errorf("another writer committed, but the version is %d (was %d), %v", v1, v0, err)
	}
	// This store's own writes go through other connections: seen too.
	if err := st.MarkRead(ctx, mkArticles(1, "o", t0)[0].ID); err != nil && err != ErrNotFound {
		t.Fatal(err)
	}
	if _, err := st.SaveArticles(ctx, f.ID, mkArticles(1, "p", t0), t0); err != nil {
		t.Fatal(err)
	}
	if v2, _ := st.DataVersion(ctx); v2 == v1 {
		t.Errorf("a write of this store was not seen: %d", v2)
	}
}
