package cli

import (
	"database/sql"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// damageUnread makes a store with the fixture's articles in it and then
// damages it where nothing the dashboard reads goes: a table of its own
// (ballast), filled last, whose root page is overwritten with garbage. The
// dashboard opens it and shows its headlines as if it were whole; only a
// check that reads every page (quick_check) finds the damage, every time.
func damageUnread(t *testing.T, cfg, data string) {
	t.Helper()
	if code, _, errOut := steppe(t, "--config", cfg, "--data-dir", data, "refresh"); code != 0 {
		t.Fatalf("refresh: %s", errOut)
	}
	path := filepath.Join(data, dbFile)
	db, err := sql.Open("sqlite", sqliteURI(path))
	if err != nil {
		t.Fatal(err)
	}
	var root, pageSize int
	err = func() error {
		if _, err := db.Exec(`CREATE TABLE ballast (b BLOB)`); err != nil {
			return err
		}
		if _, err := db.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 64)
			INSERT INTO ballast SELECT randomblob(3000) FROM n`); err != nil {
			return err
		}
		if err := db.QueryRow(`SELECT rootpage FROM sqlite_master WHERE name = 'ballast'`).Scan(&root); err != nil {
			return err
		}
		return db.QueryRow(`PRAGMA page_size`).Scan(&pageSize)
	}()
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Fatal("the store kept a -wal file after its last connection closed")
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	garbage := make([]byte, pageSize)
	r := rand.New(rand.NewPCG(19, 2026))
	for i := range garbage {
		garbage[i] = byte(r.Uint32())
	}
	_, err = f.WriteAt(garbage, int64(root-1)*int64(pageSize))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	// The damage is out of the way of reading commands, and check finds it.
	if code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "--offline", "headlines"); code != 0 || !strings.Contains(out, "Water Talks Resume") {
		t.Fatalf("headlines on the damaged store: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := steppe(t, "--config", cfg, "--data-dir", data, "check"); code != 1 || !strings.Contains(errOut, "damaged") {
		t.Fatalf("check on the damaged store: exit %d\n%s", code, errOut)
	}
}

// The dashboard checks its store in the background once the first page is
// on screen: a damaged one gets a banner naming the file and what to do,
// and a star asked for afterwards is refused and not stored; a whole one
// shows nothing.
func TestEndToEndDamagedStoreBanner(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	srv := newFixtureServer(t)

	t.Run("damaged", func(t *testing.T) {
		dir := t.TempDir()
		cfg := srv.writeConfig(t, dir)
		data := filepath.Join(dir, "data")
		damageUnread(t, cfg, data)
		path := filepath.Join(data, dbFile)

		s := startTmux(t, bin, "--config", cfg, "--data-dir", data)
		s.waitFor("first page", "Viewing results 1 - 5 of 13", "Water Talks Resume Between Kyrgyzstan and Uzbekistan")
		// The banner is wrapped to the screen: its words are looked for
		// with the line breaks taken out.
		want := []string{"The store " + path + " is damaged", "steppe saves nothing more to it",
			"Quit; `steppe feeds export > feeds.opml` keeps the feeds you added", "`steppe feeds import feeds.opml`."}
		var scr string
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			scr = s.screen()
			if joined := joinLines(scr); containsAll(joined, want) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if !containsAll(joinLines(scr), want) {
			t.Fatalf("no banner naming %s; last screen:\n%s", path, scr)
		}
		checkWidth(t, scr, 100)

		// A star is refused, with the reason, and nothing is stored.
		s.keys("s")
		s.waitFor("star refused", "star not saved: the store is damaged: nothing more is saved to it")
		s.keys("q")
		if code := s.exitCode(); code != "0" {
			t.Errorf("steppe exited %s, want 0", code)
		}
		code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "--offline", "headlines", "--json")
		if code != 0 {
			t.Fatalf("headlines after: exit %d\n%s", code, errOut)
		}
		if strings.Contains(out, `"starred": true`) {
			t.Errorf("a star was stored in the damaged store:\n%s", out)
		}
	})

	t.Run("whole", func(t *testing.T) {
		dir := t.TempDir()
		cfg := srv.writeConfig(t, dir)
		data := filepath.Join(dir, "data")
		s := startTmux(t, bin, "--config", cfg, "--data-dir", data)
		s.waitFor("first page", "Viewing results 1 - 5 of 13", "Water Talks Resume Between Kyrgyzstan and Uzbekistan")
		// The check of this small store takes milliseconds; two seconds
		// after the first page it has long answered.
		time.Sleep(2 * time.Second)
		s.keys("s")
		scr := s.waitFor("star", "★")
		if strings.Contains(joinLines(scr), "damaged") || strings.Contains(scr, "not saved") {
			t.Errorf("a whole store shows a banner:\n%s", scr)
		}
		s.keys("q")
		if code := s.exitCode(); code != "0" {
			t.Errorf("steppe exited %s, want 0", code)
		}
	})
}

// joinLines is a screen's lines joined by spaces, their padding trimmed:
// text wrapped over lines reads as one.
func joinLines(scr string) string {
	lines := strings.Split(scr, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(lines, " ")
}

func containsAll(s string, wants []string) bool {
	for _, w := range wants {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}
