package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"charm.land/lipgloss/v2"
)

// A config that never finishes arriving (a FIFO nobody writes) does not
// keep steppe from ending when asked to.
func TestConfigLoadIsCancellable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := LoadConfig(ctx, path, true)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the context's", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s after the context ended", d)
	}
	// Let the blocked open finish.
	if f, err := os.OpenFile(path, os.O_WRONLY, 0); err == nil {
		f.Close()
	}
}

func TestConfigWarningsOnStderr(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("page_sise = 7\n"), 0o600)
	code, _, errOut := steppe(t, "--config", cfg, "--data-dir", dir, "headlines")
	if code != 0 || !strings.Contains(errOut, "steppe: warning: config "+cfg+":1: unknown key page_sise — did you mean page_size?") {
		t.Errorf("exit %d stderr %q", code, errOut)
	}
}

// [keys] rebinds actions; a mistake names the file, the line and the
// actions.
func TestConfigKeys(t *testing.T) {
	c, err := ParseConfig("c.toml", []byte("page_size = 6\n[keys]\ndown = [\"j\", \"down\", \"x\"]\nquit = [\"ctrl+q\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.keyMap.Down.Keys(); strings.Join(got, ",") != "j,down,x" || c.keyMap.Quit.Keys()[0] != "ctrl+q" {
		t.Fatalf("down %v quit %v", got, c.keyMap.Quit.Keys())
	}
	for _, bad := range []struct{ text, want string }{
		{"[keys]\ndwn = [\"x\"]\n", `config c.toml:2: key "keys.dwn": unknown action "dwn" (did you mean "down"?)`},
		{"# a comment\n[keys]\nup = [\"k\"]\ndown = [\"k\"]\n", `config c.toml:4: key "keys.down": key "k" would mean both up and down in the list`},
		{"[keys]\nhelp = [\"ctrl+shift+x\"]\n", `config c.toml:2: key "keys.help": help: unknown key "ctrl+shift+x"`},
		{"[keys]\nhelp = []\n", `config c.toml:2: key "keys.help": help: no keys`},
	} {
		_, err := ParseConfig("c.toml", []byte(bad.text))
		if err == nil || !strings.HasPrefix(err.Error(), bad.want) {
			t.Errorf("%q:\n got %v\nwant %s…", bad.text, err, bad.want)
		}
	}
}

// theme = "dark" or a [theme] table of colours and its background (or
// base, background's older name); NO_COLOR still wins (the colour profile,
// TestColorProfile).
func TestConfigTheme(t *testing.T) {
	c, err := ParseConfig("c.toml", []byte("theme = \"light\"\n"))
	if err != nil || c.theme == nil || c.theme.Background != "light" || c.theme.StartsDark("") || c.theme.Palette(false).Accent != lipgloss.Color("#0B7A75") {
		t.Fatalf("light: %v %+v", err, c.theme)
	}
	for _, key := range []string{"background", "base"} {
		c, err = ParseConfig("c.toml", []byte("[theme]\n"+key+" = \"dark\"\naccent = \"#FF8800\"\nmuted = \"245\"\n"))
		if err != nil || !c.theme.StartsDark("0;15") || c.theme.Follows() {
			t.Fatalf("%s: %v %+v", key, err, c.theme)
		}
		p := c.theme.Palette(true)
		if p.Accent != lipgloss.Color("#ff8800") || p.Muted != lipgloss.Color("245") || p.Text != lipgloss.Color("#EDEDED") {
			t.Fatalf("%s table: %+v", key, p)
		}
	}
	// auto (the default) follows the terminal: dark until it answers, or
	// as COLORFGBG says.
	c, err = ParseConfig("c.toml", []byte("[theme]\nbackground = \"auto\"\n"))
	if err != nil || !c.theme.Follows() || !c.theme.StartsDark("") || c.theme.StartsDark("0;15") || !c.theme.StartsDark("15;default;0") {
		t.Fatalf("auto: %v %+v", err, c.theme)
	}
	for _, bad := range []struct{ text, want string }{
		{"theme = \"neon\"\n", `config c.toml:1: key "theme": theme "neon" must be "auto", "dark" or "light"`},
		{"\n[theme]\naccnt = \"#ffffff\"\n", `config c.toml:3: key "theme.accnt": unknown colour "accnt"`},
		{"[theme]\naccent = \"#fffff\"\n", `config c.toml:2: key "theme.accent": accent = "#fffff" is not a colour`},
		{"[theme]\naccent = 12\n", `theme.accent must be a colour like "#3fd1c7" or "14"`},
		{"[theme]\n\nbackground = \"dim\"\n", `config c.toml:3: key "theme.background": theme "dim" must be "auto", "dark" or "light"`},
		{"[theme]\nbackground = \"dark\"\nbase = \"light\"\n", `theme.background = "dark" and theme.base = "light" disagree`},
	} {
		_, err := ParseConfig("c.toml", []byte(bad.text))
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q:\n got %v\nwant %s", bad.text, err, bad.want)
		}
	}
}

