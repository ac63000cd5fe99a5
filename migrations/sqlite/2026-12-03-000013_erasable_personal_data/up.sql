-- Personal data in events is kept apart from the hashed values so that it can be erased without
-- breaking the chain: an event's hash covers `personal_digest` (SHA-256 of `personal_values`,
-- which holds a random nonce so a digest cannot be used to confirm a guess). Erasing sets
-- `personal_values` to NULL and `personal_erased_at`; the digest stays. Events written before
-- this migration have no digest and hash exactly as before, so existing chains stay verifiable.
ALTER TABLE events ADD COLUMN personal_values TEXT;
ALTER TABLE events ADD COLUMN personal_digest TEXT;
ALTER TABLE events ADD COLUMN personal_erased_at TIMESTAMP;

-- The log stays append-only, with one exception: erasing an event's personal values once.
DROP TRIGGER events_refuse_update;
CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
WHEN NOT (
    OLD.personal_erased_at IS NULL
    AND NEW.personal_erased_at IS NOT NULL
    AND NEW.personal_values IS NULL
    AND NEW.sequence IS OLD.sequence
    AND NEW.id IS OLD.id
    AND NEW.event_type IS OLD.event_type
    AND NEW.subject_type IS OLD.subject_type
    AND NEW.subject_id IS OLD.subject_id
    AND NEW.agency_id IS OLD.agency_id
    AND NEW.certification_body_id IS OLD.certification_body_id
    AND NEW.public IS OLD.public
    AND NEW.actor IS OLD.actor
    AND NEW.occurred_at IS OLD.occurred_at
    AND NEW.previous_values IS OLD.previous_values
    AND NEW.current_values IS OLD.current_values
    AND NEW.previous_hash IS OLD.previous_hash
    AND NEW.hash IS OLD.hash
    AND NEW.personal_digest IS OLD.personal_digest
)
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only: UPDATE refused');
END;
