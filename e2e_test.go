package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The end-to-end tests build the binary and drive it in tmux at 100x30, as a
// person would. CI sets STEPPE_E2E=1, which makes a missing tmux a failure
// rather than a skip.

func needTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("STEPPE_E2E") == "1" {
			t.Fatal("STEPPE_E2E=1 but tmux is not installed")
		}
		t.Skip("tmux not installed")
	}
}

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "steppe")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// tmuxSession is one steppe running in a detached tmux session.
type tmuxSession struct {
	t      *testing.T
	socket string
	exit   string
}

func startTmux(t *testing.T, args ...string) *tmuxSession {
	t.Helper()
	dir := t.TempDir()
	s := &tmuxSession{t: t, socket: fmt.Sprintf("steppe-e2e-%d-%d", os.Getpid(), time.Now().UnixNano()), exit: filepath.Join(dir, "exit")}
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	script := strings.Join(quoted, " ") + "; echo $? > '" + s.exit + "'; sleep 30"
	cmd := exec.Command("tmux", "-L", s.socket, "-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "30", "sh", "-c", script)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	return s
}

func (s *tmuxSession) screen() string {
	out, err := exec.Command("tmux", "-L", s.socket, "capture-pane", "-p").CombinedOutput()
	if err != nil {
		return "capture-pane: " + err.Error() + "\n" + string(out)
	}
	return string(out)
}

func (s *tmuxSession) keys(keys ...string) {
	args := append([]string{"-L", s.socket, "send-keys"}, keys...)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		s.t.Fatalf("send-keys %v: %v\n%s", keys, err, out)
	}
}

// waitFor polls the screen until it contains every want, or fails showing it.
func (s *tmuxSession) waitFor(what string, wants ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var scr string
	for time.Now().Before(deadline) {
		scr = s.screen()
		ok := true
		for _, w := range wants {
			if !strings.Contains(scr, w) {
				ok = false
				break
			}
		}
		if ok {
			return scr
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("%s: screen never showed %q; last screen:\n%s", what, wants, scr)
	return ""
}

func (s *tmuxSession) exitCode() string {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(s.exit); err == nil && len(b) > 0 {
			return strings.TrimSpace(string(b))
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("steppe did not exit; last screen:\n%s", s.screen())
	return ""
}

func checkWidth(t *testing.T, scr string, width int) {
	t.Helper()
	for i, line := range strings.Split(scr, "\n") {
		if n := len([]rune(line)); n > width {
			t.Errorf("line %d is %d cells wide (> %d): %q", i+1, n, width, line)
		}
	}
}

func TestEndToEndDashboard(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	srv := newFixtureServer(t)
	dir := t.TempDir()
	cfg := srv.writeConfig(t, dir)
	s := startTmux(t, bin, "--config", cfg, "--data-dir", filepath.Join(dir, "data"))

	scr := s.waitFor("first page", "Viewing results 1 - 5 of 13", "Water Talks Resume Between Kyrgyzstan and Uzbekistan")
	s.waitFor("ticker", "KGS/USD", "/USD =")
	checkWidth(t, scr, 100)

	s.keys("Right")
	scr = s.waitFor("page 2", "Viewing results 7 - 11 of 13", "Turkmenistan Signs Gas Deal with Azerbaijan")
	if strings.Contains(scr, "Water Talks Resume") {
		t.Errorf("page 2 still shows page 1:\n%s", scr)
	}

	s.keys("Enter")
	// The first headline of page 2 is selected: the 7th newest story.
	scr = s.waitFor("reader", "Алматы: в городе открыли новую линию метро", "Second paragraph of the story", "https://timesca.example/news/5-story/")
	if strings.Contains(scr, "Viewing results") {
		t.Errorf("the reader should replace the list:\n%s", scr)
	}
	checkWidth(t, scr, 100)

	s.keys("Escape")
	s.waitFor("back to the list", "Viewing results 7 - 11 of 13", "Turkmenistan Signs Gas Deal with Azerbaijan")

	s.keys("q")
	if code := s.exitCode(); code != "0" {
		t.Errorf("steppe exited %s, want 0", code)
	}
}

func TestEndToEndDemo(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	dir := t.TempDir()
	s := startTmux(t, bin, "--demo", "--data-dir", filepath.Join(dir, "data"))
	scr := s.waitFor("demo", "Viewing results 1 - ", "Sample:", "UZS/USD")
	checkWidth(t, scr, 100)
	s.keys("q")
	if code := s.exitCode(); code != "0" {
		t.Errorf("steppe --demo exited %s, want 0", code)
	}
}
