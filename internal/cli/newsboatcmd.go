package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/config"
	"github.com/steppe-news/steppe/internal/newsboat"
	"github.com/steppe-news/steppe/internal/sanitize"
	"github.com/steppe-news/steppe/internal/textfmt"
)

// newsboatDir is where newsboat keeps its urls and config, as newsboat
// looks: ~/.newsboat when it exists, else $XDG_CONFIG_HOME/newsboat
// (~/.config/newsboat).
func newsboatDir() string {
	home, _ := os.UserHomeDir()
	dot := filepath.Join(home, ".newsboat")
	if st, err := os.Stat(dot); err == nil && st.IsDir() {
		return dot
	}
	xdg := os.Getenv("XDG_CONFIG_HOME")
	if xdg == "" {
		xdg = filepath.Join(home, ".config")
	}
	return filepath.Join(xdg, "newsboat")
}

// runImportNewsboat reads a newsboat setup: its urls' feeds (the first tag
// becomes the group, ~Name the name) go into the store like an OPML
// import; its query: lines and the ignore-article lines of its config
// become [[queries]] and [[rules]], printed as TOML to add to the config.
// steppe never rewrites the config file: it is the user's, comments and
// all, and a TOML encoder would not keep them. Everything printed is TOML
// (the report lines are comments), so the output can be appended to the
// config as it is.
func runImportNewsboat(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) error {
	usage := synopsisOf("import-newsboat")
	pos, err := subFlags("import-newsboat", g, args, stderr, nil)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		fmt.Fprintf(stderr, "Usage: steppe %s\n", usage)
		return errUsage
	}
	dir := newsboatDir()
	if len(pos) == 1 {
		dir = pos[0]
	}
	var setup newsboat.Setup
	urls := filepath.Join(dir, "urls")
	if err := readNewsboatFile(urls, setup.ReadURLs); err != nil {
		return err
	}
	nbConfig := filepath.Join(dir, "config")
	if err := readNewsboatFile(nbConfig, setup.ReadConfig); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	a, before, err := openFeeds(ctx, g, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	present := map[string]string{}
	for _, fd := range before {
		present[fd.URL] = fd.Name
	}
	var took, left []string
	var specs []feeds.Spec
	for _, f := range setup.Feeds {
		at := fmt.Sprintf("%s:%d", urls, f.Line)
		u, err := feeds.CheckNewURL(f.URL)
		if err != nil {
			left = append(left, fmt.Sprintf("%s: %s: %v", at, sanitize.Redact(f.URL), err))
			continue
		}
		if name, ok := present[u]; ok {
			left = append(left, fmt.Sprintf("%s: %s is already present as %q", at, sanitize.Redact(u), oneLine(name)))
			continue
		}
		present[u] = f.Name
		specs = append(specs, feeds.Spec{Name: f.Name, URL: u, Group: f.Group})
		what := "feed " + sanitize.Redact(u)
		if f.Group != "" {
			what += " (group " + oneLine(f.Group) + ")"
		}
		took = append(took, fmt.Sprintf("%s: %s", at, what))
		if len(f.Tags) > 1 {
			left = append(left, fmt.Sprintf("%s: tags %s: a feed has one group in steppe, the first tag", at, oneLine(strings.Join(f.Tags[1:], " "))))
		}
		if f.Hidden {
			left = append(left, fmt.Sprintf("%s: the ! tag that hides the feed in newsboat: steppe lists it", at))
		}
	}
	if len(specs) > 0 {
		if _, err := a.store.feeds.AddFeeds(ctx, specs); err != nil {
			return err
		}
	}
	var out struct {
		Rules   []ruleTOML  `toml:"rules"`
		Queries []queryTOML `toml:"queries"`
	}
	haveRule := map[string]bool{}
	for _, r := range a.cfg.Rules {
		haveRule[strings.TrimSpace(r.Ignore)] = true
	}
	for _, r := range setup.Ignore {
		at := fmt.Sprintf("%s:%d", nbConfig, r.Line)
		if haveRule[r.Rule] {
			left = append(left, fmt.Sprintf("%s: ignore rule %s is in the config already", at, config.QuoteRule(r.Rule)))
			continue
		}
		haveRule[r.Rule] = true
		out.Rules = append(out.Rules, ruleTOML{Ignore: r.Rule})
		took = append(took, fmt.Sprintf("%s: ignore rule %s", at, config.QuoteRule(r.Rule)))
	}
	haveQuery := map[string]bool{}
	for _, q := range a.cfg.Queries {
		haveQuery[strings.ToLower(strings.TrimSpace(q.Name))] = true
	}
	for _, q := range setup.Queries {
		at := fmt.Sprintf("%s:%d", urls, q.Line)
		name := strings.TrimSpace(sanitize.Escape(q.Name))
		switch {
		case haveQuery[strings.ToLower(name)]:
			left = append(left, fmt.Sprintf("%s: query %q: the config has a query of that name", at, name))
			continue
		case len([]rune(name)) > config.MaxQueryName:
			left = append(left, fmt.Sprintf("%s: query %q: the name is longer than %d characters", at, name, config.MaxQueryName))
			continue
		}
		haveQuery[strings.ToLower(name)] = true
		out.Queries = append(out.Queries, queryTOML{Name: name, Query: q.Rule})
		took = append(took, fmt.Sprintf("%s: query feed %q", at, name))
	}
	for _, s := range setup.Skipped {
		file := urls
		if s.File == "config" {
			file = nbConfig
		}
		left = append(left, fmt.Sprintf("%s:%d: %s", file, s.Line, oneLine(s.Why)))
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# steppe import-newsboat %s\n", oneLine(dir))
	fmt.Fprintf(&b, "# %s added to the store\n", textfmt.Plural(len(specs), "feed", "feeds"))
	for _, t := range took {
		fmt.Fprintf(&b, "# took %s\n", oneLine(t))
	}
	for _, l := range left {
		fmt.Fprintf(&b, "# could not take %s\n", oneLine(l))
	}
	if len(out.Rules)+len(out.Queries) > 0 {
		where := a.cfg.Path
		if where == "" {
			where = g.config
		}
		fmt.Fprintf(&b, "# Add what follows to %s (steppe does not rewrite it):\n", oneLine(where))
		if err := toml.NewEncoder(&b).Encode(out); err != nil {
			return err
		}
	}
	_, err = stdout.Write(b.Bytes())
	return err
}

type ruleTOML struct {
	Ignore string `toml:"ignore"`
}

type queryTOML struct {
	Name  string `toml:"name"`
	Query string `toml:"query"`
}

// readNewsboatFile opens path and reads it with read.
func readNewsboatFile(path string, read func(io.Reader, string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := read(f, filepath.Base(path)); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
