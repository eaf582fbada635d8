package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// headlinesPage runs headlines --json and decodes it.
func headlinesPage(t *testing.T, args ...string) headlinesJSON {
	t.Helper()
	code, out, errOut := steppe(t, append(args, "headlines", "--json")...)
	if code != 0 {
		t.Fatalf("headlines --json exit %d: %s", code, errOut)
	}
	var p headlinesJSON
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("headlines --json: %v\n%s", err, out)
	}
	return p
}

func TestMarkReadStarAndUnknownIDs(t *testing.T) {
	srv := newFixtureServer(t)
	dir := t.TempDir()
	cfg := srv.writeConfig(t, dir)
	data := filepath.Join(dir, "data")
	base := []string{"--config", cfg, "--data-dir", data}
	if code, _, errOut := steppe(t, append(base, "refresh")...); code != 0 {
		t.Fatalf("refresh: %s", errOut)
	}
	p := headlinesPage(t, base...)
	a, b := p.Items[0].ID, p.Items[1].ID
	if p.Items[0].Read || p.Items[0].Starred {
		t.Fatalf("fresh item = %+v", p.Items[0])
	}

	code, out, errOut := steppe(t, append(base, "mark", "read", a, b, a)...)
	if code != 0 || !strings.Contains(out, "marked 2 articles read") {
		t.Fatalf("mark read: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = steppe(t, append(base, "mark", "star", b)...)
	if code != 0 || !strings.Contains(out, "marked 1 article star") {
		t.Fatalf("mark star: exit %d\n%s", code, out)
	}
	p = headlinesPage(t, base...)
	if !p.Items[0].Read || p.Items[0].Starred || !p.Items[1].Read || !p.Items[1].Starred || p.Items[2].Read {
		t.Errorf("after marking: %+v", p.Items[:3])
	}

	// Unknown ids are named and exit 1; the known one is still changed.
	code, out, errOut = steppe(t, append(base, "mark", "unread", "nope\x1b[31m", a)...)
	if code != 1 || !strings.Contains(out, "marked 1 article unread") || !strings.Contains(errOut, "no stored article has the id") {
		t.Errorf("unknown id: exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(errOut, "\x1b") {
		t.Errorf("an escape from the command line reached stderr: %q", errOut)
	}
	if p = headlinesPage(t, base...); p.Items[0].Read {
		t.Errorf("a was not marked unread beside an unknown id")
	}
	code, out, _ = steppe(t, append(base, "mark", "unstar", b)...)
	if p = headlinesPage(t, base...); code != 0 || p.Items[1].Starred {
		t.Errorf("unstar: exit %d, %s, item %+v", code, out, p.Items[1])
	}

	for _, args := range [][]string{{"mark"}, {"mark", "read"}, {"mark", "delete", a}} {
		if code, _, errOut := steppe(t, append(base, args...)...); code != 2 || !strings.Contains(errOut, "mark") {
			t.Errorf("%v: exit %d, %s; want a usage error (2)", args, code, errOut)
		}
	}
}
