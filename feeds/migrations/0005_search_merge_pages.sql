-- 5: the full-text index merges its segments sixteen at a time instead
-- of four, and keeps its lists in pages of 8,000 bytes instead of 1,000
-- (a store's page is 8 KiB): a fresh refresh spent a good part of its
-- writing time merging segments it had just written.

INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 16);
INSERT INTO articles_fts (articles_fts, rank) VALUES ('pgsz', 8000);
