package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
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

// repoRoot is the module root, seen from this package's directory (where
// go test runs it): the payloads in testdata/ and the packages' own
// testdata, the README, and the main package the binary is built from.
var repoRoot = filepath.Join("..", "..")

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "steppe")
	cmd := exec.Command("go", "build", "-o", bin, repoRoot)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// paneEnv is the environment a tmux server starts with: the caller's, less
// what says how (or whether) to colour and which terminal this is, so that a
// CI that sets CI, NO_COLOR or CLICOLOR=0 sees the same screen as a person
// (the terminal layer takes any CI variable to mean "not a terminal" and
// draws no colour). A test that wants one of them names it on the command
// line (env NO_COLOR=1).
func paneEnv() []string {
	drop := map[string]bool{"CI": true, "NO_COLOR": true, "CLICOLOR": true, "CLICOLOR_FORCE": true, "COLORTERM": true,
		"TERM": true, "TERM_PROGRAM": true, "TERM_PROGRAM_VERSION": true, "TMUX": true, "TMUX_PANE": true, "COLORFGBG": true}
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); !drop[k] {
			env = append(env, kv)
		}
	}
	return append(env, "TERM=xterm-256color")
}

// resize makes the session's window w x h.
func (s *tmuxSession) resize(w, h int) {
	s.t.Helper()
	if out, err := exec.Command("tmux", "-L", s.socket, "resize-window", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h)).CombinedOutput(); err != nil {
		s.t.Fatalf("resize-window: %v\n%s", err, out)
	}
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
	cmd.Env = paneEnv()
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

	// page_size = 6, but five fit: page 2 starts right after them, with
	// the sixth newest story.
	s.keys("Right")
	scr = s.waitFor("page 2", "Viewing results 6 - 10 of 13", "Tajikistan Opens Rogun's Third Turbine", "Алматы: в городе открыли новую линию метро")
	if strings.Contains(scr, "Water Talks Resume") {
		t.Errorf("page 2 still shows page 1:\n%s", scr)
	}

	s.keys("Enter")
	// The first headline of page 2 is selected: the 6th newest story.
	scr = s.waitFor("reader", "Tajikistan Opens Rogun's Third Turbine", "Second paragraph of the story", "https://timesca.example/news/4-story/")
	if strings.Contains(scr, "Viewing results") {
		t.Errorf("the reader should replace the list:\n%s", scr)
	}
	checkWidth(t, scr, 100)

	s.keys("Escape")
	s.waitFor("back to the list", "Viewing results 6 - 10 of 13", "Алматы: в городе открыли новую линию метро")

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

// tmuxServer is one tmux server for many short runs, each in a window of
// its own.
type tmuxServer struct {
	t      *testing.T
	socket string
}

func startTmuxServer(t *testing.T) *tmuxServer {
	t.Helper()
	s := &tmuxServer{t: t, socket: fmt.Sprintf("steppe-sig-%d-%d", os.Getpid(), time.Now().UnixNano())}
	cmd := exec.Command("tmux", "-L", s.socket, "-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "30", "-s", "main", "sleep", "3600")
	cmd.Env = paneEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	return s
}

func (s *tmuxServer) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// run starts argv in a new window under sh, which writes its exit status
// to exitFile (tmux itself sometimes leaves an ended program unreaped) and
// then waits, keeping the pane. It returns the pane and argv's pid.
func (s *tmuxServer) run(exitFile string, argv ...string) (pane string, pid int) {
	s.t.Helper()
	script := `"$0" "$@"; echo $? > '` + exitFile + `'; exec sleep 60`
	f := strings.Fields(s.tmux(append([]string{"new-window", "-d", "-P", "-F", "#{pane_id} #{pane_pid}", "-t", "main", "sh", "-c", script}, argv...)...))
	pane = f[0]
	children := "/proc/" + f[1] + "/task/" + f[1] + "/children"
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		b, err := os.ReadFile(children)
		if err != nil {
			s.t.Skip("cannot find the child of a process here:", err)
		}
		if f := strings.Fields(string(b)); len(f) > 0 {
			pid, _ = strconv.Atoi(f[0])
			return pane, pid
		}
	}
	s.t.Fatal("the program never started")
	return "", 0
}

