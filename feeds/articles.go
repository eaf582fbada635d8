package feeds

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/steppe-news/steppe/feeds/htmlclean"
	"github.com/steppe-news/steppe/feeds/parse"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// storedTitleMax is the longest title stored, in bytes: a title is one
// line, and a feed that sends 200 KB of one has sent no title.
const storedTitleMax = 1000

// A write transaction of a save stores at most saveChunkItems items and
// stops taking more after saveChunkTime, so another writer (a second
// refresh, the dashboard marking an article read) waits for one short
// transaction at most, however large the feed and however slow the disk.
const (
	saveChunkItems = 1000
	saveChunkTime  = 200 * time.Millisecond
)

// maxChunkPause bounds the pause between the chunks of a large save: 100
// ms is the longest SQLite's busy handler sleeps between two tries.
const maxChunkPause = 100 * time.Millisecond

// chunkPause is how long a save steps aside after a chunk that took d, so
// that a writer in another process, which polls for the lock while it
// waits (busy_timeout), finds it free: about half of d, so the lock is
// free a third of the time, and jittered, so the pauses do not fall into
// step with the poller's sleeps and miss it every time.
func chunkPause(d time.Duration) time.Duration {
	p := d/4 + rand.N(d/2+1)
	return min(max(p, time.Millisecond), maxChunkPause)
}

// SaveArticles stores a feed's items and returns how many were new to the
// feed.
//
// Within a feed an item is its id (parse.ID: its GUID, else its link,
// else its title and date): items of distinct ids are distinct articles
// whatever their links, and the first of repeated ids wins. An item whose
// id the feed carried before is updated in place when its title, link,
// author, summary, content or body changed (its read state, date and
// place in the list are kept) and is not new.
//
// Across feeds, an item whose normalised link (linkKey) and title are
// those of a stored article of another feed is that article: the feed
// joins it (it counts as new to the feed, and its read and star state is
// the article's). Which copy's text, date and feed the article shows does
// not depend on the order of fetching: a copy with a usable date before
// one without, the earlier published, then the one of the feed listed
// first (Feeds order). Every string is cleaned again here, so callers
// cannot store terminal escapes.
//
// Items are stored in short transactions (at most 1,000 items or about
// 200 ms each), the oldest first; an error leaves the transactions before
// it committed and returns the number of new articles they stored.
func (s *Store) SaveArticles(ctx context.Context, feedID int64, items []Article, now time.Time) (newCount int, err error) {
	newCount, err = s.saveFeed(ctx, feedID, items, now, nil)
	if err != nil {
		return newCount, fmt.Errorf("feeds: saving articles: %w", err)
	}
	return newCount, nil
}

// saveFeed is SaveArticles; final, when not nil, runs in the last
// transaction (the fetcher stores the feed's status with the articles).
func (s *Store) saveFeed(ctx context.Context, feedID int64, items []Article, now time.Time, final func(*sql.Tx) error) (int, error) {
	j := newSaveJob(ctx, feedID, items, now, final)
	for {
		finished, took, err := s.saveTx(ctx, []*saveJob{j}, true)
		if err != nil {
			return j.n, err
		}
		if finished == 1 {
			return j.n, j.err
		}
		select {
		case <-ctx.Done():
			return j.n, ctx.Err()
		case <-time.After(chunkPause(took)):
		}
	}
}

// saveJob is one feed's items on their way into the store: cleaned and
// unique, stored from the oldest end (each transaction's rows land above
// the ones before, so the anchors' stale mark stays high), as much at a
// time as a transaction takes; final runs in the transaction that stores
// the last of them.
type saveJob struct {
	ctx   context.Context
	feed  int64
	keep  []saveItem
	end   int // keep[:end] is still to store
	now   time.Time
	final func(*sql.Tx) error

	n    int   // new articles stored (committed) so far
	err  error // why the job ended unfinished
	done chan struct{}
}

func newSaveJob(ctx context.Context, feedID int64, items []Article, now time.Time, final func(*sql.Tx) error) *saveJob {
	// Cleaned here, in the caller's goroutine, not inside the transaction.
	keep := uniqueItems(feedID, items, now)
	return &saveJob{ctx: ctx, feed: feedID, keep: keep, end: len(keep), now: now, final: final, done: make(chan struct{})}
}

