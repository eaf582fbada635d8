-- 4: read state and stars in a narrow table of their own, per-feed
-- counters, and the indexes the views page through (see views.go).
--
-- article_state has one row per article (same seq) holding copies of
-- its feed_id and published, kept by the triggers on articles, and the
-- state the user changes. Marking 100,000 articles read rewrites this
-- narrow table, not the wide article rows with their bodies.
-- articles.read is only the state an article is inserted with.
--
-- feed_counts has a row per feed (feed_id 0: all articles) kept by the
-- triggers on article_state, so every write path (saving, updating in
-- place, pruning, removing a feed by cascade, marking read) keeps it.

CREATE TABLE article_state (
	seq       INTEGER PRIMARY KEY,
	feed_id   INTEGER NOT NULL,
	published INTEGER NOT NULL,
	read      INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
	starred   INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1))
);
INSERT INTO article_state (seq, feed_id, published, read)
SELECT seq, feed_id, published, read <> 0 FROM articles;
CREATE INDEX article_state_unread ON article_state(published, seq) WHERE read = 0;
CREATE INDEX article_state_feed_unread ON article_state(feed_id, published, seq) WHERE read = 0;
CREATE INDEX article_state_starred ON article_state(published, seq, feed_id, read) WHERE starred = 1;
-- One feed's articles in order (it also serves the cascade from feeds).
DROP INDEX articles_feed;
CREATE INDEX articles_feed_order ON articles(feed_id, published, seq);

CREATE TABLE feed_counts (
	feed_id        INTEGER PRIMARY KEY,
	total          INTEGER NOT NULL DEFAULT 0,
	unread         INTEGER NOT NULL DEFAULT 0,
	starred        INTEGER NOT NULL DEFAULT 0,
	starred_unread INTEGER NOT NULL DEFAULT 0
);
INSERT INTO feed_counts (feed_id) VALUES (0);
INSERT INTO feed_counts (feed_id) SELECT id FROM feeds;
UPDATE feed_counts SET total = g.total, unread = g.unread FROM (
	SELECT feed_id, count(*) AS total, sum(read = 0) AS unread FROM article_state GROUP BY feed_id
	UNION ALL
	SELECT 0, count(*), coalesce(sum(read = 0), 0) FROM article_state
) AS g WHERE g.feed_id = feed_counts.feed_id;

CREATE TRIGGER feeds_counts_ai AFTER INSERT ON feeds BEGIN
	INSERT OR IGNORE INTO feed_counts (feed_id) VALUES (new.id);
END;
CREATE TRIGGER feeds_counts_ad AFTER DELETE ON feeds BEGIN
	DELETE FROM feed_counts WHERE feed_id = old.id;
END;

CREATE TRIGGER articles_state_ai AFTER INSERT ON articles BEGIN
	INSERT INTO article_state (seq, feed_id, published, read)
	VALUES (new.seq, new.feed_id, new.published, new.read <> 0);
END;
CREATE TRIGGER articles_state_ad AFTER DELETE ON articles BEGIN
	DELETE FROM article_state WHERE seq = old.seq;
END;
CREATE TRIGGER articles_state_au AFTER UPDATE OF seq, feed_id, published ON articles BEGIN
	UPDATE article_state SET seq = new.seq, feed_id = new.feed_id, published = new.published
	WHERE seq = old.seq;
END;

-- Counters: the feed's row and row 0 take each article's contribution
-- (1, unread, starred, starred and unread); an update takes the old one
-- back and adds the new one. Two plain statements are cheaper than one
-- with IN (0, feed_id).
CREATE TRIGGER article_state_ai AFTER INSERT ON article_state BEGIN
	UPDATE feed_counts SET total = total + 1, unread = unread + (new.read = 0),
		starred = starred + new.starred, starred_unread = starred_unread + (new.starred AND new.read = 0)
	WHERE feed_id = new.feed_id;
	UPDATE feed_counts SET total = total + 1, unread = unread + (new.read = 0),
		starred = starred + new.starred, starred_unread = starred_unread + (new.starred AND new.read = 0)
	WHERE feed_id = 0;
END;
CREATE TRIGGER article_state_ad AFTER DELETE ON article_state BEGIN
	UPDATE feed_counts SET total = total - 1, unread = unread - (old.read = 0),
		starred = starred - old.starred, starred_unread = starred_unread - (old.starred AND old.read = 0)
	WHERE feed_id = old.feed_id;
	UPDATE feed_counts SET total = total - 1, unread = unread - (old.read = 0),
		starred = starred - old.starred, starred_unread = starred_unread - (old.starred AND old.read = 0)
	WHERE feed_id = 0;
END;
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
