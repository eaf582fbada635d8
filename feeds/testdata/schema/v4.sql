-- index article_anchors_key on article_anchors
CREATE INDEX article_anchors_key ON article_anchors(published, seq);

-- index article_state_feed_unread on article_state
CREATE INDEX article_state_feed_unread ON article_state(feed_id, published, seq) WHERE read = 0;

-- index article_state_starred on article_state
CREATE INDEX article_state_starred ON article_state(published, seq, feed_id, read) WHERE starred = 1;

-- index article_state_unread on article_state
CREATE INDEX article_state_unread ON article_state(published, seq) WHERE read = 0;

-- index articles_feed_order on articles
CREATE INDEX articles_feed_order ON articles(feed_id, published, seq);

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

-- table article_state on article_state
CREATE TABLE article_state (
	seq       INTEGER PRIMARY KEY,
	feed_id   INTEGER NOT NULL,
	published INTEGER NOT NULL,
	read      INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
	starred   INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1))
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

-- table feed_counts on feed_counts
CREATE TABLE feed_counts (
	feed_id        INTEGER PRIMARY KEY,
	total          INTEGER NOT NULL DEFAULT 0,
	unread         INTEGER NOT NULL DEFAULT 0,
	starred        INTEGER NOT NULL DEFAULT 0,
	starred_unread INTEGER NOT NULL DEFAULT 0
);

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

-- trigger article_state_ad on article_state
CREATE TRIGGER article_state_ad AFTER DELETE ON article_state BEGIN
	UPDATE feed_counts SET total = total - 1, unread = unread - (old.read = 0),
		starred = starred - old.starred, starred_unread = starred_unread - (old.starred AND old.read = 0)
	WHERE feed_id = old.feed_id;
	UPDATE feed_counts SET total = total - 1, unread = unread - (old.read = 0),
		starred = starred - old.starred, starred_unread = starred_unread - (old.starred AND old.read = 0)
	WHERE feed_id = 0;
END;

-- trigger article_state_ai on article_state
CREATE TRIGGER article_state_ai AFTER INSERT ON article_state BEGIN
	UPDATE feed_counts SET total = total + 1, unread = unread + (new.read = 0),
		starred = starred + new.starred, starred_unread = starred_unread + (new.starred AND new.read = 0)
	WHERE feed_id = new.feed_id;
	UPDATE feed_counts SET total = total + 1, unread = unread + (new.read = 0),
		starred = starred + new.starred, starred_unread = starred_unread + (new.starred AND new.read = 0)
	WHERE feed_id = 0;
END;

-- trigger article_state_au on article_state
CREATE TRIGGER article_state_au AFTER UPDATE OF feed_id, read, starred ON article_state
WHEN old.feed_id = new.feed_id AND (old.read <> new.read OR old.starred <> new.starred) BEGIN
	UPDATE feed_counts SET unread = unread + (new.read = 0) - (old.read = 0),
		starred = starred + new.starred - old.starred,
		starred_unread = starred_unread + (new.starred AND new.read = 0) - (old.starred AND old.read = 0)
	WHERE feed_id = new.feed_id;
	UPDATE feed_counts SET unread = unread + (new.read = 0) - (old.read = 0),
		starred = starred + new.starred - old.starred,
		starred_unread = starred_unread + (new.starred AND new.read = 0) - (old.starred AND old.read = 0)
	WHERE feed_id = 0;
END;

-- trigger article_state_au_feed on article_state
CREATE TRIGGER article_state_au_feed AFTER UPDATE OF feed_id ON article_state
WHEN old.feed_id <> new.feed_id BEGIN
	UPDATE feed_counts SET total = total - 1, unread = unread - (old.read = 0),
		starred = starred - old.starred, starred_unread = starred_unread - (old.starred AND old.read = 0)
	WHERE feed_id = old.feed_id;
	UPDATE feed_counts SET total = total + 1, unread = unread + (new.read = 0),
		starred = starred + new.starred, starred_unread = starred_unread + (new.starred AND new.read = 0)
	WHERE feed_id = new.feed_id;
	UPDATE feed_counts SET unread = unread + (new.read = 0) - (old.read = 0),
		starred = starred + new.starred - old.starred,
		starred_unread = starred_unread + (new.starred AND new.read = 0) - (old.starred AND old.read = 0)
	WHERE feed_id = 0;
END;

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

-- trigger articles_state_ad on articles
CREATE TRIGGER articles_state_ad AFTER DELETE ON articles BEGIN
	DELETE FROM article_state WHERE seq = old.seq;
END;

-- trigger articles_state_ai on articles
CREATE TRIGGER articles_state_ai AFTER INSERT ON articles BEGIN
	INSERT INTO article_state (seq, feed_id, published, read)
	VALUES (new.seq, new.feed_id, new.published, new.read <> 0);
END;

-- trigger articles_state_au on articles
CREATE TRIGGER articles_state_au AFTER UPDATE OF seq, feed_id, published ON articles BEGIN
	UPDATE article_state SET seq = new.seq, feed_id = new.feed_id, published = new.published
	WHERE seq = old.seq;
END;

-- trigger feeds_counts_ad on feeds
CREATE TRIGGER feeds_counts_ad AFTER DELETE ON feeds BEGIN
	DELETE FROM feed_counts WHERE feed_id = old.id;
END;

-- trigger feeds_counts_ai on feeds
CREATE TRIGGER feeds_counts_ai AFTER INSERT ON feeds BEGIN
	INSERT OR IGNORE INTO feed_counts (feed_id) VALUES (new.id);
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