// Issue 13, finding 1: SIGTERM, SIGINT and SIGHUP end the dashboard within
// a second, every time: 20 of each, sent at different moments (the first
// frame, a refresh under way), each checked for the exit status, the
// terminal restored (the alternate screen left) and no Go error printed.
// Exit status: 0 for TERM and INT, 129 (128 + 1) for HUP.
func TestEndToEndSignals(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	srv := newFixtureServer(t)
	dir := t.TempDir()
	cfg := srv.writeConfig(t, dir)
	data := filepath.Join(dir, "data")
	if code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "refresh"); code != 0 {
		t.Fatalf("refresh: %d\n%s%s", code, out, errOut)
	}
	s := startTmuxServer(t)
	const runs = 20
	var slowest time.Duration
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP} {
		want := "0"
		if sig == syscall.SIGHUP {
			want = "129"
		}
		for i := range runs {
			exitFile := filepath.Join(dir, fmt.Sprintf("exit-%d-%d", sig, i))
			pane, pid := s.run(exitFile, bin, "--config", cfg, "--data-dir", data)
			deadline := time.Now().Add(15 * time.Second)
			for !strings.Contains(s.tmux("capture-pane", "-p", "-t", pane), "Viewing results") {
				if time.Now().After(deadline) {
					t.Fatalf("%v run %d: the dashboard never showed:\n%s", sig, i, s.tmux("capture-pane", "-p", "-t", pane))
				}
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(time.Duration(i%4) * 50 * time.Millisecond)
			sent := time.Now()
			if err := syscall.Kill(pid, sig); err != nil {
				t.Fatalf("kill: %v", err)
			}
			var status []byte
			for {
				if b, err := os.ReadFile(exitFile); err == nil && len(b) > 0 {
					status = bytes.TrimSpace(b)
					break
				}
				if time.Since(sent) > 5*time.Second {
					syscall.Kill(pid, syscall.SIGKILL)
					t.Fatalf("%v run %d: the dashboard still runs 5 s after the signal (hung):\n%s", sig, i, s.tmux("capture-pane", "-p", "-t", pane))
				}
				time.Sleep(5 * time.Millisecond)
			}
			took := time.Since(sent)
			slowest = max(slowest, took)
			if os.Getenv("STEPPE_SIGNAL_TIMES") != "" {
				t.Logf("%v run %d: %s", sig, i, took)
			}
			if took > 2*time.Second {
				t.Errorf("%v run %d: took %s to end", sig, i, took)
			}
			alt := s.tmux("display-message", "-p", "-t", pane, "#{alternate_on}")
			scr := s.tmux("capture-pane", "-p", "-t", pane)
			if string(status) != want || alt != "0" {
				t.Errorf("%v run %d: exit status %s, alternate screen %s; want %s and 0\n%s", sig, i, status, alt, want, scr)
			}
			for _, bad := range []string{"program was killed", "context canceled", "panic", "goroutine"} {
				if strings.Contains(scr, bad) {
					t.Errorf("%v run %d printed %q:\n%s", sig, i, bad, scr)
				}
			}
			s.tmux("kill-pane", "-t", pane)
		}
	}
	t.Logf("%d signals each of TERM, INT and HUP; the slowest end took %s", runs, slowest)
	// What was committed stays, and the store is sound.
	f := durReadStore(t, filepath.Join(data, dbFile), true)
	durCheckSound(t, f)
	if f.rows != 13 {
		t.Errorf("the store holds %d articles after the signals, want 13", f.rows)
	}
}

