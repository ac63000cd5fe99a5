-- Names are searched by the service's in-memory index (src/search), kept current from the event
-- log; the folded copy of the names the old LIKE search read is no longer read.
ALTER TABLE agencies DROP COLUMN search_text;
