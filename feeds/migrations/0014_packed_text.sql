-- 14: an article's text is stored once (issue 21): articles.packed holds
-- its summary, plain text and sanitised HTML, DEFLATE-compressed together
-- (pack.go), in place of the columns summary, content and body;
-- steppe_summary(packed), steppe_content(packed) and steppe_body(packed)
-- derive them on read.
--
-- The full-text index is contentless (it kept its own copy of nothing,
-- but deleting from it needed the old text): an article leaves it by its
-- rowid (contentless_delete), and its text goes in from the view
-- articles_search, as before. The triggers on articles name packed where
-- they named summary or content.
--
-- The store also gets auto_vacuum = FULL, set by the Go side of the
-- migration (migrate, store.go), with one VACUUM so an upgraded store
-- shrinks.
DROP TRIGGER articles_fts_ad;
DROP TRIGGER articles_fts_au;
DROP TRIGGER articles_rules_au;
DROP VIEW articles_search;
DROP TABLE articles_fts;
ALTER TABLE articles ADD COLUMN packed BLOB NOT NULL DEFAULT X'';
UPDATE articles SET packed = steppe_pack(summary, content, body) WHERE summary <> '' OR content <> '' OR body <> '';
ALTER TABLE articles DROP COLUMN summary;
ALTER TABLE articles DROP COLUMN content;
ALTER TABLE articles DROP COLUMN body;
CREATE VIEW articles_search AS
SELECT a.seq, a.title, steppe_summary(a.packed) AS summary, steppe_content(a.packed) ||
	ifnull((SELECT char(10) || t.text FROM article_fulltext t WHERE t.seq = a.seq AND t.text <> ''), '') AS content
FROM articles a;
CREATE VIRTUAL TABLE articles_fts USING fts5(
	title, summary, content,
	content='', contentless_delete=1,
	tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 16);
INSERT INTO articles_fts (articles_fts, rank) VALUES ('pgsz', 8000);
INSERT INTO articles_fts (rowid, title, summary, content)
SELECT seq, title, summary, content FROM articles_search;
INSERT INTO articles_fts (articles_fts) VALUES ('optimize');
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
	DELETE FROM articles_fts WHERE rowid = old.seq;
	DELETE FROM article_fulltext WHERE seq = old.seq;
END;
CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, packed ON articles BEGIN
	DELETE FROM articles_fts WHERE rowid = old.seq;
	INSERT INTO articles_fts (rowid, title, summary, content)
	SELECT seq, title, summary, content FROM articles_search WHERE seq = new.seq;
END;
CREATE TRIGGER articles_rules_au AFTER UPDATE OF title, link, author, packed, feed_id ON articles BEGIN
	INSERT OR IGNORE INTO rule_dirty (seq) VALUES (new.seq);
END;
