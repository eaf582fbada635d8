-- 9: an article may belong to several feeds. Within a feed an item is
-- its id (GUID, else link, else title and date: parse.ID); across feeds
-- the copies of one story, the same normalised link (linkKey) and the
-- same title, are one article that belongs to each feed carrying it.
--
-- article_feeds has a row per article and feed carrying it: link is the
-- hash of the normalised link of the feed's copy (linkHash; 0 for none),
-- and published, read and starred are copies of article_state's, kept by
-- triggers, so that a feed's views page through its own indexes. The
-- primary key is a feed's order.
--
-- articles.id is the id of the copy stored first. The id another feed has
-- for the article is kept in articles_seen with the article's seq: a
-- copy. Its seq becomes NULL when the article goes (the key stays
-- remembered, as a pruned one is).
--
-- feed_counts: row 0 (all articles) follows article_state, a feed's row
-- follows article_feeds, so an article carried by two feeds counts once
-- in all and once in each feed. article_state loses its feed_id.
--
-- The keys of items that another feed's copy stood for (articles_seen
-- with no seq, set aside before this version) stay remembered; a feed
-- that carries such an item again joins the article when link and title
-- agree.

CREATE TABLE article_feeds (
	feed_id   INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
	published INTEGER NOT NULL,
	seq       INTEGER NOT NULL,
	link      INTEGER NOT NULL DEFAULT 0,
	read      INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
	starred   INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
	PRIMARY KEY (feed_id, published, seq)
) WITHOUT ROWID;
-- link is filled by the program after this migration (linkHash is Go).
INSERT INTO article_feeds (feed_id, published, seq, read, starred)
SELECT a.feed_id, s.published, a.seq, s.read, s.starred
FROM articles a JOIN article_state s ON s.seq = a.seq;
CREATE INDEX article_feeds_seq ON article_feeds(seq);
CREATE INDEX article_feeds_link ON article_feeds(link) WHERE link <> 0;
CREATE INDEX article_feeds_unread ON article_feeds(feed_id, published, seq) WHERE read = 0;
CREATE INDEX article_feeds_starred ON article_feeds(feed_id, published, seq, read) WHERE starred = 1;

ALTER TABLE articles_seen ADD COLUMN seq INTEGER;
CREATE INDEX articles_seen_copy ON articles_seen(id) WHERE seq IS NOT NULL;
CREATE INDEX articles_seen_seq ON articles_seen(seq) WHERE seq IS NOT NULL;

-- A feed's order is article_feeds' key now; links are matched by key.
DROP INDEX articles_feed_order;
DROP INDEX articles_link;

DROP TRIGGER article_state_ai;
DROP TRIGGER article_state_ad;
DROP TRIGGER article_state_au;
DROP TRIGGER article_state_au_feed;
DROP TRIGGER articles_state_au;
DROP INDEX article_state_feed_unread;
DROP INDEX article_state_starred;
ALTER TABLE article_state DROP COLUMN feed_id;
CREATE INDEX article_state_starred ON article_state(published, seq, read) WHERE starred = 1;

UPDATE feed_counts SET total = 0, unread = 0, starred = 0, starred_unread = 0;
UPDATE feed_counts SET total = g.total, unread = g.unread, starred = g.starred, starred_unread = g.starred_unread FROM (
	SELECT feed_id, count(*) AS total, sum(read = 0) AS unread, sum(starred) AS starred,
		sum(starred AND read = 0) AS starred_unread
	FROM article_feeds GROUP BY feed_id
	UNION ALL
	SELECT 0, count(*), coalesce(sum(read = 0), 0), coalesce(sum(starred), 0),
		coalesce(sum(starred AND read = 0), 0)
	FROM article_state
) AS g WHERE g.feed_id = feed_counts.feed_id;

-- An article's rows follow it: removed with it, moved with its date.
CREATE TRIGGER articles_feeds_ad AFTER DELETE ON articles BEGIN
	DELETE FROM article_feeds WHERE seq = old.seq;
	UPDATE articles_seen SET seq = NULL WHERE seq = old.seq;
END;
CREATE TRIGGER articles_state_au AFTER UPDATE OF published ON articles
WHEN old.published <> new.published BEGIN
	UPDATE article_state SET published = new.published WHERE seq = new.seq;
	UPDATE article_feeds SET published = new.published WHERE seq = new.seq;
END;

-- All articles: row 0.
CREATE TRIGGER article_state_ai AFTER INSERT ON article_state BEGIN
	UPDATE feed_counts SET total = total + 1, unread = unread + (new.read = 0),
		starred = starred + new.starred, starred_unread = starred_unread + (new.starred AND new.read = 0)
	WHERE feed_id = 0;
END;
CREATE TRIGGER article_state_ad AFTER DELETE ON article_state BEGIN
	UPDATE feed_counts SET total = total - 1, unread = unread - (old.read = 0),
		starred = starred - old.starred, starred_unread = starred_unread - (old.starred AND old.read = 0)
	WHERE feed_id = 0;
END;
-- A change of read state or star counts in row 0 and is copied to the
-- article's rows in article_feeds (whose triggers count it per feed).
CREATE TRIGGER article_state_au AFTER UPDATE OF read, starred ON article_state
WHEN old.read <> new.read OR old.starred <> new.starred BEGIN
	UPDATE feed_counts SET unread = unread + (new.read = 0) - (old.read = 0),
		starred = starred + new.starred - old.starred,
		starred_unread = starred_unread + (new.starred AND new.read = 0) - (old.starred AND old.read = 0)
	WHERE feed_id = 0;
	UPDATE article_feeds SET read = new.read, starred = new.starred WHERE seq = new.seq;
END;

-- Each feed: its rows of article_feeds.
CREATE TRIGGER article_feeds_ai AFTER INSERT ON article_feeds BEGIN
	UPDATE feed_counts SET total = total + 1, unread = unread + (new.read = 0),
		starred = starred + new.starred, starred_unread = starred_unread + (new.starred AND new.read = 0)
	WHERE feed_id = new.feed_id;
END;
CREATE TRIGGER article_feeds_ad AFTER DELETE ON article_feeds BEGIN
	UPDATE feed_counts SET total = total - 1, unread = unread - (old.read = 0),
		starred = starred - old.starred, starred_unread = starred_unread - (old.starred AND old.read = 0)
	WHERE feed_id = old.feed_id;
END;
CREATE TRIGGER article_feeds_au AFTER UPDATE OF read, starred ON article_feeds
WHEN old.read <> new.read OR old.starred <> new.starred BEGIN
	UPDATE feed_counts SET unread = unread + (new.read = 0) - (old.read = 0),
		starred = starred + new.starred - old.starred,
		starred_unread = starred_unread + (new.starred AND new.read = 0) - (old.starred AND old.read = 0)
	WHERE feed_id = new.feed_id;
END;
