package cli

import (
	"io"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// keyPress is a key press as Bubble Tea's input decoder makes it: "enter",
// "esc" or one character.
func keyPress(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	}
	r, _ := utf8.DecodeRuneInString(k)
	p := tea.KeyPressMsg{Code: r, Text: k}
	if unicode.IsUpper(r) {
		p.Code, p.ShiftedCode, p.Mod = unicode.ToLower(r), r, tea.ModShift
	}
	return p
}

// program runs a model in a real Bubble Tea program, as the dashboard
// does, with no terminal: no input, the renderer writing to nothing. It
// keeps the model's last frame, so a test waits for what is on screen
// (the renderer only writes the cells that change).
type program struct {
	t    *testing.T
	p    *tea.Program
	done chan struct{}

	mu    sync.Mutex
	err   error
	frame string
}

// lastFrame wraps a model and keeps its last frame for program.
type lastFrame struct {
	tea.Model
	pr *program
}

func (l *lastFrame) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	l.Model, cmd = l.Model.Update(msg)
	return l, cmd
}

func (l *lastFrame) View() tea.View {
	v := l.Model.View()
	l.pr.mu.Lock()
	l.pr.frame = v.Content
	l.pr.mu.Unlock()
	return v
}

func runProgram(t *testing.T, m tea.Model, w, h int) *program {
	t.Helper()
	pr := &program{t: t, done: make(chan struct{})}
	pr.p = tea.NewProgram(&lastFrame{Model: m, pr: pr}, tea.WithInput(nil), tea.WithOutput(io.Discard),
		tea.WithWindowSize(w, h), tea.WithoutSignals(), tea.WithoutCatchPanics())
	go func() {
		_, err := pr.p.Run()
		pr.mu.Lock()
		pr.err = err
		pr.mu.Unlock()
		close(pr.done)
	}()
	t.Cleanup(func() { pr.p.Kill(); <-pr.done })
	return pr
}

func (pr *program) key(k string) { pr.p.Send(keyPress(k)) }

// screen is the last frame without its styles.
func (pr *program) screen() string {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	return ansi.Strip(pr.frame)
}

// waitFor waits up to d until cond holds for the screen.
func (pr *program) waitFor(what string, d time.Duration, cond func(screen string) bool) {
	pr.t.Helper()
	deadline := time.Now().Add(d)
	for !cond(pr.screen()) {
		if time.Now().After(deadline) {
			pr.t.Fatalf("timed out waiting for %s; screen:\n%s", what, pr.screen())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// finished waits for the program to end by itself.
func (pr *program) finished() {
	pr.t.Helper()
	select {
	case <-pr.done:
	case <-time.After(5 * time.Second):
		pr.t.Fatalf("the program did not end; screen:\n%s", pr.screen())
	}
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.err != nil {
		pr.t.Fatalf("program: %v", pr.err)
	}
}
