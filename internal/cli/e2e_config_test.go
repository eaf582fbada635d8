package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Issue 10 as a person meets it: a config that rebinds a key, sets colours
// and has a typo, and a $BROWSER script.
func TestEndToEndConfigMadeYours(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	ds := newDailyServer(t)
	ds.set("alpha", 0, items("alpha", 8, 0)...)
	dir := t.TempDir()
	cfg := ds.config(t, dir, `page_sise = 7
[keys]
down = ["x", "down"]
[theme]
base = "dark"
selection = "#ff8800"
`, "alpha")
	argv := filepath.Join(dir, "argv")
	script := filepath.Join(dir, "browser.sh")
	os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s\\n' \"$@\" > '"+argv+"'\n"), 0o755)
	s := startTmux(t, "env", "COLORTERM=truecolor", "BROWSER="+script, bin, "--config", cfg, "--data-dir", filepath.Join(dir, "data"))

	// The typo is said in the dashboard, with the key meant.
	s.waitFor("the warning", "unknown key page_sise — did you mean page_size?")
	s.waitFor("the list", "Viewing results 1 - 5 of 8")
	// The rebound key moves; the old one no longer does.
	s.keys("j")
	s.keys("x")
	s.waitFor("x moved", "▌ ● alpha story 2")
	// The selection's colour, as the terminal draws it.
	out, err := exec.Command("tmux", "-L", s.socket, "capture-pane", "-p", "-e").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "38;2;255;136;0") {
		t.Errorf("the selection is not drawn in #ff8800: %v\n%q", err, out)
	}
	// o runs the $BROWSER script with the link as one argument.
	s.keys("o")
	deadline := time.Now().Add(10 * time.Second)
	for {
		if b, err := os.ReadFile(argv); err == nil && len(b) > 0 {
			if got := string(b); got != "https://alpha.example/1\n" {
				t.Errorf("the browser got %q", got)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("o never ran $BROWSER:\n%s", s.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The warning in full under e.
	s.keys("e")
	s.waitFor("the sources pane", "config.toml:1: unknown key page_sise")
	s.keys("Q")
	if code := s.exitCode(); code != "0" {
		t.Errorf("exit %s", code)
	}

	// NO_COLOR still wins over the [theme] colours.
	plain := startTmux(t, "env", "COLORTERM=truecolor", "NO_COLOR=1", bin, "--config", cfg, "--data-dir", filepath.Join(dir, "data"))
	plain.waitFor("the list without colour", "Viewing results 1 - 5 of 8")
	plain.keys("x")
	plain.waitFor("x moved", "▌ ● alpha story 2")
	out, err = exec.Command("tmux", "-L", plain.socket, "capture-pane", "-p", "-e").CombinedOutput()
	if err != nil || strings.Contains(string(out), "38;2;") || strings.Contains(string(out), "38;5;") {
		t.Errorf("NO_COLOR=1 still drew colours: %v\n%q", err, out)
	}
	plain.keys("Q")
	if code := plain.exitCode(); code != "0" {
		t.Errorf("exit %s with NO_COLOR", code)
	}
}
