package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/adrg/xdg"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// The reader's save and pipe keys: an article as Markdown into save_dir,
// or its text on the input of the pipe command.

// saveDir is where the save key writes: the config's save_dir (a leading
// ~ is the home directory), else the XDG download directory.
func (a *app) saveDir() string {
	d := strings.TrimSpace(a.cfg.SaveDir)
	if d == "" {
		return xdg.UserDirs.Download
	}
	if d == "~" || strings.HasPrefix(d, "~/") {
		d = filepath.Join(xdg.Home, d[1:])
	}
	return d
}

// articleText is the article as `steppe article` prints it (the page's
// text when it was read), and whether the text is the page's.
func articleText(art feeds.Article) ([]byte, bool) {
	text, extracted := art.Content, false
	if art.FullText.Extracted() {
		text, extracted = art.FullText.Text, true
	}
	var b bytes.Buffer
	writeArticle(&b, art, text, extracted, art.FullText.Err)
	return b.Bytes(), extracted
}

// articleMarkdown is the article as Markdown: its title a heading, its
// feed, date and link, then its text.
func articleMarkdown(art feeds.Article) []byte {
	text := art.Content
	if art.FullText.Extracted() {
		text = art.FullText.Text
	}
	body := strings.TrimSpace(sanitize.Text(text, true))
	if body == "" {
		body = oneLine(art.Summary)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n\n", mdEscape(oneLine(art.Title)))
	when := art.Published.Local().Format("2 January 2006 15:04")
	if art.NoDate {
		when = "date unknown"
	}
	fmt.Fprintf(&b, "%s · %s", mdEscape(oneLine(art.FeedName)), when)
	if au := oneLine(art.Author); au != "" {
		fmt.Fprintf(&b, " · %s", mdEscape(au))
	}
	b.WriteString("\n")
	if art.Link != "" {
		fmt.Fprintf(&b, "\n<%s>\n", sanitize.Redact(art.Link))
	}
	fmt.Fprintf(&b, "\n%s\n", body)
	return b.Bytes()
}

// mdEscape keeps a one-line text from being read as Markdown markup.
func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`, "`", "\\`", `<`, `\<`, `#`, `\#`)
	return r.Replace(s)
}

// maxNameBytes bounds a saved file's name before ".md" (file systems allow
// 255 bytes).
const maxNameBytes = 120

// safeName makes a file name of a title: letters and digits of any
// script kept, every run of anything else one '-', no leading dot or
// dash, at most maxNameBytes bytes; "article" when nothing is left.
func safeName(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range title {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if b.Len()+len(string(r)) > maxNameBytes {
				break
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		if !dash && b.Len() > 0 && b.Len() < maxNameBytes {
			b.WriteByte('-')
			dash = true
		}
	}
	name := strings.Trim(b.String(), "-")
	if name == "" {
		name = "article"
	}
	return name
}

// saveArticle writes the stored article id as Markdown into the save
// directory, under a name made of its title (name-2.md, … when taken:
// nothing is ever overwritten), and returns the file's path.
func (a *app) saveArticle(ctx context.Context, id string) (string, error) {
	art, err := a.store.feeds.Article(ctx, id)
	if err != nil {
		return "", err
	}
	dir := a.saveDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	base := safeName(art.Title)
	data := articleMarkdown(art)
	for n := 1; n < 1000; n++ {
		name := base + ".md"
		if n > 1 {
			name = fmt.Sprintf("%s-%d.md", base, n)
		}
		path := filepath.Join(dir, name)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		_, werr := f.Write(data)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			_ = os.Remove(path) // a half-written file is no save
			return "", werr
		}
		return path, nil
	}
	return "", fmt.Errorf("%s: a thousand files are named %s already", dir, base)
}

// pipeTimeout bounds a pipe command: it runs without the terminal.
const pipeTimeout = 30 * time.Second

// pipeArticle runs the pipe command (its words as exec arguments, never a
// shell) with the stored article's text on its input, and returns the
// first line it printed.
func (a *app) pipeArticle(ctx context.Context, id string) (string, error) {
	if strings.TrimSpace(a.cfg.Pipe) == "" {
		return "", errors.New("no pipe command: set pipe = \"…\" in the config")
	}
	argv, err := browserCommand(a.cfg.Pipe)
	if err != nil {
		return "", err
	}
	art, err := a.store.feeds.Article(ctx, id)
	if err != nil {
		return "", err
	}
	text, _ := articleText(art)
	ctx, cancel := context.WithTimeout(ctx, pipeTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdin = bytes.NewReader(text)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	first, _, _ := strings.Cut(strings.TrimSpace(out.String()), "\n")
	first = sanitize.Line(first)
	if err != nil {
		if first != "" {
			return "", fmt.Errorf("%s: %v: %s", argv[0], err, first)
		}
		return "", fmt.Errorf("%s: %v", argv[0], err)
	}
	return first, nil
}
