package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/sanitize"
	"github.com/steppe-news/steppe/internal/textfmt"
)

// ---- steppe mark ----

// markActions are mark's first argument: what it does to each article.
var markActions = map[string]func(ctx context.Context, st *feeds.Store, id string) error{
	"read":   func(ctx context.Context, st *feeds.Store, id string) error { return st.SetRead(ctx, id, true) },
	"unread": func(ctx context.Context, st *feeds.Store, id string) error { return st.SetRead(ctx, id, false) },
	"star":   func(ctx context.Context, st *feeds.Store, id string) error { return st.SetStarred(ctx, id, true) },
	"unstar": func(ctx context.Context, st *feeds.Store, id string) error { return st.SetStarred(ctx, id, false) },
}

// runMark changes the read or star state of articles named by their ids
// (as headlines --json gives them). Every known id is changed even when
// others are not stored; those are named, and the exit status is 1. A
// change of an article that the sync server holds is queued for it, and
// with [sync] set sent at once; a server that cannot be reached keeps it
// queued for the next sync.
func runMark(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) error {
	pos, err := subFlags("mark", g, args, stderr, nil)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return badUsage("mark needs what to do and at least one article id: " + synopsisOf("mark"))
	}
	act, ok := markActions[pos[0]]
	if !ok {
		return badUsage(fmt.Sprintf("mark %s: say read, unread, star or unstar first (%s)", sanitize.Key(pos[0]), synopsisOf("mark")))
	}
	ids := pos[1:]
	if len(ids) == 0 {
		return badUsage(fmt.Sprintf("mark %s needs at least one article id (as `steppe headlines --json` shows them)", pos[0]))
	}
	a, err := openApp(ctx, g, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	if a.store.readOnly {
		return fmt.Errorf("store %s is read-only: nothing can be marked", a.store.path)
	}
	done, seen := 0, map[string]bool{}
	var missing, hidden []string
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if seen[id] {
			continue
		}
		seen[id] = true
		switch err := act(ctx, a.store.feeds, id); {
		case errors.Is(err, feeds.ErrNotFound):
			missing = append(missing, sanitize.Key(id))
		case errors.Is(err, feeds.ErrIgnored):
			hidden = append(hidden, sanitize.Key(id))
		case err != nil:
			return fmt.Errorf("marked %d of %d: %w", done, len(seen), err)
		default:
			done++
		}
	}
	fmt.Fprintf(stdout, "marked %s %s\n", textfmt.Plural(done, "article", "articles"), pos[0])
	if a.cfg.Sync.Enabled() && !g.offline && done > 0 {
		if err := a.pushQueued(ctx, stdout); err != nil {
			fmt.Fprintf(stderr, "steppe: the sync server was not told (%v); the next `steppe sync` sends it\n", err)
		}
	}
	var errs []error
	if len(missing) > 0 {
		errs = append(errs, fmt.Errorf("no stored article has the id %s", strings.Join(missing, ", ")))
	}
	if len(hidden) > 0 {
		errs = append(errs, fmt.Errorf("article %s %s hidden by an ignore rule", strings.Join(hidden, ", "),
			map[bool]string{true: "is", false: "are"}[len(hidden) == 1]))
	}
	return errors.Join(errs...)
}