// A command stopped by a signal while it waits for its config (a FIFO
// nobody writes) or for its store (another process holds the write lock
// SQLite waits 10 s for) ends at once with 128 + the signal's number; the
// dashboard in the same wait exits 0.
func TestSignalWhileOpening(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("page_size = 6\n"), 0o600)
	locked := filepath.Join(dir, "locked")
	st, err := openStores(context.Background(), locked)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	conn, err := st.db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")

	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"--config", fifo, "--data-dir", filepath.Join(dir, "data"), "headlines"}, 143},
		{[]string{"--config", fifo, "--data-dir", filepath.Join(dir, "data")}, 0},
		{[]string{"--config", cfg, "--data-dir", locked, "headlines"}, 143},
		{[]string{"--config", cfg, "--data-dir", locked}, 0},
	} {
		cmd := exec.Command(bin, tc.args...)
		var errb strings.Builder
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
		sent := time.Now()
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("%v: SIGTERM while the config loads was ignored", tc.args)
		}
		if code := cmd.ProcessState.ExitCode(); code != tc.want {
			t.Errorf("%v: exit %d, want %d; stderr %q", tc.args, code, tc.want, errb.String())
		}
		if d := time.Since(sent); d > 2*time.Second {
			t.Errorf("%v: took %s to end", tc.args, d)
		}
		if strings.Contains(errb.String(), "context canceled") {
			t.Errorf("%v: stderr %q", tc.args, errb.String())
		}
	}
}

// `o` in the dashboard runs $BROWSER (here a script that writes its argv),
// with the selected article's link as one argument.
func TestEndToEndBrowserScript(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	srv := newFixtureServer(t)
	dir := t.TempDir()
	cfg := srv.writeConfig(t, dir)
	argv := filepath.Join(dir, "argv")
	script := filepath.Join(dir, "browser.sh")
	os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s\\n' \"$@\" > '"+argv+"'\n"), 0o755)
	data := filepath.Join(dir, "data")
	// Stored first and shown offline: the newest headline is selected.
	if code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "refresh"); code != 0 {
		t.Fatalf("refresh: %d\n%s%s", code, out, errOut)
	}
	s := startTmux(t, "env", "BROWSER=nonexistent-browser:"+script+" --new-tab %s", bin, "--offline", "--config", cfg, "--data-dir", data)
	s.waitFor("first page", "Viewing results 1 - 5 of 13", "Water Talks Resume Between Kyrgyzstan and Uzbekistan")
	s.keys("o")
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := os.ReadFile(argv)
		if err == nil && len(b) > 0 {
			if got, want := string(b), "--new-tab\nhttps://eurasianet.example/story-1\n"; got != want {
				t.Errorf("the browser got %q, want %q", got, want)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("o never ran $BROWSER; screen:\n%s", s.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.keys("q")
	if code := s.exitCode(); code != "0" {
		t.Errorf("exit %s", code)
	}
}

// The dashboard with --offline on a store it cannot write shows what is
// stored and exits cleanly; it said once, on stderr, that nothing will be
// saved.
func TestEndToEndReadOnlyDashboard(t *testing.T) {
	needTmux(t)
	prefix, bin, cfg, data, dbPath, _ := readOnlySetup(t)
	os.Chmod(dbPath, 0o444)
	os.Chmod(data, 0o555)
	t.Cleanup(func() { os.Chmod(data, 0o755); os.Chmod(dbPath, 0o644) })
	before, _ := os.ReadFile(dbPath)

	args := append(append([]string(nil), prefix...), bin, "--offline", "--config", cfg, "--data-dir", data)
	s := startTmux(t, args...)
	s.waitFor("first page", "Viewing results 1 - 5 of 13", "Water Talks Resume Between Kyrgyzstan and Uzbekistan")
	s.keys("Enter")
	s.waitFor("reader", "https://eurasianet.example/story-1")
	s.keys("Escape")
	s.waitFor("back", "Viewing results 1 - 5 of 13")
	s.keys("q")
	if code := s.exitCode(); code != "0" {
		t.Errorf("exit %s", code)
	}
	// The line wraps, anywhere (even inside a word: where depends on the
	// temporary directory's length), so white space is left out.
	if scr := s.screen(); strings.Count(strings.Join(strings.Fields(scr), ""), "isread-only:nothingwillbesaved") != 1 {
		t.Errorf("after quitting, the screen should show the read-only note once:\n%s", scr)
	}
	if after, _ := os.ReadFile(dbPath); !bytes.Equal(before, after) {
		t.Errorf("the read-only store was changed")
	}
}
