package cli

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// A pseudo-terminal that answers no query (the Linux console, ssh -tt,
// script(1), expect, many CI runners): Bubble Tea v1 asked it for its
// background colour at package init and waited 5 s for an answer, in every
// command, and left the query in what a script captured. These tests run
// the built binary on such a terminal: nothing ever writes to the master
// side but the test's own keys.

// stall is how long Bubble Tea v1 waited for an answer; anything near it
// is the old wait, not a slow machine.
const stall = 5 * time.Second

// ptyRun is one steppe on a fresh 100x30 pty; out collects what it writes.
type ptyRun struct {
	t     *testing.T
	cmd   *exec.Cmd
	ptmx  *os.File
	start time.Time
	done  chan error

	mu  sync.Mutex
	out bytes.Buffer
}

func startPty(t *testing.T, bin string, args ...string) *ptyRun {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = paneEnv()
	r := &ptyRun{t: t, cmd: cmd, done: make(chan error, 1)}
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 30, Cols: 100})
	if err != nil {
		t.Fatalf("starting %v on a pty: %v", args, err)
	}
	r.ptmx, r.start = ptmx, time.Now()
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			r.mu.Lock()
			r.out.Write(buf[:n])
			r.mu.Unlock()
			if err != nil {
				return // EIO once the child has closed its side
			}
		}
	}()
	go func() {
		err := cmd.Wait()
		<-copied
		r.done <- err
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGKILL)
		ptmx.Close()
	})
	return r
}

func (r *ptyRun) output() []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return bytes.Clone(r.out.Bytes())
}

// waitExit waits for the command to end and returns how long it ran.
func (r *ptyRun) waitExit(within time.Duration) (time.Duration, error) {
	r.t.Helper()
	select {
	case err := <-r.done:
		return time.Since(r.start), err
	case <-time.After(within):
		r.t.Fatalf("%v still running after %v; output %q", r.cmd.Args[1:], within, r.output())
	}
	return 0, nil
}

// waitFor waits until the output holds text and returns how long that took.
func (r *ptyRun) waitFor(text string, within time.Duration) time.Duration {
	r.t.Helper()
	deadline := time.Now().Add(within)
	for !bytes.Contains(r.output(), []byte(text)) {
		if time.Now().After(deadline) {
			r.t.Fatalf("no %q after %v; output %q", text, within, r.output())
		}
		time.Sleep(2 * time.Millisecond)
	}
	return time.Since(r.start)
}

// TestPtyCommandsWriteNoQuery: --version, headlines, rates and feeds list
// on a terminal that answers nothing end as fast as on a pipe, write no
// escape byte at all (no background query, no cursor position request)
// and read nothing from the terminal.
func TestPtyCommandsWriteNoQuery(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte("feeds = []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	global := []string{"--offline", "--config", cfg, "--data-dir", filepath.Join(dir, "data")}
	for _, command := range [][]string{
		{"--version"},
		{"headlines"},
		{"headlines", "--json"},
		{"rates"},
		{"feeds", "list"},
	} {
		t.Run(strings.Join(command, " "), func(t *testing.T) {
			args := command
			if command[0] != "--version" {
				args = append(append([]string{}, global...), command...)
			}
			r := startPty(t, bin, args...)
			took, err := r.waitExit(2 * stall)
			var ee *exec.ExitError
			if err != nil && !errors.As(err, &ee) {
				t.Fatalf("%v: %v", args, err)
			}
			out := r.output()
			if len(bytes.TrimSpace(out)) == 0 {
				t.Errorf("%v printed nothing", args)
			}
			if i := bytes.IndexByte(out, 0x1b); i >= 0 {
				t.Errorf("%v wrote an escape sequence at byte %d: %q", args, i, out)
			}
			if took >= stall-time.Second {
				t.Errorf("%v took %v: it waited for the terminal", args, took)
			}
		})
	}
}

// TestPtyDashboardFirstFrame: the dashboard on a terminal that answers no
// query draws its first frame without waiting for one (it is drawn dark;
// a background answer would repaint it), keeps working, and quits on Q.
func TestPtyDashboardFirstFrame(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte("feeds = []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := startPty(t, bin, "--offline", "--config", cfg, "--data-dir", filepath.Join(dir, "data"))
	took := r.waitFor("No articles yet", 2*stall)
	if took >= stall-time.Second {
		t.Errorf("first frame after %v: the dashboard waited for the terminal", took)
	}
	if !bytes.Contains(r.output(), []byte("\x1b[?1049h")) {
		t.Errorf("the dashboard did not enter the alternate screen: %q", r.output())
	}
	// Keys still work after the unanswered queries: Q quits.
	if _, err := io.WriteString(r.ptmx, "Q"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.waitExit(2 * stall); err != nil {
		t.Fatalf("steppe exited with %v; output %q", err, r.output())
	}
}
