package player

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakePlayer writes a script that records its arguments, one a line, in
// a file next to it, then exits with code.
func fakePlayer(t *testing.T, code string) (script, record string) {
	t.Helper()
	dir := t.TempDir()
	record = filepath.Join(dir, "argv")
	script = filepath.Join(dir, "fakeplayer")
	body := "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" + record + "'\necho 'cannot open: 403 Forbidden' >&2\nexit " + code + "\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return script, record
}

func TestStartAppendsTheURLLast(t *testing.T) {
	script, record := fakePlayer(t, "0")
	url := "https://media.example.kz/steppe/ep112.mp3?a=1&b=$(id);x=`id`"
	p, err := Start([]string{script, "--no-video", "--title=%u"}, url)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "fakeplayer" || p.PID <= 0 {
		t.Errorf("process %+v", p)
	}
	if err := p.Wait(context.Background()); err != nil {
		t.Fatalf("wait: %v", err)
	}
	b, err := os.ReadFile(record)
	if err != nil {
		t.Fatal(err)
	}
	want := "--no-video\n--title=%u\n" + url + "\n" // no shell: $(…) is a word; %u is not replaced
	if string(b) != want {
		t.Errorf("argv:\n%q\nwant\n%q", b, want)
	}
}

func TestWaitSaysWhyItFailed(t *testing.T) {
	script, _ := fakePlayer(t, "2")
	p, err := Start([]string{script}, "https://x.example/a.mp3")
	if err != nil {
		t.Fatal(err)
	}
	err = p.Wait(context.Background())
	if err == nil || !strings.Contains(err.Error(), "exit status 2") || !strings.Contains(err.Error(), "403 Forbidden") {
		t.Errorf("wait: %v", err)
	}
}

func TestStartRefuses(t *testing.T) {
	script, record := fakePlayer(t, "0")
	for _, u := range []string{"file:///etc/passwd", "javascript:alert(1)", "-oProxyCommand=x", "https://x.example/a\x1b[2J.mp3", ""} {
		if _, err := Start([]string{script}, u); err == nil {
			t.Errorf("%q was played", u)
		}
	}
	if _, err := os.Stat(record); err == nil {
		t.Error("the player ran")
	}
	for _, argv := range [][]string{nil, {""}, {" "}, {"mpv", "a\x00b"}} {
		if _, err := Start(argv, "https://x.example/a.mp3"); err == nil {
			t.Errorf("%q started", argv)
		}
	}
	_, err := Start([]string{filepath.Join(t.TempDir(), "no-such-player")}, "https://x.example/a.mp3")
	if err == nil || !strings.Contains(err.Error(), "not installed") {
		t.Errorf("a missing player: %v", err)
	}
}

func TestWaitEndsWithItsContext(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "slow")
	os.WriteFile(script, []byte("#!/bin/sh\nexec sleep 30\n"), 0o755)
	p, err := Start([]string{script}, "https://x.example/a.mp3")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Wait(ctx); err != context.Canceled {
		t.Errorf("wait: %v", err)
	}
	if proc, err := os.FindProcess(p.PID); err == nil {
		proc.Kill()
	}
}
