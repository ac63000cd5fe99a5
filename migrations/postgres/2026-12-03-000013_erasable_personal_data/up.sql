-- Personal data in events is kept apart from the hashed values so that it can be erased without
-- breaking the chain: an event's hash covers `personal_digest` (SHA-256 of `personal_values`,
-- which holds a random nonce so a digest cannot be used to confirm a guess). Erasing sets
-- `personal_values` to NULL and `personal_erased_at`; the digest stays. Events written before
-- this migration have no digest and hash exactly as before, so existing chains stay verifiable.
ALTER TABLE events ADD COLUMN personal_values TEXT;
ALTER TABLE events ADD COLUMN personal_digest TEXT;
ALTER TABLE events ADD COLUMN personal_erased_at TIMESTAMP;

-- The log stays append-only, with one exception: erasing an event's personal values once.
CREATE OR REPLACE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND OLD.personal_erased_at IS NULL
        AND NEW.personal_erased_at IS NOT NULL
        AND NEW.personal_values IS NULL
        AND to_jsonb(NEW) - 'personal_values' - 'personal_erased_at'
            = to_jsonb(OLD) - 'personal_values' - 'personal_erased_at'
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the event log is append-only: % refused', TG_OP;
END
$$;
