CREATE OR REPLACE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event log is append-only: % refused', TG_OP;
END
$$;
ALTER TABLE events DROP COLUMN personal_erased_at;
ALTER TABLE events DROP COLUMN personal_digest;
ALTER TABLE events DROP COLUMN personal_values;
