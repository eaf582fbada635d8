-- 8: syncing with a server (remote.go). feeds.remote_id is the
-- server's id of a feed it lists ('' for the others); remote_entries
-- ties a stored article to the server's entry. sync_queue holds the
-- local changes of tied articles not yet sent, in order: the trigger
-- fills it from every write of article_state (marking one, marking a
-- view, the command line), unless sync_status.applying says the write
-- is the server's own state coming in. sync_status keeps the cursor
-- and the outcome of the last sync.
ALTER TABLE feeds ADD COLUMN remote_id TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX feeds_remote ON feeds(remote_id) WHERE remote_id <> '';
CREATE TABLE remote_entries (
	seq       INTEGER PRIMARY KEY REFERENCES articles(seq) ON DELETE CASCADE,
	remote_id TEXT NOT NULL UNIQUE
);
CREATE TABLE sync_queue (
	n         INTEGER PRIMARY KEY AUTOINCREMENT,
	remote_id TEXT NOT NULL,
	action    TEXT NOT NULL CHECK (action IN ('read', 'unread', 'star', 'unstar')),
	at        INTEGER NOT NULL
);
CREATE INDEX sync_queue_remote ON sync_queue(remote_id);
CREATE TABLE sync_status (
	one        INTEGER PRIMARY KEY CHECK (one = 1),
	service    TEXT NOT NULL DEFAULT '',
	url        TEXT NOT NULL DEFAULT '',
	cursor     TEXT NOT NULL DEFAULT '',
	last_sync  INTEGER NOT NULL DEFAULT 0,
	last_ok    INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT '',
	applying   INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_status (one) VALUES (1);
CREATE TRIGGER sync_queue_read AFTER UPDATE OF read ON article_state
WHEN old.read <> new.read AND (SELECT applying FROM sync_status WHERE one = 1) = 0 BEGIN
	INSERT INTO sync_queue (remote_id, action, at)
	SELECT remote_id, CASE new.read WHEN 1 THEN 'read' ELSE 'unread' END,
		CAST(unixepoch('subsec') * 1000 AS INTEGER) * 1000000
	FROM remote_entries WHERE seq = new.seq;
END;
CREATE TRIGGER sync_queue_star AFTER UPDATE OF starred ON article_state
WHEN old.starred <> new.starred AND (SELECT applying FROM sync_status WHERE one = 1) = 0 BEGIN
	INSERT INTO sync_queue (remote_id, action, at)
	SELECT remote_id, CASE new.starred WHEN 1 THEN 'star' ELSE 'unstar' END,
		CAST(unixepoch('subsec') * 1000 AS INTEGER) * 1000000
	FROM remote_entries WHERE seq = new.seq;
END;
