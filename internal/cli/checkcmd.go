package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// ---- steppe check ----

// errDamagedStore is what the dashboard's refreshes return once its check
// found the store damaged (the UI asks for none after that; this stops one
// that was waiting to start).
var errDamagedStore = errors.New("the store is damaged: nothing more is saved to it")

// maxCheckProblems bounds what quick_check reports: enough to tell damage
// from a stray page, and a bounded amount of work once damage is found.
const maxCheckProblems = 20

// errDamaged is a store that quick_check found damaged.
var errDamaged = errors.New("SQLite's quick_check found")

// checkDamage runs SQLite's quick_check over the whole store and returns
// the problems it names (nil: none). quick_check reads every page of every
// table and index, so it finds damage that a query never touches (the
// newest headlines read only the first pages); it returns as soon as ctx
// is done. An error that is SQLite finding damage itself counts as damage.
func (s *stores) checkDamage(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, fmt.Sprintf("PRAGMA quick_check(%d)", maxCheckProblems))
	if err != nil {
		if damaged(err) {
			return []string{err.Error()}, nil
		}
		return nil, err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		// One row may hold several problems, a line each, under a
		// heading naming the database ("*** in database main ***").
		for _, p := range strings.Split(line, "\n") {
			if p = strings.TrimSpace(p); p != "" && p != "ok" && !strings.HasPrefix(p, "*** in database") {
				problems = append(problems, sanitize.Escape(p))
			}
		}
	}
	if err := rows.Err(); err != nil {
		if damaged(err) {
			return append(problems, err.Error()), nil
		}
		return nil, err
	}
	return problems, nil
}

// damageError is the message for a store quick_check found damaged: the
// file, what was found, and what to do (as storeError says it).
func damageError(path string, problems []string) error {
	shown := problems
	if len(shown) > 3 {
		shown = append(shown[:3:3], fmt.Sprintf("and %d more", len(problems)-3))
	}
	return storeError(path, fmt.Errorf("%w: %s", errDamaged, strings.Join(shown, "; ")))
}

// damageNotice is the dashboard's banner for a store its background check
// found damaged: the file, the first problem, and what to do. (The
// salvage is steppe's own: sqlite3's .recover, 3.40 at least, gives up on
// a steppe store, whole or not, at its full-text index.)
func damageNotice(path string, problems []string) string {
	found := truncateRunes(problems[0], 80)
	if len(problems) > 1 {
		found += fmt.Sprintf(", and %d more", len(problems)-1)
	}
	return fmt.Sprintf("The store %s is damaged (%s): steppe saves nothing more to it. "+
		"Quit; `steppe feeds export > feeds.opml` keeps the feeds you added; move the store aside and start steppe "+
		"again for a fresh one, then `steppe feeds import feeds.opml`.", path, found)
}

// truncateRunes cuts s to at most n runes, ending in "…" when it cuts.
func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// backgroundCheck is the dashboard's store check (ui.Options.CheckStore):
// checkDamage, and on damage the banner's words; from then on the app
// writes nothing more to the store (store.damaged).
func (s *stores) backgroundCheck(ctx context.Context) (string, error) {
	problems, err := s.checkDamage(ctx)
	if err != nil || len(problems) == 0 {
		return "", err
	}
	s.damaged.Store(true)
	return damageNotice(s.path, problems), nil
}

// runCheck checks the store for damage: exit 0 and one line when it is
// whole, exit 1 naming the file and what to do when it is not.
func runCheck(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) error {
	if err := flagsOnly("check", g, args, stderr, nil); err != nil {
		return err
	}
	a, err := openApp(ctx, g, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	began := time.Now()
	problems, err := a.store.checkDamage(ctx)
	if err != nil {
		return fmt.Errorf("checking store %s: %w", a.store.path, err)
	}
	if len(problems) > 0 {
		return damageError(a.store.path, problems)
	}
	fmt.Fprintf(stdout, "store %s: no damage found (%s)\n", a.store.path, roundDur(time.Since(began)))
	return nil
}
