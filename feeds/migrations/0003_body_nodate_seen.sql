-- 3: the reader's sanitised HTML and the no-date flag; the full-text
-- index filled once per save transaction instead of by a per-row
-- trigger (saveChunk does it); the keys of items a feed carried that
-- are stored as another feed's copy of the same link.

DROP TRIGGER articles_fts_ai;
ALTER TABLE articles ADD COLUMN body TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN no_date INTEGER NOT NULL DEFAULT 0;
CREATE TABLE articles_seen (
	feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
	id      TEXT NOT NULL,
	seen_at INTEGER NOT NULL,
	PRIMARY KEY (feed_id, id)
) WITHOUT ROWID;
