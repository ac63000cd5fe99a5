DROP TRIGGER events_refuse_update;
CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only: UPDATE refused');
END;
ALTER TABLE events DROP COLUMN personal_erased_at;
ALTER TABLE events DROP COLUMN personal_digest;
ALTER TABLE events DROP COLUMN personal_values;
