package cli

import (
	"testing"

	"github.com/charmbracelet/colorprofile"
)

// The dashboard's colour profile comes from the environment alone (no
// `tmux info`, no terminal query), and NO_COLOR always wins.
func TestColorProfile(t *testing.T) {
	for _, c := range []struct {
		env  []string
		want colorprofile.Profile
	}{
		{[]string{"TERM=xterm-256color"}, colorprofile.ANSI256},
		{[]string{"TERM=xterm-256color", "COLORTERM=truecolor"}, colorprofile.TrueColor},
		{[]string{"TERM=tmux-256color", "TMUX=/tmp/tmux-0/default,1,0"}, colorprofile.ANSI256},
		{[]string{"TERM=tmux-256color", "TMUX=/tmp/tmux-0/default,1,0", "COLORTERM=truecolor"}, colorprofile.TrueColor},
		{[]string{"TERM=xterm-256color", "COLORTERM=truecolor", "NO_COLOR=1"}, colorprofile.ASCII},
		{[]string{"TERM=tmux-256color", "COLORTERM=truecolor", "NO_COLOR=1"}, colorprofile.ASCII},
		{[]string{"TERM=dumb"}, colorprofile.NoTTY},
	} {
		if got := colorProfile(c.env); got != c.want {
			t.Errorf("%v: %v, want %v", c.env, got, c.want)
		}
	}
}
