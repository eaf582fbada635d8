-- index article_anchors_key on article_anchors
CREATE INDEX article_anchors_key ON article_anchors(published, seq);

-- index articles_feed on articles
CREATE INDEX articles_feed ON articles(feed_id);

-- index articles_link on articles
CREATE INDEX articles_link ON articles(link) WHERE link <> '';

-- index articles_order on articles
CREATE INDEX articles_order ON articles(published, seq);

-- index sqlite_autoindex_articles_1 on articles
;

-- index sqlite_autoindex_feeds_1 on feeds
;

-- table article_anchors on article_anchors
CREATE TABLE article_anchors (
	n         INTEGER PRIMARY KEY,
	published INTEGER NOT NULL,
	seq       INTEGER NOT NULL
);

-- table article_stats on article_stats
CREATE TABLE article_stats (
	one        INTEGER PRIMARY KEY CHECK (one = 1),
	total      INTEGER NOT NULL,
	generation INTEGER NOT NULL
);

-- table articles on articles
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
, body TEXT NOT NULL DEFAULT '', no_date INTEGER NOT NULL DEFAULT 0);

-- table articles_fts on articles_fts
CREATE VIRTUAL TABLE articles_fts USING fts5(
	title, summary, content,
	content='articles', content_rowid='seq',
	tokenize='unicode61 remove_diacritics 2'
);

-- table articles_fts_config on articles_fts_config
CREATE TABLE 'articles_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table articles_fts_data on articles_fts_data
CREATE TABLE 'articles_fts_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table articles_fts_docsize on articles_fts_docsize
CREATE TABLE 'articles_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

-- table articles_fts_idx on articles_fts_idx
CREATE TABLE 'articles_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table articles_seen on articles_seen
CREATE TABLE articles_seen (
	feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
	id      TEXT NOT NULL,
	seen_at INTEGER NOT NULL,
	PRIMARY KEY (feed_id, id)
) WITHOUT ROWID;

-- table feeds on feeds
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
, grp TEXT NOT NULL DEFAULT '');

-- table feeds_generation on feeds_generation
CREATE TABLE feeds_generation (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	n   INTEGER NOT NULL
);

-- table feeds_schema on feeds_schema
CREATE TABLE feeds_schema (version INTEGER NOT NULL);

-- trigger articles_fts_ad on articles
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
	INSERT INTO articles_fts(articles_fts, rowid, title, summary, content)
	VALUES ('delete', old.seq, old.title, old.summary, old.content);
END;

-- trigger articles_fts_au on articles
CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, summary, content ON articles BEGIN
	INSERT INTO articles_fts(articles_fts, rowid, title, summary, content)
	VALUES ('delete', old.seq, old.title, old.summary, old.content);
	INSERT INTO articles_fts(rowid, title, summary, content)
	VALUES (new.seq, new.title, new.summary, new.content);
END;

-- trigger feeds_generation_ad on feeds
CREATE TRIGGER feeds_generation_ad AFTER DELETE ON feeds BEGIN
	UPDATE feeds_generation SET n = n + 1;
END;

-- trigger feeds_generation_ai on feeds
CREATE TRIGGER feeds_generation_ai AFTER INSERT ON feeds BEGIN
	UPDATE feeds_generation SET n = n + 1;
END;

-- trigger feeds_generation_au on feeds
CREATE TRIGGER feeds_generation_au AFTER UPDATE ON feeds
WHEN old.url IS NOT new.url OR old.name IS NOT new.name OR old.grp IS NOT new.grp
	OR old.origin IS NOT new.origin OR old.position IS NOT new.position
	OR old.active IS NOT new.active OR old.refresh_ns IS NOT new.refresh_ns
BEGIN
	UPDATE feeds_generation SET n = n + 1;
END;

-- articles_fts_config version = 4