// The README's config, with its commented [keys] and [theme] examples
// taken in, is a config steppe accepts: a reader who uncomments them gets
// no error.
func TestREADMEConfigExamplesParse(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for _, part := range strings.Split(string(readme), "```toml\n")[1:] {
		blocks = append(blocks, part[:strings.Index(part, "```")])
	}
	if len(blocks) < 2 {
		t.Fatalf("%d toml blocks in the README", len(blocks))
	}
	setting := regexp.MustCompile(`^# ((\[|[a-z_]+ = ).*)$`)
	var b strings.Builder
	for _, line := range strings.Split(blocks[0]+blocks[1], "\n") {
		if m := setting.FindStringSubmatch(line); m != nil && !strings.HasPrefix(m[1], "theme = ") {
			line = m[1] // theme = "auto" and the [theme] table are alternatives
		}
		b.WriteString(line + "\n")
	}
	text := b.String()
	for _, want := range []string{"\n[keys]", "\npause = ", "\n[theme]", "\nselection = "} {
		if !strings.Contains(text, want) {
			t.Fatalf("the README's examples lack %q:\n%s", want, text)
		}
	}
	if _, err := ParseConfig("README.md", []byte(text)); err != nil {
		t.Fatalf("the README's config with its examples: %v\n%s", err, text)
	}
}

// The same feed twice in the config is stored once: the second entry is
// named in a warning (file and line), not dropped without a word.
func TestConfigRepeatedFeedWarns(t *testing.T) {
	c, err := ParseConfig("c.toml", []byte("[[feeds]]\nname = \"A\"\nurl = \"https://a.example/feed\"\n[[feeds]]\nname = \"B\"\nurl = \"https://A.example:443/feed#top\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "c.toml:6: [[feeds]] entry 2 has the url of entry 1") {
		t.Errorf("warnings %q", c.Warnings)
	}
	if w := c.uiWarnings(); len(w) != 1 || w[0].Short != "config: feed 2 repeats feed 1" {
		t.Errorf("ui warnings %+v", w)
	}
	c, err = ParseConfig("c.toml", []byte("[[feeds]]\nname = \"News\"\nurl = \"https://a.example/feed\"\n[[feeds]]\nname = \"news \"\nurl = \"https://b.example/feed\"\n"))
	if err != nil || len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], `c.toml:5: [[feeds]] entry 2 has the name of entry 1, "news "`) {
		t.Errorf("same name: %v, %q", err, c.Warnings)
	}
}

// [theme] takes highlight, the colour of highlighted headlines.
func TestThemeHighlightColour(t *testing.T) {
	c, err := ParseConfig("c.toml", []byte("[theme]\nhighlight = \"#ff00aa\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(c.theme.Palette(true).Highlight); !strings.Contains(got, "255 0 170") {
		t.Errorf("highlight colour %s, want #ff00aa", got)
	}
}
