package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/steppe-news/steppe/internal/sanitize"

	"github.com/BurntSushi/toml"
	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/feeds/opml"
	"github.com/steppe-news/steppe/internal/textfmt"
)

// ---- steppe feeds list | add | remove | import | export (the table's "feeds" group) ----

// openFeeds opens the app and brings the store's config feeds up to date
// with the config file, returning every active feed.
func openFeeds(ctx context.Context, g *globals, stderr io.Writer) (*app, []feeds.Feed, error) {
	a, err := openApp(ctx, g, stderr)
	if err != nil {
		return nil, nil, err
	}
	list, err := a.syncFeeds(ctx)
	if err != nil {
		a.Close()
		return nil, nil, err
	}
	return a, list, nil
}

// ---- list ----

type feedJSON struct {
	Name      string `json:"name"`
	URL       string `json:"url"` // user info as ***
	Group     string `json:"group"`
	Origin    string `json:"origin"` // "config", "import" for feeds kept in the store, "server" for the sync server's
	Unread    int    `json:"unread"`
	Total     int    `json:"total"`
	Status    string `json:"status"` // "ok", "not modified", "error", "never fetched", or "synced" (a feed of the sync server)
	Error     string `json:"error,omitempty"`
	LastFetch string `json:"last_fetch,omitempty"` // RFC 3339
	LastOK    string `json:"last_ok,omitempty"`
	Note      string `json:"note,omitempty"` // what the last good fetch left out: "kept the newest 5000 of 200000 items"
}

func runFeedsList(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) error {
	asJSON := false
	if err := flagsOnly("feeds list", g, args, stderr, jsonFlag(&asJSON)); err != nil {
		return err
	}
	a, list, err := openFeeds(ctx, g, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	counts, err := a.store.feeds.CountByFeed(ctx)
	if err != nil {
		return err
	}
	rows := make([]feedJSON, len(list))
	for i, f := range list {
		c := counts[f.ID]
		rows[i] = feedJSON{
			Name: oneLine(f.Name), URL: sanitize.Redact(f.URL), Group: f.Group, Origin: f.Origin,
			Unread: c.Unread, Total: c.Total, Status: f.LastStatus,
			Error:     sanitize.Redact(oneLine(f.LastError)),
			LastFetch: rfc3339(f.LastFetch), LastOK: rfc3339(f.LastOK),
			Note: oneLine(f.Note),
		}
		switch {
		case f.Origin == feeds.OriginServer && rows[i].Status == "":
			rows[i].Status = "synced" // the server fetches it
		case rows[i].Status == "":
			rows[i].Status = "never fetched"
		}
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	if len(rows) == 0 {
		fmt.Fprintln(stdout, "No feeds: add one with `steppe feeds add URL`, or list them as [[feeds]] in the config file.")
		return nil
	}
	writeFeedsTable(stdout, list, rows, time.Now())
	return nil
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// Widest name, group and status shown by `feeds list`; longer ones are cut.
const (
	listNameMax   = 40
	listGroupMax  = 30
	listStatusMax = 64
)

// writeFeedsTable prints the feeds as aligned columns, the URL last so that
// a long one does not push the others.
func writeFeedsTable(w io.Writer, list []feeds.Feed, rows []feedJSON, now time.Time) {
	table := [][]string{{"NAME", "GROUP", "UNREAD/TOTAL", "STATUS", "URL"}}
	fromConfig := 0
	for i, r := range rows {
		status := r.Status
		switch {
		case r.Status == "error" && r.Error != "":
			status = "error: " + r.Error
		case r.Status != "never fetched" && !list[i].LastFetch.IsZero():
			status += ", " + textfmt.Age(now, list[i].LastFetch)
		}
		if r.Note != "" {
			status += " · " + r.Note
		}
		table = append(table, []string{
			ansi.Truncate(r.Name, listNameMax, "…"),
			ansi.Truncate(cmp.Or(r.Group, "-"), listGroupMax, "…"),
			fmt.Sprintf("%d/%d", r.Unread, r.Total),
			ansi.Truncate(status, listStatusMax, "…"),
			r.URL,
		})
		if r.Origin == feeds.OriginConfig {
			fromConfig++
		}
	}
	widths := make([]int, len(table[0]))
	for _, row := range table {
		for c, cell := range row {
			widths[c] = max(widths[c], ansi.StringWidth(cell))
		}
	}
	for _, row := range table {
		var b strings.Builder
		for c, cell := range row {
			b.WriteString(cell)
			if c < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[c]-ansi.StringWidth(cell)+2))
			}
		}
		fmt.Fprintln(w, b.String())
	}
	server := 0
	for _, f := range list {
		if f.Origin == feeds.OriginServer {
			server++
		}
	}
	fmt.Fprintf(w, "\n%s: %d from the config, %d kept in the store (feeds add / import)",
		textfmt.Plural(len(rows), "feed", "feeds"), fromConfig, len(rows)-fromConfig-server)
	if server > 0 {
		fmt.Fprintf(w, ", %d from the sync server", server)
	}
	fmt.Fprintln(w)
}