// saveTx stores jobs, in order, in one write transaction: as many items
// as it takes (saveChunkItems, or what saveChunkTime allows). It returns
// how many jobs it finished and how long it held the lock. A job whose ctx
// is done is finished with its error, its items left unstored. When the
// transaction fails, the jobs are as they were before it. With settle, the
// transaction that finishes the last job rebuilds the paging anchors
// (settleAnchors); without, the caller settles them when it is done.
func (s *Store) saveTx(ctx context.Context, jobs []*saveJob, settle bool) (finished int, took time.Duration, err error) {
	type state struct{ end, n int }
	before := make([]state, len(jobs))
	for i, j := range jobs {
		before[i] = state{j.end, j.n}
	}
	err = s.writeTx(ctx, func(tx *sql.Tx) (err error) {
		began := time.Now()
		defer func() {
			took = time.Since(began)
			// A panic (a bug) fails the jobs and rolls the transaction
			// back; the writer goes on with the next jobs.
			if p := recover(); p != nil {
				err = fmt.Errorf("internal error: %v", p)
			}
		}()
		budget := saveChunkTime
		if s.chunkTime > 0 {
			budget = s.chunkTime
		}
		sv := &saver{ctx: ctx, st: s, tx: tx, deadline: began.Add(budget), stmts: map[string]*sql.Stmt{}}
		finished = 0
		// The jobs this transaction finishes, whose feed rows are written
		// once every item is: an UPDATE of feeds (it has triggers) opens a
		// statement savepoint, and FTS5 writes its pending index to disk
		// at each one, so writing a feed's row between two feeds' items
		// would write the index a feed at a time, a segment each, to be
		// merged again and again as the feeds grow in number.
		var done []*saveJob
		for _, j := range jobs {
			if j.end > 0 {
				if err := j.ctx.Err(); err != nil {
					j.err = err
					finished++
					continue
				}
				if err := sv.job(j); err != nil {
					return err
				}
				if j.end > 0 {
					break // the transaction has taken its share
				}
			}
			done = append(done, j)
			finished++
			if sv.full() {
				break
			}
		}
		if err := sv.flush(); err != nil {
			return err
		}
		for _, j := range done {
			if len(j.keep) > 0 {
				// The keys this feed carries are seen as of now; those it
				// no longer carries may be forgotten (Prune).
				if _, err := sv.exec(markSaved, toNS(j.now), j.feed); err != nil {
					return err
				}
			}
			if j.final != nil {
				// final sees every row this transaction stored whole,
				// with its read state.
				if err := j.final(tx); err != nil {
					return err
				}
			}
		}
		if err := sv.finish(settle && finished == len(jobs)); err != nil {
			return err
		}
		// The query feeds' stored matches take the articles this
		// transaction stored or changed (rulemat.go).
		return s.syncRules(ctx, tx)
	})
	if err != nil {
		for i, j := range jobs {
			j.end, j.n, j.err = before[i].end, before[i].n, nil
		}
		if cerr := ctx.Err(); cerr != nil {
			// database/sql rolls the transaction back when ctx is done,
			// and its statements then answer "statement is closed": the
			// reason is the context's.
			err = cerr
		}
		return 0, took, err
	}
	return finished, took, nil
}

// saveItem is an item on its way into the store, with the hash of its
// link's key (linkHash; 0: none).
type saveItem struct {
	Article
	link int64
}

// uniqueItems keeps the first of repeated ids of items, in feed order,
// cleaned (cleanArticle), with their link keys.
func uniqueItems(feedID int64, items []Article, now time.Time) []saveItem {
	ids := make(map[string]bool, len(items))
	keep := make([]saveItem, 0, len(items))
	for _, a := range items {
		a = cleanArticle(a, now)
		if a.ID == "" {
			a.ID = parse.ID(fmt.Sprint(feedID), a.Link+"\x00"+a.Title)
		}
		if ids[a.ID] {
			continue
		}
		ids[a.ID] = true
		keep = append(keep, saveItem{a, linkHash(linkKey(a.Link))})
	}
	return keep
}

