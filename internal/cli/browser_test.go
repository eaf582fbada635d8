package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// recordingOpener is an opener whose commands are recorded; fail says
// which program names fail to run.
func recordingOpener(configured, envBrowser string, fail ...string) (*opener, *[][]string) {
	o := newOpener(configured, envBrowser)
	o.platform = [][]string{{"xdg-open"}, {"x-www-browser"}}
	var ran [][]string
	o.exec = func(_ *opener, argv []string) error {
		ran = append(ran, argv)
		for _, f := range fail {
			if argv[0] == f {
				return errors.New("not installed")
			}
		}
		return nil
	}
	return o, &ran
}

func TestBrowserChain(t *testing.T) {
	const link = "https://example.com/a?b=1&c=2"
	for _, tc := range []struct {
		name, configured, env string
		fail                  []string
		want                  [][]string
	}{
		{"config with %u", "firefox --new-tab %u", "", nil,
			[][]string{{"firefox", "--new-tab", link}}},
		{"config quoted, link appended", `"/opt/My Browser/run" --private`, "", nil,
			[][]string{{"/opt/My Browser/run", "--private", link}}},
		{"config fails, $BROWSER next", "firefox %u", "w3x:chromium --app=%s", []string{"firefox", "w3x"},
			[][]string{{"firefox", link}, {"w3x", link}, {"chromium", "--app=" + link}}},
		{"no config: $BROWSER list, first that runs", "", "nope:lynx", []string{"nope"},
			[][]string{{"nope", link}, {"lynx", link}}},
		{"nothing set: the platform opener", "", "", nil,
			[][]string{{"xdg-open", link}}},
		{"platform openers in order", "", ":", []string{"xdg-open"},
			[][]string{{"xdg-open", link}, {"x-www-browser", link}}},
		{"a link with shell characters stays one argument", "sh-less %s", "", nil,
			[][]string{{"sh-less", link}}},
	} {
		o, ran := recordingOpener(tc.configured, tc.env, tc.fail...)
		if err := o.Open(link); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if !reflect.DeepEqual(*ran, tc.want) {
			t.Errorf("%s: ran %q, want %q", tc.name, *ran, tc.want)
		}
	}
}

func TestBrowserNothingWorks(t *testing.T) {
	const link = "https://example.com/story/1"
	o, ran := recordingOpener("", "nope", "nope", "xdg-open", "x-www-browser")
	err := o.Open(link)
	var nb *noBrowserError
	if !errors.As(err, &nb) {
		t.Fatalf("err = %v, want a noBrowserError", err)
	}
	if len(*ran) != 3 {
		t.Errorf("tried %q", *ran)
	}
	if want := "no browser found; link: " + link + " (set browser in the config or $BROWSER)"; nb.Short() != want {
		t.Errorf("Short() = %q, want %q", nb.Short(), want)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "no browser found") || !strings.HasSuffix(msg, "link: "+link) || !strings.Contains(msg, "xdg-open (not installed)") {
		t.Errorf("Error() = %q", msg)
	}
}

func TestBrowserRefuses(t *testing.T) {
	o, ran := recordingOpener("firefox", "")
	for _, link := range []string{"javascript:alert(1)", "file:///etc/passwd", "ftp://x.example/", "https://", "https://bob:secret@x.example/"} {
		err := o.Open(link)
		if err == nil {
			t.Errorf("%q was opened", link)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("%q: the password is in the error: %v", link, err)
		}
	}
	if len(*ran) != 0 {
		t.Errorf("ran %q", *ran)
	}
	// A browser command only a shell could run is refused, never run.
	o, ran = recordingOpener("", "firefox; rm -rf ~:chromium $(id)")
	err := o.Open("https://example.com/")
	if len(*ran) != 1 || (*ran)[0][0] != "xdg-open" || err != nil {
		t.Errorf("ran %q (%v); want only the platform opener", *ran, err)
	}
}

// $BROWSER naming a script: the script really runs, with the link as one
// argument, and its output stays off the terminal (the opener's streams).
func TestBrowserScriptFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	argvFile := filepath.Join(dir, "argv")
	script := filepath.Join(dir, "my browser")
	os.WriteFile(script, []byte("#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '"+argvFile+"'\necho opened\n"), 0o755)
	failing := filepath.Join(dir, "broken")
	os.WriteFile(failing, []byte("#!/bin/sh\nexit 3\n"), 0o755)

	o := newOpener("", failing+":'"+script+"' --new-tab %s")
	o.platform = nil
	var out bytes.Buffer
	o.stdout = &out
	if err := o.Open("https://example.com/a%20b?x=$(id)&y=%60id%60"); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(argvFile)
	if err != nil {
		t.Fatal(err)
	}
	if want := "--new-tab\nhttps://example.com/a%20b?x=$(id)&y=%60id%60\n"; string(got) != want {
		t.Errorf("the script got argv %q, want %q", got, want)
	}
	if out.String() != "opened\n" {
		t.Errorf("the opener's stdout got %q", out.String())
	}

	// Every command failing: the error says why, with the link.
	o = newOpener(failing, "")
	o.platform = nil
	o.grace = 5 * time.Second
	err = o.Open("https://example.com/x")
	if err == nil || !strings.Contains(err.Error(), "exit status 3") || !strings.HasSuffix(err.Error(), "link: https://example.com/x") {
		t.Errorf("err = %v", err)
	}
}
