-- 13: a feed's note on its last good fetch: what it left out ("kept the
-- newest 5000 of 200000 items", Options.MaxItems), '' when nothing.
ALTER TABLE feeds ADD COLUMN last_note TEXT NOT NULL DEFAULT '';
