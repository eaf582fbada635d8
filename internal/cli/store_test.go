package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestSettings(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := openStores(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := st.settings.Get(ctx, "ui.invert"); ok || err != nil {
		t.Errorf("an unset key: ok %v err %v", ok, err)
	}
	for _, kv := range [][2]string{{"ui.invert", "true"}, {"ui.feed", "24.kg"}, {"ui.invert", "false"}} {
		if err := st.settings.Set(ctx, kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	st, err = openStores(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for key, want := range map[string]string{"ui.invert": "false", "ui.feed": "24.kg"} {
		if got, ok, err := st.settings.Get(ctx, key); !ok || err != nil || got != want {
			t.Errorf("%s = %q (%v, %v) after reopening, want %q", key, got, ok, err, want)
		}
	}
}

// A store another process is writing is said to be busy, recognised by
// SQLite's result code (not its wording).
func TestStoreErrorsByCode(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := openStores(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	path := filepath.Join(dir, dbFile)

	holder, err := sql.Open("sqlite", sqliteURI(path))
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	conn, err := holder.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, "ROLLBACK")
	other, err := sql.Open("sqlite", sqliteURI(path)+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	_, err = other.ExecContext(ctx, "INSERT INTO settings VALUES ('k', 'v')")
	if !isCode(err, 5) { // SQLITE_BUSY
		t.Fatalf("err = %v, want SQLITE_BUSY", err)
	}
	if msg := storeError(path, err).Error(); !strings.Contains(msg, path+" is busy") {
		t.Errorf("busy: %q", msg)
	}
	if msg := explainStoreError(dir, fmt.Errorf("feeds: saving: %w", err)).Error(); !strings.Contains(msg, path+" is busy") {
		t.Errorf("a wrapped busy error: %q", msg)
	}

	// Words alone do not make an error a damaged store.
	words := errors.New("feeds: the feed's XML is malformed (database corrupt?)")
	if damaged(words) || explainStoreError(dir, words) != words {
		t.Errorf("an error that only says corrupt was taken for a damaged store")
	}
	// A damaged file is, whatever the words.
	bad := filepath.Join(t.TempDir(), "bad.db")
	os.WriteFile(bad, append([]byte(sqliteHeader), bytes.Repeat([]byte{0xA5}, 8192)...), 0o600)
	db, _ := sql.Open("sqlite", sqliteURI(bad))
	defer db.Close()
	_, err = db.ExecContext(ctx, "SELECT count(*) FROM sqlite_master")
	if !damaged(err) {
		t.Fatalf("err = %v, want a damaged-database code", err)
	}
	if msg := storeError(bad, err).Error(); !strings.Contains(msg, bad+" is damaged") || !strings.Contains(msg, "Move it away") {
		t.Errorf("damaged: %q", msg)
	}
}

// unprivileged is how a test runs the binary as a user who cannot write
// what root made: as root (where file modes do not stop writes) through
// setpriv as nobody; as anyone else, directly.
func unprivileged(t *testing.T) []string {
	t.Helper()
	if os.Geteuid() != 0 {
		return nil
	}
	p, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("running as root without setpriv: cannot make a store unwritable")
	}
	return []string{p, "--reuid=65534", "--regid=65534", "--clear-groups"}
}

// openTree lets another user reach path: every directory from path up to
// the temporary directory becomes traversable.
func openTree(t *testing.T, path string) {
	t.Helper()
	tmp := filepath.Clean(os.TempDir())
	for p := filepath.Clean(path); strings.HasPrefix(p, tmp+string(filepath.Separator)); p = filepath.Dir(p) {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// readOnlySetup builds steppe and fills a store with the fixture feeds, all
// readable by the unprivileged user the read-only tests run steppe as:
// the command prefix that runs as that user, the binary, the config, the
// data directory, the store file and the feed server.
func readOnlySetup(t *testing.T) (prefix []string, bin, cfg, data, dbPath string, srv *fixtureServer) {
	t.Helper()
	prefix = unprivileged(t)
	bin = buildBinary(t)
	openTree(t, filepath.Dir(bin))
	srv = newFixtureServer(t)
	dir := t.TempDir()
	cfg = srv.writeConfig(t, dir)
	os.Chmod(cfg, 0o644)
	data = filepath.Join(dir, "data")
	if code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "refresh"); code != 0 {
		t.Fatalf("refresh: %d\n%s%s", code, out, errOut)
	}
	openTree(t, data)
	dbPath = filepath.Join(data, dbFile)
	return prefix, bin, cfg, data, dbPath, srv
}

// Reading commands work on a store steppe cannot write (file 0444, and
// also in a read-only directory), say once that nothing will be saved, and
// leave the file as it was; refresh says it cannot save.
func TestReadOnlyStore(t *testing.T) {
	prefix, bin, cfg, data, dbPath, srv := readOnlySetup(t)
	t.Cleanup(func() { os.Chmod(data, 0o755); os.Chmod(dbPath, 0o644) })

	runAs := func(args ...string) (int, string, string) {
		full := append(append(append([]string(nil), prefix...), bin, "--config", cfg, "--data-dir", data), args...)
		cmd := exec.Command(full[0], full[1:]...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, out.String(), errb.String()
	}
	for _, layout := range []struct {
		name              string
		fileMode, dirMode os.FileMode
	}{
		{"file 0444", 0o444, 0o777},
		{"file 0444 in a 0555 directory", 0o444, 0o555},
		{"writable file in a 0555 directory", 0o666, 0o555}, // SQLite cannot make its -wal and -shm
	} {
		t.Run(layout.name, func(t *testing.T) {
			os.Chmod(data, 0o755)
			os.Chmod(dbPath, layout.fileMode)
			os.Chmod(data, layout.dirMode)
			before, _ := os.ReadFile(dbPath)

			code, out, errOut := runAs("headlines", "--json")
			var p headlinesJSON
			if code != 0 || json.Unmarshal([]byte(out), &p) != nil || p.Total != 13 {
				t.Errorf("headlines --json: exit %d\n%s%s", code, out, errOut)
			}
			if n := strings.Count(errOut, "is read-only: nothing will be saved"); n != 1 || !strings.Contains(errOut, dbPath) {
				t.Errorf("headlines said %d times that nothing will be saved:\n%s", n, errOut)
			}
			code, out, errOut = runAs("rates")
			if code != 0 || !strings.Contains(out, "KZT/USD = 0.002088") {
				t.Errorf("rates: exit %d\n%s%s", code, out, errOut)
			}
			code, out, errOut = runAs("--offline", "headlines", "--page", "3")
			if code != 0 || !strings.Contains(out, "Viewing results 13 - 13 of 13") {
				t.Errorf("headlines --page 3: exit %d\n%s%s", code, out, errOut)
			}
			code, out, errOut = runAs("feeds", "export")
			if code != 0 || !strings.Contains(out, "<opml") || !strings.Contains(out, srv.URL+"/feeds/timesca.xml") {
				t.Errorf("feeds export: exit %d\n%s%s", code, out, errOut)
			}
			code, _, errOut = runAs("refresh")
			if code != 1 || !strings.Contains(errOut, dbPath+" is read-only: refresh could not save") {
				t.Errorf("refresh: exit %d\n%s", code, errOut)
			}
			if after, _ := os.ReadFile(dbPath); !bytes.Equal(before, after) {
				t.Errorf("the read-only store was changed")
			}
		})
	}
}
