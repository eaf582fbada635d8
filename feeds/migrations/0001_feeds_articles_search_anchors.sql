-- 1: feeds, articles, full-text index, paging anchors.

CREATE TABLE feeds (
	id            INTEGER PRIMARY KEY,
	url           TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL DEFAULT '',
	origin        TEXT NOT NULL DEFAULT 'config' CHECK (origin IN ('config','import')),
	position      INTEGER NOT NULL DEFAULT 0,
	active        INTEGER NOT NULL DEFAULT 1,
	refresh_ns    INTEGER NOT NULL DEFAULT 0,
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	last_fetch    INTEGER NOT NULL DEFAULT 0,
	last_ok       INTEGER NOT NULL DEFAULT 0,
	last_status   TEXT NOT NULL DEFAULT '',
	last_error    TEXT NOT NULL DEFAULT '',
	next_fetch    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE articles (
	seq        INTEGER PRIMARY KEY,
	id         TEXT NOT NULL UNIQUE,
	feed_id    INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
	title      TEXT NOT NULL DEFAULT '',
	link       TEXT NOT NULL DEFAULT '',
	author     TEXT NOT NULL DEFAULT '',
	summary    TEXT NOT NULL DEFAULT '',
	content    TEXT NOT NULL DEFAULT '',
	published  INTEGER NOT NULL,
	first_seen INTEGER NOT NULL,
	read       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX articles_order ON articles(published, seq);
CREATE INDEX articles_link ON articles(link) WHERE link <> '';
CREATE INDEX articles_feed ON articles(feed_id);
CREATE VIRTUAL TABLE articles_fts USING fts5(
	title, summary, content,
	content='articles', content_rowid='seq',
	tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
	INSERT INTO articles_fts(rowid, title, summary, content)
	VALUES (new.seq, new.title, new.summary, new.content);
END;
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
	INSERT INTO articles_fts(articles_fts, rowid, title, summary, content)
	VALUES ('delete', old.seq, old.title, old.summary, old.content);
END;
CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, summary, content ON articles BEGIN
	INSERT INTO articles_fts(articles_fts, rowid, title, summary, content)
	VALUES ('delete', old.seq, old.title, old.summary, old.content);
	INSERT INTO articles_fts(rowid, title, summary, content)
	VALUES (new.seq, new.title, new.summary, new.content);
END;
-- article_anchors[n] is the key of the article at 0-based position
-- n*K of the oldest-first list (K = anchorEvery).
CREATE TABLE article_anchors (
	n         INTEGER PRIMARY KEY,
	published INTEGER NOT NULL,
	seq       INTEGER NOT NULL
);
CREATE INDEX article_anchors_key ON article_anchors(published, seq);
CREATE TABLE article_stats (
	one        INTEGER PRIMARY KEY CHECK (one = 1),
	total      INTEGER NOT NULL,
	generation INTEGER NOT NULL
);
INSERT INTO article_stats VALUES (1, 0, 0);