// The statements of a save. insertNew inserts an item as a new article
// (seq ?12, nextSeq: above every seq ever stored) unless the feed knows
// its id (articles_seen: set aside before, or its copy of another feed's
// article), or a stored article has its link (?13, linkHash) and title,
// or its id is stored; flush then gives it its feed's row in
// article_feeds (feedsNew). The others run only for the items it did not
// insert.
const (
	insertNew = `INSERT INTO articles
	(seq, id, feed_id, title, link, author, packed, published, first_seen, no_date)
SELECT ?12, ?1, ?2, ?3, ?4, ?5, steppe_pack(?6, ?7, ?8), ?9, ?10, ?11
WHERE NOT EXISTS (SELECT 1 FROM articles_seen WHERE feed_id = ?2 AND id = ?1)
	AND NOT EXISTS (SELECT 1 FROM article_feeds m JOIN articles a ON a.seq = m.seq
		WHERE m.link = ?13 AND m.link <> 0 AND a.title = ?3)
ON CONFLICT (id) DO NOTHING`
	// insertOwn is insertNew for an item whose link and title are those
	// of articles the feed carries already: another article of the feed.
	insertOwn = `INSERT INTO articles
	(seq, id, feed_id, title, link, author, packed, published, first_seen, no_date)
VALUES (?12, ?1, ?2, ?3, ?4, ?5, steppe_pack(?6, ?7, ?8), ?9, ?10, ?11)
ON CONFLICT (id) DO NOTHING`
	// addMember makes feed ?1 carry article ?3 (published ?2) with link
	// hash ?4; the read state and star are the article's.
	addMember = `INSERT INTO article_feeds (feed_id, published, seq, link, read, starred)
SELECT ?1, ?2, ?3, ?4, read, starred FROM article_state WHERE seq = ?3`
	// addCopy keeps feed ?1's id ?2 of article ?4, seen at ?3.
	addCopy = `INSERT INTO articles_seen (feed_id, id, seen_at, seq) VALUES (?, ?, ?, ?)
ON CONFLICT DO UPDATE SET seq = excluded.seq, seen_at = excluded.seen_at`
	// seqInFeed is the seq of the article feed ?2 has under its id ?1:
	// the article's own id, or the feed's copy of it.
	seqInFeed = `(SELECT a.seq FROM articles a WHERE a.id = ?1
		AND EXISTS (SELECT 1 FROM article_feeds o WHERE o.seq = a.seq AND o.feed_id = ?2)
	UNION ALL SELECT seq FROM articles_seen WHERE feed_id = ?2 AND id = ?1 AND seq IS NOT NULL LIMIT 1)`
	selectByID = `SELECT a.seq, a.feed_id, m.link IS NOT ?9, a.title IS NOT ?3 OR a.link IS NOT ?4 OR a.author IS NOT ?5
	OR NOT steppe_holds(a.packed, ?6, ?7, ?8) OR ` + storedEnclosures + ` IS NOT ?10
FROM articles a JOIN article_feeds m ON m.seq = a.seq AND m.feed_id = ?2 WHERE a.seq = ` + seqInFeed
	updateText = `UPDATE articles SET title = ?2, link = ?3, author = ?4,
	packed = steppe_pack(?5, ?6, ?7) WHERE seq = ?1`
	updateKey  = `UPDATE article_feeds SET link = ?3 WHERE seq = ?2 AND feed_id = ?1`
	selectSeen = `SELECT seen_at FROM articles_seen WHERE feed_id = ? AND id = ?`
	// seenAgain and markSaved keep the remembered keys of items a feed
	// still carries from being forgotten (Prune, forgetSeen): seen_at is
	// brought up to date at most once a day per key.
	seenAgain = `UPDATE articles_seen SET seen_at = ?3 WHERE feed_id = ?1 AND id = ?2`
	markSaved = `UPDATE feeds SET last_saved = ? WHERE id = ?`
	// selectCopy finds the article of another feed that an item with link
	// hash ?1 and title ?2 is a copy of: one that feed ?3 does not carry.
	selectCopy = `SELECT a.seq, a.id, a.feed_id, a.published, a.no_date, f.origin = 'import', f.position
FROM article_feeds m JOIN articles a ON a.seq = m.seq JOIN feeds f ON f.id = a.feed_id
WHERE m.link = ?1 AND m.link <> 0 AND a.title = ?2
	AND NOT EXISTS (SELECT 1 FROM article_feeds o WHERE o.seq = m.seq AND o.feed_id = ?3)
ORDER BY a.seq LIMIT 1`
	// selectStoredID finds the article stored under an item's id (a
	// caller's own ids, not made by parse.ID, may repeat across feeds).
	selectStoredID = `SELECT a.seq, a.published, EXISTS (SELECT 1 FROM article_feeds o WHERE o.seq = a.seq AND o.feed_id = ?2)
FROM articles a WHERE a.id = ?1`
	replaceCopy = `UPDATE articles SET feed_id = ?2, title = ?3, link = ?4, author = ?5,
	packed = steppe_pack(?6, ?7, ?8), published = ?9, no_date = ?10 WHERE seq = ?1`
	// nextSeq is the seq a transaction's first new row takes: above every
	// row stored and every row removed (articles_seq). SQLite's own choice,
	// the largest rowid plus one, would hand the seq of a removed feed's
	// newest article to the next arrival, and a View pinned to it would
	// take the arrival in.
	nextSeq = `SELECT max(ifnull((SELECT max(seq) FROM articles), 0),
	(SELECT high FROM articles_seq WHERE one = 1)) + 1`
	// indexNew fills the full-text index for the rows one transaction
	// inserted, in one statement: SQLite's FTS5 flushes its pending terms
	// at every statement boundary, so a per-row trigger wrote (and later
	// merged) one tiny index segment per article.
	indexNew = `INSERT INTO articles_fts (rowid, title, summary, content)
SELECT ?1 + k.key, k.value ->> 0, k.value ->> 1, k.value ->> 2 FROM json_each(?3) k WHERE ?1 + k.key <= ?2`
	// indexPacked is indexNew from the rows' packed text, for a
	// transaction holding much text (a huge article): a JSON copy of it
	// would cost more than decompressing it.
	indexPacked = `INSERT INTO articles_fts (rowid, title, summary, content)
SELECT seq, title, steppe_summary(packed), steppe_content(packed) FROM articles WHERE seq BETWEEN ? AND ?`
	// stateNew gives the rows one transaction inserted their read state
	// (and, through article_state's triggers, their counts), in one
	// statement rather than a trigger per row.
	stateNew = `INSERT INTO article_state (seq, published, read)
SELECT seq, published, read <> 0 FROM articles WHERE seq BETWEEN ? AND ?`
	// feedsNew gives the rows one transaction inserted their feed's row in
	// article_feeds, in one statement: ?3 is the JSON array of their link
	// hashes, in seq order from ?1.
	feedsNew = `INSERT INTO article_feeds (feed_id, published, seq, link)
SELECT a.feed_id, a.published, a.seq, k.value
FROM json_each(?3) k CROSS JOIN articles a ON a.seq = ?1 + k.key
WHERE a.seq BETWEEN ?1 AND ?2`
)

