-- 11: an article's audio and video files (feeds/parse.Enclosure), a row
-- each in the feed's order (pos from 0): its URL (absolute http(s)), MIME
-- type ('' when unknown) and length in bytes (0 when unknown). The save
-- path writes them with the article's text and replaces them when the
-- feed changes them; a deleted article's go with it.
CREATE TABLE article_enclosures (
	seq    INTEGER NOT NULL,
	pos    INTEGER NOT NULL,
	url    TEXT NOT NULL,
	type   TEXT NOT NULL DEFAULT '',
	length INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (seq, pos)
) WITHOUT ROWID;
CREATE TRIGGER article_enclosures_ad AFTER DELETE ON articles BEGIN
	DELETE FROM article_enclosures WHERE seq = old.seq;
END;
