package cli

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A title becomes a file name that stays in its directory and holds no
// control: any script's letters and digits, '-' between words.
func TestSafeName(t *testing.T) {
	for title, want := range map[string]string{
		"../../etc/passwd":                 "etc-passwd",
		"Tenge \x1b[31mweakens: 2% today!": "Tenge-31mweakens-2-today",
		"Курс тенге укрепился":             "Курс-тенге-укрепился",
		"...":                              "article",
		"":                                 "article",
		".hidden":                          "hidden",
	} {
		if got := safeName(title); got != want {
			t.Errorf("safeName(%q) = %q, want %q", title, got, want)
		}
	}
	long := safeName(strings.Repeat("Ташкент ", 100))
	if len(long) > maxNameBytes || strings.HasSuffix(long, "-") || !strings.HasPrefix(long, "Ташкент-Ташкент") {
		t.Errorf("long title: %d bytes %q", len(long), long)
	}
}

// saveArticle writes Markdown into save_dir, never overwriting; pipeArticle
// runs the pipe command as argv with the text on its input, and a command
// that fails says why.
func TestSaveAndPipe(t *testing.T) {
	if _, err := exec.LookPath("wc"); err != nil {
		t.Skip("no wc")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/rss.xml" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<rss version="2.0"><channel><title>News</title><item><guid>1</guid>
<title>Tenge *weakens* / again</title><link>https://news.example/1</link>
<description>&lt;p&gt;The tenge fell &#27;[2Jagainst the dollar.&lt;/p&gt;</description></item></channel></rss>`)
	}))
	defer srv.Close()
	dir := t.TempDir()
	save := filepath.Join(dir, "saved")
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("save_dir = \""+save+"\"\npipe = \"wc -w\"\n[[feeds]]\nname = \"News\"\nurl = \""+srv.URL+
		"/rss.xml\"\n[rates]\nproviders = [\"erapi\"]\n[rates.endpoints]\nerapi = \""+srv.URL+"\"\n"), 0o600)
	base := []string{"--config", cfg, "--data-dir", filepath.Join(dir, "data")}
	steppe(t, append(base, "refresh")...)
	id := headlinesPage(t, base...).Items[0].ID

	ctx := context.Background()
	a, err := openApp(ctx, &globals{config: cfg, dataDir: filepath.Join(dir, "data"), cmd: "test"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	p1, err := a.saveArticle(ctx, id)
	if err != nil || p1 != filepath.Join(save, "Tenge-weakens-again.md") {
		t.Fatalf("save: %q, %v", p1, err)
	}
	p2, err := a.saveArticle(ctx, id)
	if err != nil || p2 != filepath.Join(save, "Tenge-weakens-again-2.md") {
		t.Fatalf("save again: %q, %v", p2, err)
	}
	b, _ := os.ReadFile(p1)
	md := string(b)
	if !strings.HasPrefix(md, "# Tenge \\*weakens\\* / again\n\nNews · ") || !strings.Contains(md, "<https://news.example/1>") ||
		!strings.Contains(md, "The tenge fell") || strings.Contains(md, "\x1b") {
		t.Errorf("markdown:\n%s", md)
	}
	out, err := a.pipeArticle(ctx, id)
	if err != nil || out == "" || out == "0" {
		t.Errorf("pipe wc -w: %q, %v", out, err)
	}
	a.cfg.Pipe = "false"
	if _, err := a.pipeArticle(ctx, id); err == nil || !strings.Contains(err.Error(), "false: exit status 1") {
		t.Errorf("a failing command: %v", err)
	}
	a.cfg.Pipe = ""
	if _, err := a.pipeArticle(ctx, id); err == nil || !strings.Contains(err.Error(), "no pipe command") {
		t.Errorf("no command: %v", err)
	}
}

// pipe must be a command without a shell; a bad one names file and line.
func TestPipeConfigKey(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("page_size = 6\npipe = \"wc -w | mail me\"\n"), 0o600)
	code, _, errOut := steppe(t, "--config", cfg, "--data-dir", filepath.Join(dir, "data"), "--offline", "headlines")
	if code != 1 || !strings.Contains(errOut, "config.toml:2") || !strings.Contains(errOut, "pipe") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}
