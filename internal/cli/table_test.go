package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// runOut runs steppe with args and returns its exit status and outputs.
func runOut(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// Every command of the table is in the usage text, has a help of its own
// naming its synopsis, and is run by its name.
func TestCommandTableDrivesHelp(t *testing.T) {
	code, usage, _ := runOut("--help")
	if code != 0 {
		t.Fatalf("--help exits %d", code)
	}
	for _, c := range commandTable {
		if !strings.Contains(usage, "  steppe "+c.synopsis()) {
			t.Errorf("the usage text lacks %q", c.synopsis())
		}
		for _, s := range c.summary {
			if !strings.Contains(usage, s) {
				t.Errorf("the usage text lacks %q's summary %q", c.name, s)
			}
		}
		if c.name == "" || c.name == "help" {
			continue
		}
		code, help, errOut := runOut(append([]string{"help"}, strings.Fields(c.name)...)...)
		if code != 0 || !strings.HasPrefix(help, "Usage: steppe "+c.synopsis()+"\n") {
			t.Errorf("help %s: exit %d, %q %q", c.name, code, help, errOut)
		}
	}
	// The groups: their help lists their commands; an unknown one is
	// named with the nearest.
	code, help, _ := runOut("help", "feeds")
	if code != 0 || !strings.Contains(help, "steppe feeds import FILE.opml") {
		t.Errorf("help feeds: exit %d\n%s", code, help)
	}
	code, _, errOut := runOut("feeds", "lst")
	if code != 2 || !strings.Contains(errOut, `unknown command "lst" — did you mean list?`) {
		t.Errorf("feeds lst: exit %d %q", code, errOut)
	}
	code, _, errOut = runOut("complete")
	if code != 2 || !strings.Contains(errOut, "unknown command complete — did you mean completion?") {
		t.Errorf("complete: exit %d %q", code, errOut)
	}
}

// The README's command table lists the commands of the table, in its
// order, each with the synopsis the help gives.
func TestREADMECommandTable(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Commands\n")
	if !ok {
		t.Fatal("the README has no ## Commands")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	row := regexp.MustCompile("(?m)^\\| `steppe ?([^`]*)` \\|")
	var got []string
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		got = append(got, strings.ReplaceAll(m[1], `\|`, "|"))
	}
	var want []string
	for _, c := range commandTable {
		if c.name == "" {
			want = append(want, "")
			continue
		}
		want = append(want, c.synopsis())
	}
	if !slices.Equal(got, want) {
		t.Errorf("the README's command table:\n  %q\nthe command table:\n  %q", got, want)
	}
}

// The completion scripts are made from the table: bash's completes the
// commands, a group's subcommands and a command's flags, as bash itself
// runs it; zsh and fish read theirs without a syntax error.
func TestCompletionScripts(t *testing.T) {
	code, script, errOut := runOut("completion", "bash")
	if code != 0 || errOut != "" {
		t.Fatalf("completion bash: exit %d %q", code, errOut)
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "steppe.bash")
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "feeds.opml"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	complete := func(line string) []string {
		t.Helper()
		words := strings.Split(line, " ")
		var quoted []string
		for _, w := range words {
			quoted = append(quoted, shellQuote(w))
		}
		prog := "source " + shellQuote(path) + "\nCOMP_WORDS=(" + strings.Join(quoted, " ") + ")\nCOMP_CWORD=" +
			strconv.Itoa(len(words)-1) + "\n_steppe\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
		cmd := exec.Command("bash", "--norc", "--noprofile", "-c", prog)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%q: %v\n%s", line, err, out)
		}
		return strings.Fields(string(out))
	}
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"steppe he", []string{"headlines", "help"}},
		{"steppe feeds ", []string{"list", "add", "remove", "import", "export"}},
		{"steppe feeds add --", []string{"--full-text", "--group", "--name", "--config", "--data-dir", "--demo", "--offline", "--version"}},
		{"steppe --data-dir /tmp headlines --q", []string{"--query"}},
		{"steppe headlines --query ", nil},
		{"steppe feeds import fe", []string{"feeds.opml"}},
		{"steppe completion ", []string{"bash", "zsh", "fish"}},
		{"steppe mark un", []string{"unread", "unstar"}},
	} {
		if got := complete(tc.line); !slices.Equal(got, tc.want) {
			t.Errorf("%q completes to %q, want %q", tc.line, got, tc.want)
		}
	}
	for _, sh := range []struct{ shell, check string }{{"zsh", "-n"}, {"fish", "--no-execute"}} {
		code, script, errOut := runOut("completion", sh.shell)
		if code != 0 || errOut != "" || !strings.Contains(script, "headlines") {
			t.Fatalf("completion %s: exit %d %q", sh.shell, code, errOut)
		}
		if _, err := exec.LookPath(sh.shell); err != nil {
			if os.Getenv("STEPPE_E2E") != "" {
				t.Errorf("STEPPE_E2E=1 but %s is not installed", sh.shell)
			}
			continue
		}
		p := filepath.Join(dir, "steppe."+sh.shell)
		if err := os.WriteFile(p, []byte(script), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(sh.shell, sh.check, p).CombinedOutput(); err != nil {
			t.Errorf("%s %s: %v\n%s", sh.shell, sh.check, err, out)
		}
		if sh.shell == "fish" {
			// fish completes a command line itself: complete -C.
			out, err := exec.Command("fish", "--no-config", "-c", "source "+shellQuote(p)+"; complete -C 'steppe feeds a'; complete -C 'steppe headlines --q'").CombinedOutput()
			if err != nil || !strings.Contains(string(out), "add\tcheck that URL is a feed") || !strings.Contains(string(out), "--query\t") {
				t.Errorf("fish completes %q, %v", out, err)
			}
		}
	}
	if code, _, errOut := runOut("completion", "tcsh"); code != 2 || !strings.Contains(errOut, "no script for the shell tcsh") {
		t.Errorf("completion tcsh: exit %d %q", code, errOut)
	}
}