// ---- add ----

func runFeedsAdd(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) error {
	var name, group string
	var fullText bool
	usage := synopsisOf("feeds add")
	pos, err := subFlags("feeds add", g, args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&name, "name", "", "the feed's `name` (default: the title the feed gives itself)")
		fs.StringVar(&group, "group", "", "the `group` to file it under; \"News/Asia\" nests")
		fs.BoolVar(&fullText, "full-text", false, "fetch each new item's own page and keep its readable text")
	})
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "Usage: steppe %s\n", usage)
		return errUsage
	}
	if g.offline {
		return errors.New("feeds add fetches the feed once to check it; it cannot run with --offline")
	}
	u, err := feeds.CheckNewURL(pos[0])
	if err != nil {
		return fmt.Errorf("not added: %s: %v", sanitize.Redact(oneLine(pos[0])), err)
	}
	a, _, err := openFeeds(ctx, g, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	since := time.Now()
	res, err := a.fetcher().Add(ctx, feeds.Spec{Name: name, URL: u, Group: group})
	if ex := (*feeds.ExistsError)(nil); errors.As(err, &ex) {
		return fmt.Errorf("not added: %s is already a feed, %q (%s)", sanitize.Redact(u), oneLine(ex.Feed.Name), originWords(ex.Feed.Origin))
	}
	if res.Feed.ID == 0 && err != nil {
		return fmt.Errorf("not added: %s: %s", sanitize.Redact(u), sanitize.Redact(oneLine(err.Error())))
	}
	where := ""
	if res.Feed.Group != "" {
		where = " in " + res.Feed.Group
	}
	fmt.Fprintf(stdout, "added %s (%s)%s  %s\n", oneLine(res.Feed.Name), textfmt.Plural(res.Total, "item", "items"), where, sanitize.Redact(res.Feed.URL))
	if fullText {
		if serr := a.store.feeds.SetFeedFullText(ctx, res.Feed.ID, true); serr != nil {
			return errors.Join(err, fmt.Errorf("added, but full text is not set: %w", serr))
		}
		if p, ok := a.fetchNewPages(ctx, []feeds.Result{res}, since)[res.Feed.ID]; ok {
			fmt.Fprintln(stdout, pagesSummary(p))
		}
	}
	return err
}

func originWords(origin string) string {
	switch origin {
	case feeds.OriginConfig:
		return "from the config"
	case feeds.OriginServer:
		return "from the sync server"
	}
	return "kept in the store"
}

// ---- remove ----