// feedRank is a feed's place in Feeds order: config feeds first, then by
// position, then by id.
type feedRank struct {
	imported     bool
	position, id int64
}

func (r feedRank) less(o feedRank) bool {
	if r.imported != o.imported {
		return !r.imported
	}
	if r.position != o.position {
		return r.position < o.position
	}
	return r.id < o.id
}

// copyKey orders two feeds' copies of one article: the one kept is the
// least. Undated copies carry their first-seen time, which depends on when
// each feed was fetched, so between two of them only the feeds decide.
type copyKey struct {
	noDate bool
	pub    int64
	feed   feedRank
}

func (k copyKey) less(o copyKey) bool {
	if k.noDate != o.noDate {
		return !k.noDate
	}
	if !k.noDate && k.pub != o.pub {
		return k.pub < o.pub
	}
	return k.feed.less(o.feed)
}

// saver stores the items of one write transaction, one job after
// another.
type saver struct {
	ctx      context.Context
	st       *Store
	tx       *sql.Tx
	deadline time.Time            // after it, the transaction takes no more items
	stmts    map[string]*sql.Stmt // the transaction's forms of the Store's statements
	items    int                  // items handled

	// the job being stored
	feed int64
	rank feedRank
	now  time.Time

	next        int64          // the seq of the next row inserted, 0 until read (nextSeq)
	first, last int64          // the seq range inserted and not yet indexed (pending), 0 when none
	links       []int64        // the link hashes of the pending rows, in seq order
	texts       [][3]string    // their title, summary and content, for the full-text index
	copies      map[story]bool // the link hashes and titles of the pending rows that have a link
	n           int            // rows inserted
	fresh       int            // items new to their feed: rows inserted, articles joined
	low         key            // the lowest key inserted or moved, when placed
	placed      bool           // a row was inserted or moved
}

// stmt prepares q once per transaction; the transaction closes it.
func (sv *saver) stmt(q string) (*sql.Stmt, error) {
	if st, ok := sv.stmts[q]; ok {
		return st, nil
	}
	// Prepared once per Store and connection (stmts.go), not once per
	// transaction: a refresh of many feeds runs a transaction every few.
	st, err := stx{ctx: sv.ctx, s: sv.st, tx: sv.tx}.stmt(q)
	if err != nil {
		return nil, err
	}
	sv.stmts[q] = st
	return st, nil
}

