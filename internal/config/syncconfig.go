package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"mvdan.cc/sh/v3/shell"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// SyncConfig is [sync]: the server whose feeds and read state steppe
// shares. The secret is never in the config itself: it comes from a
// command (run without a shell), a file, or the environment.
type SyncConfig struct {
	Service         string   `toml:"service" example:"\"miniflux\""`
	URL             string   `toml:"url" example:"\"https://reader.example.org\""`
	Username        string   `toml:"username" example:"\"me\""`
	PasswordCommand string   `toml:"password_command" example:"\"pass show reader\""`
	PasswordFile    string   `toml:"password_file" example:"\"~/.config/steppe/reader-password\""`
	TokenCommand    string   `toml:"token_command" example:"\"pass show miniflux-api-key\""`
	TokenFile       string   `toml:"token_file" example:"\"~/.config/steppe/miniflux-token\""`
	Interval        Duration `toml:"interval" example:"\"15m\""`
	// Password is refused with a message saying where it goes instead.
	Password string `toml:"password" example:"\"(not here: password_command)\""`
	Token    string `toml:"token" example:"\"(not here: token_command)\""`
}

// Sync services.
const (
	ServiceMiniflux = "miniflux"
	ServiceGReader  = "greader"
)

// syncPasswordEnv holds the sync password when no command or file names it.
const syncPasswordEnv = "STEPPE_SYNC_PASSWORD"

// defaultSyncInterval is how often the dashboard syncs in the background.
const defaultSyncInterval = 15 * time.Minute

// Enabled reports whether a sync server is configured.
func (s SyncConfig) Enabled() bool { return s.Service != "" }

// Every is the background sync interval.
func (s SyncConfig) Every() time.Duration {
	if s.Interval == 0 {
		return defaultSyncInterval
	}
	return time.Duration(s.Interval)
}

// validate checks [sync]; fail names the key.
func (s SyncConfig) validate(fail func(key toml.Key, format string, args ...any) error) error {
	key := func(k string) toml.Key { return toml.Key{"sync", k} }
	if s.Password != "" {
		return fail(key("password"), "the password does not go in the config: use password_command (e.g. \"pass show reader\"), password_file, or $%s", syncPasswordEnv)
	}
	if s.Token != "" {
		return fail(key("token"), "the API key does not go in the config: use token_command or token_file")
	}
	if s.Service == "" {
		for k, v := range map[string]string{"url": s.URL, "username": s.Username, "password_command": s.PasswordCommand,
			"password_file": s.PasswordFile, "token_command": s.TokenCommand, "token_file": s.TokenFile} {
			if v != "" {
				return fail(key(k), "is set but [sync] has no service; add service = \"miniflux\" or \"greader\"")
			}
		}
		return nil
	}
	if s.Service != ServiceMiniflux && s.Service != ServiceGReader {
		return fail(key("service"), "%q is not a sync service (known: miniflux, greader)", s.Service)
	}
	if strings.TrimSpace(s.URL) == "" {
		return fail(key("service"), "%s needs url, the server's address", s.Service)
	}
	if u, err := url.Parse(strings.TrimSpace(s.URL)); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			return fail(key("url"), "has a password in it: put it in password_command, password_file or $%s instead", syncPasswordEnv)
		}
	}
	if err := CheckHTTPURL(s.URL); err != nil {
		return fail(key("url"), "%v", err)
	}
	for k, v := range map[string]string{"password_command": s.PasswordCommand, "token_command": s.TokenCommand} {
		if v == "" {
			continue
		}
		if _, err := CommandWords(v, SecretExample); err != nil {
			return fail(key(k), "%v", err)
		}
	}
	if s.PasswordCommand != "" && s.PasswordFile != "" {
		return fail(key("password_file"), "give password_command or password_file, not both")
	}
	if s.TokenCommand != "" && s.TokenFile != "" {
		return fail(key("token_file"), "give token_command or token_file, not both")
	}
	hasToken := s.TokenCommand != "" || s.TokenFile != ""
	if s.Service == ServiceGReader && hasToken {
		k := "token_command"
		if s.TokenFile != "" {
			k = "token_file"
		}
		return fail(key(k), "greader logs in with username and password; an API key is for miniflux")
	}
	if !hasToken && strings.TrimSpace(s.Username) == "" {
		if s.Service == ServiceGReader {
			return fail(key("service"), "greader needs username (and a password: password_command, password_file or $%s)", syncPasswordEnv)
		}
		return fail(key("service"), "miniflux needs username (and a password), or an API key from token_command or token_file")
	}
	if s.Interval != 0 && time.Duration(s.Interval) < minRefresh {
		return fail(key("interval"), "%s is too often; the least is %s", time.Duration(s.Interval), minRefresh)
	}
	return nil
}

