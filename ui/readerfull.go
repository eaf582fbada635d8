package ui

import (
	"context"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/feeds/fulltext"
	"github.com/steppe-news/steppe/internal/sanitize"
	"github.com/steppe-news/steppe/ui/render"
)

// The reader's full text: an article whose own page was read (a full_text
// feed, or the full_text key) shows the page's text, marked in the header;
// one whose page failed shows the feed's text and says why.

// fullTextMsg is what fetching the shown article's page gave.
type fullTextMsg struct {
	seq int
	id  string
	ft  feeds.FullText
	err error // the store's or the context's: nothing was stored
}

// sanitizeFullText cleans what the store gave of a page for the terminal.
func sanitizeFullText(ft feeds.FullText) feeds.FullText {
	ft.Text = sanitize.Text(ft.Text, true)
	ft.Err = sanitize.Text(ft.Err, false)
	ft.URL = sanitize.Text(ft.URL, false)
	return ft
}

// layFullText lays out the text of the article's page (a.FullText, which
// was Extracted): its HTML when it kept some, else its text.
func layFullText(a feeds.Article, width int, st *render.Styles) *render.Lazy {
	if strings.TrimSpace(a.FullText.Body) != "" {
		return render.LazyHTML(a.FullText.Body, width, st)
	}
	return render.LazyPlain(a.FullText.Text, width, st)
}

// fullTextMeta adds to the header's meta line whether the text is the
// article's page's, or why the page could not be read.
func fullTextMeta(meta string, a feeds.Article) string {
	switch {
	case a.FullText.Extracted():
		return join(meta, "full text")
	case a.FullText.Err != "":
		return join(meta, "page not read: "+a.FullText.Err)
	}
	return meta
}

// fetchFullText fetches the shown article's page (Options.FetchFullText),
// stores its text and shows it.
func (r *Reader) fetchFullText() tea.Cmd {
	get := r.sh.io.opt.FetchFullText
	a, seq := r.article, r.seq
	switch {
	case a.ID == "":
		return nil
	case get == nil:
		return r.sh.io.flash("full text: not while offline")
	case a.Link == "":
		return r.sh.io.flash("full text: the article has no link")
	}
	r.sh.io.flash("full text: reading " + sanitize.Redact(a.Link) + " …")
	return r.sh.io.withTimeout(2*max(r.sh.io.opt.FetchTimeout, fulltext.DefaultTimeout), func(ctx context.Context) tea.Msg {
		ft, err := get(ctx, a.ID)
		return fullTextMsg{seq: seq, id: a.ID, ft: sanitizeFullText(ft), err: err}
	})
}

// fullTextDone shows what fetching the page gave and says it on the
// status line.
func (r *Reader) fullTextDone(msg fullTextMsg) tea.Cmd {
	if msg.seq != r.seq || msg.id != r.article.ID {
		return nil // another article is shown now; the text is stored
	}
	switch {
	case msg.err != nil:
		return r.sh.io.flash("full text: " + sanitize.Text(msg.err.Error(), false))
	case !msg.ft.Extracted():
		// A page read before stays; the failure is said.
		if !r.article.FullText.Extracted() {
			r.article.FullText = msg.ft
		}
		return r.sh.io.flash("full text: the page could not be read: " + msg.ft.Err)
	}
	r.article.FullText = msg.ft
	r.docW = 0 // render again, the page's text now
	r.sh.io.flash("full text: read from the article's page")
	return r.rerender()
}

// export saves the shown article (Options.SaveArticle) or pipes it to the
// pipe command (Options.PipeArticle), and says what happened on the
// status line.
func (r *Reader) export(save bool) tea.Cmd {
	opt, id := r.sh.io.opt, r.article.ID
	fn, what := opt.PipeArticle, "pipe"
	if save {
		fn, what = opt.SaveArticle, "save"
	}
	switch {
	case id == "":
		return nil
	case fn == nil:
		return r.sh.io.flash(what + ": not set up")
	}
	return r.sh.io.withTimeout(2*time.Minute, func(ctx context.Context) tea.Msg {
		out, err := fn(ctx, id)
		switch {
		case err != nil:
			return flashMsg(what + " failed: " + sanitize.Text(err.Error(), false))
		case save:
			return flashMsg("saved to " + sanitize.Text(out, false))
		case out != "":
			return flashMsg("piped: " + sanitize.Text(out, false))
		}
		return flashMsg("piped")
	})
}