func (sv *saver) exec(q string, args ...any) (sql.Result, error) {
	st, err := sv.stmt(q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(sv.ctx, args...)
}

func (sv *saver) queryRow(q string, args ...any) *sql.Row {
	st, err := sv.stmt(q)
	if err != nil {
		// A *sql.Row cannot be made from an error; the transaction's own
		// QueryRow reports the same preparation error on Scan.
		return sv.tx.QueryRowContext(sv.ctx, q, args...)
	}
	return st.QueryRowContext(sv.ctx, args...)
}

// place records that the order changed at k.
func (sv *saver) place(k key) {
	if !sv.placed || k.less(sv.low) {
		sv.low, sv.placed = k, true
	}
}

// ours reports whether seq was inserted by this transaction and is
// pending: not in the full-text index or article_state yet, so it must
// not be updated (the triggers would take from the index what is not in
// it).
func (sv *saver) ours(seq int64) bool { return sv.first != 0 && seq >= sv.first }

// flush gives the pending rows their read state, their feed's row in
// article_feeds and their place in the full-text index.
// indexJSONMax is the most text a transaction hands the full-text index
// as JSON (indexNew); more is read from the packed rows (indexPacked).
const indexJSONMax = 1 << 20

func (sv *saver) flush() error {
	if sv.first == 0 {
		return nil
	}
	keys, err := json.Marshal(sv.links)
	if err != nil {
		return err
	}
	// The index takes the rows' words from the strings at hand, not from
	// their packed text: decompressing what was just compressed cost a
	// tenth of a fresh refresh.
	index, size := indexNew, 0
	for _, t := range sv.texts {
		size += len(t[0]) + len(t[1]) + len(t[2])
	}
	var texts bytes.Buffer
	if size > indexJSONMax {
		index = indexPacked
	} else {
		enc := json.NewEncoder(&texts)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(sv.texts); err != nil {
			return err
		}
	}
	for _, q := range []string{stateNew, feedsNew, index} {
		args := []any{sv.first, sv.last}
		switch q {
		case feedsNew:
			args = append(args, string(keys))
		case indexNew:
			args = append(args, texts.String())
		}
		if _, err := sv.exec(q, args...); err != nil {
			return err
		}
	}
	sv.first, sv.last = 0, 0
	sv.links = sv.links[:0]
	clear(sv.texts)
	sv.texts = sv.texts[:0]
	clear(sv.copies)
	return nil
}

// story is what the copies of one story share: link hash and title.
type story struct {
	link  int64
	title string
}

func storyOf(it saveItem) story { return story{it.link, it.Title} }

// full reports whether the transaction has taken its share of items.
func (sv *saver) full() bool {
	return sv.items >= saveChunkItems || sv.items > 0 && time.Now().After(sv.deadline)
}

// job stores j's items from the end of j.keep[:j.end], bottom-up, until
// they are all stored or the transaction is full; j.end and j.n follow.
func (sv *saver) job(j *saveJob) error {
	sv.feed, sv.now = j.feed, j.now
	err := sv.queryRow(`SELECT origin = 'import', position, id FROM feeds WHERE id = ?`, j.feed).
		Scan(&sv.rank.imported, &sv.rank.position, &sv.rank.id)
	if err != nil {
		return fmt.Errorf("feed %d: %w", j.feed, err)
	}
	// Insert bottom-up so that, among equal dates, the feed's first item
	// gets the highest sequence number and is listed first.
	for ; j.end > 0 && sv.items < saveChunkItems; j.end-- {
		if sv.items > 0 && sv.items%32 == 0 && time.Now().After(sv.deadline) {
			break
		}
		n := sv.fresh
		if err := sv.save(j.keep[j.end-1]); err != nil {
			return err
		}
		j.n += sv.fresh - n
		sv.items++
	}
	return nil
}

// finish gives the rows the transaction inserted their read state and
// their place in the full-text index, and marks the paging anchors stale
// from the lowest key it changed (markAnchors); settle rebuilds them.
func (sv *saver) finish(settle bool) error {
	if err := sv.flush(); err != nil {
		return err
	}
	if sv.placed {
		if err := markAnchors(sv.ctx, sv.tx, sv.low, sv.n); err != nil {
			return err
		}
	}
	if settle {
		return settleAnchors(sv.ctx, sv.tx)
	}
	return nil
}

// save stores one item: inserted when new, else handled by existing.
func (sv *saver) save(it saveItem) error {
	if sv.next == 0 {
		if err := sv.queryRow(nextSeq).Scan(&sv.next); err != nil {
			return err
		}
	}
	if it.link != 0 && sv.copies[storyOf(it)] {
		// A copy of a row this transaction inserted, which insertNew
		// does not see as a story yet.
		return sv.existing(it)
	}
	a := it.Article
	r, err := sv.exec(insertNew, a.ID, sv.feed, a.Title, a.Link, a.Author, a.Summary,
		a.Content, a.Body, toNS(a.Published), toNS(a.FirstSeen), a.NoDate, sv.next, it.link)
	if err != nil {
		return err
	}
	if n, err := r.RowsAffected(); err != nil || n == 0 {
		if err != nil {
			return err
		}
		return sv.existing(it)
	}
	return sv.inserted(it)
}

// inserted records the row save just inserted as sv.next: pending until
// flush gives it its state, its feed's row and its index entry.
func (sv *saver) inserted(it saveItem) error {
	seq := sv.next
	if len(it.Enclosures) > 0 {
		if err := sv.setEnclosures(seq, it.Enclosures, false); err != nil {
			return err
		}
	}
	pub := toNS(it.Published)
	sv.links = append(sv.links, it.link)
	sv.texts = append(sv.texts, [3]string{it.Title, it.Summary, it.Content})
	if it.link != 0 {
		if sv.copies == nil {
			sv.copies = map[story]bool{}
		}
		sv.copies[storyOf(it)] = true
	}
	sv.next++
	if sv.first == 0 {
		sv.first = seq
	}
	sv.last = seq
	sv.place(key{pub, seq})
	sv.n++
	sv.fresh++
	return nil
}

// existing handles an item that insertNew did not insert: the feed
// carries its id (the text is updated in place when it changed), or set
// it aside before, or it is a copy of another feed's article (the feed
// joins it), or another article of the feed has its link and title (it
// is inserted after all), or a caller's id is stored for another feed's
// article (the feed joins that one).
func (sv *saver) existing(it saveItem) error {
	a := it.Article
	var seq, owner int64
	var keyChanged, changed bool
	err := sv.queryRow(selectByID, a.ID, sv.feed, a.Title, a.Link, a.Author, a.Summary, a.Content, a.Body, it.link,
		enclosureSig(a.Enclosures)).Scan(&seq, &owner, &keyChanged, &changed)
	if err == nil {
		if keyChanged {
			if _, err := sv.exec(updateKey, sv.feed, seq, it.link); err != nil {
				return err
			}
		}
		// The text is the copy of the feed the article shows (the
		// owner's); never read or starred: the reader's marks stay.
		if owner == sv.feed && changed && !sv.ours(seq) {
			if _, err = sv.exec(updateText, seq, a.Title, a.Link, a.Author, a.Summary, a.Content, a.Body); err == nil {
				err = sv.setEnclosures(seq, a.Enclosures, true)
			}
		}
		return err
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	var seen int64
	if err := sv.queryRow(selectSeen, sv.feed, a.ID).Scan(&seen); err == nil {
		return sv.seenAgain(it, seen)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	// The rows this transaction inserted are made whole first: a copy
	// may be one of them.
	if err := sv.flush(); err != nil {
		return err
	}
	joined, err := sv.joinCopy(it, true)
	if err != nil || joined {
		return err
	}
	r, err := sv.exec(insertOwn, a.ID, sv.feed, a.Title, a.Link, a.Author, a.Summary,
		a.Content, a.Body, toNS(a.Published), toNS(a.FirstSeen), a.NoDate, sv.next)
	if err != nil {
		return err
	}
	if n, err := r.RowsAffected(); err != nil {
		return err
	} else if n == 1 {
		return sv.inserted(it)
	}
	// The id is stored: a caller's id that another feed's item has too.
	var pub int64
	var carried bool
	if err := sv.queryRow(selectStoredID, a.ID, sv.feed).Scan(&seq, &pub, &carried); err != nil || carried {
		if errors.Is(err, sql.ErrNoRows) {
			err = nil
		}
		return err
	}
	if _, err := sv.exec(addMember, sv.feed, pub, seq, it.link); err != nil {
		return err
	}
	sv.fresh++
	return nil
}

// seenAgain handles an item the feed set aside before (seen at seen): it
// stays set aside, unless it is a copy of another feed's article, which
// the feed then joins (a copy set aside by a version before article_feeds:
// not new, it was counted then). The feed's copies of articles it carries
// are found by selectByID first, never here.
func (sv *saver) seenAgain(it saveItem, seen int64) error {
	if it.link != 0 {
		if err := sv.flush(); err != nil {
			return err
		}
		if joined, err := sv.joinCopy(it, false); err != nil || joined {
			return err // joinCopy made the key the feed's copy
		}
	}
	if now := toNS(sv.now); now-seen > int64(seenRefresh) {
		_, err := sv.exec(seenAgain, sv.feed, it.ID, now)
		return err
	}
	return nil
}

// joinCopy makes the feed carry the article of another feed that the
// item is a copy of (same link key and title), when there is one, and
// counts it new to the feed when fresh. The article shows the copy that
// wins (copyKey): this one may take the stored copy's place, keeping the
// article's id, seq and state.
func (sv *saver) joinCopy(it saveItem, fresh bool) (bool, error) {
	if it.link == 0 {
		return false, nil
	}
	a := it.Article
	var other struct {
		seq, feed, pub int64
		id             string
		noDate         bool
		rank           feedRank
	}
	err := sv.queryRow(selectCopy, it.link, a.Title, sv.feed).Scan(&other.seq, &other.id, &other.feed, &other.pub,
		&other.noDate, &other.rank.imported, &other.rank.position)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	other.rank.id = other.feed
	pub := other.pub
	mine := copyKey{a.NoDate, toNS(a.Published), sv.rank}
	if mine.less(copyKey{other.noDate, other.pub, other.rank}) {
		// This feed's copy wins: it takes the stored row's place (and
		// keeps its read state).
		if !a.NoDate {
			pub = toNS(a.Published) // both undated: the row keeps its first-seen time
		}
		if _, err := sv.exec(replaceCopy, other.seq, sv.feed, a.Title, a.Link, a.Author,
			a.Summary, a.Content, a.Body, pub, a.NoDate); err != nil {
			return false, err
		}
		if err := sv.setEnclosures(other.seq, a.Enclosures, true); err != nil {
			return false, err
		}
		if pub != other.pub {
			sv.place(key{other.pub, other.seq})
			sv.place(key{pub, other.seq})
		}
	}
	if _, err := sv.exec(addMember, sv.feed, pub, other.seq, it.link); err != nil {
		return false, err
	}
	if a.ID != other.id {
		// The feed's own id of the article, so that it finds it again.
		if _, err := sv.exec(addCopy, sv.feed, a.ID, toNS(sv.now), other.seq); err != nil {
			return false, err
		}
	}
	if fresh {
		sv.fresh++
	}
	return true, nil
}

// key is an article's place in the order: (published, seq).
type key struct{ pub, seq int64 }

func (k key) less(o key) bool { return k.pub < o.pub || k.pub == o.pub && k.seq < o.seq }

// cleanArticle re-cleans every string and fills the times. An item without
// a usable date (none, before 1971, or NoDate set) is placed at its
// first-seen time and flagged NoDate; one dated in the future is placed at
// its first-seen time, as parse.Feed does.
func cleanArticle(a Article, now time.Time) Article {
	a.ID = sanitize.Line(a.ID)
	a.Title, _ = htmlclean.CapWords(sanitize.Line(a.Title), storedTitleMax)
	a.Link = sanitize.Link(a.Link, nil)
	a.Author = sanitize.Line(a.Author)
	a.Summary = sanitize.Line(a.Summary)
	a.Content = sanitize.Lines(a.Content)
	// HTML: its character references are the reader's to decode, and the
	// reader cleans what it draws; here only raw controls go.
	a.Body = sanitize.Text(a.Body, true)
	a.Enclosures = parse.CleanEnclosures(a.Enclosures)
	if a.FirstSeen.IsZero() || a.FirstSeen.After(now) {
		a.FirstSeen = now
	}
	if a.NoDate || a.Published.IsZero() || a.Published.Year() < 1971 {
		a.NoDate = true
		a.Published = a.FirstSeen
	}
	if a.Published.After(now) {
		a.Published = a.FirstSeen
	}
	return a
}

// The paging anchors (article_anchors n >= 0: the key of the article at
// position n*K, oldest first) are brought up to date lazily. A save that
// inserts or moves rows only lowers the stale mark, the row n = -1, to the
// lowest key it changed: the anchors below the mark are right (positions
// count from the oldest, and nothing below it changed), those at or above
// it may not be, and the views do without them (anchoredRows, anchorPos).
// The anchors are rebuilt from the mark once the save ends (settleAnchors:
// SaveArticles, a refresh's writer when it stops), or at once when what
// lies above the mark is short (settleNear). A fresh refresh of 10,000
// feeds whose items span a month thus walks the order index once, not once
// per transaction: rebuilding at every save cost O(articles) each time,
// O(feeds x articles) in all.

// noMark is the stale mark when there is none: above every key.
var noMark = key{math.MaxInt64, math.MaxInt64}

// settleNear is how many articles may lie above the stale mark for a save
// to rebuild their anchors in its own transaction (about settleNear/K index
// seeks) rather than leave them stale.
const settleNear = 1024

// markAnchors records, inside the write transaction that changed the
// articles, that delta rows were added (or removed) and that the anchors
// at and above key low may be out of date; when what lies above the mark is
// short, it rebuilds them at once.
func markAnchors(ctx context.Context, tx *sql.Tx, low key, delta int) error {
	if _, err := tx.ExecContext(ctx, `UPDATE article_stats SET total = total + ?`, delta); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO article_anchors (n, published, seq) VALUES (-1, ?, ?)
ON CONFLICT (n) DO UPDATE SET published = excluded.published, seq = excluded.seq
WHERE (excluded.published, excluded.seq) < (article_anchors.published, article_anchors.seq)`, low.pub, low.seq); err != nil {
		return err
	}
	var n, total int64
	err := tx.QueryRowContext(ctx, `SELECT coalesce((SELECT max(a.n) FROM article_anchors a, article_anchors m
WHERE m.n = -1 AND a.n >= 0 AND (a.published, a.seq) < (m.published, m.seq)), 0), total FROM article_stats`).Scan(&n, &total)
	if err != nil {
		return err
	}
	if total-n*anchorEvery <= settleNear {
		return settleAnchors(ctx, tx)
	}
	return nil
}

// settleAnchors rebuilds the anchors at and above the stale mark, if there
// is one, and takes the mark away.
func settleAnchors(ctx context.Context, tx *sql.Tx) error {
	var low key
	err := tx.QueryRowContext(ctx, `SELECT published, seq FROM article_anchors WHERE n = -1`).Scan(&low.pub, &low.seq)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return rebuildAnchors(ctx, tx, &low)
}

// updateAnchors brings the article count and the paging anchors up to date
// inside the write transaction that removed articles: every anchor is
// rebuilt (O(n), once per prune), the stale mark with them.
func updateAnchors(ctx context.Context, tx *sql.Tx, low *key, delta int) error {
	if _, err := tx.ExecContext(ctx, `UPDATE article_stats SET total = total + ?`, delta); err != nil {
		return err
	}
	return rebuildAnchors(ctx, tx, low)
}

// rebuildAnchors recomputes the anchors at or above key low (nil: all of
// them), by one walk of the order index from the last anchor below low,
// and takes the stale mark away. low must be at or below the stale mark.
func rebuildAnchors(ctx context.Context, tx *sql.Tx, low *key) error {
	from, start := key{}, int64(-1)
	if low != nil {
		err := tx.QueryRowContext(ctx, `SELECT n, published, seq FROM article_anchors
WHERE n >= 0 AND (published, seq) < (?, ?) ORDER BY n DESC LIMIT 1`,
			low.pub, low.seq).Scan(&start, &from.pub, &from.seq)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	// Anchor start (below low) keeps its position; renumber from there.
	if _, err := tx.ExecContext(ctx, `DELETE FROM article_anchors WHERE n > ? OR n < 0`, start); err != nil {
		return err
	}
	if start < 0 {
		// Anchor 0 is the oldest article.
		err := tx.QueryRowContext(ctx, `SELECT published, seq FROM articles
ORDER BY published, seq LIMIT 1`).Scan(&from.pub, &from.seq)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_anchors VALUES (0, ?, ?)`, from.pub, from.seq); err != nil {
			return err
		}
		start = 0
	}
	// Each next anchor is K rows on: one seek of the order index and a
	// skip of K-1 entries (SQLite's OFFSET steps the covering index without
	// reading rows), far cheaper than numbering every row.
	next, err := tx.PrepareContext(ctx, `SELECT published, seq FROM articles
WHERE (published, seq) > (?, ?) ORDER BY published, seq LIMIT 1 OFFSET ?`)
	if err != nil {
		return err
	}
	defer next.Close()
	add, err := tx.PrepareContext(ctx, `INSERT INTO article_anchors VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	defer add.Close()
	for n := start + 1; ; n++ {
		err := next.QueryRowContext(ctx, from.pub, from.seq, anchorEvery-1).Scan(&from.pub, &from.seq)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := add.ExecContext(ctx, n, from.pub, from.seq); err != nil {
			return err
		}
	}
}

// listCols are the columns of a list row; articleCols add the body, which
// only Article (the reader) needs. Both read the aliases of articleFrom
// (views.go): a = articles, s = article_state (read state, stars), f = feeds.
const listCols = `a.id, f.id, f.name, a.title, a.link, a.author, steppe_summary(a.packed),
	a.published, a.first_seen, s.read, s.starred, a.no_date,
	EXISTS (SELECT 1 FROM article_enclosures e WHERE e.seq = a.seq)`

const articleCols = listCols + `, steppe_content(a.packed), steppe_body(a.packed)`

// scanArticle scans articleCols.
func scanArticle(r scanner) (Article, error) { return scanArticleCols(r, true) }

// scanArticleCols scans listCols, and articleCols when full.
func scanArticleCols(r scanner, full bool) (Article, error) {
	var a Article
	var pub, seen int64
	dest := []any{&a.ID, &a.FeedID, &a.FeedName, &a.Title, &a.Link, &a.Author,
		&a.Summary, &pub, &seen, &a.Read, &a.Starred, &a.NoDate, &a.hasEnclosures}
	if full {
		dest = append(dest, &a.Content, &a.Body)
	}
	err := r.Scan(dest...)
	a.Published, a.FirstSeen = fromNS(pub), fromNS(seen)
	return a, err
}

// settle rebuilds the paging anchors that saves left stale, if any.
func (s *Store) settle(ctx context.Context) error {
	var stale bool
	err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM article_anchors WHERE n = -1)`).Scan(&stale)
	if err != nil || !stale {
		return err
	}
	return s.writeTx(ctx, func(tx *sql.Tx) error { return settleAnchors(ctx, tx) })
}

// batchWriter stores the jobs of many feeds (RefreshAll's) from one
// goroutine, several feeds to a transaction when several are waiting:
// the full-text index, the anchors and the commit are paid once per
// transaction, and the feeds' fetching and parsing go on meanwhile.
type batchWriter struct {
	st   *Store
	ctx  context.Context // the transactions' (not cancelled by the jobs)
	jobs chan *saveJob
	end  chan struct{}
}

// startWriter starts a batchWriter; stop it when every save has returned.
func (s *Store) startWriter(ctx context.Context) *batchWriter {
	w := &batchWriter{st: s, ctx: context.WithoutCancel(ctx), jobs: make(chan *saveJob), end: make(chan struct{})}
	go w.run()
	return w
}

// writerSlot is one refresh's way to a batchWriter: queued runs once its
// save is queued, before it is stored.
type writerSlot struct {
	w      *batchWriter
	queued func()
}

// save stores a feed's items (and runs final with the last of them) as
// saveFeed does, through the writer, and returns once they are stored;
// queued runs as soon as the writer has them.
func (s *writerSlot) save(ctx context.Context, feedID int64, items []Article, now time.Time, final func(*sql.Tx) error) (int, error) {
	j := newSaveJob(ctx, feedID, items, now, final)
	s.w.jobs <- j
	if s.queued != nil {
		s.queued()
	}
	<-j.done
	return j.n, j.err
}

func (w *batchWriter) stop() {
	close(w.jobs)
	<-w.end
}

func (w *batchWriter) run() {
	defer close(w.end)
	var queue []*saveJob
	alone := 0 // the first jobs of queue go one at a time (a batch of them failed)
	for {
		if len(queue) == 0 {
			j, ok := <-w.jobs
			if !ok {
				// The saves left the anchors stale (saveTx without
				// settle): one rebuild for the whole refresh. Should it
				// fail, the views do without them until the next save.
				_ = w.st.settle(w.ctx)
				return
			}
			queue = append(queue, j)
		}
		queue = w.take(queue)
		batch := queue
		if alone > 0 {
			batch = queue[:1]
		}
		finished, took, err := w.st.saveTx(w.ctx, batch, false)
		switch {
		case err != nil && len(batch) > 1:
			// One feed may be at fault (removed meanwhile, say): each
			// goes alone, so that the others are stored.
			alone = len(batch)
			continue
		case err != nil:
			batch[0].err = err
			finished = 1
		}
		for _, j := range queue[:finished] {
			close(j.done)
		}
		queue = queue[finished:]
		alone = max(alone-finished, 0)
		if len(queue) > 0 && queue[0].end < len(queue[0].keep) {
			// A large feed goes on in its next transaction: a writer in
			// another process gets its turn first.
			select {
			case <-queue[0].ctx.Done():
			case <-time.After(chunkPause(took)):
			}
		}
	}
}

// take adds the jobs waiting to queue, as long as their items fit one
// transaction.
func (w *batchWriter) take(queue []*saveJob) []*saveJob {
	n := 0
	for _, j := range queue {
		n += j.end
	}
	for n < saveChunkItems {
		select {
		case j, ok := <-w.jobs:
			if !ok {
				return queue
			}
			queue = append(queue, j)
			n += j.end
		default:
			return queue
		}
	}
	return queue
}