// syncSecret is what logs in: an API key, or a password for Username.
type syncSecret struct {
	Token    string
	Password string
}

// String never shows the secret.
func (syncSecret) String() string { return "syncSecret{***}" }

// GoString never shows the secret.
func (syncSecret) GoString() string { return "syncSecret{***}" }

// maxSecretBytes bounds what a secret command or file may give.
const maxSecretBytes = 64 << 10

// secret reads the secret: the token (command or file) when one is set,
// else the password from password_command, password_file or $STEPPE_SYNC_PASSWORD.
// Errors name the source and never hold the secret.
func (s SyncConfig) Secret(ctx context.Context) (syncSecret, error) {
	switch {
	case s.TokenCommand != "":
		t, err := secretFromCommand(ctx, "token_command", s.TokenCommand)
		return syncSecret{Token: t}, err
	case s.TokenFile != "":
		t, err := secretFromFile("token_file", s.TokenFile)
		return syncSecret{Token: t}, err
	case s.PasswordCommand != "":
		p, err := secretFromCommand(ctx, "password_command", s.PasswordCommand)
		return syncSecret{Password: p}, err
	case s.PasswordFile != "":
		p, err := secretFromFile("password_file", s.PasswordFile)
		return syncSecret{Password: p}, err
	}
	if p := os.Getenv(syncPasswordEnv); p != "" {
		return syncSecret{Password: p}, nil
	}
	return syncSecret{}, fmt.Errorf("[sync] has no password: set password_command, password_file or $%s", syncPasswordEnv)
}

// secretCommandTimeout bounds a password command (a prompt for a GPG
// passphrase included).
const secretCommandTimeout = 2 * time.Minute

// secretFromCommand runs a password command as exec arguments (never a
// shell) and returns the first line of its output.
func secretFromCommand(ctx context.Context, key, command string) (string, error) {
	argv, err := CommandWords(command, SecretExample)
	if err != nil {
		return "", fmt.Errorf("[sync] %s: %v", key, err)
	}
	argv[0] = expandHome(argv[0])
	ctx, cancel := context.WithTimeout(ctx, secretCommandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var out, errOut bytes.Buffer
	cmd.Stdout = &limitedBuffer{buf: &out, max: maxSecretBytes}
	cmd.Stderr = &limitedBuffer{buf: &errOut, max: 4096}
	if err := cmd.Run(); err != nil {
		why := err.Error()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			why = fmt.Sprintf("exit %d", ee.ExitCode())
			if line := firstLine(errOut.String()); line != "" {
				why += ": " + sanitize.Escape(line)
			}
		}
		if ctx.Err() != nil {
			why = "it did not finish within " + secretCommandTimeout.String()
		}
		return "", fmt.Errorf("[sync] %s %q failed (%s)", key, argv[0], why)
	}
	p := firstLine(out.String())
	if p == "" {
		return "", fmt.Errorf("[sync] %s %q printed nothing", key, argv[0])
	}
	return p, nil
}

// Examples of commands, for CommandWords's message.
const (
	BrowserExample = "firefox --new-tab %u"
	SecretExample  = "pass show reader"
)

// CommandWords splits a command of the config (browser, pipe, a secret's
// command) into exec arguments, as a shell would split words, without
// running one: what only a shell could run (pipes, ';', command
// substitution) is refused, with example as the way to write it.
func CommandWords(s, example string) ([]string, error) {
	words, err := shell.Fields(s, nil)
	if err != nil {
		return nil, fmt.Errorf("%q cannot be run as a command without a shell (%v); write it like %q", s, err, example)
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("%q has no command in it", s)
	}
	return words, nil
}

// secretFromFile returns the first line of a secret file.
func secretFromFile(key, path string) (string, error) {
	path = expandHome(path)
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("[sync] %s: %v", key, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSecretBytes+1))
	if err != nil {
		return "", fmt.Errorf("[sync] %s %s: %v", key, path, err)
	}
	if len(b) > maxSecretBytes {
		return "", fmt.Errorf("[sync] %s %s is larger than 64 KiB; it should hold one line", key, path)
	}
	p := firstLine(string(b))
	if p == "" {
		return "", fmt.Errorf("[sync] %s %s is empty", key, path)
	}
	return p, nil
}

// firstLine is s's first line without its line ending.
func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return s
}

// expandHome replaces a leading ~/ with the home directory.
func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return home + "/" + rest
		}
	}
	return p
}

// limitedBuffer keeps the first max bytes written and drops the rest.
type limitedBuffer struct {
	buf *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.buf.Len(); room > 0 {
		l.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
