package cli

import (
	"context"
	"testing"
)

// A new store is made with 8 KiB pages, in WAL mode, with foreign keys on
// and statement journals in memory, on every connection.
func TestNewStoreParams(t *testing.T) {
	ctx := context.Background()
	st, err := openStores(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.db.SetMaxOpenConns(3)
	for i := range 3 { // several connections: each is set up alike
		c, err := st.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var page, fk, temp int
		var mode string
		for q, dst := range map[string]any{"PRAGMA page_size": &page, "PRAGMA foreign_keys": &fk,
			"PRAGMA temp_store": &temp, "PRAGMA journal_mode": &mode} {
			if err := c.QueryRowContext(ctx, q).Scan(dst); err != nil {
				t.Fatal(q, err)
			}
		}
		if page != 8192 || fk != 1 || temp != 2 || mode != "wal" {
			t.Errorf("connection %d: page_size %d, foreign_keys %d, temp_store %d, journal_mode %s", i, page, fk, temp, mode)
		}
	}
}
