package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/feeds/fulltext"
	"github.com/steppe-news/steppe/internal/sanitize"
	"github.com/steppe-news/steppe/internal/textfmt"
)

// ---- steppe article ----

// articleJSON is `steppe article --json`, as DESIGN.md gives it.
type articleJSON struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Link      string `json:"link"`
	Feed      string `json:"feed"`
	Published string `json:"published"`
	Text      string `json:"text"`
	// FullText: Text is the article's own page, extracted (--full), not
	// what the feed carried.
	FullText bool `json:"full_text"`
	// FullTextError: why the article's page gave no text, when it was
	// tried and failed (the text is then the feed's).
	FullTextError string `json:"full_text_error,omitempty"`
	// Enclosures: the article's audio and video files, where it has any.
	Enclosures []feeds.Enclosure `json:"enclosures,omitempty"`
}

// runArticle prints one article as the reader shows it, as plain text:
// title, feed and date, link, then the text. --full fetches the article's
// own page and prints its readable text instead of the feed's (a page
// that cannot be read is said why, and the feed's text is printed).
func runArticle(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) error {
	asJSON, full := false, false
	pos, err := subFlags("article", g, args, stderr, func(fs *flag.FlagSet) {
		jsonFlag(&asJSON)(fs)
		fs.BoolVar(&full, "full", false, "fetch the article's own page and print its readable text")
	})
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return badUsage("article takes one article id (as `steppe headlines --json` gives them): " + synopsisOf("article"))
	}
	if full && g.offline {
		return errors.New("article --full fetches the article's page; it cannot run with --offline")
	}
	a, err := openApp(ctx, g, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	art, err := a.store.feeds.Article(ctx, strings.TrimSpace(pos[0]))
	if errors.Is(err, feeds.ErrNotFound) {
		return fmt.Errorf("no stored article has the id %s", sanitize.Key(pos[0]))
	}
	if errors.Is(err, feeds.ErrIgnored) {
		return fmt.Errorf("article %s is hidden by an ignore rule", sanitize.Key(pos[0]))
	}
	if err != nil {
		return err
	}
	// The stored page's text (a full_text feed, the reader's key) is the
	// article's text; --full fetches the page again, and keeps what it
	// gave when the store can be written.
	text, extracted := art.Content, false
	if art.FullText.Extracted() {
		text, extracted = art.FullText.Text, true
	}
	failure := art.FullText.Err
	if full {
		page, err := a.fullText(ctx, art.Link)
		switch {
		case err != nil:
			failure = sanitize.Redact(oneLine(err.Error()))
			shown := "the feed's text"
			if extracted {
				shown = "the text read from it before"
			}
			fmt.Fprintf(stderr, "steppe: the article's page could not be read (%s); this is %s\n", failure, shown)
		case strings.TrimSpace(page.Text) != "":
			text, extracted, failure = page.Text, true, ""
		}
		if !a.store.readOnly && art.Link != "" {
			ft := feeds.FullText{Fetched: time.Now(), URL: page.URL, Text: page.Text, Body: page.HTML, Err: failure}
			if err := a.store.feeds.SaveFullText(ctx, art.ID, ft); err != nil {
				fmt.Fprintln(stderr, "steppe: keeping the page's text:", err)
			}
		}
	}
	if extracted {
		failure = ""
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(articleJSON{ID: art.ID, Title: art.Title, Link: art.Link, Feed: art.FeedName,
			Published: art.Published.UTC().Format(time.RFC3339), Text: text, FullText: extracted, FullTextError: failure,
			Enclosures: art.Enclosures})
	}
	writeArticle(stdout, art, text, extracted, failure)
	return nil
}

// fullText fetches and extracts the page at link.
func (a *app) fullText(ctx context.Context, link string) (fulltext.Article, error) {
	if link == "" {
		return fulltext.Article{}, errors.New("the article has no link")
	}
	client := &http.Client{Transport: a.transport}
	return fulltext.Options{UserAgent: userAgent(), Timeout: time.Duration(a.cfg.FetchTimeout)}.Fetch(ctx, client, link)
}

// writeArticle prints an article as plain text.
func writeArticle(w io.Writer, art feeds.Article, text string, extracted bool, failure string) {
	fmt.Fprintln(w, oneLine(art.Title))
	when := art.Published.Local().Format("2 Jan 2006 15:04")
	if art.NoDate {
		when = "date unknown"
	}
	meta := oneLine(art.FeedName) + " · " + when
	if a := oneLine(art.Author); a != "" {
		meta += " · " + a
	}
	if extracted {
		meta += " · full text from the article's page"
	} else if failure != "" {
		meta += " · the article's page could not be read: " + oneLine(failure)
	}
	fmt.Fprintln(w, meta)
	if art.Link != "" {
		fmt.Fprintln(w, sanitize.Redact(art.Link))
	}
	for _, e := range art.Enclosures {
		fmt.Fprintf(w, "enclosure: %s (%s)\n", sanitize.Redact(sanitize.Line(e.URL)), oneLine(textfmt.Media(e.Type, e.Length)))
	}
	fmt.Fprintln(w)
	body := strings.TrimSpace(sanitize.Text(text, true))
	if body == "" {
		body = oneLine(art.Summary)
	}
	if body == "" {
		body = "(the feed carried no text for this article)"
	}
	fmt.Fprintln(w, body)
}
