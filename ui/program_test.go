package ui

import (
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// program runs a model in a real Bubble Tea program: the input is a pipe
// the test writes raw terminal bytes into (decoded by Bubble Tea, as a
// terminal's would be), the renderer writes to nothing, and every frame
// the model draws is kept, so that the test waits for what is on screen
// rather than for the renderer's partial updates.
type program struct {
	t    *testing.T
	p    *tea.Program
	in   *io.PipeWriter
	done chan struct{}

	mu     sync.Mutex
	final  tea.Model
	err    error
	frame  string
	frames int
}

// recorder wraps the model and keeps its last frame.
type recorder struct {
	m  tea.Model
	pr *program
}

func (r *recorder) Init() tea.Cmd { return r.m.Init() }

func (r *recorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	r.m, cmd = r.m.Update(msg)
	return r, cmd
}

func (r *recorder) View() tea.View {
	v := r.m.View()
	r.pr.mu.Lock()
	r.pr.frame = v.Content
	r.pr.frames++
	r.pr.mu.Unlock()
	return v
}

// runProgram starts m at w×h; the test ends it (Quit, or a key).
func runProgram(t *testing.T, m tea.Model, w, h int) *program {
	t.Helper()
	pr, pw := io.Pipe()
	p := &program{t: t, in: pw, done: make(chan struct{})}
	p.p = tea.NewProgram(&recorder{m: m, pr: p},
		tea.WithInput(pr), tea.WithOutput(io.Discard), tea.WithWindowSize(w, h),
		tea.WithoutSignals(), tea.WithoutCatchPanics(), tea.WithEnvironment([]string{"TERM=xterm-256color"}))
	go func() {
		final, err := p.p.Run()
		p.mu.Lock()
		p.final, p.err = final, err
		p.mu.Unlock()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.p.Kill()
		<-p.done
		pw.Close()
	})
	return p
}

// write sends raw bytes as the terminal would.
func (p *program) write(s string) {
	p.t.Helper()
	if _, err := io.WriteString(p.in, s); err != nil {
		p.t.Fatal(err)
	}
}

// screen is the last frame without its styles.
func (p *program) screen() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return ansi.Strip(p.frame)
}

// wait waits until the screen shows text.
func (p *program) wait(text string) {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(p.screen(), text) {
		if time.Now().After(deadline) {
			p.t.Fatalf("timed out waiting for %q; screen:\n%s", text, p.screen())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// finished waits for the program to end and returns the final model.
func (p *program) finished() *Model {
	p.t.Helper()
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.t.Fatalf("the program did not end; screen:\n%s", p.screen())
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		p.t.Fatalf("program: %v", p.err)
	}
	return p.final.(*recorder).m.(*Model)
}
