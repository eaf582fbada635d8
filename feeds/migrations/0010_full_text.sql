-- 10 (the brief's 0011; numbered 0010 until the migrations before it
-- land): the text of an article's own page (feeds/fulltext), fetched on
-- refresh for a feed with full_text set, or on demand from the reader.
--
-- feeds.full_text: fetch each new item's page on refresh.
-- article_fulltext has a row per article whose page was tried: text and
-- body (the plain text and sanitised HTML, as articles.content and
-- articles.body hold a feed's) when it was read, else error, why not.
-- The feed's own text stays in articles: a failure keeps it, and a feed
-- that changes an item never overwrites the page's.
--
-- Search: the index's content is the view articles_search, whose content
-- column of an article is its content then, on a line of its own, its
-- page's text; the index is rebuilt from it. The triggers that take an
-- article out of the index (deleted, its text changed) say that text
-- too, and a deleted article's page goes with it; SaveFullText updates
-- the index when a page's text is stored.
ALTER TABLE feeds ADD COLUMN full_text INTEGER NOT NULL DEFAULT 0 CHECK (full_text IN (0, 1));
CREATE TABLE article_fulltext (
	seq     INTEGER PRIMARY KEY,
	fetched INTEGER NOT NULL,
	url     TEXT NOT NULL DEFAULT '',
	text    TEXT NOT NULL DEFAULT '',
	body    TEXT NOT NULL DEFAULT '',
	error   TEXT NOT NULL DEFAULT ''
);
CREATE VIEW articles_search AS
SELECT a.seq, a.title, a.summary, a.content ||
	ifnull((SELECT char(10) || t.text FROM article_fulltext t WHERE t.seq = a.seq AND t.text <> ''), '') AS content
FROM articles a;
DROP TRIGGER articles_fts_ad;
DROP TRIGGER articles_fts_au;
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5(
	title, summary, content,
	content='articles_search', content_rowid='seq',
	tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 16);
INSERT INTO articles_fts (articles_fts, rank) VALUES ('pgsz', 8000);
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
	INSERT INTO articles_fts(articles_fts, rowid, title, summary, content)
	VALUES ('delete', old.seq, old.title, old.summary, old.content ||
		ifnull((SELECT char(10) || text FROM article_fulltext WHERE seq = old.seq AND text <> ''), ''));
	DELETE FROM article_fulltext WHERE seq = old.seq;
END;
CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, summary, content ON articles BEGIN
	INSERT INTO articles_fts(articles_fts, rowid, title, summary, content)
	VALUES ('delete', old.seq, old.title, old.summary, old.content ||
		ifnull((SELECT char(10) || text FROM article_fulltext WHERE seq = old.seq AND text <> ''), ''));
	INSERT INTO articles_fts(rowid, title, summary, content)
	VALUES (new.seq, new.title, new.summary, new.content ||
		ifnull((SELECT char(10) || text FROM article_fulltext WHERE seq = new.seq AND text <> ''), ''));
END;
