package cli

import (
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/steppe-news/steppe/internal/config"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// opener opens links in the user's browser: the config's `browser` command,
// else each command of $BROWSER (a ':'-separated list), else the platform's
// opener; the first that runs wins. Commands are split into words as a
// shell would split them ("firefox --new-tab %u", quotes, $HOME), but no
// shell ever runs: the words are exec arguments. %s or %u in a word is
// replaced by the link, else the link is added as the last argument.
type opener struct {
	configured string // the config's browser; "" for none
	envBrowser string // $BROWSER as it was when steppe started
	platform   [][]string

	// stdout and stderr receive the browser's output; nil discards it.
	// They are set once, when the opener is made.
	stdout, stderr io.Writer
	// grace is how long a command may take to fail before it counts as
	// running (a browser keeps running; xdg-open exits 0 once it handed
	// the link on, or non-zero when it found nothing).
	grace time.Duration
	// exec runs one command; tests record the argv instead.
	exec func(o *opener, argv []string) error
}

func newOpener(configured, envBrowser string) *opener {
	return &opener{
		configured: configured,
		envBrowser: envBrowser,
		platform:   platformOpeners(),
		grace:      2 * time.Second,
		exec:       (*opener).run,
	}
}

// platformOpeners are the system's own ways of opening a link. Console
// browsers (www-browser) are left out: they cannot share the terminal with
// the dashboard.
func platformOpeners() [][]string {
	switch runtime.GOOS {
	case "darwin":
		return [][]string{{"open"}}
	case "windows":
		return [][]string{{"rundll32", "url.dll,FileProtocolHandler"}}
	default:
		return [][]string{{"xdg-open"}, {"x-www-browser"}}
	}
}

// browserCommand splits a browser command into words, refusing what only a
// shell could run (pipes, ';', command substitution).
func browserCommand(s string) ([]string, error) { return config.CommandWords(s, config.BrowserExample) }

// withLink puts the link into a command: in place of %s or %u, else last.
func withLink(argv []string, link string) []string {
	out := make([]string, len(argv))
	placed := false
	for i, w := range argv {
		if strings.Contains(w, "%s") || strings.Contains(w, "%u") {
			w = strings.ReplaceAll(strings.ReplaceAll(w, "%s", link), "%u", link)
			placed = true
		}
		out[i] = w
	}
	if !placed {
		out = append(out, link)
	}
	return out
}

// noBrowserError is what the status line shows when no command could open
// a link: what to do, and the link itself so that it can be copied.
type noBrowserError struct {
	link  string
	tried []string
}

func (e *noBrowserError) Short() string {
	return "no browser found; link: " + e.link + " (set browser in the config or $BROWSER)"
}

func (e *noBrowserError) Error() string {
	if len(e.tried) == 0 {
		return e.Short()
	}
	return "no browser found (set browser in the config or $BROWSER; tried " + strings.Join(e.tried, ", ") + "); link: " + e.link
}

// Open opens an http(s) link. A link with a user name or password in it is
// refused (it would be handed to another program's command line).
func (o *opener) Open(link string) error {
	if err := config.CheckHTTPURL(link); err != nil {
		return err
	}
	if hasUserInfo(link) {
		return fmt.Errorf("not opening %s: it carries a user name or password", sanitize.Redact(link))
	}
	var cands [][]string
	var tried []string
	add := func(cmd string) {
		argv, err := browserCommand(cmd)
		if err != nil {
			tried = append(tried, err.Error())
			return
		}
		cands = append(cands, argv)
	}
	if strings.TrimSpace(o.configured) != "" {
		add(o.configured)
	}
	for _, b := range strings.Split(o.envBrowser, ":") {
		if strings.TrimSpace(b) != "" {
			add(b)
		}
	}
	cands = append(cands, o.platform...)
	for _, argv := range cands {
		err := o.exec(o, withLink(argv, link))
		if err == nil {
			return nil
		}
		tried = append(tried, fmt.Sprintf("%s (%v)", argv[0], err))
	}
	return &noBrowserError{link: link, tried: tried}
}

// run starts one command and waits up to grace for it to fail.
func (o *opener) run(argv []string) error {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = o.stdout, o.stderr
	if err := cmd.Start(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return errors.New("not installed")
		}
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(o.grace):
		return nil // still running: the browser has the link
	}
}
