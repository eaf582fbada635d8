-- 2: feed groups (OPML folders); feeds_generation, bumped by triggers
-- whenever the set of feeds or what the UI shows of them changes, so a
-- running dashboard notices feeds added or removed by the command line.

ALTER TABLE feeds ADD COLUMN grp TEXT NOT NULL DEFAULT '';
CREATE TABLE feeds_generation (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	n   INTEGER NOT NULL
);
INSERT INTO feeds_generation VALUES (1, 0);
CREATE TRIGGER feeds_generation_ai AFTER INSERT ON feeds BEGIN
	UPDATE feeds_generation SET n = n + 1;
END;
CREATE TRIGGER feeds_generation_ad AFTER DELETE ON feeds BEGIN
	UPDATE feeds_generation SET n = n + 1;
END;
CREATE TRIGGER feeds_generation_au AFTER UPDATE ON feeds
WHEN old.url IS NOT new.url OR old.name IS NOT new.name OR old.grp IS NOT new.grp
	OR old.origin IS NOT new.origin OR old.position IS NOT new.position
	OR old.active IS NOT new.active OR old.refresh_ns IS NOT new.refresh_ns
BEGIN
	UPDATE feeds_generation SET n = n + 1;
END;
