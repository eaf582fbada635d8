-- 7: seq never goes back. SQLite gives a new row the largest rowid
-- plus one, so removing the feed that held the newest article would
-- hand its seq to the next arrival, and a View pinned to that seq
-- would take the arrival in. articles_seq keeps the highest seq ever
-- removed, and a save numbers its rows above it (nextSeq).
--
-- A pruned article is remembered in articles_seen, so that a feed that
-- still carries it does not bring it back unread; seen_at says when a
-- feed last carried the key, and feeds.last_saved when the feed's
-- items were last stored whole, so that Prune forgets the keys a feed
-- has stopped carrying.
--
-- last_short keeps the last error's short form (Feed.LastShort), so
-- that the next run shows it as this run did, not guessed from text.

CREATE TABLE articles_seq (one INTEGER PRIMARY KEY CHECK (one = 1), high INTEGER NOT NULL);
INSERT INTO articles_seq SELECT 1, ifnull(max(seq), 0) FROM articles;
ALTER TABLE feeds ADD COLUMN last_saved INTEGER NOT NULL DEFAULT 0;
CREATE INDEX articles_seen_at ON articles_seen(seen_at);
ALTER TABLE feeds ADD COLUMN last_short TEXT NOT NULL DEFAULT '';
