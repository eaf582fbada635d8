-- 6: the read state of new articles is inserted by the save, one
-- statement per transaction (saver.finish), not by a trigger per row;
-- the counters still follow article_state's own triggers. Nothing else
-- inserts articles.

DROP TRIGGER articles_state_ai;
