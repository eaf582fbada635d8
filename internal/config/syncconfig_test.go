package config

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSyncConfigValid(t *testing.T) {
	c, err := Parse("c.toml", []byte(`
[sync]
service = "miniflux"
url = "https://reader.example.org"
username = "me"
password_command = "pass show reader"
interval = "30m"
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != 0 {
		t.Errorf("warnings for known [sync] keys: %v", c.Warnings)
	}
	if !c.Sync.Enabled() || c.Sync.Username != "me" || c.Sync.Every().Minutes() != 30 {
		t.Errorf("sync = %+v", c.Sync)
	}
	if d, _ := Parse("c.toml", nil); d.Sync.Enabled() || d.Sync.Every() != defaultSyncInterval {
		t.Errorf("no [sync]: %+v", d.Sync)
	}
}

func TestSyncConfigErrorsNameLineAndKey(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"unknown service", "service = \"inoreader\"\nurl = \"https://x.example\"", `c.toml:3: key "sync.service": "inoreader" is not a sync service`},
		{"no url", "service = \"greader\"\nusername = \"me\"", "c.toml:3: key \"sync.service\": greader needs url"},
		{"password in url", "service = \"greader\"\nusername = \"me\"\nurl = \"https://me:hunter2@x.example\"", "c.toml:5: key \"sync.url\": has a password in it: put it in password_command"},
		{"password key", "service = \"greader\"\npassword = \"hunter2\"", "c.toml:4: key \"sync.password\": the password does not go in the config"},
		{"not http", "service = \"miniflux\"\nusername = \"me\"\nurl = \"ftp://x.example\"", "c.toml:5: key \"sync.url\":"},
		{"no user", "service = \"greader\"\nurl = \"https://x.example\"", "c.toml:3: key \"sync.service\": greader needs username"},
		{"token for greader", "service = \"greader\"\nurl = \"https://x.example\"\ntoken_file = \"t\"", "c.toml:5: key \"sync.token_file\": greader logs in with username and password"},
		{"no service", "url = \"https://x.example\"", "c.toml:3: key \"sync.url\": is set but [sync] has no service"},
		{"bad command", "service = \"miniflux\"\nurl = \"https://x.example\"\nusername = \"me\"\npassword_command = \"pass 'show\"", "key \"sync.password_command\":"},
		{"both", "service = \"miniflux\"\nurl = \"https://x.example\"\nusername = \"me\"\npassword_command = \"a\"\npassword_file = \"b\"", "key \"sync.password_file\": give password_command or password_file, not both"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("c.toml", []byte("page_size = 6\n[sync]\n"+tc.body+"\n"))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v\nwant it to contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}

// script writes an executable script into dir and returns its path.
func script(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSyncSecretSources(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	t.Setenv(syncPasswordEnv, "")
	ok := script(t, dir, "ok", `echo "s3cret word"; echo second line`)
	fails := script(t, dir, "fails", `echo "s3cret"; echo "no key in the store" >&2; exit 3`)
	silent := script(t, dir, "silent", `exit 0`)
	file := filepath.Join(dir, "pw")
	os.WriteFile(file, []byte("from-file\n"), 0o600)
	// A command is exec arguments, never a shell: the quotes group, and
	// ; is an argument, not a second command.
	args := script(t, dir, "args", `echo "$1|$2"`)

	for _, tc := range []struct {
		name string
		cfg  SyncConfig
		want syncSecret
		err  string
	}{
		{"command", SyncConfig{PasswordCommand: ok}, syncSecret{Password: "s3cret word"}, ""},
		{"args", SyncConfig{PasswordCommand: args + ` "a b" 'c;d'`}, syncSecret{Password: "a b|c;d"}, ""},
		{"token command", SyncConfig{TokenCommand: ok, PasswordCommand: fails}, syncSecret{Token: "s3cret word"}, ""},
		{"file", SyncConfig{PasswordFile: file}, syncSecret{Password: "from-file"}, ""},
		{"token file", SyncConfig{TokenFile: file}, syncSecret{Token: "from-file"}, ""},
		{"failing command", SyncConfig{PasswordCommand: fails}, syncSecret{}, "failed (exit 3: no key in the store)"},
		{"silent command", SyncConfig{PasswordCommand: silent}, syncSecret{}, "printed nothing"},
		{"missing command", SyncConfig{PasswordCommand: filepath.Join(dir, "nope")}, syncSecret{}, "password_command"},
		{"missing file", SyncConfig{PasswordFile: filepath.Join(dir, "nope")}, syncSecret{}, "password_file"},
		{"nothing", SyncConfig{}, syncSecret{}, "[sync] has no password: set password_command, password_file or $STEPPE_SYNC_PASSWORD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.cfg.Secret(ctx)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want %q", err, tc.err)
				}
				if strings.Contains(err.Error(), "s3cret") {
					t.Errorf("the error shows the secret: %v", err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("secret = %#v, %v", got, err)
			}
			if s := fmt.Sprintf("%v %+v %#v %s", got, got, got, got); strings.Contains(s, "s3cret") || strings.Contains(s, "from-file") {
				t.Errorf("formatting shows the secret: %s", s)
			}
		})
	}
	t.Setenv(syncPasswordEnv, "from-env")
	if got, err := (SyncConfig{}).Secret(ctx); err != nil || got.Password != "from-env" {
		t.Errorf("env secret = %v, %v", got.Password, err)
	}
	big := filepath.Join(dir, "big")
	os.WriteFile(big, make([]byte, maxSecretBytes+1), 0o600)
	if _, err := (SyncConfig{PasswordFile: big}).Secret(ctx); err == nil || !strings.Contains(err.Error(), "larger than 64 KiB") {
		t.Errorf("big file: %v", err)
	}
}