func runFeedsRemove(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) error {
	usage := synopsisOf("feeds remove")
	pos, err := subFlags("feeds remove", g, args, stderr, nil)
	if err != nil {
		return err
	}
	// A name of several words may come unquoted.
	q := strings.Join(pos, " ")
	if strings.TrimSpace(q) == "" {
		fmt.Fprintf(stderr, "Usage: steppe %s\n", usage)
		return errUsage
	}
	a, _, err := openFeeds(ctx, g, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	found, err := a.store.feeds.FindFeeds(ctx, q)
	if err != nil {
		return err
	}
	shown := sanitize.Redact(oneLine(q))
	switch len(found) {
	case 0:
		return fmt.Errorf("no feed is named %q or has that URL; `steppe feeds list` shows them", shown)
	case 1:
	default:
		var b strings.Builder
		fmt.Fprintf(&b, "%d feeds are named %q; give the URL of the one to remove:", len(found), shown)
		for _, f := range found {
			fmt.Fprintf(&b, "\n  %s  %s", sanitize.Redact(f.URL), originWords(f.Origin))
		}
		return errors.New(b.String())
	}
	f := found[0]
	if f.Origin == feeds.OriginConfig {
		return configFeedError(a.cfg.Path, f)
	}
	if f.Origin == feeds.OriginServer {
		return fmt.Errorf("%q (%s) comes from the sync server %s: unsubscribe from it there, and the next sync removes it here",
			oneLine(f.Name), sanitize.Redact(f.URL), sanitize.Redact(a.cfg.Sync.URL))
	}
	n, err := a.store.feeds.RemoveFeed(ctx, f.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "removed %s (%s) and %s\n", oneLine(f.Name), sanitize.Redact(f.URL), textfmt.Plural(int(n), "stored article", "stored articles"))
	return nil
}

// configFeedError says how to remove a feed that the config (or the
// built-in default list) gives.
func configFeedError(path string, f feeds.Feed) error {
	name := oneLine(f.Name)
	if path != "" && configListsFeeds(path) {
		return fmt.Errorf("%q (%s) comes from the config file %s: remove its [[feeds]] entry there", name, sanitize.Redact(f.URL), path)
	}
	file := path
	if file == "" {
		file = defaultGlobals().config
	}
	return fmt.Errorf("%q is one of the built-in default feeds: to drop it, list the feeds you want as [[feeds]] entries in the config file %s (any [[feeds]] entry replaces the default list)", name, file)
}

// configListsFeeds reports whether the config file has [[feeds]] entries of
// its own (else the built-in defaults apply).
func configListsFeeds(path string) bool {
	var none struct{}
	md, err := toml.DecodeFile(path, &none)
	return err == nil && md.IsDefined("feeds")
}

// ---- import ----

func runFeedsImport(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) error {
	usage := synopsisOf("feeds import")
	pos, err := subFlags("feeds import", g, args, stderr, nil)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "Usage: steppe %s\n", usage)
		return errUsage
	}
	file := pos[0]
	var in io.ReadCloser = os.Stdin // "-": a pipe from another reader's export
	if file != "-" {
		if in, err = os.Open(file); err != nil {
			return err
		}
	}
	doc, err := opml.Read(in)
	in.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	a, before, err := openFeeds(ctx, g, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	present := map[string]feeds.Feed{}
	for _, fd := range before {
		present[fd.URL] = fd
	}
	added, err := a.store.feeds.AddFeeds(ctx, doc.Specs())
	if err != nil {
		return err
	}
	for _, sp := range added {
		where := ""
		if sp.Group != "" {
			where = "  (" + sp.Group + ")"
		}
		fmt.Fprintf(stdout, "added %s  %s%s\n", oneLine(sp.Name), sanitize.Redact(sp.URL), where)
	}
	skipped := doc.Skipped
	already := 0
	for _, fd := range doc.Feeds {
		if p, ok := present[fd.URL]; ok {
			already++
			skipped = append(skipped, opml.Skip{Line: fd.Line, Name: fd.Name, URL: fd.URL,
				Reason: fmt.Sprintf("already present as %q", oneLine(p.Name))})
		}
	}
	slices.SortStableFunc(skipped, func(x, y opml.Skip) int { return cmp.Compare(x.Line, y.Line) })
	for _, s := range skipped {
		fmt.Fprintf(stdout, "skipped line %d %q %s: %s\n", s.Line, oneLine(s.Name), sanitize.Redact(s.URL), s.Reason)
	}
	fmt.Fprintf(stdout, "%s added, %d already present, %d skipped, from %s\n",
		textfmt.Plural(len(added), "feed", "feeds"), already, len(skipped)-already, oneLine(file))
	return nil
}

// ---- export ----

func runFeedsExport(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) error {
	withCredentials := false
	err := flagsOnly("feeds export", g, args, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&withCredentials, "with-credentials", false, "keep user:password in feed URLs (else written as ***)")
	})
	if err != nil {
		return err
	}
	a, list, err := openFeeds(ctx, g, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	secret := 0
	for _, f := range list {
		if sanitize.Redact(f.URL) != f.URL {
			secret++
		}
	}
	if err := opml.Write(stdout, "steppe feeds", list, withCredentials); err != nil {
		return err
	}
	switch {
	case withCredentials:
		fmt.Fprintf(stderr, "steppe: --with-credentials: the export holds the credentials (user:password) of %s as stored; keep it private\n", textfmt.Plural(secret, "feed URL", "feed URLs"))
	case secret > 0:
		fmt.Fprintf(stderr, "steppe: %s held credentials (user:password), written as ***; export with --with-credentials to keep them\n", textfmt.Plural(secret, "feed URL", "feed URLs"))
	}
	return nil
}

// findOneFeed is the id of the one feed q names (its name or URL), or an
// error naming the feeds there are (at most feedsNamed of them) or, for a
// name several feeds share, their URLs.
func findOneFeed(ctx context.Context, st *feeds.Store, q string) (int64, error) {
	found, err := st.FindFeeds(ctx, q)
	if err != nil {
		return 0, err
	}
	shown := sanitize.Redact(oneLine(q))
	switch len(found) {
	case 1:
		return found[0].ID, nil
	case 0:
		all, err := st.Feeds(ctx)
		if err != nil {
			return 0, err
		}
		if len(all) == 0 {
			return 0, fmt.Errorf("no feed %q: there are no feeds yet", shown)
		}
		var names []string
		for i, f := range all {
			if i == feedsNamed {
				names = append(names, fmt.Sprintf("and %d more (`steppe feeds list`)", len(all)-i))
				break
			}
			names = append(names, fmt.Sprintf("%q", oneLine(f.Name)))
		}
		return 0, fmt.Errorf("no feed is named %q or has that URL: the feeds are %s", shown, strings.Join(names, ", "))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d feeds are named %q; give the URL of the one to list:", len(found), shown)
	for _, f := range found {
		fmt.Fprintf(&b, "\n  %s", sanitize.Redact(f.URL))
	}
	return 0, errors.New(b.String())
}

// feedsNamed is how many feeds findOneFeed's error names.
const feedsNamed = 20
