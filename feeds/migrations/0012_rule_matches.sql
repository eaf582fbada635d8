-- 12: the articles each materialised rule matches (query feeds, see
-- rules.go), so that a query feed pages in O(page) and counts in O(1).
--
-- rule_counts has a row per materialised rule: hash is a hash of the
-- rule's text (and of the ignore rules it leaves out), gen the feeds'
-- generation it was built at (a feed renamed or regrouped changes what a
-- rule on feed or group matches), total and unread its counts, kept by
-- the triggers on rule_articles.
--
-- rule_articles has a row per rule and article it matches, with the
-- article's published, read and starred (copies of article_state's, kept
-- by a trigger), so that the state and age parts of a rule are answered
-- from it alone: its key is a query feed's order.
--
-- rule_dirty lists the articles stored or changed since the rules were
-- last brought up to date (by the save that stored them, in its own
-- transaction, or by a rebuild): while it holds any, a reader does not
-- trust rule_articles.
CREATE TABLE rule_counts (
	id     INTEGER PRIMARY KEY,
	hash   TEXT NOT NULL UNIQUE,
	gen    INTEGER NOT NULL,
	total  INTEGER NOT NULL DEFAULT 0,
	unread INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE rule_articles (
	rule      INTEGER NOT NULL,
	published INTEGER NOT NULL,
	seq       INTEGER NOT NULL,
	read      INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
	starred   INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
	PRIMARY KEY (rule, published, seq)
) WITHOUT ROWID;
CREATE INDEX rule_articles_seq ON rule_articles(seq);
CREATE TABLE rule_dirty (seq INTEGER PRIMARY KEY);

CREATE TRIGGER rule_articles_ai AFTER INSERT ON rule_articles BEGIN
	UPDATE rule_counts SET total = total + 1, unread = unread + (new.read = 0) WHERE id = new.rule;
END;
CREATE TRIGGER rule_articles_ad AFTER DELETE ON rule_articles BEGIN
	UPDATE rule_counts SET total = total - 1, unread = unread - (old.read = 0) WHERE id = old.rule;
END;
CREATE TRIGGER rule_articles_au AFTER UPDATE OF read ON rule_articles WHEN new.read IS NOT old.read BEGIN
	UPDATE rule_counts SET unread = unread + (new.read = 0) - (old.read = 0) WHERE id = new.rule;
END;

CREATE TRIGGER articles_rules_ai AFTER INSERT ON articles BEGIN
	INSERT OR IGNORE INTO rule_dirty (seq) VALUES (new.seq);
END;
CREATE TRIGGER articles_rules_au AFTER UPDATE OF title, link, author, content, feed_id ON articles BEGIN
	INSERT OR IGNORE INTO rule_dirty (seq) VALUES (new.seq);
END;
CREATE TRIGGER articles_rules_ad AFTER DELETE ON articles BEGIN
	DELETE FROM rule_dirty WHERE seq = old.seq;
	DELETE FROM rule_articles WHERE seq = old.seq;
END;
CREATE TRIGGER article_state_rules_au AFTER UPDATE OF read, starred, published ON article_state
WHEN new.read IS NOT old.read OR new.starred IS NOT old.starred OR new.published IS NOT old.published BEGIN
	UPDATE rule_articles SET read = new.read, starred = new.starred, published = new.published WHERE seq = new.seq;
END;
