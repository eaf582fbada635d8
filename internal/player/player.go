// Package player starts the configured media player on an enclosure's
// URL: the player's words as exec arguments (never a shell), the URL
// appended as the last argument, only an http(s) URL. The player runs
// without the terminal (its input empty, its output kept for the reason
// it failed, if it does) and is waited for in the background.
package player

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// Check reports what is wrong with argv as a player command: none given,
// an empty program name, a NUL in a word.
func Check(argv []string) error {
	if len(argv) == 0 {
		return errors.New(`is empty; write it like ["mpv", "--no-video"]`)
	}
	if strings.TrimSpace(argv[0]) == "" {
		return errors.New(`names no program; write it like ["mpv", "--no-video"]`)
	}
	for _, w := range argv {
		if strings.ContainsRune(w, 0) {
			return fmt.Errorf("%q holds a NUL byte", sanitize.Line(w))
		}
	}
	return nil
}

// Process is a started player.
type Process struct {
	// Name is the player's program, as the status line names it ("mpv").
	Name string
	// PID is its process id.
	PID  int
	done chan error
}

// Start runs argv with rawURL appended as its last argument. It returns
// once the player has started (or could not be): a program that is not
// there, a URL that is not http(s), are errors saying so.
func Start(argv []string, rawURL string) (*Process, error) {
	if err := Check(argv); err != nil {
		return nil, fmt.Errorf("player %w", err)
	}
	u, err := sanitize.HTTPURL(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, err
	}
	args := append(append([]string(nil), argv[1:]...), u.String())
	cmd := exec.Command(argv[0], args...)
	out := &tail{}
	cmd.Stdout, cmd.Stderr = out, out // Stdin: the null device
	if err := cmd.Start(); err != nil {
		var ee *exec.Error
		if errors.As(err, &ee) && errors.Is(ee.Err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s is not installed (or not on PATH)", sanitize.Line(argv[0]))
		}
		return nil, fmt.Errorf("%s: %v", sanitize.Line(argv[0]), sanitize.Line(err.Error()))
	}
	p := &Process{Name: sanitize.Line(filepath.Base(argv[0])), PID: cmd.Process.Pid, done: make(chan error, 1)}
	go func() {
		err := cmd.Wait()
		if err != nil {
			if line := out.last(); line != "" {
				err = fmt.Errorf("%v: %s", err, line)
			}
		}
		p.done <- err
	}()
	return p, nil
}

// Wait waits for the player to end and returns why it failed (its exit
// status and the last line it printed), nil when it ended well, or
// ctx's error when ctx ends first (the player keeps running).
func (p *Process) Wait(ctx context.Context) error {
	select {
	case err := <-p.done:
		p.done <- err // for another Wait
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// tailMax is how much of the player's output is kept.
const tailMax = 4096

// tail keeps the last tailMax bytes written to it.
type tail struct {
	mu sync.Mutex
	b  []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > tailMax {
		t.b = append(t.b[:0], t.b[len(t.b)-tailMax:]...)
	}
	return len(p), nil
}

// last is the last line of text written, cleaned for the status line.
func (t *tail) last() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := bytes.Split(bytes.TrimSpace(t.b), []byte("\n"))
	return sanitize.Redact(sanitize.Line(string(lines[len(lines)-1])))
}

// Opener is what the dashboard plays an enclosure with (ui.Options's
// PlayMedia): Start with argv, the player's name and its Wait.
func Opener(argv []string) func(url string) (string, func(context.Context) error, error) {
	argv = append([]string(nil), argv...)
	return func(url string) (string, func(context.Context) error, error) {
		p, err := Start(argv, url)
		if err != nil {
			return "", nil, err
		}
		return p.Name, p.Wait, nil
	}
}
